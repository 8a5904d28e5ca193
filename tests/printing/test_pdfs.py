"""PDFs are made by the render worker, away from members' requests, and handed out to the
people who may see what they show."""

from __future__ import annotations

import subprocess
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.http import parse_options_header

from inquiry.core.models import utcnow
from inquiry.extensions import db
from inquiry.printing.models import PdfDocument
from inquiry.printing.services import (
    MAX_ATTEMPTS,
    claim_next,
    purge_unused,
    render_next,
    request_pdf,
)

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, form_fields, parse
from ..pdfs import fetch_pdf, make_waiting_pdfs


@pytest.fixture
def facilitator_cycle(app, client):
    """A signed-in facilitator and an open cycle of their group; returns the cycle id."""
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle_id = make_open_cycle(group).id
    assert sign_in(client, "f@example.org").status_code == 302
    return cycle_id


def _documents(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                sa.select(PdfDocument.filename, PdfDocument.status).order_by(PdfDocument.id)
            )
        ]


def test_the_web_request_only_asks_and_the_worker_makes_the_pdf(app, client, facilitator_cycle):
    url = f"/workspace/cycles/{facilitator_cycle}/summary.pdf?lang=en_GB"
    asked = client.get(url)
    assert asked.status_code == 303
    waiting_url = asked.headers["Location"]
    page = check_page(client.get(waiting_url))
    assert page.h1.get_text() == "Making your PDF"
    assert page.find("a", string="Download the PDF")["href"] == waiting_url
    assert page.find(attrs={"role": "status"}).find("p").has_attr("hidden")
    assert page.find("script", src=lambda src: src and "pdf-wait.js" in src)
    status_url = page.find(class_="pdf-wait")["data-status-url"]
    assert client.get(status_url).get_json() == {"status": "waiting"}
    # Without a worker, "Download the PDF" brings the waiting page back.
    assert parse(client.get(waiting_url)).h1.get_text() == "Making your PDF"

    assert make_waiting_pdfs(app) == 1
    assert client.get(status_url).get_json() == {"status": "ready"}
    ready = client.get(waiting_url)
    assert ready.mimetype == "application/pdf"
    disposition, options = parse_options_header(ready.headers["Content-Disposition"])
    assert (disposition, options) == (
        "attachment",
        {"filename": f"summary-{facilitator_cycle}-en_GB.pdf"},
    )
    # The same summary again: the worker builds its HTML, finds nothing changed, and hands
    # out the same file without making it twice.
    again = client.get(url)
    assert again.status_code == 303 and again.headers["Location"] != waiting_url
    renders = []
    with app.app_context():
        assert render_next(render=lambda html: renders.append(html) or b"%PDF-new")
        db.session.remove()
    assert renders == []
    assert client.get(again.headers["Location"]).data == ready.data
    name = f"summary-{facilitator_cycle}-en_GB.pdf"
    assert _documents(app) == [(name, "ready"), (name, "ready")]
    with app.app_context():
        rows = db.session.execute(
            sa.select(PdfDocument.html, PdfDocument.pdf, PdfDocument.path)
        ).all()
        assert {(html, pdf) for html, pdf, _path in rows} == {(None, None)}  # no bytes kept
        assert len({path for *_, path in rows}) == 1  # one file


def test_a_changed_summary_is_a_new_pdf(app, client, facilitator_cycle):
    url = f"/workspace/cycles/{facilitator_cycle}/summary.pdf?lang=en_GB"
    fetch_pdf(app, client, url)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        db.session.get(Cycle, facilitator_cycle).title = "Autumn, renamed"
        db.session.commit()
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=fetch_pdf(app, client, url),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Autumn, renamed" in text
    assert [status for _name, status in _documents(app)] == ["ready", "ready"]


def test_closing_a_cycle_starts_its_summary_so_printing_is_instant(app, client, facilitator_cycle):
    cycle_url = f"/workspace/cycles/{facilitator_cycle}"
    # With no extra time for late answers, the summary's figures are final at once.
    page = parse(client.get(cycle_url + "/close"))
    close = client.post(
        cycle_url + "/close", data={**form_fields(page, cycle_url + "/close"), "grace": "0"}
    )
    assert close.status_code == 302
    assert _documents(app) == [(f"summary-{facilitator_cycle}-en_GB.pdf", "waiting")]
    assert make_waiting_pdfs(app) == 1
    # Printing asks the worker, which finds the summary made on closing unchanged: no render.
    asked = client.get(cycle_url + "/summary.pdf")
    assert asked.status_code == 303
    with app.app_context():
        assert render_next(render=lambda html: pytest.fail("made twice"))
        db.session.remove()
    printed = client.get(asked.headers["Location"])
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"


