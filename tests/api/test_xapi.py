"""xAPI: learning events read back as statements by a real xAPI client (TinCanPython)."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from tincan import RemoteLRS
from werkzeug.serving import make_server

from learnpath.api.xapi import DEFAULT_HOME_PAGE, home_page
from learnpath.models import Module, ProgressEvent
from learnpath.models.base import pk
from learnpath.services.integration.clients import create_client
from learnpath.services.integration.xapi import AUTHORITY, REASON, VERB_IRIS, registration_of
from learnpath.services.learning import events, quiz
from learnpath.services.learning.quiz_rules import program_competencies
from tests import factories
from tests.api.conftest import enroll, program

VERSION = {"X-Experience-API-Version": "1.0.3"}


@dataclass(frozen=True)
class Story:
    """What one learner did: the events behind the statements."""

    enrollment_id: int
    module: Module
    event_ids: list[str]


@pytest.fixture
def story(catalog: Session) -> Story:
    """A placement launched and answered twice, a module waived and one done, the program passed."""
    learner = factories.learner(catalog, external_id="E1001")
    chosen = program(catalog)
    enrollment = enroll(catalog, learner, chosen)
    attempt = quiz.start_attempt(
        catalog, pk(learner), "placement", program_competencies(catalog, chosen), enrollment
    )
    for _ in range(2):
        question = quiz.current_question(catalog, attempt)
        assert question is not None
        quiz.answer(catalog, attempt, question.step, pk(question.item), [question.options[0][0]])
    waived, done = catalog.exec(select(Module).order_by(Module.id)).all()[:2]  # type: ignore[arg-type]
    key = lambda m: ("module", pk(enrollment), pk(m))  # noqa: E731
    events.record(
        catalog,
        "waived",
        pk(learner),
        key=key(waived),
        enrollment_id=pk(enrollment),
        module_id=pk(waived),
        result={"reason": "Tested Out"},
    )
    events.record(
        catalog,
        "completed",
        pk(learner),
        key=key(done),
        enrollment_id=pk(enrollment),
        module_id=pk(done),
        time_spent_s=1200,
    )
    events.record(
        catalog,
        "passed",
        pk(learner),
        key=("program", pk(enrollment)),
        enrollment_id=pk(enrollment),
    )
    catalog.commit()
    ids = [e.uid for e in catalog.exec(select(ProgressEvent).order_by(ProgressEvent.id)).all()]  # type: ignore[arg-type]
    return Story(pk(enrollment), waived, ids)


@pytest.fixture
def credentials(db: Session) -> tuple[str, str]:
    row, secret = create_client(db, "LRS reader", "statements:read")
    db.commit()
    return row.client_id, secret


@pytest.fixture
def lrs(app: Flask, credentials: tuple[str, str]) -> Iterator[RemoteLRS]:
    """A TinCan client talking to the app served on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client_id, secret = credentials
    yield RemoteLRS(
        endpoint=f"http://127.0.0.1:{server.server_port}/xapi/",
        version="1.0.3",
        username=client_id,
        password=secret,
    )
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def test_a_client_library_reads_every_statement_back_through_more_links(
    lrs: RemoteLRS, story: Story
) -> None:
    response = lrs.query_statements({"limit": 2, "ascending": "true"})
    assert response.success, response.data
    result, statements = response.content, list(response.content.statements)
    while result.more:
        response = lrs.more_statements(result)
        assert response.success, response.data
        result = response.content
        statements += result.statements
    assert [str(s.id) for s in statements] == story.event_ids
    assert {s.actor.account.name for s in statements} == {"E1001"}
    verbs = [s.verb.id for s in statements]
    assert verbs[:3] == [VERB_IRIS["launched"], VERB_IRIS["answered"], VERB_IRIS["answered"]]
    assert verbs[-3:] == [VERB_IRIS["waived"], VERB_IRIS["completed"], VERB_IRIS["passed"]]
    waived = statements[-3]
    assert waived.object.id == f"urn:learnpath:module:{story.module.slug}"
    assert waived.result.extensions[REASON] == "Tested Out"
    assert str(waived.context.registration) == registration_of(story.enrollment_id)


def test_a_statement_is_found_by_its_stable_id(lrs: RemoteLRS, story: Story) -> None:
    response = lrs.retrieve_statement(story.event_ids[0])
    assert response.success and str(response.content.id) == story.event_ids[0]


def test_filters_narrow_the_statements(
    client: FlaskClient, credentials: tuple[str, str], story: Story
) -> None:
    client_id, secret = credentials
    auth = (client_id, secret)

    def ids(query: str) -> list[str]:
        response = client.get(f"/xapi/statements?{query}", headers=VERSION, auth=auth)
        assert response.status_code == 200, response.json
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
        assert "X-Experience-API-Consistent-Through" in response.headers
        return [s["id"] for s in response.json["statements"]]

    assert ids("")[0] == story.event_ids[-1], "newest first by default"
    assert ids(f"verb={VERB_IRIS['answered']}") == story.event_ids[2:0:-1]
    assert ids(f"activity=urn:learnpath:module:{story.module.slug}") == [story.event_ids[-3]]
    assert len(ids(f"registration={registration_of(story.enrollment_id)}")) == len(story.event_ids)
    assert ids('agent={"account":{"homePage":"http://x/","name":"NOBODY"}}') == []
    ours = json.dumps({"account": {"homePage": DEFAULT_HOME_PAGE, "name": "E1001"}})
    assert len(ids(f"agent={ours}")) == len(story.event_ids)
    # The same name on another system's homePage is another person.
    theirs = json.dumps({"account": {"homePage": "https://hr.example.com/", "name": "E1001"}})
    assert ids(f"agent={theirs}") == []
    # An mbox names the learner by e-mail, compared case-insensitively.
    by_mail = json.dumps({"mbox": "mailto:E1001@Example.com"})
    assert len(ids(f"agent={by_mail}")) == len(story.event_ids)
    assert ids(f"agent={json.dumps({'mbox': 'mailto:nobody@example.com'})}") == []


