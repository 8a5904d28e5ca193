"""The render worker's loop: make waiting PDFs one at a time, tidy up now and then."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from ..core.models import utcnow
from ..core.serving import die_with_parent
from ..extensions import db
from .services import purge_unused, render_next, sweep_files

POLL_SECONDS = 0.5
PURGE_EVERY = 3600.0
# Files of forgotten PDFs (after a withdrawal, a quote taken out) go soon after their rows.
SWEEP_EVERY = 60.0


def _lower_priority(nice: int, parent: int) -> None:
    # The render child dies with the worker (killed mid-PDF, it would run on, holding its
    # memory and the resource tracker, as an orphan of PID 1).
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    os.nice(nice)
    if nice == 19 and hasattr(os, "SCHED_IDLE"):
        # The lowest: Linux runs it only when a CPU has nothing else to do.
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the worker to handle
    import weasyprint  # noqa: F401 - load it once, before the first PDF


class LowPriorityRenderer:
    """Makes PDFs in a child process at a lower CPU priority. The worker itself keeps normal
    priority for its short database writes: a starved process must never sit on SQLite's
    write lock while members wait for it."""

    def __init__(self, nice: int, static_folder: str):
        self.nice, self.static_folder = nice, static_folder
        self.pool = self._start()
        # Start the child (and load WeasyPrint) now, not at the first PDF.
        self.pool.submit(os.getpid)

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
            initargs=(self.nice, os.getpid()),
        )

    def __call__(self, html: str) -> bytes:
        from ..reports.pdf import render_pdf_with

        try:
            return self.pool.submit(render_pdf_with, html, self.static_folder).result()
        except BrokenProcessPool:
            self.pool = self._start()  # the child died (out of memory?): a fresh one
            raise

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


# While a PDF is made its claim is renewed this often; a claim not renewed for
# services.STALE_AFTER belonged to a worker that died, and another worker takes the PDF.
HEARTBEAT_SECONDS = 10.0


@contextmanager
def keep_claim(document_id: int, every: float = HEARTBEAT_SECONDS):
    """Renew the claim on a PDF (its started_at) from a thread while it is being made."""
    from .models import PdfDocument

    app = current_app._get_current_object()
    done = threading.Event()

    def beat():
        with app.app_context():
            while not done.wait(every):
                try:
                    with db.engine.begin() as connection:
                        connection.execute(
                            sa.update(PdfDocument)
                            .where(PdfDocument.id == document_id, PdfDocument.status == "rendering")
                            .values(started_at=utcnow())
                        )
                except SQLAlchemyError as error:
                    app.logger.error(
                        "PDF worker: could not renew a claim: %s", type(error).__name__
                    )

    thread = threading.Thread(target=beat, name=f"claim-{document_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def run(
    stop: threading.Event, *, once: bool = False, poll: float = POLL_SECONDS, render=None
) -> int:
    """Make PDFs until `stop` is set (or, with once, until the queue is empty); returns how
    many were taken from the queue. A database outage is waited out, not fatal."""
    made, last_purge, last_sweep = 0, float("-inf"), float("-inf")
    while not stop.is_set():
        try:
            if time.monotonic() - last_purge > PURGE_EVERY:
                purge_unused()
                db.session.commit()
                last_purge = time.monotonic()
            if time.monotonic() - last_sweep > SWEEP_EVERY:
                sweep_files()
                last_sweep = time.monotonic()
            worked = render_next(render)
        except SQLAlchemyError as error:
            db.session.rollback()
            current_app.logger.error("PDF worker: database error %s", type(error).__name__)
            worked = False
        finally:
            db.session.remove()
        if worked:
            made += 1
        elif once:
            break
        else:
            stop.wait(poll)
    return made
