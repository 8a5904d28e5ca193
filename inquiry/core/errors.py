"""Error pages in plain words, and the calm 503 that keeps a member's answers."""

from __future__ import annotations

import traceback

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ..extensions import db


def forget_tracebacks(error: BaseException | None) -> None:
    """Let go of what a caught exception, and everything it was raised from, keeps alive.

    itsdangerous keeps a refused token's BadSignature in a local of a frame that the
    exception's own traceback holds (a reference cycle), and each frame links to its caller:
    the page being served, its draft and its ORM rows stay alive until the garbage collector
    finds the cycle, in the middle of some later request. On Python 3.11 those collections
    corrupted a worker's heap (a segfault after a few refused tokens), so refused tokens and
    cookies leave no cycle behind: the finished frames are cleared, the tracebacks dropped."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error.__traceback__ = None
        error = error.__cause__ or error.__context__


def unavailable(render):
    """Show the page the member was on, with what they typed, and say it was not saved."""
    g.save_failed = True
    return render(), 503


def _page(template: str, status: int):
    def handler(_error):
        return render_template(template), status

    return handler


def _refused_token(error: CSRFError):
    forget_tracebacks(error)
    return render_template("errors/400.html"), 400


def describe(error: BaseException) -> str:
    """The error's class and the first line of the database's own message, for the log: never
    the statement or its parameters, which hold what people typed."""
    original = getattr(error, "orig", None)
    if original is None:
        return type(error).__name__
    first_line = (str(original).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__} ({type(original).__name__}: {first_line})"


# Posted fields never shown back as "what you wrote" (they stay in the form to send again),
# and fields never kept at all.
_NOT_WRITTEN = {"csrf_token", "submission_token", "go"}
_NEVER_KEPT = ("password",)


def _typed(value: str) -> bool:
    """Words someone wrote (not a choice's key or a number)."""
    return " " in value.strip() or len(value) > 30


def _kept_fields() -> list[tuple[str, str]] | None:
    """The posted form's fields, to send again once the database is back; None when there is
    nothing to keep (not a form post, a file upload, or a body that could not be read)."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return None
    try:
        fields = list(request.form.items(multi=True))
    except (HTTPException, ValueError):
        return None
    return [(k, v) for k, v in fields if not any(word in k for word in _NEVER_KEPT)] or None


def _database_error(error):
    """The database failed anywhere (as in a PostgreSQL outage, on the page's first query):
    a calm 503. A posted form is kept on the page, with what the person wrote shown, and a
    button sends it again as it was, with its own token, once the database is back."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()
    current_app.logger.error("database unavailable: %s", describe(error))
    fields = _kept_fields()
    if fields is None:
        return render_template("errors/503.html"), 503
    from .security import local_target

    return render_template(
        "errors/503_kept.html",
        action=local_target(request.full_path.rstrip("?")),
        fields=fields,
        written=[v for k, v in fields if k not in _NOT_WRITTEN and _typed(v)],
    ), 503


def init_app(app: Flask) -> None:
    app.register_error_handler(400, _page("errors/400.html", 400))
    app.register_error_handler(CSRFError, _refused_token)
    from .bodies import UndecodableForm

    app.register_error_handler(UndecodableForm, _page("errors/undecodable.html", 400))
    app.register_error_handler(404, _page("errors/404.html", 404))
    app.register_error_handler(413, _page("errors/413.html", 413))
    app.register_error_handler(405, _page("errors/404.html", 405))
    app.register_error_handler(429, _page("errors/429.html", 429))
    app.register_error_handler(500, _page("errors/500.html", 500))
    app.register_error_handler(SQLAlchemyError, _database_error)
