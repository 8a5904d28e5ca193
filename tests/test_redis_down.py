"""With Redis as the rate limits' storage, Redis going down never gives a 500: the limits
fall back to each process's memory (or let people in), and the right join code still works.
A real redis-server and gunicorn are started here."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile_mix import DROPPED, Visitor  # noqa: E402

from .servers import free_port as _port

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _redis(port: int, folder: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis did not start")


@pytest.fixture
def served_with_redis(app, tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("INQUIRY_REQUIRE_REDIS") == "1":
            pytest.fail("INQUIRY_REQUIRE_REDIS=1 but redis-server is not installed")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    redis_port, port = _port(), _port()
    redis = _redis(redis_port, tmp_path)
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
        "INQUIRY_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", "inquiry:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while Visitor(port).get("/")[0] == DROPPED:
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.1)
    holder = {"redis": redis}
    yield port, holder, lambda: _redis(redis_port, tmp_path)
    server.send_signal(signal.SIGTERM)
    server.communicate(timeout=30)
    if holder["redis"].poll() is None:
        holder["redis"].terminate()
        holder["redis"].wait(timeout=10)


def _requests(port: int, code: str) -> list[tuple[str, int]]:
    answers = []
    for i in range(12):
        visitor = Visitor(port)
        answers.append(("right code", visitor.get(f"/j/{code}")[0]))
        answers.append(("wrong code", visitor.get(f"/j/WRONG{i}")[0]))
        answers.append(("typed", visitor.post("/", b"code=NOPE")[0]))
        answers.append(("withdraw", visitor.post("/withdraw", b"receipt=AAAA-BBBB")[0]))
        answers.append(("sign in", visitor.post("/sign-in", b"email=a%40b.c&password=x")[0]))
    return answers


def test_redis_down_never_gives_a_500(cycle, served_with_redis):
    port, holder, restart = served_with_redis
    code = cycle.active_code("member")
    assert Visitor(port).get(f"/j/{code}")[0] == 302
    holder["redis"].terminate()
    holder["redis"].wait(timeout=10)
    answers = _requests(port, code)
    assert [a for a in answers if a[1] >= 500 or a[1] == DROPPED] == []
    assert {status for kind, status in answers if kind == "right code"} == {302}
    # Redis back: still no 500, and the right code still gets in.
    holder["redis"] = restart()
    time.sleep(1)
    answers = _requests(port, code)
    assert [a for a in answers if a[1] >= 500 or a[1] == DROPPED] == []
    assert {status for kind, status in answers if kind == "right code"} == {302}
