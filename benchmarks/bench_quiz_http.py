"""HTTP benchmark of adaptive quizzes: simulated learners answer placements under gunicorn.

The script creates its own PostgreSQL database (dropped at the end), migrates it, imports
content/, creates N learner accounts enrolled in one program, and starts gunicorn (gthread) on a
free port of 127.0.0.1. Then N threads, one per learner, log in through the real forms (CSRF on),
start the program's placement and answer it question by question over HTTP (random choices, the
page shows no key). A share of answers is sent twice at once with the same session cookie, to
exercise exactly-once recording. Afterwards the database is compared with what the clients saw:
an answer POST counts as recorded by the client when its 302 carried no "already answered" or
"quiz is over" flash, and per attempt the responses stored must match those acknowledgements
(none lost) with one row per step (none duplicated). Figures are reported, never asserted. Run:

    .venv/bin/python benchmarks/bench_quiz_http.py [--learners 50] [--workers 4] [--threads 4]
        [--program data-literacy-essentials] [--quizzes 1] [--think-ms 0]
        [--double-submit-share 0.1] [--new-connection] [--login-concurrency 16]
        [--profile [--profile-python]]

The load run of issue 16 (200 concurrent learners, 4 workers; figures in benchmarks/README.md):

    .venv/bin/python benchmarks/bench_quiz_http.py --learners 200 --workers 4 --threads 4

Latency is measured by the client from sending a request until its whole response (a 302 for an
answer; redirects are never followed) has arrived; the server's own time per request comes from
gunicorn's access log (%(D)s). The client threads run on the same machine as the server, so with
a think time of 0 both compete for the CPU. `--profile` skips gunicorn and runs one learner's
placements in this process through Flask's test client instead, printing the SQL statements
and the time spent in the main quiz functions per answer POST (`--profile-python`: cProfile).
On the 2-core dev machine, 8 workers x 1 thread gave the best throughput; the whole run takes
about a minute (the 50 logins alone cost ~0.3 s of scrypt each).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import http.client
import io
import os
import pstats
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "bench password 123"
FLASHES = {b"already answered": "stale", b"quiz is over": "closed"}
IDLE_SECONDS = 1.0  # keep-alive connections idle longer are reopened (gunicorn closes at 2 s)
QUIZ_PATH = re.compile(r"^/quizzes/([0-9a-f-]{36})$")
Form = list[tuple[str, str]]


# --------------------------------------------------------------------------- database


def setup_database(server_url: str, name: str, n: int, slug: str, version: int) -> Engine:
    """A fresh database `name`: migrated, content/ imported, n enrolled learner accounts."""
    from learnpath.db import make_engine
    from learnpath.migrate import upgrade
    from learnpath.models import Enrollment, Learner, Program
    from learnpath.models.base import pk
    from learnpath.services.accounts import users as accounts
    from learnpath.services.catalog import import_catalog

    admin = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(f"{server_url}/{name}")
    upgrade(engine)
    with Session(engine) as session:
        import_catalog(session, ROOT / "content")
        program = session.exec(
            select(Program).where(Program.slug == slug, Program.version == version)
        ).first()
        if program is None:
            raise SystemExit(f"program {slug} v{version} is not in content/")
        # scrypt takes ~0.3 s a hash: hash the shared password once for all bench accounts.
        one_hash = accounts.generate_password_hash(PASSWORD)
        real = accounts.generate_password_hash

        def same_hash(_password: str) -> str:
            return one_hash

        accounts.generate_password_hash = same_hash  # type: ignore[assignment]
        try:
            for i in range(n):
                email = f"learner{i:04d}@bench.learnpath"
                learner = Learner(external_id=f"BENCH{i:04d}", email=email, name=f"Bench {i}")
                session.add(learner)
                session.flush()
                accounts.create_user(session, email, f"Bench {i}", PASSWORD, ["learner"], learner)
                session.add(Enrollment(learner_id=pk(learner), program_id=pk(program)))
        finally:
            accounts.generate_password_hash = real
        session.commit()
    return engine


def drop_database(server_url: str, name: str) -> None:
    """Drop the bench database, closing whatever still uses it."""
    admin = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Audit:
    """What the database holds compared with what the clients saw recorded, per attempt."""

    attempts: int = 0
    completed: int = 0
    responses: int = 0
    lost: int = 0  # answer POSTs acknowledged (302, no flash) beyond the steps stored
    unseen: int = 0  # steps stored beyond the acknowledged POSTs (e.g. after a client timeout)
    duplicated: int = 0  # rows beyond one per (attempt, step)
    step_mismatch: int = 0  # attempts whose step counter differs from their stored steps


def audit(engine: Engine, acked: Counter[str]) -> Audit:
    """Per attempt, the client's acknowledged answers against its rows and distinct steps."""
    out = Audit()
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.uid, a.step, a.status, count(r.id), count(DISTINCT r.step)"
                " FROM attempt a LEFT JOIN response r ON r.attempt_id = a.id"
                " GROUP BY a.id, a.uid, a.step, a.status"
            )
        ).all()
    for uid, step, status, stored, steps in rows:
        out.attempts += 1
        out.completed += status == "completed"
        out.responses += stored
        out.duplicated += stored - steps
        out.lost += max(0, acked[uid] - steps)
        out.unseen += max(0, steps - acked[uid])
        out.step_mismatch += step != steps
    return out


