"""A real gunicorn with make run's settings, on this test run's database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    """A port nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app, port: int, workers: int = 2) -> subprocess.Popen:
    """gunicorn serving the app as `make run` does (inquiry.core.serving), not yet waited for."""
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
    }
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "python:inquiry.core.serving",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "inquiry:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def serve_database(env: dict, port: int, log: Path, workers: int = 2) -> subprocess.Popen:
    """gunicorn as `make run` starts it, for a database and settings given only in `env` (as
    an operator's shell would have them), its errors in `log`, waited for until it answers."""
    import time
    import urllib.request

    with log.open("ab") as errors:  # the child keeps its own copy
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "python:inquiry.core.serving", "--workers", str(workers)]
            + ["--bind", f"127.0.0.1:{port}", "inquiry:create_app()"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=2):
                return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.1)
