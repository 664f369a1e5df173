"""Module, item and competency pages of the studio through HTTP; the learner's video."""

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Item, Module
from learnpath.video import embed_url
from tests.factories import snapshot
from tests.test_trajectory_views import enrolled

MODULE_FORM = {
    "slug": "dl-pivot-tables",
    "title": "Pivot tables",
    "summary": "Summarize by two keys.",
    "competency": "data-literacy",
    "level": "proficient",
    "format": "exercise",
    "minutes": "25",
    "requires": ["dl-data-types"],
    "tags": "spreadsheets, tables",
    "alternative_of": "",
    "video": "",
    "body": "## Goal\r\n\r\nBuild a **pivot** table.\r\n",
}


def test_module_preview_renders_without_saving_and_save_writes(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    before = snapshot(catalog)
    page = client.post("/studio/modules/new", data={**MODULE_FORM, "preview": "1"})
    assert "Build a <strong>pivot</strong> table." in page.get_data(as_text=True)
    assert snapshot(catalog) == before
    response = client.post("/studio/modules/new", data=MODULE_FORM)
    assert response.headers["Location"] == "/studio/modules/dl-pivot-tables"
    module = catalog.exec(select(Module).where(Module.slug == "dl-pivot-tables")).one()
    assert module.body == "## Goal\n\nBuild a **pivot** table.\n"
    page = client.get("/studio/modules/dl-pivot-tables").get_data(as_text=True)
    assert "No program uses this module yet." in page


def test_a_module_cycle_is_shown_beside_the_prerequisites(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    before = snapshot(catalog)
    data = {**MODULE_FORM, "slug": "x", "title": "Kinds of data", "requires": ["dl-dashboards"]}
    page = client.get("/studio/modules/dl-data-types/edit").get_data(as_text=True)
    assert "Kinds of data and how to summarize them" in page
    page = client.post("/studio/modules/dl-data-types/edit", data=data).get_data(as_text=True)
    assert 'id="requires-error">prerequisite cycle among modules' in page
    assert snapshot(catalog) == before


def test_item_preview_shows_the_question_as_learners_see_it(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    data = {
        "slug": "dl-900",
        "type": "single",
        "stem": "Which is *robust*?",
        "options-0-text": "The median",
        "options-0-correct": "y",
        "options-1-text": "The mean",
        "explanation": "Outliers.",
        "a": "1.2",
        "b": "0.5",
        "status": "draft",
    }
    page = client.post(
        "/studio/competencies/data-literacy/items/new", data={**data, "preview": "1"}
    ).get_data(as_text=True)
    assert "Which is <em>robust</em>?" in page and "Choose one answer" in page
    assert 'type="radio"' in page and "The median" in page
    response = client.post("/studio/competencies/data-literacy/items/new", data=data)
    assert response.headers["Location"] == "/studio/items/dl-900"
    item = catalog.exec(select(Item).where(Item.slug == "dl-900")).one()
    assert (item.status, item.active) == ("draft", False)
    page = client.get("/studio/items/dl-900").get_data(as_text=True)
    assert "(correct)" in page and "Outliers." in page


def test_a_bad_item_names_the_field(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("author")
    data = {"slug": "dl-901", "type": "single", "stem": "Q?", "a": "7", "b": "0", "status": "x"}
    page = client.post("/studio/competencies/data-literacy/items/new", data=data)
    text = page.get_data(as_text=True)
    assert 'id="a-error"' in text and 'id="status-error"' in text


def test_competency_page_shows_bank_health(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    page = client.get("/studio/competencies/data-literacy").get_data(as_text=True)
    assert "Bank health" in page and "active items" in page
    assert "Active items per difficulty band" in page
    assert "New item" not in page  # facilitators read


def test_embeds_only_allowed_hosts_from_the_video_id() -> None:
    hosts = ["www.youtube.com", "youtu.be", "vimeo.com"]
    watch = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert embed_url(watch, hosts) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert embed_url("https://youtu.be/dQw4w9WgXcQ", hosts) == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert (
        embed_url("https://vimeo.com/76979871", hosts) == "https://player.vimeo.com/video/76979871"
    )
    assert embed_url("https://evil.example/watch?v=dQw4w9WgXcQ", hosts) is None
    assert embed_url('https://www.youtube.com/watch?v="><script>', hosts) is None
    assert embed_url("https://vimeo.com/76979871", ["youtu.be"]) is None


def test_the_learners_module_page_shows_the_video(
    catalog: Session, client: FlaskClient, login, app
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    module = catalog.exec(select(Module).where(Module.slug == "dl-data-types")).one()
    module.format, module.video_url = "video", "https://youtu.be/dQw4w9WgXcQ"
    catalog.add(module)
    catalog.commit()
    page = client.get(f"/path/{enrollment.id}/modules/dl-data-types").get_data(as_text=True)
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    app.config["VIDEO_HOSTS"] = ["vimeo.com"]
    page = client.get(f"/path/{enrollment.id}/modules/dl-data-types").get_data(as_text=True)
    assert "<iframe" not in page
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in page and "Watch the video" in page
