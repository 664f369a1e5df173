"""Fault benchmark: PostgreSQL stops and starts again while learners answer placements over HTTP.

The script never touches the shared PostgreSQL: it creates a throwaway cluster of its own
(initdb into a temporary directory with the binaries under /usr/lib/postgresql/*/bin, as the
`postgres` user when run as root, listening on 127.0.0.1:--port, 5439 by default), builds the
same database as bench_quiz_http.py (content/, N enrolled learner accounts) and starts gunicorn
on it. The learners log in and start their placement; while they answer, the cluster is stopped
(`pg_ctl stop -m fast`: running statements are cut off) for --outage seconds and started again.
A learner that gets a 503 waits --retry-ms and sends the same request again, as a person
reloading the page would; any other unexpected status ends that learner (counted as an error).
A thread polls /ready and /health throughout.

Afterwards the database is compared with what the clients saw, as bench_quiz_http.py does: an
answer POST is acknowledged when its 302 carries no flash; *lost* are acknowledged answers not
stored, *duplicated* rows beyond one per step, *unseen* stored answers the client never saw
acknowledged (a COMMIT that reached the server just before the cut, its reply lost: the client
got a 503, sent the answer again and was told "already answered"). Statuses are split by when
each request was sent and answered: while the server was down, in flight at the stop or the
start, after the restart. Figures are printed, never asserted. Run:

    .venv/bin/python benchmarks/bench_faults.py [--learners 40] [--workers 4] [--threads 4]
        [--think-ms 300] [--fault-after 10] [--outage 6] [--port 5439]
        [--stop-mode fast|immediate]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_quiz_http as quiz

HOST = quiz.HOST


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, run as `postgres` if we are root."""

    def __init__(self, port: int) -> None:
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)
        if not versions:
            raise SystemExit("skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bin, self.port = Path(versions[-1]), port
        self.dir = Path(tempfile.mkdtemp(prefix="bench_faults_pg_"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:  # initdb refuses root
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def start(self) -> None:
        """Start the cluster and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c max_connections=200"
        log = str(self.dir / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster: `fast` cuts running statements off, as a restart or crash would."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        """Stop the cluster if it runs, and delete its directory."""
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}"


def _version(path: str) -> float:
    return float(Path(path).parent.name)


@dataclass
class Timeline:
    """When the outage began and ended, and every status the clients saw, with its send time."""

    down: float = float("inf")
    up: float = float("inf")
    seen: list[tuple[float, float, int]] = field(default_factory=list)  # (sent, answered, status)
    waits: list[float] = field(default_factory=list)  # seconds a learner retried 503s in a row

    def during(self, sent: float) -> bool:
        return self.down <= sent <= self.up

    def statuses(self, sent_after: float, answered_before: float) -> dict[int, int]:
        """How many requests sent after and answered before these times got each status."""
        return dict(Counter(s for t, a, s in self.seen if sent_after <= t and a <= answered_before))


class PatientLearner(quiz.Learner):
    """A learner who, on a 503, waits and sends the same request again."""

    timeline: Timeline

    def call(self, what: str, method: str, path: str, form: Any, ok: set[int]) -> quiz.Reply:
        first_503 = None
        while True:
            sent = time.monotonic()
            try:
                reply = self.client.request(method, path, form)
            except Exception as exc:
                self.stats.error(f"{what} exception", repr(exc))
                raise quiz.QuizFailed(what) from exc
            self.timeline.seen.append((sent, time.monotonic(), reply.status))
            if reply.status != 503:
                break
            first_503 = first_503 or sent
            if time.monotonic() - first_503 > self.args.give_up_s:
                self.stats.error(f"{what} HTTP 503 for {self.args.give_up_s} s", path)
                raise quiz.QuizFailed(what)
            time.sleep(self.args.retry_ms / 1e3)
        if first_503 is not None:
            self.timeline.waits.append(time.monotonic() - first_503)
        if reply.status not in ok:
            self.stats.error(f"{what} HTTP {reply.status}", reply.body.decode(errors="replace"))
            raise quiz.QuizFailed(what)
        return reply


def poll_probes(port: int, stop: threading.Event, timeline: Timeline, out: Counter[str]) -> None:
    """GET /ready and /health every 0.25 s; count statuses in and out of the outage."""
    while not stop.is_set():
        for path in ("/ready", "/health"):
            sent = time.monotonic()
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
            except OSError as exc:
                status = type(exc).__name__  # type: ignore[assignment]
            where = "outage" if timeline.during(sent) else "up"
            out[f"{path} {where} {status}"] += 1
        stop.wait(0.25)


def run(args: argparse.Namespace, cluster: Cluster, tmp: Path) -> None:
    """Set up, run the learners with an outage in the middle, audit and report."""
    engine = quiz.setup_database(cluster.url, "bench", args.learners, args.program, 1)
    port = quiz.free_port()
    proc = quiz.start_gunicorn(args, f"{cluster.url}/bench", port, tmp)
    timeline, probes, halt = Timeline(), Counter[str](), threading.Event()
    PatientLearner.timeline = timeline
    stats = quiz.Stats()
    clients = [quiz.HttpClient(port, False) for _ in range(args.learners)]
    learners = [PatientLearner(i, c, stats, args) for i, c in enumerate(clients)]
    uids: dict[int, str] = {}
    try:
        quiz.run_phase(learners, lambda lr: uids.__setitem__(lr.ix, _begin(lr)))
        print(f"{len(uids)}/{args.learners} learners logged in and started their placement")
        poller = threading.Thread(target=poll_probes, args=(port, halt, timeline, probes))
        poller.start()
        answering = threading.Thread(
            target=quiz.run_phase, args=(learners, lambda lr: lr.take(uids[lr.ix]))
        )
        began = time.monotonic()
        answering.start()
        time.sleep(args.fault_after)
        timeline.down = time.monotonic()
        cluster.stop(args.stop_mode)
        time.sleep(args.outage)
        cluster.start()
        timeline.up = time.monotonic()
        answering.join()
        seconds = time.monotonic() - began
        halt.set()
        poller.join()
    finally:
        for c in clients:
            c.close()
        quiz.stop(proc)
    found = quiz.audit(engine, stats.acked)
    engine.dispose()
    report(args, stats, found, timeline, probes, seconds)
    if stats.errors:  # the server's side of each error: the tracebacks' last lines
        log = (tmp / "error.log").read_text().splitlines()
        ends = [i for i, line in enumerate(log) if line.startswith("Traceback")]
        for i in ends[:3]:
            print("\n".join(log[max(0, i - 2) : i + 60]))


def _begin(learner: quiz.Learner) -> str:
    learner.login()
    return learner.start()


def report(
    args: argparse.Namespace,
    stats: quiz.Stats,
    found: quiz.Audit,
    timeline: Timeline,
    probes: Counter[str],
    seconds: float,
) -> None:
    """Print the figures: what the database holds against what the clients were told."""
    down, up, inf = timeline.down, timeline.up, float("inf")
    straddling = Counter(
        s for t, a, s in timeline.seen if (t < down < a) or (t < up < a) or (t < down and a > up)
    )
    rows = [
        ("learners", f"{args.learners}, gunicorn {args.workers} workers x {args.threads} threads"),
        (
            "outage",
            f"PostgreSQL stopped (-m {args.stop_mode}) after {args.fault_after} s for "
            f"{timeline.up - timeline.down:.1f} s (stop, wait {args.outage} s, start)",
        ),
        ("answering phase", f"{seconds:.1f} s"),
        ("attempts completed", f"{found.completed} / {found.attempts}"),
        ("answers acknowledged (302, no flash)", f"{stats.recorded}"),
        ("responses stored", f"{found.responses}"),
        ("lost (acknowledged, not stored)", f"{found.lost}"),
        ("duplicated", f"{found.duplicated}"),
        ("unseen / step mismatch", f"{found.unseen} / {found.step_mismatch}"),
        ("requests sent and answered while down", f"{timeline.statuses(down, up)}"),
        ("requests in flight at the stop or start", f"{dict(straddling)}"),
        ("requests sent after the restart", f"{timeline.statuses(up, inf)}"),
        ("learner waits through 503s s p50/max", quiz.ms(timeline.waits, 50, 100)),
        ("all statuses", f"{dict(Counter(s for _, _, s in timeline.seen))}"),
        ("probes (path, when, status)", f"{dict(sorted(probes.items()))}"),
        ("answer ms p50/p95/max", quiz.ms(stats.answer_ms, 50, 95, 100)),
        ("errors", f"{sum(stats.errors.values())} {dict(stats.errors) or ''}"),
        ("load average (1, 5, 15 min)", " ".join(f"{x:.1f}" for x in os.getloadavg())),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    for key, value in rows:
        print(f"{key:<{width}} | {value}")
    for sample in stats.samples:
        print("  e.g.", sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--program", default="data-literacy-essentials")
    parser.add_argument("--think-ms", type=float, default=300, help="mean pause before answering")
    parser.add_argument("--double-submit-share", type=float, default=0.1)
    parser.add_argument("--fault-after", type=float, default=10, help="seconds into answering")
    parser.add_argument("--outage", type=float, default=6, help="seconds PostgreSQL stays down")
    parser.add_argument("--retry-ms", type=float, default=500, help="a learner's wait after 503")
    parser.add_argument("--give-up-s", type=float, default=60, help="503s in a row before quitting")
    parser.add_argument("--port", type=int, default=5439, help="the throwaway cluster's port")
    parser.add_argument(
        "--stop-mode",
        choices=["fast", "immediate"],
        default="fast",
        help="fast: a restart (sessions cut off); immediate: a crash (recovery at start)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.quizzes, args.new_connection = 1, False
    cluster = Cluster(args.port)
    try:
        cluster.start()
        with tempfile.TemporaryDirectory(prefix="bench_faults_") as tmp:
            run(args, cluster, Path(tmp))
    finally:
        cluster.remove()


if __name__ == "__main__":
    main()
