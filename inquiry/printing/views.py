"""Handing out PDFs: at once when made, otherwise a page that waits for the render worker."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import login_required

from ..core.access import get_in_cycle_or_404, network_or_404
from ..core.downloads import attachment
from ..core.models import utcnow
from ..extensions import db
from .models import PdfDocument
from .services import read_pdf, request_pdf, request_summary_pdf

bp = Blueprint("printing", __name__)

# After this long, the waiting page says the worker may not be running.
SLOW_AFTER = timedelta(seconds=60)


def _attachment(document: PdfDocument, pdf: bytes):
    return attachment(pdf, "application/pdf", document.filename)


def _wait_for(document: PdfDocument):
    return redirect(url_for("printing.waiting", document_id=document.id), 303)


def pdf_response(
    html: str, filename: str, *, cycle_id: int | None = None, network_id: int | None = None
):
    """The PDF of this page, or a redirect to the page that waits for it. Commits."""
    document = request_pdf(html, filename, cycle_id=cycle_id, network_id=network_id)
    pdf = read_pdf(document) if document.status == "ready" else None
    if document.status == "ready" and pdf is None:
        # Its file is gone: made again from the same page.
        document.status, document.html, document.attempts = "waiting", html, 0
        document.path = document.pdf_digest = None
    db.session.commit()
    if pdf is not None:
        return _attachment(document, pdf)
    return _wait_for(document)


def summary_pdf_response(cycle_id: int, variant: str, language: str):
    """A cycle's summary as a PDF: the render worker builds it from the cycle, so this request
    only asks (and the page that waits for it hands it out). Commits."""
    document = request_summary_pdf(cycle_id, variant, language)
    db.session.commit()
    return _wait_for(document)


def _get_document_or_404(document_id: int) -> PdfDocument:
    """A PDF for the people who may see what it shows; a 404 for everyone else."""
    document = db.session.get(PdfDocument, document_id)
    if document is None:
        abort(404)
    if document.network_id is None:
        return get_in_cycle_or_404(PdfDocument, document_id)
    if network_or_404() != document.network_id:
        abort(404)
    return document


@bp.route("/pdfs/<int:document_id>")
@login_required
def waiting(document_id: int):
    document = _get_document_or_404(document_id)
    if document.status == "ready":
        pdf = read_pdf(document)
        document.used_at = utcnow()
        if pdf is None:
            # Its file is gone: a summary is made again; a page's PDF is asked for again.
            document.status = "waiting" if document.recipe else "failed"
            document.path = document.pdf_digest = None
            document.attempts = 0
        db.session.commit()
        if pdf is not None:
            return _attachment(document, pdf)
    back = (
        url_for("cycles.show", cycle_id=document.cycle_id)
        if document.cycle_id
        else url_for("reports.rollup_page")
    )
    return render_template(
        "printing/waiting.html",
        document=document,
        back=back,
        slow=utcnow() - document.requested_at > SLOW_AFTER,
    )


@bp.route("/pdfs/<int:document_id>/status")
@login_required
def status(document_id: int):
    return {"status": _get_document_or_404(document_id).status}
