"""Headers that every response carries, safe redirects, and limits against stuffing."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, current_app, g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from .errors import forget_tracebacks

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "no-referrer")
    h.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        # Answers and reports must never sit in a shared or back-button cache.
        h["Cache-Control"] = "no-store"
    return response


def local_target(target: str | None, default: str = "/") -> str:
    """`target` when it is a path on this site, else `default`: for every redirect to an
    address that came from a request. Browsers drop tabs and newlines from a URL and read a
    backslash as a slash, so a slash, a tab and a host lead to that host: any control or
    space character, a backslash, a scheme or a host, as sent or once percent-decoded,
    sends the person to `default`."""
    if not target:
        return default
    for form in (target, unquote(target)):  # as sent, and as percent-decoding reads it
        if not form.startswith("/") or form.startswith("//"):
            return default
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c == "\\" for c in form):
            return default
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return default
    return target


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie; a forged or damaged one starts an empty session, as in
    Flask, and leaves no reference cycle behind (see forget_tracebacks)."""

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(serializer.loads(value, max_age=max_age))
        except BadSignature as error:
            forget_tracebacks(error)
        return self.session_class()


# Stuffing: one person sending reflection after reflection, or choosing topics over and over,
# from one address with a poster's code. A room shares one address (the venue's Wi-Fi), so
# the limits are per address *and per cycle*, and set where a real room never reaches:
# a group of 30 sends at most 30 reflections in an hour (each person once, often all in the
# last ten minutes of a meeting) and makes at most 30 first choices of topics (changing one's
# mind is never counted); twice that in an hour, or five times in a day (a drop-in that
# meets twice on one Wi-Fi makes 60), is not a room. The counters live in the rate limiter's
# storage (Redis when set), so every worker counts together.
STUFFING_LIMITS = {
    "SEND_RATE_LIMIT": "60 per hour;150 per day",
    "CHOOSE_RATE_LIMIT": "60 per hour;150 per day",
}
_COUNTED = "counted_towards_limit"


def count_towards_limit() -> None:
    """Called by a view when this request did what its limit counts (a new reflection
    stored, a first choice of topics), not a replay or a change of mind."""
    setattr(g, _COUNTED, True)


@functools.lru_cache(maxsize=16)
def _parsed(limits: str):
    from limits import parse_many

    return tuple(parse_many(limits))


def _items(setting: str):
    return _parsed(current_app.config[setting])


def _minutes_left(setting: str, key: str) -> int | None:
    """Minutes until this address may send again; None while it may."""
    from ..extensions import limiter

    waits = []
    for item in _items(setting):
        if not limiter.limiter.test(item, setting, key):
            reset_at, _left = limiter.limiter.get_window_stats(item, setting, key)
            waits.append(max(1, math.ceil((reset_at - time.time()) / 60)))
    return max(waits) if waits else None


def cycle_limit_wait(setting: str, cycle_id: int | None) -> tuple[str | None, int | None]:
    """For a member's POST into a cycle: (the counter's key, minutes to wait or None while
    this address may go on). Without a cycle, or with the limits' storage down, nobody is
    refused (key None: nothing will be counted)."""
    from flask_limiter.util import get_remote_address

    from ..extensions import limiter

    if request.method != "POST" or not limiter.enabled or cycle_id is None:
        return None, None
    key = f"{get_remote_address()}|{cycle_id}"
    try:
        return key, _minutes_left(setting, key)
    except Exception as error:  # the storage (Redis) is down: let the room in
        current_app.logger.error("stuffing limits unavailable: %s", type(error).__name__)
        return None, None


def cycle_limit_count(setting: str, key: str | None) -> None:
    """Count one request against the address's limits in the cycle (see cycle_limit_wait)."""
    from ..extensions import limiter

    if key is None:
        return
    try:
        for item in _items(setting):
            limiter.limiter.hit(item, setting, key)
    except Exception as error:
        current_app.logger.error("stuffing limits unavailable: %s", type(error).__name__)


def per_cycle_limit(setting: str, cycle_id: Callable[[], int | None]):
    """Limit a member's POST per address and cycle: past the limit the page says to wait and
    keeps everything sent (a button sends it again as it was); a request counts only when the
    view calls count_towards_limit(). If the limits' storage is down, nobody is refused.
    A view that reads the cycle anyway calls cycle_limit_wait / cycle_limit_count itself."""

    def decorator(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            from sqlalchemy.exc import SQLAlchemyError

            from ..extensions import db, limiter

            if request.method != "POST" or not limiter.enabled:
                return view(*args, **kwargs)
            try:
                found = cycle_id()
            except SQLAlchemyError:
                db.session.rollback()  # the view meets the outage itself and keeps the answers
                found = None
            key, wait = cycle_limit_wait(setting, found)
            if wait is not None:
                return too_many_kept(wait)
            response = view(*args, **kwargs)
            if g.pop(_COUNTED, False):
                cycle_limit_count(setting, key)
            return response

        return limited

    return decorator


def too_many_kept(minutes: int):
    """429, with the posted form kept to send again (never a password field)."""
    fields = []
    if request.mimetype == "application/x-www-form-urlencoded":
        fields = [(k, v) for k, v in request.form.items(multi=True) if "password" not in k]
    current_app.logger.info("stuffing limit reached at %s", request.endpoint)
    return render_template(
        "errors/429_kept.html",
        action=local_target(request.full_path.rstrip("?")),
        fields=fields,
        minutes=minutes,
    ), 429


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.after_request(_headers)
    # Defaults beside the limits they belong to; instance config and INQUIRY_* still win.
    for setting, value in STUFFING_LIMITS.items():
        app.config.setdefault(setting, value)
