"""A SQLite file that is read-only while a worker starts, then writable again: the next send
is stored. SQLite silently opens a file it cannot write read-only, and such a connection
stays read-only (pool_pre_ping's SELECT 1 still passes), so a refused write must throw the
connection away. A real gunicorn is started here; as root (who may write any file) the
file is made immutable instead, which SQLite cannot write either."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from common import setup  # noqa: E402
from hostile_mix import DROPPED, TOKEN, Visitor  # noqa: E402

from .servers import free_port as _port

GUNICORN = Path(sys.executable).parent / "gunicorn"
SUBMISSION = re.compile(r'name="submission_token" type="hidden" value="([^"]+)"')


def _lock(path: Path, locked: bool) -> None:
    """Make the file impossible to write, for real: its mode for a user, and for root (who
    may write any file whatever its mode) the immutable attribute, which stops root too."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if locked else "-i", str(path)], check=True)
    else:
        path.chmod(0o400 if locked else 0o600)


@pytest.fixture
def spell(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a SQLite file's mode")
    if os.geteuid() == 0 and shutil.which("chattr") is None:
        pytest.skip("as root the file can only be made read-only with chattr")
    folder = Path(tempfile.mkdtemp(prefix="inquiry-readonly-"))
    database = folder / "spell.sqlite"
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INQUIRY_SECRET_KEY": "spell",
        "INQUIRY_LINK_KEY": "spell",
    }
    env.pop("DATABASE_URL", None)
    code = setup(env)
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    try:
        _lock(database, True)
    except subprocess.CalledProcessError:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip("this file system has no immutable attribute")
    port = _port()
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--error-logfile",
            "-",
            "inquiry:create_app()",
        ],
        env=env,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while Visitor(port).get("/")[0] == DROPPED:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield port, code, lambda: _lock(database, False), database
    finally:
        server.send_signal(signal.SIGTERM)
        log = server.communicate(timeout=30)[0]
        _lock(database, False)
        shutil.rmtree(folder, ignore_errors=True)
    assert "refused a write" in log  # the log says what happened, and what to check


def test_after_a_read_only_spell_the_next_send_is_stored(spell):
    port, code, writable, database = spell
    member = Visitor(port)
    _status, start = member.follow(f"/j/{code}")
    token = TOKEN.search(start)[1]
    # Read-only: the start cannot be saved; the page says so and keeps the member there.
    for _ in range(3):
        status, page, _location = member.post("/reflect", f"csrf_token={token}".encode())
        assert status == 503
    writable()
    status, _page, location = member.post("/reflect", f"csrf_token={token}".encode())
    assert (status, location.endswith("/reflect/1")) == (302, True)
    _status, page = member.follow("/reflect/1")
    member.post(
        "/reflect/1",
        f"csrf_token={TOKEN.search(page)[1]}&q-shared_aims-know_aims=4".encode(),
    )
    _status, check = member.follow("/reflect/8")
    submission = SUBMISSION.search(check)[1]
    status, _page, location = member.post(
        "/reflect/send",
        f"csrf_token={TOKEN.search(check)[1]}&submission_token={submission}".encode(),
    )
    assert (status, location.endswith("/reflect/done")) == (302, True)
    with sqlite3.connect(database) as stored:
        tokens = [row[0] for row in stored.execute("SELECT submission_token FROM response")]
    assert tokens == [submission]
