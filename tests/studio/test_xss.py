"""Every text field of the studio fed the XSS corpus: nothing executes on a page showing it."""

from flask.testing import FlaskClient
from sqlmodel import Session

from tests.studio.xss import CORPUS, executable


def _enter(client: FlaskClient, i: int, payload: str) -> list[str]:
    """Enter the payload in every text field of each studio form; return pages showing it."""
    short = payload[:200]
    client.post(
        "/studio/competencies/new",
        data={"slug": f"xss-{i}", "name": short, "description": payload},
    )
    client.post(
        "/studio/modules/new",
        data={
            "slug": f"xss-m{i}",
            "title": short,
            "summary": payload,
            "competency": "data-literacy",
            "level": "developing",
            "format": "reading",
            "minutes": "10",
            "body": payload,
        },
    )
    client.post(
        "/studio/competencies/data-literacy/items/new",
        data={
            "slug": f"xss-i{i}",
            "type": "single",
            "stem": payload,
            "options-0-text": short,
            "options-0-correct": "y",
            "options-1-text": f"other {i}",
            "explanation": payload,
            "a": "1",
            "b": "0",
            "status": "active",
        },
    )
    client.post("/studio/programs/new", data={"title": short, "slug": f"xss-p{i}", "depth": "1"})
    base = f"/studio/programs/xss-p{i}/v1"
    client.post(
        f"{base}/edit",
        data={
            "title": short,
            "summary": payload,
            "format": "online",
            "audience_kind": "client",
            "audience_name": short,
            "instructors": short,
            "checkpoints": "offered",
        },
    )
    for module in (f"xss-m{i}", "dl-data-types"):  # two: the editor then loads its scripts
        client.post(f"{base}/modules", data={"module": module})
    return [
        f"/studio/competencies/xss-{i}",
        f"/studio/competencies/xss-{i}/edit",
        f"/studio/modules/xss-m{i}",
        f"/studio/modules/xss-m{i}/edit",
        f"/studio/items/xss-i{i}",
        f"/studio/items/xss-i{i}/edit",
        base,
        f"{base}/edit",
        f"/programs/xss-p{i}/v1",
    ]


def test_the_corpus_entered_through_the_studio_executes_nothing(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    executed: dict[str, list[str]] = {}
    shown = 0
    for i, payload in enumerate(CORPUS):
        for url in _enter(client, i, payload):
            response = client.get(url)
            assert response.status_code == 200, url  # every entity was really created
            page = response.get_data(as_text=True)
            shown += 1
            if found := executable(page):
                executed[url] = found
    for url in ("/studio/", "/studio/programs", "/studio/modules", "/studio/competencies"):
        page = client.get(url).get_data(as_text=True)
        if found := executable(page):
            executed[url] = found
    assert shown == 9 * len(CORPUS)
    assert executed == {}


def test_the_checker_finds_what_would_run() -> None:
    """The checker itself can fail: raw payloads are caught."""
    assert executable("<p>fine</p>") == []
    assert executable(CORPUS[0]) == ["<script>"]
    assert executable(CORPUS[1]) == ["img onerror="]
    assert executable('<a href=" javascript:alert(1)">x</a>') != []
    assert (
        executable('<iframe src="https://www.youtube-nocookie.com/embed/abcdefgh"></iframe>') == []
    )
    assert executable('<script src="/static/studio/reorder.js" defer></script>') == []
    assert executable('<script src="//evil.example/static/x.js"></script>') == ["<script>"]
