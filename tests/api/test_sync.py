"""Cursor paging and incremental sync: a poller repeating with the watermark while learners keep
working misses no change and sees none twice."""

import itertools
import json
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from itsdangerous.encoding import base64_encode
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from learnpath.models import Enrollment
from learnpath.models.base import pk
from tests.api.conftest import Headers, enroll, learners, program
from tests.conftest import build_app

# Bounded work instead of a time limit: WRITERS threads make WRITES changes each while the
# poller syncs (at most MAX_SYNCS times); no thread is waited for longer than TIMEOUT seconds.
WRITERS, WRITES, MAX_SYNCS, TIMEOUT = 3, 40, 5000, 60
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _sync(client: FlaskClient, headers: Headers, since: str | None, limit: int = 7):  # type: ignore[no-untyped-def]
    """One incremental sync: follow next_cursor to the end; the records and the watermark."""
    query = f"/api/v1/enrollments?limit={limit}" + (f"&updated_since={since}" if since else "")
    seen, watermarks, url = [], set(), query
    while True:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        seen += response.json["data"]
        watermarks.add(response.headers["X-Consistent-Through"])
        if not response.json["has_more"]:
            assert response.json["next_cursor"] is None and "Link" not in response.headers
            break
        url = f"{query}&cursor={response.json['next_cursor']}"
    assert len(watermarks) == 1, "every page of one listing has the same watermark"
    return seen, watermarks.pop()


