"""Inputs at the edges of their types: huge ids, non-numbers, far offsets, deep JSON, NUL."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from learnpath.routing import MAX_ID, id_or_none

HUGE = "99999999999"
STAFF = ("learner", "author", "facilitator", "admin")


def _int_rules(app: Flask) -> list[tuple[str, str]]:
    """(method, URL with every <int:...> part set to HUGE) of every rule that takes an id."""
    found = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[a-z_]+>", HUGE, rule.rule)
        url = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "x", url)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        found.append((method, url))
    return found


def test_every_id_in_a_path_beyond_the_integer_range_is_404(
    app: Flask, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login(*STAFF)
    rules = _int_rules(app)
    prefixes = {url.split("/")[1] for _, url in rules}
    assert {"studio", "path"} <= prefixes and len(rules) > 40
    for method, url in rules:
        response = client.open(url, method=method)
        assert response.status_code == 404, (method, url, response.status_code)


def test_the_largest_id_still_routes(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/path/{MAX_ID}")[1] == {"enrollment_id": MAX_ID}


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("7", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("abc", None),
        ("²", None),
        ("", None),
        (None, None),
        ("-1", None),
        (HUGE * 3, None),
    ],
)
def test_an_id_from_a_query_or_form_is_a_number_in_range_or_none(
    raw: str | None, number: int | None
) -> None:
    assert id_or_none(raw) == number


@pytest.mark.parametrize("enrollment", ["abc", HUGE, "²"])
def test_starting_a_placement_with_a_bad_enrollment_is_400_naming_it(
    client: FlaskClient, login, enrollment: str
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    response = client.post("/quizzes", data={"kind": "placement", "enrollment": enrollment})
    assert response.status_code == 400
    assert "enrollment" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", [HUGE * 2, "²"])
def test_a_huge_or_odd_page_number_shows_a_page(client: FlaskClient, login, page: str) -> None:  # type: ignore[no-untyped-def]
    login("author", "admin")
    for url in ("/studio/people/users", "/studio/audit", "/studio/programs"):
        assert client.get(f"{url}?page={page}").status_code == 200, url
