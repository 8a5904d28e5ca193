"""Members submitting reflections while workers are killed: is any acknowledged answer lost?

Starts gunicorn (4 sync workers) on 127.0.0.1 against a fresh SQLite database (or the
PostgreSQL in DATABASE_URL), runs 40 simulated members for BENCH_SECONDS (default 60), each
joining, answering a page, checking and sending; 5% send the same form twice. Two workers are
killed with SIGKILL during the run. Then it compares the submission tokens the server
acknowledged with those stored. Bounded in time; traffic only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import http.cookiejar
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
from common import (  # noqa: E402
    BIN,
    ROOT,
    UNLIMITED,
    Member,
    free_port,
    record,
    reflect_to_check,
    serve,
    setup,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
MEMBERS = 40
REPLAY = 0.05


def run_member(base, code, deadline, acked, errors, lock, rng):
    while time.monotonic() < deadline:
        member = Member(base)
        try:
            data = reflect_to_check(member, code, rng)
            tries = 2 if rng.random() < REPLAY else 1
            for _ in range(tries):
                status, location = member.post("/reflect/send", data, follow=False)
                if status == 302 and location.endswith("/reflect/done"):
                    with lock:
                        acked.add(data["submission_token"])
                elif status >= 500:
                    with lock:
                        errors.append(status)
        except (OSError, http.client.HTTPException, TypeError):
            # A killed worker drops the connection: the member would simply try again.
            with lock:
                errors.append("connection")


def main() -> None:
    database = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            **UNLIMITED,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
        }
        env["INQUIRY_PDF_FOLDER"] = f"{tmp}/pdfs"
        if not database:
            env["INQUIRY_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp}/load.sqlite"
        code = setup(env)
        port = free_port()
        server = serve("inquiry:create_app()", env, port, workers=4)
        base = f"http://127.0.0.1:{port}"
        acked: set[str] = set()
        errors: list = []
        lock = threading.Lock()
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(
                target=run_member,
                args=(base, code, deadline, acked, errors, lock, random.Random(i)),
            )
            for i in range(MEMBERS)
        ]
        for t in threads:
            t.start()
        killed = []
        for fraction in (0.33, 0.66):
            time.sleep(max(0, deadline - time.monotonic() - SECONDS * (1 - fraction)))
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            if workers:
                victim = int(random.choice(workers))
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
        for t in threads:
            t.join(timeout=SECONDS + 30)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        stored = subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                (
                    "import sqlalchemy as sa\n"
                    "from inquiry import create_app\n"
                    "from inquiry.extensions import db\n"
                    "from inquiry.responses.models import Response\n"
                    "app = create_app()\n"
                    "with app.app_context():\n"
                    "    for t in db.session.scalars(sa.select(Response.submission_token)):\n"
                    "        print(t)\n"
                ),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    stored_set = set(stored)
    lost = len(acked - stored_set)
    duplicates = len(stored) - len(stored_set)
    unacked = len(stored_set - acked)
    backend = "PostgreSQL" if database else "SQLite"
    text = (
        f"## Load with faults, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, {backend}, gunicorn 4 sync workers)\n\n"
        f"{MEMBERS} members for {SECONDS} s, {REPLAY:.0%} sending twice, "
        f"{len(killed)} workers killed with SIGKILL.\n"
        f"acknowledged = {len(acked)}, stored = {len(stored)}, lost = {lost}, "
        f"duplicates = {duplicates}, stored but unacknowledged = {unacked} "
        f"(at most {MEMBERS}), 5xx = {sum(1 for e in errors if e != 'connection')}, "
        f"dropped connections = {errors.count('connection')}, "
        f"throughput = {len(acked) / SECONDS:.1f} reflections/s\n"
    )
    record(text)
    if lost or duplicates or unacked > MEMBERS:
        sys.exit("FAILED: a submission was lost or stored twice")


if __name__ == "__main__":
    main()
