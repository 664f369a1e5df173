"""Learner pages: my learning, the timeline, adjustments by form, module pages, the profile."""

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from learnpath.markdown import render_inline
from learnpath.models import (
    Adjustment,
    Enrollment,
    Learner,
    Module,
    Program,
    ProgramOverlay,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.learning import trajectory
from learnpath.vocabulary import utcnow
from tests import factories


def enrolled(db: Session, login, slug: str = "data-literacy-essentials", **profile) -> Enrollment:  # type: ignore[no-untyped-def]
    """Log in as a learner enrolled in a shipped program; `profile` sets learner fields."""
    user = login("learner")
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    for name, value in profile.items():
        setattr(learner, name, value)
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
    db.add_all([learner, enrollment])
    db.flush()
    trajectory.replan(db, enrollment)  # an assignment stores the plan (pages only read it)
    db.commit()
    return enrollment


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's HTML."""
    return response.get_data(as_text=True)


def another_learner(app: Flask, catalog: Session) -> FlaskClient:
    """A second learner, logged in on a client of their own."""
    factories.user(catalog, email="eve@example.com")
    catalog.commit()
    other = app.test_client()
    other.post("/auth/login", data={"email": "eve@example.com", "password": factories.PASSWORD})
    return other


def test_a_learner_lands_on_my_learning_with_progress(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    assert client.get("/").location == "/path"
    page = text(client.get("/path"))
    assert "Data Literacy Essentials" in page and "0 of 6 modules done" in page
    assert f'href="/path/{enrollment.id}"' in page
    assert "Set up your profile" in page


def test_the_timeline_gives_every_step_its_reason_and_lock(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "team-lead-path", role="team-lead")
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "role rule: Team leads practise difficult conversations" in page
    assert "mandatory in this program" in page
    assert "Locked until you complete" in page
    assert "Take the placement test" in page
    steps = catalog.exec(
        select(func.count()).where(TrajectoryStep.enrollment_id == enrollment.id)
    ).one()
    assert steps == len(re.findall(r'<li class="step ', page))


def test_another_learners_trajectory_is_not_found(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    other = another_learner(app, catalog)
    assert other.get(f"/path/{enrollment.id}").status_code == 404
    moved = {"kind": "move", "module": "dl-data-quality", "before": "dl-averages-and-spread"}
    assert other.post(f"/path/{enrollment.id}/adjust", data=moved).status_code == 404
    assert catalog.exec(select(func.count()).select_from(Adjustment)).one() == 0


def test_a_reorder_by_form_is_applied_and_logged(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    moved = {"kind": "move", "module": "dl-data-quality", "before": "dl-averages-and-spread"}
    page = text(client.post(f"/path/{enrollment.id}/adjust", data=moved, follow_redirects=True))
    assert "Your plan was updated." in page
    titles = {m.slug: m.title for m in catalog.exec(select(Module)).all()}
    moved_text = f"Moved “{titles['dl-data-quality']}” before “{titles['dl-averages-and-spread']}”"
    assert moved_text in page
    order = re.findall(r'/modules/([\w-]+)"><strong>', page)
    assert order.index("dl-data-quality") < order.index("dl-averages-and-spread")


def test_a_forbidden_change_says_why_and_changes_nothing(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    client.get(f"/path/{enrollment.id}")
    before = factories.snapshot(catalog)
    early = {"kind": "move", "module": "dl-dashboards", "before": "dl-data-types"}
    page = text(client.post(f"/path/{enrollment.id}/adjust", data=early, follow_redirects=True))
    assert "Not changed:" in page
    assert factories.snapshot(catalog) == before
    bad = text(
        client.post(
            f"/path/{enrollment.id}/adjust", data={"kind": "teleport"}, follow_redirects=True
        )
    )
    assert "Unknown kind of change." in bad
    assert factories.snapshot(catalog) == before


def test_a_module_page_renders_the_lesson_and_completes_it(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    page = text(client.get(f"/path/{enrollment.id}/modules/dl-data-types"))
    module = catalog.exec(select(Module).where(Module.slug == "dl-data-types")).one()
    assert module.title in page and "<h2>" in page and "Mark as completed" in page
    step = catalog.exec(select(TrajectoryStep).where(TrajectoryStep.module_id == module.id)).one()
    assert step.started_at is None and "Start this module" in page  # viewing writes nothing
    started = client.post(f"/path/{enrollment.id}/modules/dl-data-types/start")
    assert started.status_code == 302
    catalog.refresh(step)
    assert step.started_at is not None
    assert "Start this module" not in text(client.get(started.location))
    done = client.post(
        f"/path/{enrollment.id}/modules/dl-data-types/complete", data={"minutes": "18"}
    )
    assert done.status_code == 302
    catalog.refresh(step)
    assert (step.status, step.time_spent_s) == ("completed", 18 * 60)
    again = client.post(
        f"/path/{enrollment.id}/modules/dl-data-types/complete", data={"minutes": "50"}
    )
    assert again.status_code == 302
    catalog.refresh(step)
    assert step.time_spent_s == 18 * 60


def test_a_locked_module_names_its_prerequisite_and_cannot_be_completed(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    page = text(client.get(f"/path/{enrollment.id}/modules/dl-reading-charts"))
    assert "locked until you complete" in page and "/modules/dl-averages-and-spread" in page
    assert "Mark as completed" not in page
    response = client.post(
        f"/path/{enrollment.id}/modules/dl-reading-charts/complete",
        data={"minutes": "20"},
        follow_redirects=True,
    )
    assert "Not marked complete" in text(response)
    statuses = catalog.exec(select(TrajectoryStep.status)).all()
    assert "completed" not in statuses


def test_skipping_the_profile_keeps_defaults_and_saving_it_replans(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "team-lead-path", role="analyst")
    assert 'value="charts"' in text(client.get("/profile"))
    client.post("/profile", data={"skip": "1"})
    learner = catalog.get(Learner, enrollment.learner_id)
    catalog.refresh(learner)
    assert learner is not None and learner.onboarded_at is not None
    assert learner.pace_minutes_per_week == 120
    client.post("/profile", data={"pace": "60", "interests": ["charts"], "formats": ["video"]})
    catalog.refresh(learner)
    assert (learner.pace_minutes_per_week, learner.interests) == (60, ["charts"])
    dashboards = catalog.exec(select(Module).where(Module.slug == "dl-dashboards")).one()
    step = catalog.exec(
        select(TrajectoryStep).where(TrajectoryStep.module_id == dashboards.id)
    ).one()
    assert "Learners interested in charts build a dashboard" in step.reason_text


def test_a_bad_pace_is_refused_with_the_field_named(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    page = text(
        client.post(f"/path/{enrollment.id}/pace", data={"pace": "5"}, follow_redirects=True)
    )
    assert "pace: Between 15 and 1200 minutes." in page
    assert catalog.exec(select(func.count()).select_from(Adjustment)).one() == 0
    ok = client.post(f"/path/{enrollment.id}/pace", data={"pace": "240"}, follow_redirects=True)
    assert "Set the weekly time to 240 minutes" in text(ok)


def test_a_facilitated_run_shows_the_facilitators_overlays_on_the_path(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "data-literacy-northwind-cohort")
    page = text(client.get(f"/path/{enrollment.id}"))
    overlays = catalog.exec(
        select(ProgramOverlay).where(ProgramOverlay.program_id == enrollment.program_id)
    ).all()
    assert {o.kind for o in overlays} == {"schedule", "wording", "example", "note"}
    for overlay in overlays:
        # Examples, wording and schedule are for the cohort; notes are the facilitator's own.
        # The text is inline Markdown (bold, italics, code), rendered sanitized.
        assert (str(render_inline(overlay.text)) in page) == (overlay.kind != "note")


def test_a_refusal_shows_titles_emphasized_not_raw_markdown(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    early = {"kind": "move", "module": "dl-dashboards", "before": "dl-data-types"}
    posted = client.post(f"/path/{enrollment.id}/adjust", data=early)
    assert posted.location == f"/path/{enrollment.id}#step-dl-dashboards"  # keeps the place
    page = text(client.get(posted.location))
    # A refusal looks unlike a success (role alert, its own class) and sits in the module's step.
    step = page.split('id="step-dl-dashboards"', 1)[1].split("</li>", 1)[0]
    flash = re.search(r'<p class="notice refusal" role="alert">(.*?)</p>', step, re.S)
    assert flash and "Not changed:" in flash.group(1)
    assert "<em>" in flash.group(1) and "*" not in flash.group(1)
    assert 'class="notice refusal"' not in page.split('id="step-dl-dashboards"', 1)[0]


def csrf_token(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def test_trajectory_posts_without_a_csrf_token_are_refused_and_change_nothing(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    moved = {"kind": "move", "module": "dl-data-quality", "before": "dl-averages-and-spread"}
    client.post(f"/path/{enrollment.id}/adjust", data=moved)
    [change] = catalog.exec(select(Adjustment)).all()
    client.get(f"/path/{enrollment.id}")
    app.config["WTF_CSRF_ENABLED"] = True
    before = factories.snapshot(catalog)
    base = f"/path/{enrollment.id}"
    posts = {
        f"{base}/adjust": {"kind": "drop", "module": "dl-correlation-causation"},
        f"{base}/electives": {"module": "dl-experiments"},
        f"{base}/pace": {"pace": "300"},
        f"{base}/changes/{change.id}/undo": {},
        f"{base}/modules/dl-data-types/complete": {"minutes": "20"},
        "/profile": {"skip": "1"},
    }
    for url, data in posts.items():
        response = client.post(url, data=data)
        assert response.status_code == 400 and b"CSRF" in response.data, url
        assert factories.snapshot(catalog) == before, url
    token = csrf_token(text(client.get(base)))
    assert client.post(f"{base}/pace", data={"pace": "300", "csrf_token": token}).status_code == 302
    assert catalog.exec(select(func.count()).select_from(Adjustment)).one() == 2


def test_another_learners_module_page_and_complete_url_are_not_found(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    other = another_learner(app, catalog)
    client.get(f"/path/{enrollment.id}")
    before = factories.snapshot(catalog)
    module = f"/path/{enrollment.id}/modules/dl-data-types"
    assert other.get(module).status_code == 404
    assert other.post(f"{module}/complete", data={"minutes": "20"}).status_code == 404
    assert factories.snapshot(catalog) == before
    steps = catalog.exec(select(TrajectoryStep)).all()
    assert steps and all(s.started_at is None and s.status == "planned" for s in steps)


def test_add_an_elective_does_not_offer_what_a_rule_excludes(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "team-lead-path", role="analyst")
    page = text(client.get(f"/path/{enrollment.id}"))
    agile = catalog.exec(select(Module).where(Module.slug == "pm-agile")).one()
    step = catalog.exec(select(TrajectoryStep).where(TrajectoryStep.module_id == agile.id)).one()
    assert (step.status, step.reason_code) == ("excluded", "rule_exclude")
    offered = re.findall(r'<option value="([\w-]+)"', page)
    assert offered and "pm-agile" not in offered


def test_the_suggested_pace_never_exceeds_what_the_form_accepts(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    enrollment.due_at = utcnow()
    catalog.add(enrollment)
    catalog.commit()
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "even 1200 minutes a week would not meet it: move the date below" in page
    assert "About " not in page
    enrollment.due_at = utcnow() - timedelta(days=2)
    catalog.add(enrollment)
    catalog.commit()
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "Your target date has passed: set a new one below." in page
    assert "cannot meet the due date" in page


def test_profile_changes_are_in_your_changes_and_replace_the_plans_pace(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    client.post(f"/path/{enrollment.id}/pace", data={"pace": "240"})
    saved = {"pace": "90", "interests": ["charts"], "formats": []}
    assert client.post("/profile", data=saved).status_code == 302
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "Set the weekly time in your profile to 90 minutes (was 120)" in page
    assert "Set the topics that interest you to charts (were none)" in page
    assert re.search(r"Set the weekly time to 240 minutes <span class=\"muted\">\(withdrawn ", page)
    assert re.search(r'<input[^>]*name="pace"[^>]*value="90"', page)
    row = catalog.exec(select(Adjustment)).one()
    catalog.refresh(row)
    assert row.active is False and row.withdrawn_at is not None
    again = client.post("/profile", data=saved, follow_redirects=True)
    assert "Profile saved." in text(again)
    assert text(client.get(f"/path/{enrollment.id}")).count("(was 120)") == 1
