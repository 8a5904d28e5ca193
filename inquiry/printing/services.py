"""The PDF queue. Web requests only ask; the render worker makes PDFs, at a lower priority,
so a facilitator printing never slows down members sending their answers."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import threading
from datetime import timedelta
from pathlib import Path

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


def pdf_folder() -> Path:
    """Where PDFs are kept: beside the database in the instance folder (PDF_FOLDER to move
    them), for this user only."""
    folder = Path(current_app.config.get("PDF_FOLDER") or Path(current_app.instance_path) / "pdfs")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _write_pdf(pdf: bytes) -> tuple[str, str]:
    """Write a PDF atomically (a private temporary file, flushed to disk, then renamed into
    place); returns its file name and SHA-256. The same bytes are one file."""
    digest = hashlib.sha256(pdf).hexdigest()
    folder = pdf_folder()
    name = f"{digest}.pdf"
    if not _file_holds(folder / name, digest):
        tmp = folder / f".{digest}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, folder / name)
        finally:
            tmp.unlink(missing_ok=True)
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return name, digest


def _file_holds(path: Path, digest: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def read_pdf(document: PdfDocument) -> bytes | None:
    """The bytes of a made PDF, or None when its file is gone or not what was written."""
    if document.path is None:
        return document.pdf
    try:
        pdf = (pdf_folder() / Path(document.path).name).read_bytes()
    except OSError:
        pdf = None
    if pdf is None or hashlib.sha256(pdf).hexdigest() != document.pdf_digest:
        current_app.logger.error("PDF %s: its file is missing or changed", document.id)
        return None
    return pdf


def summary_filename(cycle_id: int, variant: str, language: str) -> str:
    return f"summary-{cycle_id}{'-' + variant if variant else ''}-{language}.pdf"


def request_summary_pdf(
    cycle_id: int, variant: str, language: str, filename: str | None = None
) -> PdfDocument:
    """Ask the render worker for a cycle's summary as a PDF: it builds the HTML from the
    cycle, so the web request does no more than this. A request not yet taken is shared."""
    filename = filename or summary_filename(cycle_id, variant, language)
    recipe = f"summary|{variant}|{language}"
    document = db.session.scalar(
        sa.select(PdfDocument)
        .filter_by(cycle_id=cycle_id, recipe=recipe, status="waiting")
        .order_by(PdfDocument.id.desc())
        .limit(1)
    )
    if document is None:
        document = PdfDocument(
            digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            filename=filename,
            cycle_id=cycle_id,
            recipe=recipe,
            status="waiting",
        )
        db.session.add(document)
        db.session.flush()
    return document


def _build_html(recipe: str, cycle_id: int) -> str:
    """The finished HTML of a recipe, built at a low CPU priority in a thread of its own
    (members' requests come first; it only reads the database)."""
    from ..cycles.models import Cycle
    from ..reports.render import summary_document

    kind, variant, language = recipe.split("|")
    if kind != "summary":
        raise ValueError(f"unknown recipe {kind!r}")
    app = current_app._get_current_object()
    built: dict = {}

    def build():
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        try:
            with app.test_request_context():
                cycle = db.session.get(Cycle, cycle_id)
                built["html"] = summary_document(cycle, language, variant)[0]
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - handed back to the caller
            built["error"] = error

    thread = threading.Thread(target=build, name=f"build-{cycle_id}", daemon=True)
    thread.start()
    thread.join()
    if "error" in built:
        raise built["error"]
    return built["html"]


def render_next(render=None) -> bool:
    """Make the oldest waiting PDF. Returns False when the queue was empty."""
    from ..reports.pdf import render_pdf

    document_id = claim_next()
    if document_id is None:
        return False
    html, recipe, cycle_id, attempts = db.session.execute(
        sa.select(
            PdfDocument.html, PdfDocument.recipe, PdfDocument.cycle_id, PdfDocument.attempts
        ).filter_by(id=document_id)
    ).one()
    db.session.commit()  # hold no transaction while building or rendering
    finished = sa.update(PdfDocument).where(
        PdfDocument.id == document_id, PdfDocument.status == "rendering"
    )
    from .worker import keep_claim

    try:
        with keep_claim(document_id):
            content = None
            if recipe is not None:
                html = _build_html(recipe, cycle_id)
                content = _digest(html, cycle_id, None)
                # The same summary made before (nothing in it has changed): the same file.
                made = db.session.execute(
                    sa.select(PdfDocument.path, PdfDocument.pdf_digest)
                    .where(
                        PdfDocument.cycle_id == cycle_id,
                        # a summary made by recipe, or from this same HTML (on closing)
                        sa.or_(
                            PdfDocument.content_digest == content, PdfDocument.digest == content
                        ),
                        PdfDocument.status == "ready",
                        PdfDocument.path.is_not(None),
                    )
                    .limit(1)
                ).first()
                db.session.commit()
                if made is not None and _file_holds(pdf_folder() / made.path, made.pdf_digest):
                    path, pdf_digest = made
                else:
                    path, pdf_digest = _write_pdf((render or render_pdf)(html))
            else:
                path, pdf_digest = _write_pdf((render or render_pdf)(html))
    except Exception as error:  # noqa: BLE001 - one bad page must not stop the worker
        db.session.rollback()
        current_app.logger.error("could not make PDF %s: %s", document_id, type(error).__name__)
        status = "failed" if attempts >= MAX_ATTEMPTS else "waiting"
        db.session.execute(finished.values(status=status, finished_at=utcnow()))
    else:
        db.session.execute(
            finished.values(
                status="ready",
                path=path,
                pdf_digest=pdf_digest,
                content_digest=content,
                pdf=None,
                html=None,
                finished_at=utcnow(),
            )
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


# A file written this recently may belong to a row not committed yet: left alone.
SWEEP_GRACE = 300


def sweep_files() -> int:
    """Delete PDF files no row refers to any more (their PDFs were forgotten after a
    withdrawal or a quote taken out, or purged); returns how many."""
    import time

    folder = pdf_folder()
    kept = set(db.session.scalars(sa.select(PdfDocument.path).where(PdfDocument.path.is_not(None))))
    db.session.commit()
    removed = 0
    for path in folder.iterdir():
        if path.name in kept:
            continue
        try:
            if time.time() - path.stat().st_mtime > SWEEP_GRACE:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
