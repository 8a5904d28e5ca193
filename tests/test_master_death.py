"""After `kill -9` of the gunicorn master its workers end too and the port is free at once,
so a restarted server binds it (with the settings `make run` uses)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile_mix import DROPPED, Visitor, workers_of  # noqa: E402

from .servers import free_port as _port
from .servers import start_gunicorn  # noqa: E402


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _serve(app, port: int) -> subprocess.Popen:
    server = start_gunicorn(app, port)
    deadline = time.monotonic() + 30
    while len(workers_of(server.pid)) < 2 or Visitor(port).get("/")[0] == DROPPED:
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.1)
    return server


def test_workers_die_with_their_master_and_the_port_frees_at_once(app):
    port = _port()
    server = _serve(app, port)
    workers = workers_of(server.pid)
    killed_at = time.monotonic()
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() - killed_at < 5, "workers outlived their master"
        time.sleep(0.05)
    again = _serve(app, port)  # binds the same port
    try:
        assert Visitor(port).get("/")[0] == 200
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)
