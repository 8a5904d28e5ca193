"""Hostile traffic against two workers for a bounded time: does any worker die?

The reproduction of issue 16's segfault, kept as a soak: gunicorn with 2 workers and make run's
settings (inquiry/core/serving.py) on a fresh SQLite database (or the PostgreSQL in
DATABASE_URL), faulthandler on, for BENCH_SECONDS (default 600). The first half is the
reproduction as reported: one visitor after another joins with a member code, opens the first
page and posts a refused token three times. The second half is the scanner mix: BENCH_CLIENTS
visitors (default 4) at once, each sending the three posts and then a shuffled mix of hostile
requests (bench/hostile_mix.py: refused and forged tokens, forged cookies, invalid UTF-8,
thousands of fields, long values, wrong methods and paths). Worker PIDs are watched every half
second; the server's log is searched for fatal signals. Traffic only to 127.0.0.1. Exits non-
zero when a worker died or anything failed."""

from __future__ import annotations

import collections
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, ROOT, free_port, record, setup  # noqa: E402
from hostile_mix import (  # noqa: E402
    DROPPED,
    Visitor,
    malformed,
    the_three_requests,
    walk_to_first_page,
    workers_of,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "600"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = 2


def visit(port, code, deadline, statuses, lock, rng, reproduce):
    """One visitor after another; `reproduce` sends only the three requests each time (the
    reported crash, as it was found), otherwise the hostile mix follows them."""
    while time.monotonic() < deadline:
        visitor = Visitor(port)
        try:
            token = walk_to_first_page(visitor, code)
        except TypeError:  # no page came back (a dead worker, or the join limit)
            with lock:
                statuses["walk failed"] += 1
            time.sleep(0.5)
            continue
        answers = [("three requests", s) for s in the_three_requests(visitor)]
        if not reproduce:
            answers += malformed(visitor, token, 20, rng)
        with lock:
            for kind, status in answers:
                statuses[status] += 1
                if status == DROPPED or status >= 500:
                    statuses[f"{kind}: {status}"] += 1


def main() -> None:
    database = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "PYTHONFAULTHANDLER": "1",
            # Every visitor comes from 127.0.0.1: these limits are not what is measured here.
            "INQUIRY_JOIN_RATE_LIMIT": "100000 per minute",
            "INQUIRY_LOGIN_RATE_LIMIT": "100000 per minute",
            "INQUIRY_WITHDRAW_RATE_LIMIT": "100000 per minute",
            "INQUIRY_JOIN_GUESS_LIMIT": "100000 per minute",
            "INQUIRY_KIOSK_RATE_LIMIT": "100000 per minute",
        }
        if not database:
            env["INQUIRY_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp}/soak.sqlite"
        code = setup(env)
        port = free_port()
        log_path = Path(tmp) / "gunicorn.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    "python:inquiry.core.serving",  # make run's settings
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "inquiry:create_app()",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        while len(workers_of(server.pid)) < WORKERS or Visitor(port).get("/")[0] == DROPPED:
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
        first = workers_of(server.pid)
        seen = set(first)
        statuses: collections.Counter = collections.Counter()
        lock = threading.Lock()
        phases = []
        # First the reproduction alone (one visitor, the three requests over and over: on
        # Python 3.11 without the fix a worker died within about a minute), then the mix.
        for name, clients, share in (("reproduction", 1, 0.5), ("scanner mix", CLIENTS, 0.5)):
            before = len(seen)
            deadline = time.monotonic() + SECONDS * share
            threads = [
                threading.Thread(
                    target=visit,
                    args=(port, code, deadline, statuses, lock, random.Random(i), clients == 1),
                )
                for i in range(clients)
            ]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                seen |= workers_of(server.pid)
                time.sleep(0.5)
            seen |= workers_of(server.pid)
            phases.append(
                f"{name} ({clients} visitors, {SECONDS * share:.0f} s): {len(seen) - before} deaths"
            )
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        text_log = log_path.read_text()
    deaths = len(seen - first)
    fatal = sum(text_log.count(s) for s in ("Segmentation fault", "was sent SIG"))
    total = sum(v for k, v in statuses.items() if isinstance(k, int))
    errors = {k: v for k, v in statuses.items() if isinstance(k, str)}
    backend = "PostgreSQL" if database else "SQLite"
    text = (
        f"## Crash soak, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, {backend}, Python {platform.python_version()}, "
        f"gunicorn {WORKERS} workers, make run's settings)\n\n"
        f"{SECONDS} s, {'; '.join(phases)}; {total} requests, "
        f"worker deaths = {deaths}, fatal signals in the log = {fatal}, "
        f"5xx = {sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500)}, "
        f"dropped = {statuses[DROPPED]}"
        + (f", failures by kind: {errors}" if errors else "")
        + "\n"
    )
    record(text)
    if deaths or fatal or errors:
        sys.exit("FAILED: a worker died or a request failed")


if __name__ == "__main__":
    main()
