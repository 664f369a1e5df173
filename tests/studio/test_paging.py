"""Long studio lists are filtered, sorted and paginated on the server; pickers offer a page."""

import re

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Competency, Item, Module, Program, ProgramModule
from learnpath.services.catalog import drafts
from tests.factories import snapshot
from tests.studio.test_query_bounds import grow


def far(db: Session, n: int, competency: str = "data-literacy") -> None:
    """n modules far-000… (titles "Far 000"…) in a competency."""
    cid = db.exec(select(Competency.id).where(Competency.slug == competency)).one()
    db.add_all(
        Module(slug=f"far-{i:03d}", title=f"Far {i:03d}", competency_id=cid) for i in range(n)
    )
    db.commit()


def options(page: str, select_id: str) -> list[str]:
    """The option values of a select on the page."""
    found = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert found, select_id
    return re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))


def test_the_modules_list_pages_filters_and_sorts_on_the_server(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    grow(catalog, 120)
    first = client.get("/studio/modules?q=grown&sort=title").get_data(as_text=True)
    assert "Modules 1–50 of 120" in first and first.count("Grown lesson") == 50
    assert 'href="/studio/modules?q=grown&amp;sort=title&amp;page=2"' in first
    last = client.get("/studio/modules?q=grown&sort=title&page=99").get_data(as_text=True)
    assert "Modules 101–120 of 120" in last and "page 3 of 3" in last
    shipped = client.get("/studio/modules?competency=data-literacy&format=video")
    rows = re.findall(r'<td><a href="/studio/modules/([^"]+)"', shipped.get_data(as_text=True))
    videos = catalog.exec(select(Module.slug).where(Module.format == "video")).all()
    assert rows and set(rows) <= set(videos)
    by_minutes = client.get("/studio/modules?sort=minutes&order=desc").get_data(as_text=True)
    shown = re.findall(r'<td class="num">(\d+)</td><td class="num">\d+</td>', by_minutes)
    assert [int(m) for m in shown] == sorted((int(m) for m in shown), reverse=True)
    assert 'aria-sort="descending"' in by_minutes
    literal = client.get("/studio/modules?q=%25_").get_data(as_text=True)  # not wildcards
    assert "No modules." in literal


def test_the_programs_list_finds_sorts_and_counts(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    page = client.get("/studio/programs?q=northwind").get_data(as_text=True)
    assert "Data Literacy for Northwind" in page and "Team Lead Path" not in page
    page = client.get("/studio/programs?sort=version&order=desc").get_data(as_text=True)
    versions = re.findall(r'<td class="num">(\d+)</td>\s*<td class="num">\d+</td>', page)
    assert versions[0] == "2" and sorted(versions, reverse=True) == versions
    assert f"{len(catalog.exec(select(Program)).all())} program versions." in page


def test_the_program_editor_offers_a_page_of_modules_and_finds_others(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    program = drafts.open_draft(catalog, drafts.find(catalog, "data-literacy-essentials", 1), "A")  # type: ignore[arg-type]
    catalog.commit()
    far(catalog, 80)
    url = "/studio/programs/data-literacy-essentials/v2/edit"
    offered = options(client.get(url).get_data(as_text=True), "module")
    assert len(offered) == 50
    found = options(client.get(f"{url}?find=far-07").get_data(as_text=True), "module")
    assert found == [f"far-{i:03d}" for i in range(70, 80)]
    page2 = client.get(f"{url}?find=far&page=2").get_data(as_text=True)
    assert options(page2, "module") == [f"far-{i:03d}" for i in range(50, 80)]
    response = client.post(
        f"/studio/programs/{program.slug}/v2/modules",
        data={"module": "far-075", "revision": program.revision},
    )
    assert response.status_code == 302
    listed = catalog.exec(
        select(Module.slug)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
    ).all()
    assert "far-075" in listed
    assert "far-075" not in options(
        client.get(f"{url}?find=far-07").get_data(as_text=True), "module"
    )


def test_the_derivation_editor_offers_a_page_of_modules(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    drafts.open_draft(catalog, drafts.find(catalog, "data-literacy-for-northwind", 1), "A")  # type: ignore[arg-type]
    far(catalog, 80)
    url = "/studio/programs/data-literacy-for-northwind/v2/derivation"
    page = client.get(url).get_data(as_text=True)
    assert len(options(page, "add-module")) == len(options(page, "swap-with")) == 50
    page = client.get(f"{url}?find=far-01").get_data(as_text=True)
    assert options(page, "add-module") == [f"far-{i:03d}" for i in range(10, 20)]


def test_a_competencys_items_are_paged_and_filtered_by_status(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    items = catalog.exec(
        select(Item)
        .join(Competency, col(Competency.id) == Item.competency_id)
        .where(Competency.slug == "data-literacy")
        .order_by(col(Item.slug))
    ).all()
    page = client.get("/studio/competencies/data-literacy").get_data(as_text=True)
    shown = re.findall(r'href="/studio/items/([^"]+)"', page)
    assert len(shown) == min(50, len(items))
    items[0].status, items[0].active = "retired", False
    catalog.add(items[0])
    catalog.commit()
    page = client.get("/studio/competencies/data-literacy?status=retired").get_data(as_text=True)
    assert re.findall(r'href="/studio/items/([^"]+)"', page) == [items[0].slug]


def test_the_module_editor_finds_candidates_without_saving_and_keeps_the_typed_form(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    far(catalog, 80, "project-management")
    page = client.get("/studio/modules/dl-data-types/edit").get_data(as_text=True)
    assert not any(o.startswith("far-") for o in options(page, "requires"))
    before = snapshot(catalog)
    data = {
        "title": "Typed title",
        "summary": "s",
        "competency": "data-literacy",
        "level": "developing",
        "format": "reading",
        "minutes": "20",
        "requires": [],
        "tags": "",
        "alternative_of": "",
        "video": "",
        "body": "Body\r\n",
        "find": "far-04",
        "find_modules": "1",
    }
    page = client.post("/studio/modules/dl-data-types/edit", data=data).get_data(as_text=True)
    assert snapshot(catalog) == before
    assert 'value="Typed title"' in page
    assert options(page, "requires") == [f"far-{i:03d}" for i in range(40, 50)]


def test_a_long_pool_is_shown_a_page_at_a_time_on_the_editor_and_the_program_page(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    drafts.open_draft(catalog, drafts.find(catalog, "team-lead-path", 1), "A")  # type: ignore[arg-type]
    catalog.commit()
    grow(catalog, 60)
    draft = drafts.find(catalog, "team-lead-path", 2)
    assert draft is not None
    pool = len(
        catalog.exec(select(ProgramModule).where(ProgramModule.program_id == draft.id)).all()
    )
    base = "/studio/programs/team-lead-path/v2"
    editor = client.get(f"{base}/edit").get_data(as_text=True)
    assert editor.count("<tr data-key=") == 50 and "data-order-form" not in editor
    rest = client.get(f"{base}/edit?pool_page=2").get_data(as_text=True)
    assert rest.count("<tr data-key=") == pool - 50
    assert f"Modules of the pool 51–{pool} of {pool}" in rest
    page = client.get(f"{base}?modules_page=2").get_data(as_text=True)
    assert '<ol class="modules" start="51">' in page and "Grown lesson 59" in page


def test_a_refused_add_keeps_the_chosen_module_selected_though_off_the_pickers_page(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    program = drafts.open_draft(catalog, drafts.find(catalog, "data-literacy-essentials", 1), "A")  # type: ignore[arg-type]
    catalog.commit()
    listed = catalog.exec(
        select(Module.slug)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
    ).first()
    assert listed is not None
    before = snapshot(catalog)
    page = client.post(
        f"/studio/programs/{program.slug}/v2/modules",
        data={"module": listed, "revision": program.revision},
    ).get_data(as_text=True)
    assert "is already in the program" in page and snapshot(catalog) == before
    chosen = re.search(r'<select[^>]*id="module"[^>]*>(.*?)</select>', page, re.S)
    assert chosen and re.search(rf'<option selected value="{listed}"', chosen.group(1))
