"""The rate limiter does its work only where a limit applies, and counts without threads."""

from __future__ import annotations

import threading
import time

from flask import Flask
from limits.storage import MemoryStorage


class TidyInlineMemoryStorage(MemoryStorage):
    """The limits library's in-process storage ("memory://"), which forgets expired counts
    from a timer thread it starts again after almost every count: on a member's send that
    thread cost more than the count itself (0.1 ms quiet, over 1 ms on a busy machine). This
    one forgets them in the counting request instead, at most once a second. The counts and
    the limits are the same (a moving window compares times whether or not old entries have
    been forgotten yet)."""

    STORAGE_SCHEME = ["memory"]  # replaces the library's own for "memory://"
    TIDY_EVERY = 1.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tidied_at = time.monotonic()
        self._tidy_lock = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's own, renamed by Python
        now = time.monotonic()
        if now - self._tidied_at < self.TIDY_EVERY or not self._tidy_lock.acquire(False):
            return
        try:
            self._tidied_at = now
            self._MemoryStorage__expire_events()
        finally:
            self._tidy_lock.release()


# Limits that would apply to every route; Inquiry sets none (each limited route carries its
# own limit), but a deployment may.
_EVERY_ROUTE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app: Flask, limiter) -> None:
    """Flask-Limiter checks every request before its view, for limits that apply to every
    route. With none set, that check finds nothing on each member page and send: drop it.
    A limited route still checks its own limits, in its decorator."""
    if any(app.config.get(name) for name in _EVERY_ROUTE):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [h for h in hooks if h != limiter._check_request_limit]
