"""The render worker's loop: make waiting PDFs one at a time, tidy up now and then."""

from __future__ import annotations

import threading
import time

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .services import purge_unused, render_next

POLL_SECONDS = 0.5
PURGE_EVERY = 3600.0


def run(stop: threading.Event, *, once: bool = False, poll: float = POLL_SECONDS) -> int:
    """Make PDFs until `stop` is set (or, with once, until the queue is empty); returns how
    many were taken from the queue. A database outage is waited out, not fatal."""
    made, last_purge = 0, float("-inf")
    while not stop.is_set():
        try:
            if time.monotonic() - last_purge > PURGE_EVERY:
                purge_unused()
                db.session.commit()
                last_purge = time.monotonic()
            worked = render_next()
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