# --------------------------------------------------------------------------- HTTP clients


@dataclass
class Reply:
    status: int
    location: str
    cookies: list[str]
    body: bytes
    ms: float


class HttpClient:
    """One learner's browser: keep-alive connection(s) to gunicorn and a cookie jar."""

    def __init__(self, port: int, new_connection: bool) -> None:
        self.port, self.new_connection = port, new_connection
        self.jar: dict[str, str] = {}
        self.lock = threading.Lock()
        self.pool: list[tuple[float, http.client.HTTPConnection]] = []

    @contextlib.contextmanager
    def _connection(self) -> Iterator[http.client.HTTPConnection]:
        conn = None
        with self.lock:
            while self.pool and conn is None:
                used, conn = self.pool.pop()
                if time.monotonic() - used > IDLE_SECONDS:  # gunicorn may have closed it
                    conn.close()
                    conn = None
        conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            yield conn
        except BaseException:
            conn.close()
            raise
        if self.new_connection:
            conn.close()
        else:
            with self.lock:
                self.pool.append((time.monotonic(), conn))

    def request(self, method: str, path: str, form: Form | None = None) -> Reply:
        """Send one request (no redirect followed) and remember the cookies it sets."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.new_connection:
            headers["Connection"] = "close"
        with self._connection() as conn:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            ms = 1e3 * (time.perf_counter() - start)
            if resp.will_close:
                conn.close()  # reopened on next use
        cookies = resp.headers.get_all("Set-Cookie") or []
        self.store(cookies)
        return Reply(resp.status, resp.headers.get("Location", ""), cookies, data, ms)

    def store(self, cookies: list[str]) -> None:
        with self.lock:
            for header in cookies:
                name, _, value = header.split(";", 1)[0].partition("=")
                if "max-age=0" in header.lower() or "1970" in header:
                    self.jar.pop(name.strip(), None)
                else:
                    self.jar[name.strip()] = value.strip()

    def close(self) -> None:
        for _used, conn in self.pool:
            conn.close()


class TestClient:
    """The same interface over Flask's test client, in this process (for --profile)."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()

    def request(self, method: str, path: str, form: Form | None = None) -> Reply:
        start = time.perf_counter()
        data = MultiDict(form) if form is not None else None
        resp = self.client.open(path, method=method, data=data, follow_redirects=False)
        ms = 1e3 * (time.perf_counter() - start)
        cookies = resp.headers.getlist("Set-Cookie")
        return Reply(resp.status_code, resp.headers.get("Location", ""), cookies, resp.data, ms)

    def close(self) -> None:
        pass


