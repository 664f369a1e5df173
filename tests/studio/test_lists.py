"""Studio home and the programs list: drafts, attention, filters, learners."""

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Item, Program
from learnpath.services.catalog import listing
from tests import factories


def test_programs_list_filters_by_depth_and_status(catalog: Session) -> None:
    rows = listing.list_programs(catalog, depth=5)
    assert rows and {r.program.depth for r in rows} == {5}
    retired = listing.list_programs(catalog, status="retired")
    assert [(r.program.slug, r.program.version) for r in retired] == [
        ("project-management-foundations", 1)
    ]


def test_programs_list_counts_learners_but_not_withdrawn_ones(catalog: Session) -> None:
    program = catalog.exec(select(Program).where(Program.slug == "data-literacy-essentials")).one()
    for n, status in enumerate(["assigned", "in_progress", "withdrawn"]):
        learner = factories.learner(catalog, external_id=f"E{n}")
        catalog.add(Enrollment(learner_id=learner.id, program_id=program.id, status=status))
    catalog.flush()
    row = next(r for r in listing.list_programs(catalog) if r.program.id == program.id)
    assert row.learners == 2
    assert row.minutes > 0


def test_thin_bank_of_a_placement_needs_attention(catalog: Session) -> None:
    assert listing.needing_attention(catalog) == []
    program = catalog.exec(select(Program).where(Program.slug == "data-literacy-essentials")).one()
    assert program.placement
    items = catalog.exec(select(Item).where(Item.competency_id == 1)).all()
    for item in items[: len(items) - listing.THIN_BANK + 1]:
        item.active = False
        catalog.add(item)
    catalog.flush()
    found = listing.needing_attention(catalog)
    assert program.slug in {a.program.slug for a in found}
    assert "thin item bank" in found[0].reason


def test_list_page_filter_shows_error_for_a_bad_depth(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    page = client.get("/studio/programs?depth=5").get_data(as_text=True)
    assert "Team Lead Path" in page and "Data Literacy Essentials" not in page
    page = client.get("/studio/programs?depth=9").get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "Data Literacy Essentials" in page  # an invalid filter filters nothing


def test_home_lists_drafts(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("author")
    drafts = [p.title for p in catalog.exec(select(Program).where(Program.status == "draft"))]
    page = client.get("/studio/").get_data(as_text=True)
    for title in drafts:
        assert title in page
