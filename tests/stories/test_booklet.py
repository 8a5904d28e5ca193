"""The coordinator's booklet of every group's chosen story with its reasons, printed through
the render worker as the summary is, and read back from the PDF's text layer."""

from __future__ import annotations

import subprocess

from inquiry.extensions import db
from inquiry.stories import services

from ..accounts.test_login import sign_in
from ..factories import make_group, make_network, make_open_cycle, make_user
from ..pages import check_page
from ..pdfs import fetch_pdf
from ..printing.reading import embedded_fonts, pdf_text, pdfua_problems
from .helpers import shortlisted

REASONS = "It shows how the walks gave someone the courage to go out again."


def _network_with_chosen_stories(app):
    with app.app_context():
        network = make_network(name="Riverside")
        walking = make_open_cycle(make_group(network, name="Walking Group"), title="Spring")
        craft = make_open_cycle(make_group(network, name="Craft Café"), title="Summer")
        make_open_cycle(make_group(network, name="Allotment"))  # no story round
        elsewhere = make_open_cycle(make_group(make_network(), name="Elsewhere"))
        for cycle, reasons in (
            (walking, REASONS),
            (craft, "Because we laughed."),
            (elsewhere, "x"),
        ):
            story = shortlisted(cycle, 2)[1]
            services.record_choice(cycle.id, story.id, reasons, None)
        db.session.commit()
        return make_user("coordinator", network).email


def test_the_coordinator_sees_and_prints_every_groups_chosen_story(app, client, tmp_path):
    email = _network_with_chosen_stories(app)
    assert sign_in(client, email).status_code == 302
    page = check_page(client.get("/workspace/stories"))
    text = page.get_text()
    assert "Walking Group" in text and "Craft Café" in text and REASONS in text
    assert "Elsewhere" not in text and "Allotment" not in text
    pdf = fetch_pdf(app, client, "/workspace/stories.pdf")
    read = " ".join(pdf_text(pdf).split())
    assert read.startswith("STORIES OF CHANGE Riverside")  # the kicker is set in capitals
    for phrase in ("Walking Group · Spring", "Story 2", REASONS):
        assert phrase in read, phrase
    assert "Elsewhere" not in read
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info
    assert all(embedded_fonts(pdf).values())
    (tmp_path / "booklet.pdf").write_bytes(pdf)
    assert pdfua_problems(tmp_path / "booklet.pdf") == []
