"""API inputs at the edges of their types: times beyond UTC, deeply nested JSON, escaped NUL."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.api.conftest import Headers, learners, program

XAPI = {"X-Experience-API-Version": "1.0.3"}
FAR = "0001-01-01T00:00:00+23:59"  # before year 1 in UTC
LATE = "9999-12-31T23:59:59-23:59"  # after year 9999 in UTC


@pytest.mark.parametrize("time", [FAR, LATE])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/programs?updated_since=",
        "/api/v1/learners?updated_since=",
        "/api/v1/enrollments?updated_since=",
    ],
)
def test_a_time_beyond_utc_in_a_query_is_422_naming_it(
    client: FlaskClient, everything: Headers, url: str, time: str
) -> None:
    response = client.get(url + time.replace("+", "%2B"), headers=everything)
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "updated_since"


@pytest.mark.parametrize("name", ["since", "until"])
def test_a_time_beyond_utc_in_an_xapi_query_is_400_naming_it(
    client: FlaskClient, everything: Headers, name: str
) -> None:
    query = f"{name}={LATE}"
    response = client.get(f"/xapi/statements?{query}", headers={**everything, **XAPI})
    assert response.status_code == 400
    assert response.json["error"]["message"].startswith(f"{name} is out of range")
    assert [d["field"] for d in response.json["error"]["details"]] == [name]


def test_a_due_date_beyond_utc_is_422_naming_it(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    learner, chosen = learners(catalog, 1)[0], program(catalog)
    body = {
        "learner_external_id": learner.external_id,
        "program_id": f"prg_{chosen.id}",
        "due_at": FAR,
    }
    response = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert response.status_code == 422
    assert [d["field"] for d in response.json["error"]["details"]] == ["due_at"]


def test_a_body_of_100000_nested_arrays_is_400_naming_the_body(
    client: FlaskClient, everything: Headers
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    for method, url in (("POST", "/api/v1/enrollments"), ("PUT", "/api/v1/learners/E1")):
        response = client.open(
            url, method=method, data=deep, content_type="application/json", headers=everything
        )
        assert response.status_code == 400, url
        assert response.json["error"]["details"] == [
            {"field": "body", "message": "nests too deeply"}
        ]


def test_an_xapi_agent_of_nested_arrays_is_400_naming_it(
    client: FlaskClient, everything: Headers
) -> None:
    agent = "[" * 100_000 + "]" * 100_000
    response = client.get(
        "/xapi/statements", query_string={"agent": agent}, headers={**everything, **XAPI}
    )
    assert response.status_code == 400
    assert [d["field"] for d in response.json["error"]["details"]] == ["agent"]


@pytest.mark.parametrize("where", ["mbox", "account"])
def test_an_escaped_nul_in_an_xapi_agent_is_400(
    client: FlaskClient, everything: Headers, where: str
) -> None:
    agent = (
        '{"mbox": "mailto:a\\u0000@example.com"}'
        if where == "mbox"
        else '{"account": {"name": "E\\u00001", "homePage": "https://learnpath.invalid/"}}'
    )
    response = client.get(
        "/xapi/statements", query_string={"agent": agent}, headers={**everything, **XAPI}
    )
    assert response.status_code == 400
    assert [d["field"] for d in response.json["error"]["details"]] == ["agent"]