class Page(HTMLParser):
    """The forms of a page: each one's action and its inputs (name, type, value)."""

    def __init__(self, html: bytes) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[dict[str, str]]]] = []
        self.feed(html.decode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((values.get("action", ""), []))
        elif tag == "input" and self.forms:
            self.forms[-1][1].append(values)


def outcome(cookies: list[str]) -> str:
    """What the server made of an answer POST, from the flash its session cookie carries.

    "recorded" (no flash), "stale" (step already answered) or "closed" (the attempt was over).
    Flask's session cookie is signed, not encrypted: its payload is (zlib'd) URL-safe base64.
    """
    for header in cookies:
        name, _, value = header.split(";", 1)[0].partition("=")
        if name.strip() != "session":
            continue
        compressed = value.startswith(".")
        payload = value.lstrip(".").split(".", 1)[0]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        raw = zlib.decompress(raw) if compressed else raw
        for text_, kind in FLASHES.items():
            if text_ in raw:
                return kind
    return "recorded"


# --------------------------------------------------------------------------- learners


@dataclass
class Stats:
    """Everything the learner threads measure; appends are atomic under the GIL."""

    login_ms: list[float] = field(default_factory=list)
    start_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    results_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    recorded: int = 0  # answer POSTs whose 302 carried no flash: the client saw them recorded
    pairs: int = 0
    pair_outcomes: Counter[str] = field(default_factory=Counter)
    stale_single: int = 0
    not_advanced: int = 0  # recorded POSTs after which the next page showed the same step
    acked: Counter[str] = field(default_factory=Counter)  # recorded POSTs per attempt uid
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str, detail: str) -> None:
        with self.lock:
            self.errors[what] += 1
            if len(self.samples) < 8:
                self.samples.append(f"{what}: {detail[:200]}")


class QuizFailed(Exception):
    """A learner cannot go on (the reason is counted as an error)."""


class Learner:
    """One simulated learner: logs in, starts placements, answers every question."""

    def __init__(self, ix: int, client: Any, stats: Stats, args: argparse.Namespace) -> None:
        self.ix, self.client, self.stats, self.args = ix, client, stats, args
        self.rng = random.Random(args.seed * 100_003 + ix)

    def call(self, what: str, method: str, path: str, form: Form | None, ok: set[int]) -> Reply:
        try:
            reply = self.client.request(method, path, form)
        except Exception as exc:
            self.stats.error(f"{what} exception", repr(exc))
            raise QuizFailed(what) from exc
        if reply.status not in ok:
            self.stats.error(f"{what} HTTP {reply.status}", reply.body.decode(errors="replace"))
            raise QuizFailed(what)
        return reply

    def login(self) -> None:
        page = self.call("login page", "GET", "/auth/login", None, {200})
        csrf = _value(Page(page.body).forms[0][1], "csrf_token")
        form = [("csrf_token", csrf), ("email", f"learner{self.ix:04d}@bench.learnpath")]
        reply = self.call("login", "POST", "/auth/login", [*form, ("password", PASSWORD)], {302})
        self.stats.login_ms.append(page.ms + reply.ms)

    def start(self) -> str:
        """Start the placement of the learner's enrollment; returns the attempt's uid."""
        listing = self.call("quiz list", "GET", "/quizzes", None, {200})
        for _action, inputs in Page(listing.body).forms:
            if _value(inputs, "kind", "") == "placement":
                form = [(i["name"], i.get("value", "")) for i in inputs if i.get("name")]
                break
        else:
            self.stats.error("no placement offered", f"learner {self.ix}")
            raise QuizFailed("start")
        reply = self.call("start", "POST", "/quizzes", form, {302})
        self.stats.start_ms.append(listing.ms + reply.ms)
        match = QUIZ_PATH.match(urlsplit(reply.location).path)
        if match is None:
            self.stats.error("start redirect", reply.location)
            raise QuizFailed("start")
        return match.group(1)

    def take(self, uid: str) -> None:
        """Answer the attempt's questions until its results page."""
        path, pending = f"/quizzes/{uid}", None
        while True:
            reply = self.call("question", "GET", path, None, {200, 302})
            self.stats.get_ms.append(reply.ms)
            if reply.status == 302:
                results = self.call("results", "GET", urlsplit(reply.location).path, None, {200})
                self.stats.results_ms.append(results.ms)
                return
            action, inputs = Page(reply.body).forms[-1]
            step = int(_value(inputs, "step"))
            if pending is not None and step != pending + 1:
                self.stats.not_advanced += 1
            form = self._answer(inputs)
            if self.args.think_ms:
                time.sleep(self.args.think_ms / 1e3 * self.rng.uniform(0.5, 1.5))
            if self.rng.random() < self.args.double_submit_share:
                recorded = self._double(action, form)
            else:
                sent = self.call("answer", "POST", action, form, {302})
                self.stats.answer_ms.append(sent.ms)
                recorded = outcome(sent.cookies) == "recorded"
                self.stats.stale_single += not recorded
            self._acknowledged(uid, recorded)
            pending = step if recorded else None

    def _acknowledged(self, uid: str, n: int) -> None:
        """Count answer POSTs of the attempt that the client saw recorded (the audit's truth)."""
        with self.stats.lock:
            self.stats.acked[uid] += n
            self.stats.recorded += n

    def _answer(self, inputs: list[dict[str, str]]) -> Form:
        """The hidden fields, and a random choice (one radio, or a non-empty set of boxes)."""
        form = [(i["name"], i["value"]) for i in inputs if i.get("type") == "hidden"]
        options = [i for i in inputs if i.get("name") == "choice"]
        if options and options[0].get("type") == "checkbox":
            picked = [o for o in options if self.rng.random() < 0.5] or [self.rng.choice(options)]
        else:
            picked = [self.rng.choice(options)]
        return form + [("choice", o["value"]) for o in picked]

    def _double(self, action: str, form: Form) -> int:
        """The same answer twice at once, on two connections with the same cookie.

        Returns how many of the two the client saw recorded (exactly one, if all is well).
        """
        gate = threading.Barrier(2)
        replies: list[Reply | None] = [None, None]

        def send(k: int) -> None:
            gate.wait()
            with contextlib.suppress(QuizFailed):
                replies[k] = self.call("answer", "POST", action, form, {302})

        twin = threading.Thread(target=send, args=(1,))
        twin.start()
        send(0)
        twin.join()
        got = [r for r in replies if r is not None]
        for r in got:
            self.stats.answer_ms.append(r.ms)
        if len(got) != 2:
            raise QuizFailed("answer")
        kinds = sorted(outcome(r.cookies) for r in got)
        with self.stats.lock:
            self.stats.pairs += 1
            self.stats.pair_outcomes["+".join(kinds)] += 1
        return kinds.count("recorded")