def test_a_request_without_the_version_header_gets_400(
    client: FlaskClient, credentials: tuple[str, str]
) -> None:
    response = client.get("/xapi/statements", auth=credentials)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


def test_statements_need_the_statements_scope(client: FlaskClient, db: Session) -> None:
    row, secret = create_client(db, "HR", "learners:read")
    db.commit()
    response = client.get("/xapi/statements", headers=VERSION, auth=(row.client_id, secret))
    assert response.status_code == 403
    assert client.get("/xapi/statements", headers=VERSION).status_code == 401


def _statements(
    client: FlaskClient, auth: tuple[str, str], query: str, **kw: str
) -> list[dict[str, Any]]:
    """The statements a query finds, oldest first."""
    url = f"/xapi/statements?ascending=true&{query}"
    response = client.get(url, headers=VERSION, auth=auth, **kw)
    assert response.status_code == 200, response.json
    return list(response.json["statements"])


def test_actors_keep_one_home_page_whatever_host_the_request_names(
    client: FlaskClient, credentials: tuple[str, str], story: Story
) -> None:
    for host in ("http://localhost/", "http://evil.example/"):
        found = _statements(client, credentials, "", base_url=host)
        pages = {s[k]["account"]["homePage"] for s in found for k in ("actor", "authority")}
        assert pages == {DEFAULT_HOME_PAGE}, host


def test_the_home_page_comes_from_configuration_only() -> None:
    assert home_page({"XAPI_ACCOUNT_HOMEPAGE": None}) == "https://learnpath.invalid/"
    named = {"SERVER_NAME": "learn.example.com", "PREFERRED_URL_SCHEME": "https"}
    assert home_page(named) == "https://learn.example.com/"
    chosen = {**named, "XAPI_ACCOUNT_HOMEPAGE": "https://hr.example.com/"}
    assert home_page(chosen) == "https://hr.example.com/"


def test_format_ids_keeps_only_the_ids_of_verbs_and_activities(
    client: FlaskClient, credentials: tuple[str, str], story: Story, catalog: Session
) -> None:
    exact = _statements(client, credentials, "")
    ids = _statements(client, credentials, "format=ids")
    assert [s["id"] for s in ids] == [s["id"] for s in exact] == story.event_ids
    assert all(set(s["verb"]) == {"id"} and set(s["object"]) == {"objectType", "id"} for s in ids)
    assert [s["object"]["id"] for s in ids] == [s["object"]["id"] for s in exact]
    assert exact[1]["verb"]["display"] == {"en-US": "answered"}
    placement = f"urn:learnpath:program:{program(catalog).slug}:v1:placement"
    assert ids[1]["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": placement}
    ]
    assert _statements(client, credentials, "format=canonical") == exact
    response = client.get("/xapi/statements?format=full", headers=VERSION, auth=credentials)
    assert response.status_code == 400 and "format" in response.json["error"]["message"]


def test_related_activities_also_match_context_activities(
    client: FlaskClient, credentials: tuple[str, str], story: Story, catalog: Session
) -> None:
    iri = f"urn:learnpath:program:{program(catalog).slug}:v1"

    def ids(query: str) -> list[str]:
        return [s["id"] for s in _statements(client, credentials, query)]

    assert ids(f"activity={iri}") == [story.event_ids[-1]], "the program is the object of passed"
    assert ids(f"activity={iri}&related_activities=true") == story.event_ids
    placement = set(ids(f"activity={iri}:placement"))
    related = set(ids(f"activity={iri}:placement&related_activities=true"))
    assert related - placement == set(story.event_ids[1:3]), "the placement is their parent"


def test_related_agents_also_match_the_authority(
    client: FlaskClient, credentials: tuple[str, str], story: Story
) -> None:
    agent = json.dumps({"account": {"homePage": DEFAULT_HOME_PAGE, "name": AUTHORITY}})
    assert _statements(client, credentials, f"agent={agent}") == []
    found = _statements(client, credentials, f"agent={agent}&related_agents=true")
    assert [s["id"] for s in found] == story.event_ids
    response = client.get("/xapi/statements?related_agents=yes", headers=VERSION, auth=credentials)
    assert response.status_code == 400 and "related_agents" in response.json["error"]["message"]


def test_a_wrong_method_under_xapi_still_names_the_version(client: FlaskClient) -> None:
    response = client.delete("/xapi/statements", headers=VERSION)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.json["error"]["code"] == "method_not_allowed"
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
