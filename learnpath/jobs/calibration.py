"""The calibration job the studio's Calibrate button queues: `flask calibrate` in the worker.

Only the worker imports this module (services.jobs.KINDS names it); py-irt and torch load when
the job runs, inside `calibrate_competency`, never in the web process.
"""

from typing import Any

from learnpath.calibration.store import database_responses, store
from learnpath.models import Job
from learnpath.services.catalog.banks import competency_by_slug
from learnpath.services.catalog.parameter_sets import current_parameters, pretest_slugs

Session = Any  # a sqlmodel Session (this layer may not import the database libraries)
Progress = Any  # progress(fraction, message)


def calibrate_competency(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Calibrate the job's competency into a new inactive parameter set; summarize it."""
    from learnpath.calibration.run import DEFAULT_EPOCHS, CalibrationError, calibrate

    competency = competency_by_slug(session, job.args["slug"])
    base, current = current_parameters(session, competency)
    responses = database_responses(session, competency)
    if responses is None:
        raise CalibrationError(f"competency {competency.slug!r} has no responses")
    progress(0.0, f"{responses.matrix.shape[0]} persons, {len(responses.item_ids)} items")
    result = calibrate(
        responses,
        current,
        min_responses=int(job.args.get("min_responses", 200)),
        seed=int(job.args.get("seed", 0)),
        epochs=int(job.args.get("epochs") or DEFAULT_EPOCHS),
        progress=lambda done, total: progress(done / total, f"step {done} of {total}"),
        pretest=pretest_slugs(session, competency),
    )
    created = store(session, competency, base, result)
    return {
        "competency": competency.slug,
        "version": created.version,
        "persons": result.persons,
        "calibrated": sum(1 for i in result.items if i.status == "calibrated"),
        "kept": sum(1 for i in result.items if i.status != "calibrated"),
        "converged": result.converged,
        "proposed": list(result.proposed),  # pretest items now on the active scale
    }
