"""Item exposure: counted atomically across sessions and workers, and held under the ceiling."""

import threading
from collections import Counter

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import CompetencyExposure, Item, ItemExposure, Program
from learnpath.models.base import pk
from learnpath.services.catalog.banks import load_bank
from learnpath.services.learning import quiz_rules
from learnpath.services.learning.quiz import exposure
from tests.test_quiz_service import enroll, start_placement

INCREMENTS = 25


def test_two_sessions_counting_at_once_lose_no_count(app: Flask, catalog: Session) -> None:
    item = catalog.exec(select(Item)).first()
    assert item is not None
    engine, barrier = app.extensions["learnpath.engine"], threading.Barrier(2)

    def count() -> None:
        with Session(engine) as session:
            barrier.wait()  # both transactions are open before either counts
            for _ in range(INCREMENTS):
                exposure.count_shown(session, pk(item))
            session.commit()

    threads = [threading.Thread(target=count) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    catalog.expire_all()
    stored = catalog.get(ItemExposure, pk(item))
    assert stored is not None and stored.shown == 2 * INCREMENTS


def test_priced_placements_keep_every_item_under_a_quarter_of_the_sessions(
    catalog: Session,
) -> None:
    starts = 8
    attempts = [start_placement(catalog, enroll(catalog)) for _ in range(starts)]
    first = Counter(a.shown_item_id for a in attempts)
    assert max(first.values()) <= 2, first  # 0.25 × 8: without the ceiling all 8 open alike
    program = catalog.exec(select(Program).where(Program.slug == "data-literacy-essentials")).one()
    (competency,) = quiz_rules.program_competencies(catalog, program)
    counted = catalog.get(CompetencyExposure, pk(competency))
    assert counted is not None and counted.sessions == starts
    rates = exposure.exposure_rates(catalog, competency)
    assert sum(shown for shown, _ in rates.values()) == starts
    assert all(rate <= 0.25 for _, rate in rates.values())


def test_an_over_exposed_item_is_passed_over(catalog: Session) -> None:
    program = catalog.exec(select(Program).where(Program.slug == "data-literacy-essentials")).one()
    competencies = quiz_rules.program_competencies(catalog, program)
    favourite = start_placement(catalog, enroll(catalog)).shown_item_id
    assert favourite is not None
    catalog.merge(CompetencyExposure(competency_id=pk(competencies[0]), sessions=99))
    catalog.merge(ItemExposure(item_id=favourite, shown=40))  # 40 % of 100 sessions
    catalog.commit()
    state = exposure.exposure_state(catalog, load_bank(catalog, competencies))
    assert state.capacity(0.25).min() == 0
    assert start_placement(catalog, enroll(catalog)).shown_item_id != favourite


def test_the_studio_shows_each_items_exposure_once_sessions_exist(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    before = client.get("/studio/competencies/data-literacy").get_data(as_text=True)
    assert "Exposure" not in before  # no statistics yet: no column
    shown = start_placement(catalog, enroll(catalog)).shown_item_id
    item = catalog.get(Item, shown)
    assert item is not None
    page = client.get("/studio/competencies/data-literacy").get_data(as_text=True)
    assert "<th" in page and "Exposure</th>" in page and "100.0 % (1)" in page
    detail = client.get(f"/studio/items/{item.slug}").get_data(as_text=True)
    assert "Shown in 1 of 1 quiz sessions" in detail