def test_other_people_cannot_reach_a_pdf_or_its_progress(app, client, facilitator_cycle):
    asked = client.get(f"/workspace/cycles/{facilitator_cycle}/poster.pdf")
    waiting_url = asked.headers["Location"]
    with app.app_context():
        other_group = make_group(name="Choir")
        make_user("facilitator", other_group.network, [other_group], email="o@example.org")
        coordinator = make_user("coordinator", other_group.network, email="c@example.org")
        db.session.commit()
        rollup = request_pdf("<p>roll-up</p>", "rollup.pdf", network_id=coordinator.network_id)
        db.session.commit()
        rollup_url = f"/workspace/pdfs/{rollup.id}"
    other = app.test_client()
    assert sign_in(other, "o@example.org").status_code == 302
    for url in (waiting_url, waiting_url + "/status", rollup_url, rollup_url + "/status"):
        assert other.get(url).status_code == 404, url
    assert client.get(rollup_url).status_code == 404  # another network's roll-up
    anonymous = app.test_client()
    assert anonymous.get(waiting_url).status_code == 302  # to the sign-in page
    coordinator_client = app.test_client()
    assert sign_in(coordinator_client, "c@example.org").status_code == 302
    assert coordinator_client.get(rollup_url).status_code == 200


def test_a_pdf_that_cannot_be_made_says_so_and_can_be_asked_for_again(
    app, client, facilitator_cycle
):
    asked = client.get(f"/workspace/cycles/{facilitator_cycle}/paper/member.pdf")
    waiting_url = asked.headers["Location"]

    def broken(_html):
        raise RuntimeError("no fonts today")

    with app.app_context():
        for _attempt in range(MAX_ATTEMPTS):
            assert render_next(render=broken)
            db.session.remove()
        assert render_next(render=broken) is False  # given up: nothing left to take
    page = check_page(client.get(waiting_url))
    assert page.h1.get_text() == "We could not make this PDF"
    assert "Go back and ask for it again" in page.get_text()
    assert page.find("a", string="Go back")["href"] == f"/workspace/cycles/{facilitator_cycle}"
    again = client.get(f"/workspace/cycles/{facilitator_cycle}/paper/member.pdf")
    assert again.headers["Location"] == waiting_url
    assert make_waiting_pdfs(app) == 1
    assert client.get(waiting_url).mimetype == "application/pdf"


def test_a_render_left_by_a_worker_that_died_is_taken_again(app):
    with app.app_context():
        cycle_id = make_open_cycle().id
        fresh = request_pdf("<p>fresh</p>", "a.pdf", cycle_id=cycle_id)
        stale = request_pdf("<p>stale</p>", "b.pdf", cycle_id=cycle_id)
        for document, seconds in ((fresh, 5), (stale, 31)):  # claims renewed every 10 s
            document.status = "rendering"
            document.started_at = utcnow() - timedelta(seconds=seconds)
        db.session.commit()
        stale_id = stale.id
        assert claim_next() == stale_id
        assert claim_next() is None  # the other is still being made by a live worker


def test_two_workers_never_take_the_same_pdf(app):
    with app.app_context():
        cycle_id = make_open_cycle().id
        for n in range(6):
            request_pdf(f"<p>{n}</p>", f"{n}.pdf", cycle_id=cycle_id)
        db.session.commit()
    taken, lock = [], threading.Lock()

    def take():
        with app.app_context():
            while (document_id := claim_next()) is not None:
                with lock:
                    taken.append(document_id)
            db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == len(set(taken)) == 6


