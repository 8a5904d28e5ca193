"""The database goes away while a member is on a page: the 503 keeps what they posted.

When the very first query of a page fails (a PostgreSQL outage; on SQLite a database file
gone), there are no questions to draw the page with, so the calm 503 keeps the posted form
itself: it shows what the member wrote and sends the same form again, with its own token,
once the database is back; nothing is lost and nothing is saved twice. One test stops a real
PostgreSQL server under a real gunicorn; the other takes a SQLite file away in-process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from inquiry.extensions import db
from inquiry.responses.models import Draft

from .pages import parse
from .reflection import start

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from common import setup  # noqa: E402
from hostile_mix import DROPPED, TOKEN, Visitor  # noqa: E402

from .servers import free_port as _port

GUNICORN = Path(sys.executable).parent / "gunicorn"
WORDS = "The walks help me more than I expected"
FORM = "application/x-www-form-urlencoded"


def _kept(page) -> tuple[str, list[tuple[str, str]]]:
    """The kept form's action and hidden fields."""
    form = page.find("form", action=True, method="post")
    fields = [(i["name"], i.get("value", "")) for i in form.find_all("input", type="hidden")]
    return form["action"], fields


def _says_kept(page) -> None:
    assert page.h1.get_text() == "We could not save this just now"
    assert "Your answers are kept on this page" in page.get_text()
    assert [q.get_text() for q in page.find_all("blockquote")] == [WORDS]
    assert page.title.get_text().startswith("We could not save this just now")


# SQLite, in-process ----------------------------------------------------------------------


def test_a_sqlite_file_gone_keeps_the_posted_answers(app, cycle):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("see the PostgreSQL test below")
    client = app.test_client()
    start(client, cycle.active_code("member"))
    token = TOKEN.search(client.get("/reflect/6").get_data(as_text=True))[1]
    with app.app_context():
        engine = db.engine
        database = Path(engine.url.database)
    aside = database.with_name("aside")
    aside.mkdir()
    engine.dispose()
    names = [p.name for p in database.parent.glob(database.name + "*")]
    for name in names:
        (database.parent / name).rename(aside / name)
    try:
        # SQLite makes a new, empty file: the draft cannot even be looked up.
        refused = client.post(
            "/reflect/6", data={"csrf_token": token, "q-open-anything_else": WORDS}
        )
        assert refused.status_code == 503
        page = parse(refused)
        _says_kept(page)
        action, fields = _kept(page)
    finally:
        engine.dispose()
        for path in database.parent.glob(database.name + "*"):
            path.unlink()
        for name in names:
            (aside / name).rename(database.parent / name)
        aside.rmdir()
    assert action == "/reflect/6"
    assert ("q-open-anything_else", WORDS) in fields and ("csrf_token", token) in fields
    again = client.post(action, data=dict(fields))
    assert again.status_code == 302
    with app.app_context():
        (draft,) = db.session.scalars(sa.select(Draft))
        assert draft.answers["open.anything_else"] == WORDS


# PostgreSQL, a real server stopped and started under gunicorn ------------------------------


def _as_postgres(command: list[str]) -> None:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["su", "postgres", "-c", " ".join(command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def postgres():
    initdb = shutil.which("initdb") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None
    )
    if initdb is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = Path(initdb).parent
    folder = Path(tempfile.mkdtemp(prefix="inquiry-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _port()
    data = folder / "data"
    _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
    options = f"'-k {folder} -h 127.0.0.1 -p {port}'"
    ctl = str(bin_dir / "pg_ctl")

    def start_server():
        _as_postgres(
            [ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        )

    def stop_server():
        _as_postgres([ctl, "-D", str(data), "-m", "fast", "-w", "stop"])

    start_server()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", start_server, stop_server
    finally:
        subprocess.run(
            ["su", "postgres", "-c", f"{ctl} -D {data} -m immediate stop"]
            if os.geteuid() == 0
            else [ctl, "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgresql_outage_keeps_the_posted_answers(postgres):
    url, start_server, stop_server = postgres
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INQUIRY_SECRET_KEY": "outage",
        "INQUIRY_LINK_KEY": "outage",
    }
    env.pop("INQUIRY_SQLALCHEMY_DATABASE_URI", None)
    code = setup(env)
    port = _port()
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "inquiry:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while Visitor(port).get("/")[0] == DROPPED:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        member = Visitor(port)
        _status, page = member.follow(f"/j/{code}")
        member.post("/reflect", f"csrf_token={TOKEN.search(page)[1]}".encode())
        _status, page = member.follow("/reflect/6")
        token = TOKEN.search(page)[1]
        stop_server()
        body = f"csrf_token={token}&q-open-anything_else={WORDS.replace(' ', '+')}".encode()
        status, text, _location = member.post("/reflect/6", body)
        assert status == 503
        kept = BeautifulSoup(text, "html.parser")
        _says_kept(kept)
        action, fields = _kept(kept)
        assert action == "/reflect/6"
        start_server()
        from urllib.parse import urlencode

        status, _text, location = member.post(action, urlencode(fields).encode())
        assert status == 302 and location.endswith("/reflect/7")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        answers = connection.execute(sa.text("SELECT answers FROM draft")).scalar_one()
    engine.dispose()
    assert WORDS in str(answers)
