"""A render worker killed in the middle of a PDF: its PDF child dies with it (no orphan
holding memory), and a healthy worker takes the PDF again as soon as the dead one's claim
stops being renewed (services.STALE_AFTER), not ten minutes later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from inquiry.extensions import db
from inquiry.printing.models import PdfDocument
from inquiry.printing.services import STALE_AFTER, request_pdf
from inquiry.printing.worker import keep_claim

from ..factories import make_open_cycle

INQUIRY = Path(sys.executable).parent / "inquiry"
# About 15 s of WeasyPrint here: long enough to be killed in the middle.
LONG = (
    "<html><body>"
    + "".join(f"<h2>Part {i}</h2><p>{'Words of the group. ' * 200}</p>" for i in range(300))
    + "</body></html>"
)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _document(app, document_id):
    with app.app_context():
        document = db.session.get(PdfDocument, document_id)
        result = (document.status, document.started_at, document.attempts)
        db.session.remove()
        return result


def _pdf_folder(app) -> str:
    from inquiry.printing.services import pdf_folder

    with app.app_context():
        return str(pdf_folder())


def _worker(app) -> subprocess.Popen:
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
        "INQUIRY_PDF_FOLDER": _pdf_folder(app),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [str(INQUIRY), "render-worker", "--nice", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_claim_is_renewed_while_the_pdf_is_made(app):
    with app.app_context():
        document = request_pdf("<p>x</p>", "x.pdf", cycle_id=make_open_cycle().id)
        document.status = "rendering"
        db.session.commit()
        document_id, claimed = document.id, document.started_at
        with keep_claim(document_id, every=0.05):
            time.sleep(0.4)
        db.session.remove()
    status, renewed, _attempts = _document(app, document_id)
    assert status == "rendering" and renewed is not None and (claimed is None or renewed > claimed)


def test_a_worker_killed_mid_pdf_leaves_no_child_and_its_pdf_is_made_by_another(app):
    with app.app_context():
        document_id = request_pdf(LONG, "long.pdf", cycle_id=make_open_cycle().id).id
        db.session.commit()
    first = _worker(app)
    try:
        deadline = time.monotonic() + 60
        while _document(app, document_id)[0] != "rendering" or not _children(first.pid):
            assert time.monotonic() < deadline, "the worker never started the PDF"
            time.sleep(0.1)
        time.sleep(1)  # well inside the render
        descendants = set()
        for child in _children(first.pid):
            descendants |= {child} | _children(child)
        assert descendants
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        while any(_alive(pid) for pid in descendants):
            assert time.monotonic() - killed_at < 5, "the PDF child outlived its worker"
            time.sleep(0.05)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=10)
    assert _document(app, document_id)[0] == "rendering"  # the dead worker's claim
    second = _worker(app)
    try:
        # Taken again once the claim is STALE_AFTER old, then made (about 15 s).
        deadline = time.monotonic() + STALE_AFTER.total_seconds() + 90
        while (state := _document(app, document_id))[0] != "ready":
            assert time.monotonic() < deadline, f"the PDF was not made again: {state}"
            time.sleep(0.5)
        assert state[2] == 2  # two attempts: the dead worker's and this one
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=60)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait(timeout=10)
    with app.app_context():
        from inquiry.printing.services import read_pdf

        pdf = read_pdf(db.session.get(PdfDocument, document_id))
        assert pdf.startswith(b"%PDF")