def test_withdrawing_an_answer_forgets_the_cycles_pdfs(app, client, cycle):
    from ..reflection import send, start

    start(client, cycle.active_code("member"))
    send(client)
    receipt = parse(client.get("/reflect/done")).find(class_="receipt").get_text()
    with app.app_context():
        request_pdf("<p>with that answer</p>", "s.pdf", cycle_id=cycle.id)
        db.session.commit()
    page = check_page(client.get("/withdraw"))
    withdrawn = client.post("/withdraw", data={**form_fields(page), "receipt": receipt})
    assert withdrawn.status_code == 200
    assert _documents(app) == []


def test_pdfs_nobody_asked_for_in_a_month_are_deleted(app):
    with app.app_context():
        cycle_id = make_open_cycle().id
        old = request_pdf("<p>old</p>", "old.pdf", cycle_id=cycle_id)
        request_pdf("<p>new</p>", "new.pdf", cycle_id=cycle_id)
        old.used_at = utcnow() - timedelta(days=31)
        db.session.commit()
        assert purge_unused() == 1
        db.session.commit()
    assert _documents(app) == [("new.pdf", "waiting")]


def test_the_worker_command_makes_what_is_waiting(app, client, facilitator_cycle):
    client.get(f"/workspace/cycles/{facilitator_cycle}/poster.pdf")
    result = app.test_cli_runner().invoke(args=["render-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Made 1 PDFs." in result.output
    assert _documents(app) == [(f"poster-{facilitator_cycle}-member.pdf", "ready")]


def test_a_document_belongs_to_one_cycle_or_one_network(app):
    with app.app_context(), pytest.raises(ValueError):
        request_pdf("<p>x</p>", "x.pdf")


def test_pdfs_are_made_in_a_child_process_that_only_uses_idle_cpu(app):
    import os

    from inquiry.printing.worker import LowPriorityRenderer

    before = os.nice(0)
    renderer = LowPriorityRenderer(19, app.static_folder)
    try:
        assert renderer.pool.submit(os.getpid).result() != os.getpid()
        assert renderer.pool.submit(os.nice, 0).result() == 19
        assert renderer.pool.submit(os.sched_getscheduler, 0).result() == os.SCHED_IDLE
        pdf = renderer('<html lang="en"><title>T</title><p>Made away from members</p></html>')
    finally:
        renderer.close()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Made away from members" in text
    assert os.nice(0) == before  # the worker itself keeps its priority for database writes


def test_a_pdf_is_a_private_file_checked_against_its_digest(app, client, facilitator_cycle):
    import hashlib
    import os
    import stat

    from inquiry.printing.services import pdf_folder

    url = f"/workspace/cycles/{facilitator_cycle}/summary.pdf?lang=en_GB"
    pdf = fetch_pdf(app, client, url)
    with app.app_context():
        document = db.session.scalar(sa.select(PdfDocument))
        folder = pdf_folder()
        path = folder / document.path
        assert document.pdf is None and document.pdf_digest == hashlib.sha256(pdf).hexdigest()
        assert path.read_bytes() == pdf and path.parent == folder
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert not [p for p in folder.iterdir() if p.suffix == ".tmp"]  # written, then renamed
        waiting_url = f"/workspace/pdfs/{document.id}"
    path.write_bytes(b"%PDF-1.7 not what was made")  # changed on disk: never handed out
    page = check_page(client.get(waiting_url))
    assert page.h1.get_text() == "Making your PDF"
    assert make_waiting_pdfs(app) == 1  # made again from the cycle
    assert client.get(waiting_url).data == pdf
    path.unlink()  # gone: made again too
    assert check_page(client.get(waiting_url)).h1.get_text() == "Making your PDF"
    assert make_waiting_pdfs(app) == 1
    assert client.get(waiting_url).data == pdf


def test_files_of_forgotten_pdfs_are_swept(app, client, facilitator_cycle, monkeypatch):
    from inquiry.printing import services

    monkeypatch.setattr(services, "SWEEP_GRACE", -1)
    with app.app_context():
        services.sweep_files()  # what earlier tests left
    fetch_pdf(app, client, f"/workspace/cycles/{facilitator_cycle}/summary.pdf?lang=en_GB")
    with app.app_context():
        folder = services.pdf_folder()
        assert services.sweep_files() == 0  # still used
        services.forget_cycle_pdfs(facilitator_cycle)
        db.session.commit()
        assert services.sweep_files() == 1
        assert list(folder.iterdir()) == []
