"""Submit throughput of the real reflection against a bare Flask + SQLAlchemy insert, measured
in the same run on the same machine (gunicorn, 2 sync workers, 16 concurrent clients).

Drafts are prepared first (join, start, answer a page); then only "Send my answers" is timed.
"""

from __future__ import annotations

import http.client
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    UNLIMITED,
    Member,
    free_port,
    record,
    reflect_to_check,
    serve,
    setup,
)

CLIENTS = 16
SENDS = int(os.environ.get("BENCH_SENDS", "800"))


def fire(port: int, jobs: list[tuple[str, bytes, dict]]) -> tuple[float, list[int], list[float]]:
    """Send every (path, body, headers) from CLIENTS threads: (seconds, statuses, latencies)."""
    statuses, latencies, lock = [], [], threading.Lock()
    queue = list(jobs)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                path, body, headers = queue.pop()
            t = time.perf_counter()
            conn.request("POST", path, body, headers)
            reply = conn.getresponse()
            reply.read()
            with lock:
                statuses.append(reply.status)
                latencies.append(time.perf_counter() - t)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses, latencies


def main() -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            **UNLIMITED,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "INQUIRY_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/real.sqlite",
            "BARE_DATABASE_URL": f"sqlite:///{tmp}/bare.sqlite",
        }
        env.pop("DATABASE_URL", None)
        code = setup(env)
        port = free_port()
        server = serve("inquiry:create_app()", env, port)
        base = f"http://127.0.0.1:{port}"
        jobs, rng = [], random.Random(1)
        for _ in range(SENDS):
            member = Member(base)
            data = reflect_to_check(member, code, rng)
            cookies = "; ".join(f"{c.name}={c.value}" for c in member.jar)
            body = urllib.parse.urlencode(data)
            jobs.append(("/reflect/send", body.encode(), {**form, "Cookie": cookies}))
        real_s, real_status, real_lat = fire(port, jobs)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        bare = serve("bench.bare_app:app", env, port := free_port())
        bare_jobs = [
            (
                "/send",
                urllib.parse.urlencode({"token": str(uuid.uuid4()), "value": "4"}).encode(),
                form,
            )
            for _ in range(SENDS)
        ]
        bare_s, bare_status, bare_lat = fire(port, bare_jobs)
        bare.send_signal(signal.SIGTERM)
        bare.wait(timeout=30)
    real_rate, bare_rate = SENDS / real_s, SENDS / bare_s
    p99 = lambda xs: statistics.quantiles(xs, n=100)[98] * 1000  # noqa: E731
    text = (
        f"## Submit throughput, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, SQLite WAL synchronous=FULL, gunicorn 2 sync workers, "
        f"{CLIENTS} clients, {SENDS} sends)\n\n"
        f"real 'Send my answers': {real_rate:.0f}/s (p99 {p99(real_lat):.0f} ms, "
        f"errors {sum(s >= 400 for s in real_status)}); bare Flask + SQLAlchemy insert: "
        f"{bare_rate:.0f}/s (p99 {p99(bare_lat):.0f} ms, errors "
        f"{sum(s >= 400 for s in bare_status)}); ratio {real_rate / bare_rate:.0%} "
        f"(goal at least 50%, aim 80%).\n"
    )
    record(text)


if __name__ == "__main__":
    main()
