"""Slow clients against members: 50 connections that send one header byte every 0.5 s,
while members walk through a reflection. Members' p50/p99 and failures, with and without the
slow clients, for each gunicorn setting compared (sync workers, as `make run` had them, and
threaded workers). Bounded in time (BENCH_SECONDS per phase, default 20); traffic only to
127.0.0.1; appends to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, ROOT, free_port, record, setup  # noqa: E402
from hostile_mix import DROPPED, Visitor, walk_to_first_page, workers_of  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
SLOW = 50
MEMBERS = 8
SETTINGS = {
    "sync, 2 workers (before)": ["--workers", "2", "--worker-class", "sync", "--threads", "1"],
    "gthread, 2 workers x 32 threads": ["--workers", "2", "--threads", "32"],
    # inquiry.core.serving's own settings, as `make run` uses them:
    "gthread, 2 workers x 64 threads (make run)": ["--workers", "2"],
}


def slow_client(port, deadline):
    """Open a connection and send its headers one byte every half second, for ever."""
    header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 4000
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                for byte in header:
                    if time.monotonic() > deadline:
                        return
                    sock.sendall(bytes([byte]))
                    time.sleep(0.5)
        except OSError:
            time.sleep(0.5)


def member(port, code, deadline, latencies, failures, lock, rng):
    while time.monotonic() < deadline:
        visitor = Visitor(port, timeout=10)
        began = time.monotonic()
        try:
            token = walk_to_first_page(visitor, code)
        except TypeError:
            with lock:
                failures.append("walk")
            continue
        took = [(time.monotonic() - began) / 4]  # four requests: join, start page, start, page
        for _ in range(3):
            t = time.monotonic()
            status = visitor.post(
                "/reflect/1",
                f"csrf_token={token}&q-shared_aims-know_aims={rng.randint(1, 5)}".encode(),
            )[0]
            took.append(time.monotonic() - t)
            if status == DROPPED or status >= 500:
                with lock:
                    failures.append(status)
        with lock:
            latencies.extend(took)


def phase(port, code, slow: bool):
    deadline = time.monotonic() + SECONDS
    latencies, failures, lock = [], [], threading.Lock()
    threads = [
        threading.Thread(
            target=member, args=(port, code, deadline, latencies, failures, lock, random.Random(i))
        )
        for i in range(MEMBERS)
    ]
    if slow:
        threads += [
            threading.Thread(target=slow_client, args=(port, deadline)) for _ in range(SLOW)
        ]
        for t in threads[MEMBERS:]:
            t.start()
        time.sleep(2)  # the slow clients take their places first
    for t in threads[:MEMBERS]:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    if len(latencies) < 2:
        return "no member got through", len(failures)
    cuts = statistics.quantiles(latencies, n=100)
    return f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, n={len(latencies)}", len(
        failures
    )


def main() -> None:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "INQUIRY_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/slow.sqlite",
            "INQUIRY_JOIN_RATE_LIMIT": "100000 per minute",
        }
        env.pop("DATABASE_URL", None)
        code = setup(env)
        for name, options in SETTINGS.items():
            port = free_port()
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    "python:inquiry.core.serving",
                    *options,
                    "--bind",
                    f"127.0.0.1:{port}",
                    "inquiry:create_app()",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            while len(workers_of(server.pid)) < 2 or Visitor(port).get("/")[0] == DROPPED:
                time.sleep(0.2)
            quiet, quiet_failed = phase(port, code, slow=False)
            loaded, loaded_failed = phase(port, code, slow=True)
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            lines.append(
                f"- {name}: members alone {quiet} ({quiet_failed} failed); with {SLOW} slow "
                f"clients {loaded} ({loaded_failed} failed)"
            )
    record(
        f"## Slow clients, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, SQLite, {MEMBERS} members walking, {SECONDS} s a phase)\n\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    main()
