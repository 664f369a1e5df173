"""Cursor paging and incremental sync: a poller repeating with the watermark while learners keep
working misses no change and sees none twice."""

import itertools
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment
from learnpath.models.base import pk
from tests.api.conftest import Headers, enroll, learners, program

WRITERS, SECONDS = 3, 2.0


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


def test_a_bad_cursor_or_limit_gets_422(client: FlaskClient, everything: Headers) -> None:
    for query in ("cursor=bogus", "limit=0", "limit=1001", "updated_since=yesterday"):
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


def test_a_poller_misses_no_change_and_sees_none_twice_while_learners_keep_writing(
    app: Flask, client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    chosen = program(catalog)
    ids = [pk(enroll(catalog, learner, chosen)) for learner in learners(catalog, 30)]
    engine, stop = app.extensions["learnpath.engine"], threading.Event()
    counter, errors = itertools.count(1), []
    epoch = datetime(2000, 1, 1, tzinfo=UTC)

    def write(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                with Session(engine) as session:
                    enrollment = session.get(Enrollment, rng.choice(ids))
                    assert enrollment is not None
                    enrollment.last_activity_at = epoch + timedelta(microseconds=next(counter))
                    session.add(enrollment)
                    session.flush()
                    time.sleep(rng.uniform(0, 0.02))  # commit well after the change was stamped
                    session.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    observed, watermark, deadline = [], None, time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        seen, watermark = _sync(client, everything, watermark)
        observed += seen
    stop.set()
    for thread in threads:
        thread.join()
    seen, watermark = _sync(client, everything, watermark)
    observed += seen
    assert errors == []
    versions = [(r["id"], r["last_activity_at"]) for r in observed]
    assert len(versions) == len(set(versions)), "a change was delivered twice"
    latest = {r["id"]: r["last_activity_at"] for r in observed}
    with Session(engine) as session:
        final = {
            f"enr_{e.id}": e.last_activity_at
            for e in session.exec(select(Enrollment).where(Enrollment.id.in_(ids))).all()  # type: ignore[union-attr]
        }
    for enrollment_id, moment in final.items():
        assert latest[enrollment_id] == _iso(moment), "a change was missed"
    assert len(versions) > len(ids), "the writers kept writing during the sync"


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
