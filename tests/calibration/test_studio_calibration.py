"""The studio's calibration: Calibrate queues the job, a preview, activation and rollback."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import AuditEntry, ItemParameter, ItemParameterSet, Job
from learnpath.models.base import pk
from learnpath.services.catalog.banks import current_parameter_set
from tests.calibration.planted import SLUG, levels, plant

PAGE = f"/studio/competencies/{SLUG}"


def _parameters(db: Session, version: ItemParameterSet) -> dict[int, tuple[float, float]]:
    rows = db.exec(select(ItemParameter).where(ItemParameter.parameter_set_id == version.id)).all()
    return {p.item_id: (p.a, p.b) for p in rows}


def _calibrate(client: FlaskClient, db: Session, seed: int) -> Job:
    """Press Calibrate; the job runs in the request (immediate queue) and its page shows."""
    answer = client.post(f"{PAGE}/calibrate", data={"min_responses": "40", "seed": str(seed)})
    assert answer.status_code == 302 and "/studio/jobs/" in answer.headers["Location"]
    job = db.exec(select(Job).order_by(col(Job.id).desc())).first()
    assert job is not None
    db.refresh(job)
    assert job.status == "done", job.error
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Calibrate Information security" in page
    assert f"<dd>{job.result['version']}</dd>" in page
    assert f'{PAGE}/parameter-sets/{job.result["version"]}">Preview version' in page
    return job


def test_calibrate_preview_activate_and_roll_back(
    app: Flask, catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    app.config["CALIBRATION_EPOCHS"] = 40  # few steps: the test checks the flow, not the fit
    planted = plant(catalog, persons=80, items=5)
    catalog.commit()
    login("author")
    before = levels(catalog, planted.competency)

    first, second = _calibrate(client, catalog, 3), _calibrate(client, catalog, 3)
    assert first.result["persons"] == 80 and first.result["calibrated"] == 5
    sets = {
        s.version: s
        for s in catalog.exec(select(ItemParameterSet)).all()
        if s.competency_id == planted.competency.id
    }
    one, two = sets[first.result["version"]], sets[second.result["version"]]
    assert not one.active and not two.active and one.source == "calibrated"
    assert one.report and one.report["seed"] == 3 and one.report["epochs"] == 40
    assert _parameters(catalog, one) == _parameters(catalog, two)  # same seed, same parameters
    assert _parameters(catalog, one) != _parameters(catalog, planted.base)

    page = client.get(PAGE).get_data(as_text=True)
    assert f"{PAGE}/parameter-sets/{one.version}/activate" in page and "Calibrate" in page

    preview = client.get(f"{PAGE}/parameter-sets/{one.version}")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and html.count("<svg") == 2
    assert "of 80 learners with responses would change level band" in html
    assert re.search(r"largest change of a learner's θ would be <strong>\d\.\d{3}</strong>", html)
    assert levels(catalog, planted.competency) == before  # previewing wrote nothing

    done = client.post(f"{PAGE}/parameter-sets/{one.version}/activate")
    assert done.status_code == 302
    catalog.expire_all()
    assert current_parameter_set(catalog, planted.competency).id == one.id
    assert levels(catalog, planted.competency) != before
    audited = catalog.exec(select(AuditEntry).where(AuditEntry.entity == "itemparameterset")).all()
    assert {e.entity_id for e in audited} >= {str(pk(one)), str(pk(planted.base))}
    assert all(e.actor_id is not None for e in audited)  # under the author who pressed it

    rollback = client.get(f"{PAGE}/parameter-sets/{planted.base.version}").get_data(as_text=True)
    assert "Activate this earlier set" in rollback
    client.post(f"{PAGE}/parameter-sets/{planted.base.version}/activate")
    assert current_parameter_set(catalog, planted.competency).id == planted.base.id
    assert levels(catalog, planted.competency) == before


def test_a_second_calibration_while_one_runs_is_refused_naming_it(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    running = Job(kind="calibrate", subject=SLUG, status="running", lock=f"calibrate:{SLUG}")
    catalog.add(running)
    catalog.commit()
    login("author")
    answer = client.post(f"{PAGE}/calibrate", data={"min_responses": "40", "seed": "0"})
    assert answer.headers["Location"] == f"/studio/jobs/{pk(running)}"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"calibration of Information security is already running as job {pk(running)}" in page
    assert f"Job {pk(running)}: " in page
    competency = client.get(PAGE).get_data(as_text=True)  # the page links the running job
    assert f'<a href="/studio/jobs/{pk(running)}">follow job {pk(running)}</a>' in competency
    assert len(catalog.exec(select(Job)).all()) == 1


def test_a_bad_calibrate_form_is_refused_naming_the_field(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    answer = client.post(f"{PAGE}/calibrate", data={"min_responses": "0", "seed": "1"})
    assert answer.headers["Location"].endswith(f"{PAGE}#calibration")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Not calibrated: Least responses per item:" in page
    assert catalog.exec(select(Job)).all() == []
