"""Headers that every response carries."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Flask, Response, request
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


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.after_request(_headers)