def _value(inputs: list[dict[str, str]], name: str, default: str | None = None) -> str:
    for i in inputs:
        if i.get("name") == name:
            return i.get("value", "")
    if default is None:
        raise ValueError(f"the page has no input {name!r}")
    return default


def run_phase(learners: list[Learner], job: Callable[[Learner], None]) -> float:
    """Run `job` for every learner in a thread of its own; returns the wall time (s)."""

    def guarded(learner: Learner) -> None:
        try:
            job(learner)
        except QuizFailed:
            pass  # counted where it happened
        except Exception as exc:
            learner.stats.error("client exception", repr(exc))

    threads = [threading.Thread(target=guarded, args=(lr,), daemon=True) for lr in learners]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    args: argparse.Namespace, db_url: str, port: int, logdir: Path
) -> subprocess.Popen[bytes]:
    """Start gunicorn on 127.0.0.1:port and wait until it answers."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [
        str(gunicorn),
        *("-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads)),
        *("-b", f"{HOST}:{port}", "--access-logfile", str(logdir / "access.log")),
        *("--access-logformat", "%(m)s %(U)s %(s)s %(D)s"),
        *("--error-logfile", str(logdir / "error.log"), "learnpath:create_app()"),
    ]
    # All simulated learners log in from 127.0.0.1: lift the per-address login limit.
    limit = {"LEARNPATH_LOGIN_RATE_LIMIT": "100000 per minute"}
    env = {**os.environ, "DATABASE_URL": db_url, **limit}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: {(logdir / 'error.log').read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/auth/login")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def server_times(log: Path) -> dict[str, list[float]]:
    """Server-side milliseconds per request kind, from the access log."""
    out: dict[str, list[float]] = defaultdict(list)
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4 or not QUIZ_PATH.match(parts[1]):
            continue
        out["answer" if parts[0] == "POST" else "question"].append(int(parts[3]) / 1e3)
    return out


# --------------------------------------------------------------------------- report


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(values: list[float], *qs: float) -> str:
    return " / ".join(f"{pct(values, q):.1f}" for q in qs)


def report(
    args: argparse.Namespace, stats: Stats, found: Audit, seconds: float, server: dict
) -> None:
    errors = sum(stats.errors.values())
    answers = len(stats.answer_ms)
    once = sum(n for k, n in stats.pair_outcomes.items() if k.split("+").count("recorded") == 1)
    rows = [
        ("learners", f"{args.learners} ({args.quizzes} placement(s) each)"),
        ("program", f"{args.program} v{args.version}"),
        ("gunicorn", f"{args.workers} workers x {args.threads} threads (gthread)"),
        ("think time", f"{args.think_ms} ms"),
        ("keep-alive", "no (new connection per request)" if args.new_connection else "yes"),
        ("attempts completed", f"{found.completed} / {found.attempts}"),
        ("answer POSTs", f"{answers} (recorded per client {stats.recorded}, in {seconds:.1f} s)"),
        ("answer ms p50/p95/p99/max", ms(stats.answer_ms, 50, 95, 99, 100)),
        ("  server-side p50/p95/p99", ms(server.get("answer", []), 50, 95, 99)),
        ("question GET ms p50/p95/p99", ms(stats.get_ms, 50, 95, 99)),
        ("  server-side p50/p95/p99", ms(server.get("question", []), 50, 95, 99)),
        ("results GET ms p50/p95", ms(stats.results_ms, 50, 95)),
        ("login ms p50/max (before)", ms(stats.login_ms, 50, 100)),
        ("throughput answers/s", f"{stats.recorded / seconds:.1f}" if seconds else "-"),
        ("throughput requests/s", f"{(answers + len(stats.get_ms)) / seconds:.1f}"),
        ("errors", f"{errors}" + (f" {dict(stats.errors)}" if errors else "")),
        ("responses in database", f"{found.responses}"),
        ("lost (client-recorded - in DB)", f"{found.lost}"),
        ("duplicated", f"{found.duplicated}"),
        ("unseen / step mismatch", f"{found.unseen} / {found.step_mismatch}"),
        ("load average 1/5/15 min (end)", " ".join(f"{x:.1f}" for x in os.getloadavg())),
        ("recorded, next page same step", f"{stats.not_advanced}"),
        ("double submits (pairs)", f"{stats.pairs}: {dict(stats.pair_outcomes) or '-'}"),
        ("  exactly one recorded", f"{once} / {stats.pairs}"),
        ("single POSTs not recorded", f"{stats.stale_single}"),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    print(f"{'metric':<{width}} | value")
    print(f"{'-' * width}-|-{'-' * 44}")
    for key, value in rows:
        print(f"{key:<{width}} | {value}")
    p95 = pct(stats.answer_ms, 95)
    clean = errors == found.lost == found.duplicated == 0
    verdict = "met" if p95 <= 50 and clean else "NOT met"
    print(f"\nTarget p95 <= 50 ms, 0 errors, 0 lost, 0 duplicated: {verdict} (reported only)")
    for sample in stats.samples:
        print("  e.g.", sample)


# --------------------------------------------------------------------------- main


def profile(args: argparse.Namespace, db_url: str) -> None:
    """One learner's placements in this process: SQL per answer POST, and cProfile of them."""
    os.environ["DATABASE_URL"] = db_url
    from sqlalchemy import event

    from learnpath import create_app

    app = create_app()
    stats, profiler, sql = Stats(), cProfile.Profile(), Counter[str]()
    timing = {"on": False, "started": 0.0}
    learner = Learner(0, TestClient(app), stats, args)
    real = learner.client.request

    def before(*_args: Any) -> None:
        timing["started"] = time.perf_counter()

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if timing["on"]:
            sql["statements"] += 1
            sql["ms"] += round(1e6 * (time.perf_counter() - timing["started"]))  # ns → later ms
            sql[statement.split(None, 1)[0].upper()] += 1

    spans: Counter[str] = Counter()
    for module, name in TIMED:
        _time_calls(module, name, spans, timing)
    engine = app.extensions["learnpath.engine"]
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", lambda _conn: sql.update(["COMMIT"]) if timing["on"] else None)

    def request(method: str, path: str, form: Form | None = None) -> Reply:
        if method == "POST" and QUIZ_PATH.match(path):
            timing["on"] = True
            profiler.enable() if args.profile_python else None
            try:
                return real(method, path, form)
            finally:
                profiler.disable() if args.profile_python else None
                timing["on"] = False
        return real(method, path, form)

    learner.client.request = request
    learner.login()
    for _ in range(args.quizzes):
        learner.take(learner.start())
    n = max(1, len(stats.answer_ms))
    print(
        f"{len(stats.answer_ms)} answer POSTs in-process: ms p50/p95", ms(stats.answer_ms, 50, 95)
    )
    print(f"question GETs in-process: ms p50/p95 {ms(stats.get_ms, 50, 95)}")
    print(f"errors: {dict(stats.errors)}")
    print(
        f"per answer POST: {sql['statements'] / n:.1f} SQL statements taking "
        f"{sql['ms'] / 1e3 / n:.1f} ms (cursor execute incl. round trip), "
        f"{sql['COMMIT'] / n:.1f} commits"
    )
    kinds = {k: round(v / n, 1) for k, v in sql.items() if k not in ("statements", "ms")}
    print(f"  statements per answer POST by kind: {kinds}")
    print("wall ms per answer POST inside (nested, SQL included):")
    for module, name in TIMED:
        label = f"{module.rsplit('.', 1)[-1]}.{name}"
        print(f"  {label:<28} {spans[name] / 1e3 / n:6.1f}")
    if args.profile_python:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(30)
            print(out.getvalue())