def test_pages_follow_the_link_header_in_a_stable_order(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    chosen = program(catalog)
    for learner in learners(catalog, 5):
        enroll(catalog, learner, chosen)
    first = client.get("/api/v1/enrollments?limit=2", headers=everything)
    assert first.json["has_more"] is True and len(first.json["data"]) == 2
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and f"cursor={first.json['next_cursor']}" in link
    second = client.get(link[1 : link.index(">")], headers=everything)
    keys = [(r["updated_at"], r["id"]) for r in first.json["data"] + second.json["data"]]
    assert keys == sorted(keys) and len(set(keys)) == 4


def test_the_link_header_is_relative_whatever_host_the_request_names(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    chosen = program(catalog)
    for learner in learners(catalog, 3):
        enroll(catalog, learner, chosen)
    forged = {**everything, "Host": "evil.example"}
    first = client.get("/api/v1/enrollments?limit=2", headers=forged)
    link = first.headers["Link"]
    assert link.startswith("</api/v1/enrollments?") and "evil" not in link


def test_a_cursor_whose_json_is_edited_and_re_encoded_gets_400(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    chosen = program(catalog)
    for learner in learners(catalog, 3):
        enroll(catalog, learner, chosen)
    cursor = client.get("/api/v1/enrollments?limit=1", headers=everything).json["next_cursor"]
    payload, signature = cursor.rsplit(".", 1)
    state = URLSafeSerializer("").load_payload(payload.encode())  # reading needs no key
    assert set(state) == {"w", "t", "i"}
    edited = base64_encode(json.dumps({**state, "i": 0}).encode()).decode() + "." + signature
    refused = client.get(f"/api/v1/enrollments?limit=1&cursor={edited}", headers=everything)
    assert refused.status_code == 400
    assert [d["field"] for d in refused.json["error"]["details"]] == ["cursor"]
    kept = client.get(f"/api/v1/enrollments?limit=1&cursor={cursor}", headers=everything)
    assert kept.status_code == 200 and len(kept.json["data"]) == 1


def test_a_forged_cursor_gets_400_naming_it(client: FlaskClient, everything: Headers) -> None:
    response = client.get("/api/v1/enrollments?cursor=bogus", headers=everything)
    assert response.status_code == 400
    assert [d["field"] for d in response.json["error"]["details"]] == ["cursor"]


def test_a_bad_limit_or_time_gets_422(client: FlaskClient, everything: Headers) -> None:
    for query in ("limit=0", "limit=1001", "updated_since=yesterday", "updated_since=0"):
        response = client.get(f"/api/v1/enrollments?{query}", headers=everything)
        assert response.status_code == 422, query
        assert response.json["error"]["details"][0]["field"] == query.split("=")[0]


def test_updated_since_the_watermark_returns_only_later_changes(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    chosen = program(catalog)
    first, second = learners(catalog, 2)
    enroll(catalog, first, chosen)
    seen, watermark = _sync(client, everything, None)
    assert len(seen) == 1
    assert (
        client.get(f"/api/v1/enrollments?updated_since={watermark}", headers=everything).json[
            "data"
        ]
        == []
    )
    enroll(catalog, second, chosen)
    later, _ = _sync(client, everything, watermark)
    assert [r["learner"]["external_id"] for r in later] == [second.external_id]


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app with API limits far above the poller's pages: these are not rate-limit tests."""
    app = build_app(database_url, API_RATE_LIMIT="100000 per minute")
    yield app
    app.extensions["learnpath.engine"].dispose()


def test_a_poller_misses_no_change_and_sees_none_twice_while_learners_keep_writing(
    app: Flask, client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    ids = [pk(enroll(catalog, learner, program(catalog))) for learner in learners(catalog, 30)]
    observed, watermark = _sync(client, everything, None)  # every record once, before any write
    writers, syncs = Writers(app.extensions["learnpath.engine"], ids), 0
    try:
        writers.start()
        while writers.busy() and syncs < MAX_SYNCS:
            seen, watermark = _sync(client, everything, watermark, limit=2)  # pages race writes
            observed += seen
            syncs += 1
    finally:
        writers.stop()
    assert writers.errors == [] and syncs < MAX_SYNCS
    seen, watermark = _sync(client, everything, watermark)
    observed += seen
    versions = [(r["id"], r["last_activity_at"]) for r in observed]
    assert len(versions) == len(set(versions)), "a change was delivered twice"
    latest = {r["id"]: r["last_activity_at"] for r in observed}
    with Session(writers.engine) as session:
        final = session.exec(select(Enrollment).where(col(Enrollment.id).in_(ids))).all()
    assert len(final) == len(ids) and next(writers.counter) == WRITERS * WRITES + 1
    for enrollment in final:
        assert latest[f"enr_{enrollment.id}"] == _iso(enrollment.last_activity_at), (
            "a change was missed"
        )
    assert len(versions) > len(ids), "no change made after the first sync was delivered"


class Writers:
    """Threads making WRITES changes each, every change stamped well before its commit."""

    def __init__(self, engine: Engine, ids: list[int]) -> None:
        self.engine, self.ids = engine, ids
        self.errors: list[BaseException] = []
        self.halt = threading.Event()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]
        self.counter = itertools.count(1)  # stamps; next() is atomic, so they are all distinct

    def start(self) -> None:
        """Start every writer."""
        for thread in self.threads:
            thread.start()

    def busy(self) -> bool:
        """Whether a writer is still writing."""
        return any(thread.is_alive() for thread in self.threads)

    def write(self, seed: int) -> None:
        """One writer's changes, until done or halted."""
        rng = random.Random(seed)
        try:
            for _ in range(WRITES):
                if self.halt.is_set():
                    return
                self.change(rng)
        except Exception as exc:  # pragma: no cover - reported by the test
            self.errors.append(exc)

    def change(self, rng: random.Random) -> None:
        """Change one enrollment; commit some milliseconds after the database stamped it."""
        with Session(self.engine) as session:
            enrollment = session.get(Enrollment, rng.choice(self.ids))
            assert enrollment is not None
            enrollment.last_activity_at = EPOCH + timedelta(microseconds=next(self.counter))
            session.add(enrollment)
            session.flush()
            time.sleep(rng.uniform(0, 0.02))
            session.commit()

    def stop(self) -> None:
        """Halt the writers and wait for them: whatever failed, the test cannot hang."""
        self.halt.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT)
        assert not self.busy(), "a writer did not stop"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def test_the_watermark_is_utc_with_a_z_whatever_offset_updated_since_has(
    client: FlaskClient, everything: Headers
) -> None:
    since = "2999-01-01T00:00:00-05:00"
    response = client.get(
        "/api/v1/enrollments", query_string={"updated_since": since}, headers=everything
    )
    assert response.status_code == 200
    assert response.headers["X-Consistent-Through"] == "2999-01-01T05:00:00Z"
