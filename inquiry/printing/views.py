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
from .services import request_pdf

bp = Blueprint("printing", __name__)

# After this long, the waiting page says the worker may not be running.
SLOW_AFTER = timedelta(seconds=60)


def _attachment(document: PdfDocument):
    return attachment(document.pdf, "application/pdf", document.filename)


def pdf_response(
    html: str, filename: str, *, cycle_id: int | None = None, network_id: int | None = None
):
    """The PDF of this page, or a redirect to the page that waits for it. Commits."""
    document = request_pdf(html, filename, cycle_id=cycle_id, network_id=network_id)
    db.session.commit()
    if document.status == "ready":
        return _attachment(document)
    return redirect(url_for("printing.waiting", document_id=document.id), 303)


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
        document.used_at = utcnow()
        db.session.commit()
        return _attachment(document)
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
