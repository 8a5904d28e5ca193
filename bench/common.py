"""What the benchmarks share: paths, a member walking through a reflection over HTTP, starting
gunicorn, and appending results to bench/RESULTS.md."""

from __future__ import annotations

import http.client
import http.cookiejar
import random
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" type="hidden" value="([^"]+)"')


# Every simulated member sends from 127.0.0.1 into one cycle: far past the per-address
# stuffing limits a real room never reaches. The benchmarks measure the limits' work, not
# their refusals.
UNLIMITED = {
    "INQUIRY_SEND_RATE_LIMIT": "1000000 per hour",
    "INQUIRY_CHOOSE_RATE_LIMIT": "1000000 per hour",
}


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


def serve(app: str, env: dict, port: int, workers: int = 2) -> subprocess.Popen:
    """gunicorn with sync workers on 127.0.0.1:port, once a worker answers (any status)."""
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            app,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def record(text: str) -> None:
    """Print a result and append it to bench/RESULTS.md."""
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a") as out:
        out.write("\n" + text)
