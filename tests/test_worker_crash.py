"""Refused tokens and forged cookies leave nothing behind, and no request kills a worker.

Three posts with a refused CSRF token on a reflection page used to crash a gunicorn worker
(SIGSEGV on Python 3.11): itsdangerous keeps the refused token's exception in a reference
cycle with its frames, which held the page's draft and ORM rows until the garbage collector
met them mid-query. The first tests check the cause in-process (no frame left in cyclic
garbage); the last sends the three requests and fifty more hostile ones to a real gunicorn
and checks that its workers are the same processes afterwards.
"""

from __future__ import annotations

import gc
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .reflection import start
from .servers import free_port as _port

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile_mix import (  # noqa: E402
    DROPPED,
    Visitor,
    malformed,
    the_three_requests,
    walk_to_first_page,
    workers_of,
)

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _cyclic_garbage(do) -> list[str]:
    """Names of the frames, tracebacks and ORM states that only the collector would free."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        do()
        gc.collect()
        kept = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    return [name for name in kept if name in {"frame", "traceback", "InstanceState"}]


REFUSED = {
    "refused token": ("/reflect/1", b"csrf_token=x&go=back", {}),
    "missing token": ("/reflect/1", b"go=back", {}),
    "forged dotted token": ("/reflect/1", b"csrf_token=IjEi.AAAA.BBBB&go=back", {}),
    "forged session cookie": ("/reflect/1", b"go=back", {"session": "eyJ4IjoxfQ.AAAA.BBBB"}),
    "staff form (CSRFProtect)": ("/sign-in", b"csrf_token=x&email=a%40b.c&password=x", {}),
    "send": ("/reflect/send", b"csrf_token=x.y.z&submission_token=x", {}),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_refused_token_leaves_no_frames_for_the_collector(app, cycle, kind):
    client = app.test_client()
    start(client, cycle.active_code("member"))
    client.get("/reflect/1")
    path, body, cookies = REFUSED[kind]
    for name, value in cookies.items():
        client.set_cookie(name, value)
    statuses = []

    def post():
        statuses.append(
            client.post(
                path, data=body, content_type="application/x-www-form-urlencoded"
            ).status_code
        )

    assert _cyclic_garbage(post) == []
    assert statuses[0] in {200, 302, 400, 410}


def test_a_wrong_invitation_link_leaves_no_frames_for_the_collector(app):
    client = app.test_client()
    statuses = []
    assert (
        _cyclic_garbage(
            lambda: statuses.append(client.get("/invite/eyJpIjoxfQ.AAAA.BBBB").status_code)
        )
        == []
    )
    assert statuses[0] < 500


@pytest.fixture
def gunicorn(app):
    port = _port()
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
        "PYTHONFAULTHANDLER": "1",
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
    while len(workers_of(server.pid)) < 2 or Visitor(port).get("/")[0] == DROPPED:
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.1)
    yield server, port
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def test_the_three_requests_and_fifty_hostile_ones_kill_no_worker(cycle, gunicorn):
    server, port = gunicorn
    before = workers_of(server.pid)
    visitor = Visitor(port)
    token = walk_to_first_page(visitor, cycle.active_code("member"))
    assert the_three_requests(visitor) == [400, 400, 400]
    answers = malformed(visitor, token, 50, random.Random(16))
    # A fresh member afterwards still walks in: the workers serve on.
    walk_to_first_page(Visitor(port), cycle.active_code("member"))
    assert [kind for kind, status in answers if status == DROPPED] == []
    assert [(kind, status) for kind, status in answers if status >= 500] == []
    assert workers_of(server.pid) == before
    server.send_signal(signal.SIGTERM)
    log = server.communicate(timeout=30)[1]
    assert not re.search(r"SIGSEGV|Segmentation fault|was sent SIG", log), log[-3000:]
