"""A full disk, for real: the database lives on a tiny tmpfs that is then filled up. Every
save answers 503, keeps what the member typed on the page, and nothing says "saved"."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from flask_migrate import upgrade

from inquiry import create_app
from inquiry.extensions import db
from inquiry.questions.services import sync_bank

from .factories import make_open_cycle
from .pages import form_fields, parse
from .reflection import start


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        if os.environ.get("INQUIRY_REQUIRE_DISK_FAULTS") == "1":
            pytest.fail(f"could not mount a tmpfs: {mounted.stderr.decode()}")
        pytest.skip("mounting a small disk needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> None:
    with (disk / "filler").open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass


def test_a_full_disk_answers_503_and_keeps_the_answers(small_disk):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "LINK_KEY": "y",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{small_disk}/full.sqlite",
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
        sync_bank()
        db.session.commit()
        code = make_open_cycle().active_code("member")
    client = app.test_client()
    start(client, code)
    page = form_fields(parse(client.get("/reflect/6")))
    check = form_fields(parse(client.get("/reflect/8")), "/reflect/send")
    _fill(small_disk)
    try:
        typed = client.post("/reflect/6", data={**page, "q-open-anything_else": "word " * 900})
        sent = client.post("/reflect/send", data=check)
    finally:
        (small_disk / "filler").unlink()
        with app.app_context():
            db.engine.dispose()
    assert typed.status_code == 503
    assert "word word word" in typed.get_data(as_text=True)
    assert sent.status_code == 503
    body = sent.get_data(as_text=True)
    assert "We could not save this" in body and "Thank you" not in body
    with app.app_context():
        from sqlalchemy import func, select

        from inquiry.responses.models import Response

        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        db.engine.dispose()
