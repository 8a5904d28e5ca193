"""Asking for a PDF in the workspace as a person would: the page that waits for it, the
render worker making it, then the file."""

from __future__ import annotations

import threading

from .pages import check_page


def make_waiting_pdfs(app) -> int:
    """Run the render worker until the queue is empty; returns how many PDFs it took."""
    from inquiry.printing import worker

    with app.app_context():
        return worker.run(threading.Event(), once=True)


def fetch_pdf(app, client, url: str) -> bytes:
    asked = client.get(url)
    if asked.status_code == 200:  # made before, and handed out at once
        assert asked.mimetype == "application/pdf"
        return asked.data
    assert asked.status_code == 303, asked.status_code
    waiting_url = asked.headers["Location"]
    page = check_page(client.get(waiting_url))
    assert page.h1.get_text() == "Making your PDF"
    assert make_waiting_pdfs(app) >= 1
    ready = client.get(waiting_url)
    assert ready.status_code == 200 and ready.mimetype == "application/pdf"
    assert ready.headers["Content-Disposition"].startswith("attachment;")
    return ready.data
