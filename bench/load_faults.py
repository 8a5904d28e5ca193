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
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
MEMBERS = 40
REPLAY = 0.05
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(env: dict) -> str:
    """Migrate, seed one open cycle, and return its member code."""
    code = (
        subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                (
                    "from flask_migrate import upgrade\n"
                    "from inquiry import create_app\n"
                    "from inquiry.extensions import db\n"
                    "from inquiry.questions.services import sync_bank\n"
                    "app = create_app()\n"
                    "with app.app_context():\n"
                    "    upgrade(directory=app.root_path + '/migrations')\n"
                    "    sync_bank(); db.session.commit()\n"
                    "    import sys; sys.path.insert(0, 'tests')\n"
                    "    from factories import make_open_cycle\n"
                    "    print(make_open_cycle().active_code('member'))\n"
                ),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return code


class Member:
    def __init__(self, base: str):
        self.base = base
        self.jar = jar = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.plain = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect
        )

    def get(self, path: str) -> str:
        with self.follow.open(self.base + path, timeout=10) as reply:
            return reply.read().decode()

    def post(self, path: str, data: dict, follow: bool = True) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with (self.follow if follow else self.plain).open(
                self.base + path, body, timeout=10
            ) as reply:
                return reply.status, reply.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def reflect_to_check(member: Member, code: str, rng: random.Random) -> dict:
    """Join, start, answer a page and open "Check your answers"; returns the send form."""
    start = member.get(f"/j/{code}")
    member.post("/reflect", {"csrf_token": TOKEN.search(start)[1]})
    page = member.get("/reflect/1")
    member.post(
        "/reflect/1",
        {"csrf_token": TOKEN.search(page)[1], "q-shared_aims-know_aims": str(rng.randint(1, 5))},
    )
    check = member.get("/reflect/8")
    return {
        "csrf_token": TOKEN.search(check)[1],
        "submission_token": SUBMISSION.search(check)[1],
    }


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
        env = {**os.environ, "INQUIRY_SECRET_KEY": "bench", "INQUIRY_LINK_KEY": "bench"}
        if not database:
            env["INQUIRY_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp}/load.sqlite"
        code = setup(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "inquiry:create_app()",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
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
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a") as out:
        out.write("\n" + text)
    if lost or duplicates or unacked > MEMBERS:
        sys.exit("FAILED: a submission was lost or stored twice")


if __name__ == "__main__":
    main()
