"""A real gunicorn with make run's settings, on this test run's database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GUNICORN = Path(sys.executable).parent / "gunicorn"


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
