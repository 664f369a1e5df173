"""Every learner page in Chromium at 1280 and 390 px: axe-core, headings, phone layout, plain words.

The pages come from the app's URL map (a new learner page is audited as soon as it exists; the
test fails if it has no example values for its arguments). The learner has a finished check
(results and review), a quiz under way, two programs and modules of each kind. Each page is
saved as screenshots/learner/<width>/<endpoint>-<n>.png (git-ignored); the axe-core summary is
printed at the end of the run.
"""

from typing import Any

import pytest
from flask import url_for
from sqlmodel import Session, select

from learnpath.models import Competency, Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.learning import quiz, trajectory
from tests.e2e.conftest import PROGRAM_SLUG, Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is a dev dependency")

from playwright.sync_api import Page

from tests.e2e.audit import WIDTHS, Findings, axe, phone_layout, screenshot, structure
from tests.e2e.browsing import log_in

pytestmark = pytest.mark.browser
# Modules of Data Literacy Essentials v1 of each kind a module page shows.
MODULES = ("dl-data-types", "dl-reading-charts")  # unlocked, locked
VIDEO_PROGRAM = "data-literacy-for-northwind"  # its plan has the video module
# Files, not pages: the video module's page plays them (tests/test_video_files.py serves them).
FILES = {"learner.module_video", "learner.module_captions"}
# Words of the engine room that a learner's main text must not carry (they live in disclosures).
ENGINE_WORDS = ("θ", "logit", "SE ", "±", "tempo")
# Pairs of chart labels whose drawn boxes overlap (tests/test_results_chart.py: the geometry).
CHART_OVERLAPS = """() => { const boxes = [...document.querySelectorAll('svg.chart text')]
  .map(t => t.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  let n = 0; boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => { if (hit(a, b)) n++; }));
  return n; }"""
MAIN_TEXT = """() => { const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('details').forEach(d => d.remove()); return main.innerText; }"""


def world(live: LiveApp, learner: Account) -> dict[frozenset[str], list[dict[str, Any]]]:
    """A finished check, a quiz under way and a second program; URL examples per argument set."""
    with Session(live.engine) as session:
        assert learner.learner_id is not None
        team = session.exec(select(Program).where(Program.slug == "team-lead-path")).first()
        video = session.exec(select(Program).where(Program.slug == VIDEO_PROGRAM)).first()
        assert team is not None and video is not None
        session.add(Enrollment(learner_id=learner.learner_id, program_id=pk(team)))
        session.add(Enrollment(learner_id=learner.learner_id, program_id=pk(video)))
        program = session.exec(select(Program).where(Program.slug == PROGRAM_SLUG)).one()
        first, second = session.exec(select(Competency).order_by(Competency.slug)).all()[:2]
        done = quiz.start_attempt(session, learner.learner_id, "check", [first])
        while done.status == "active":
            question = quiz.current_question(session, done)
            assert question is not None
            chosen = [question.options[0][0]]
            quiz.answer(session, done, question.step, pk(question.item), chosen, replan=False)
        running = quiz.start_attempt(session, learner.learner_id, "check", [second])
        report = Learner(  # the learner manages one person: My team and the report's page
            external_id=f"report-of-{learner.learner_id}",
            email=f"report-of-{learner.learner_id}@example.com",
            name="Rita Report",
            manager_id=learner.learner_id,
        )
        session.add(report)
        session.flush()
        session.add(Enrollment(learner_id=pk(report), program_id=pk(program)))
        trajectory.replan_learner(session, learner.learner_id)
        enrollments = session.exec(
            select(Enrollment).where(Enrollment.learner_id == learner.learner_id)
        ).all()
        session.commit()
        essentials, northwind = (
            next(e for e in enrollments if e.program_id == pk(p)) for p in (program, video)
        )
        return {
            frozenset(): [{}],
            frozenset({"slug", "version"}): [{"slug": PROGRAM_SLUG, "version": 1}],
            frozenset({"enrollment_id"}): [{"enrollment_id": pk(e)} for e in enrollments],
            frozenset({"enrollment_id", "slug"}): [
                *({"enrollment_id": pk(essentials), "slug": slug} for slug in MODULES),
                {"enrollment_id": pk(northwind), "slug": "dl-reading-charts-video"},
            ],
            frozenset({"uid"}): [{"uid": done.uid}, {"uid": running.uid}],
            frozenset({"learner_id"}): [{"learner_id": pk(report)}],
        }


