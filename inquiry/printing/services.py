"""The PDF queue. Web requests only ask; the render worker makes PDFs, at a lower priority,
so a facilitator printing never slows down members sending their answers."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..core.models import utcnow
from ..extensions import db
from .models import PdfDocument

# A worker making a PDF renews its claim every worker.HEARTBEAT_SECONDS (10 s); a claim not
# renewed in this time was on a worker that died: take the PDF again.
STALE_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 3
KEEP_UNUSED = timedelta(days=30)


def _digest(html: str, cycle_id: int | None, network_id: int | None) -> str:
    scope = f"{cycle_id or ''}|{network_id or ''}|"
    return hashlib.sha256((scope + html).encode()).hexdigest()


def request_pdf(
    html: str, filename: str, *, cycle_id: int | None = None, network_id: int | None = None
) -> PdfDocument:
    """The PDF of this HTML: the one already made or queued, or a new one in the queue."""
    if (cycle_id is None) == (network_id is None):
        raise ValueError("a PDF belongs to one cycle or one network")
    digest = _digest(html, cycle_id, network_id)
    values = {
        "digest": digest,
        "filename": filename,
        "cycle_id": cycle_id,
        "network_id": network_id,
        "status": "waiting",
        "html": html,
        "attempts": 0,
        "requested_at": utcnow(),
        "used_at": utcnow(),
    }
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # Two people printing the same page at once make one PDF.
    db.session.execute(insert(PdfDocument).values(values).on_conflict_do_nothing())
    document = db.session.scalar(sa.select(PdfDocument).filter_by(digest=digest))
    if document.status == "failed":
        document.status, document.html, document.attempts = "waiting", html, 0
        document.requested_at = utcnow()
    document.used_at = utcnow()
    db.session.flush()
    return document


def _claimable(now):
    return sa.or_(
        PdfDocument.status == "waiting",
        sa.and_(PdfDocument.status == "rendering", PdfDocument.started_at < now - STALE_AFTER),
    )


def claim_next() -> int | None:
    """Take the oldest waiting PDF for this worker; None when there is nothing to make."""
    while True:
        now = utcnow()
        document_id = db.session.scalar(
            sa.select(PdfDocument.id)
            .where(_claimable(now))
            .order_by(PdfDocument.requested_at, PdfDocument.id)
            .limit(1)
        )
        if document_id is None:
            db.session.commit()
            return None
        # Only one worker wins the row: the update is conditional on it still being free.
        claimed = db.session.execute(
            sa.update(PdfDocument)
            .where(PdfDocument.id == document_id, _claimable(now))
            .values(status="rendering", started_at=now, attempts=PdfDocument.attempts + 1)
        ).rowcount
        db.session.commit()
        if claimed:
            return document_id


def render_next(render=None) -> bool:
    """Make the oldest waiting PDF. Returns False when the queue was empty."""
    from ..reports.pdf import render_pdf

    document_id = claim_next()
    if document_id is None:
        return False
    html, attempts = db.session.execute(
        sa.select(PdfDocument.html, PdfDocument.attempts).filter_by(id=document_id)
    ).one()
    db.session.commit()  # hold no transaction while rendering
    finished = sa.update(PdfDocument).where(
        PdfDocument.id == document_id, PdfDocument.status == "rendering"
    )
    from .worker import keep_claim

    try:
        with keep_claim(document_id):
            pdf = (render or render_pdf)(html)
    except Exception as error:  # noqa: BLE001 - one bad page must not stop the worker
        current_app.logger.error("could not make PDF %s: %s", document_id, type(error).__name__)
        status = "failed" if attempts >= MAX_ATTEMPTS else "waiting"
        db.session.execute(finished.values(status=status, finished_at=utcnow()))
    else:
        db.session.execute(
            finished.values(status="ready", pdf=pdf, html=None, finished_at=utcnow())
        )
    db.session.commit()
    return True


def forget_cycle_pdfs(cycle_id: int) -> None:
    """Drop a cycle's PDFs, made or waiting: after a withdrawal they may say too much."""
    db.session.execute(sa.delete(PdfDocument).where(PdfDocument.cycle_id == cycle_id))


def purge_unused() -> int:
    """Delete PDFs nobody has asked for in a month; returns how many."""
    result = db.session.execute(
        sa.delete(PdfDocument).where(PdfDocument.used_at < utcnow() - KEEP_UNUSED)
    )
    return result.rowcount or 0