TIMED = [
    ("learnpath.learner.quizzes", "_own_attempt"),
    ("learnpath.services.learning.quiz", "current_question"),
    ("learnpath.learner.quizzes", "answer_form"),
    ("learnpath.services.learning.quiz", "answer"),
    ("learnpath.services.learning.quiz", "_advance"),
    ("learnpath.services.learning.quiz", "responses_of"),
    ("learnpath.services.learning.quiz", "next_step"),
    ("learnpath.services.learning.results", "finalize"),
]


def _time_calls(module: str, name: str, spans: Counter[str], timing: dict[str, Any]) -> None:
    """Wrap module.name so that its wall time (µs) adds up in spans while timing is on."""
    import importlib

    mod = importlib.import_module(module)
    real = getattr(mod, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            if timing["on"]:
                spans[name] += round(1e6 * (time.perf_counter() - start))

    setattr(mod, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50, help="concurrent learners")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--program", default="data-literacy-essentials", help="program slug")
    parser.add_argument("--version", type=int, default=1, help="program version")
    parser.add_argument("--quizzes", type=int, default=1, help="placements per learner")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=5000,
        help="mean pause before answering (real learners take 10-30 s; 0 = closed-loop stress)",
    )
    parser.add_argument("--double-submit-share", type=float, default=0.1)
    parser.add_argument("--new-connection", action="store_true", help="no HTTP keep-alive")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--login-concurrency", type=int, default=16, help="logins at once (before the timed phase)"
    )
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="learnpath_bench")
    parser.add_argument("--profile", action="store_true", help="one learner in-process, no HTTP")
    parser.add_argument("--profile-python", action="store_true", help="with --profile: cProfile")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--database must be a plain lower-case identifier")
    if urlsplit(args.server.replace("+psycopg", "")).hostname not in (HOST, "localhost"):
        parser.error("--server must be on 127.0.0.1")

    db_url = f"{args.server}/{args.database}"
    try:
        with create_engine(f"{args.server}/postgres").connect():
            pass
    except OperationalError:
        print(f"skipped: no PostgreSQL at {args.server} (this benchmark needs one)")
        return
    print("load average 1/5/15 min (start):", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    proc, engine = None, None
    try:
        engine = setup_database(
            args.server, args.database, args.learners, args.program, args.version
        )
        if args.profile:
            profile(args, db_url)
            return
        with tempfile.TemporaryDirectory(prefix="bench_quiz_http_") as tmp:
            port = free_port()
            proc = start_gunicorn(args, db_url, port, Path(tmp))
            stats = Stats()
            clients = [HttpClient(port, args.new_connection) for _ in range(args.learners)]
            learners = [Learner(i, c, stats, args) for i, c in enumerate(clients)]
            uids: dict[int, str] = {}

            logins = threading.Semaphore(args.login_concurrency)

            def begin(learner: Learner) -> None:
                with logins:  # scrypt: 200 at once would outlast the client's 60 s timeout
                    learner.login()
                uids[learner.ix] = learner.start()

            def answer_all(learner: Learner) -> None:
                if learner.ix not in uids:
                    return
                learner.take(uids[learner.ix])
                for _ in range(args.quizzes - 1):
                    learner.take(learner.start())

            first = run_phase(learners, begin)
            print(f"{len(uids)}/{args.learners} learners logged in and started in {first:.1f} s")
            with open(Path(tmp) / "access.log") as log:  # only the answering phase counts
                log.seek(0, 2)
                skip = log.tell()
            seconds = run_phase(learners, answer_all)
            for c in clients:
                c.close()
            stop(proc)
            proc = None
            log_path = Path(tmp) / "access.log"
            log_path.write_text(log_path.read_text()[skip:])
            server = server_times(log_path)
        report(args, stats, audit(engine, stats.acked), seconds, server)
    finally:
        if proc is not None:
            stop(proc)
        if engine is not None:
            engine.dispose()
        drop_database(args.server, args.database)


if __name__ == "__main__":
    main()