def learner_urls(
    live: LiveApp, examples: dict[frozenset[str], list[dict[str, Any]]]
) -> list[tuple[str, str]]:
    """(name, URL) of every learner GET page, once per example of its arguments."""
    urls = []
    with live.app.test_request_context():
        for rule in sorted(live.app.url_map.iter_rules(), key=lambda r: r.rule):
            if not rule.endpoint.startswith("learner.") or "GET" not in (rule.methods or ()):
                continue
            if rule.endpoint in FILES:
                continue
            arguments = frozenset(rule.arguments)
            assert arguments in examples, f"{rule.rule}: add example values of {sorted(arguments)}"
            for n, values in enumerate(examples[arguments]):
                urls.append(
                    (
                        f"{rule.endpoint.removeprefix('learner.')}-{n}",
                        url_for(rule.endpoint, **values),
                    )
                )
    return [*urls, ("not-found", "/no-such-page")]


def audit_all(page: Page, urls: list[tuple[str, str]]) -> Findings:
    """Open every page at both widths: axe, headings, phone layout, engine words; screenshots."""
    findings = Findings()
    for width, pixels in WIDTHS.items():
        page.set_viewport_size({"width": pixels, "height": 900})
        for name, url in urls:
            response = page.goto(url)
            assert response is not None
            if response.status != 200 and url != "/no-such-page" and not url.endswith("/review"):
                findings.add(url, f"answered {response.status}")
            final = page.url.removeprefix(
                page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2]
            )
            if final != url and not url.endswith("/review"):
                continue  # a redirect (the running quiz's results): its target is audited itself
            screenshot(page, f"learner/{width}", name)
            axe(page, url, width, findings)
            if page.locator("svg.chart").count() and page.evaluate(CHART_OVERLAPS):
                findings.add(url, f"chart labels overlap at {pixels} px")
            if width == "desktop":
                structure(page, url, findings)
                text = page.evaluate(MAIN_TEXT)
                for word in ENGINE_WORDS:
                    if word in text:
                        findings.add(url, f"main text says {word!r}")
            else:
                phone_layout(page, url, findings)
    return findings


def test_every_learner_page_passes_axe_and_fits_a_phone(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    examples = world(live_app, learner)
    log_in(page, learner)
    urls = learner_urls(live_app, examples)
    assert len(urls) >= 12
    findings = audit_all(page, urls)
    assert not findings.problems, "\n".join(
        f"{url}: {p}" for url, problems in findings.problems.items() for p in problems
    )


def test_the_login_page_passes_axe_at_both_widths(page: Page, live_app: LiveApp) -> None:
    findings = audit_all(page, [("login", "/auth/login")])
    assert not findings.problems, findings.problems


VIDEO_FACTS = """() => { const v = document.querySelector('video'), t = v.textTracks[0];
  return {duration: v.duration, width: v.getBoundingClientRect().width, mode: t.mode,
          cues: t.cues ? t.cues.length : 0, label: v.getAttribute('aria-label')}; }"""


def test_the_video_module_plays_its_video_with_captions_on_a_phone(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    video = world(live_app, learner)[frozenset({"enrollment_id", "slug"})][-1]
    log_in(page, learner)
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    page.goto(f"/path/{video['enrollment_id']}/modules/{video['slug']}")
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v.readyState >= 1"
        " && v.textTracks[0].cues && v.textTracks[0].cues.length > 0; }"
    )
    facts = page.evaluate(VIDEO_FACTS)
    assert facts["duration"] > 60 and facts["width"] <= WIDTHS["phone"]
    assert facts["mode"] == "showing" and facts["cues"] > 20
    assert facts["label"] == "Video: Reading charts without being misled (video)"
