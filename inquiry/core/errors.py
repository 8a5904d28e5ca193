"""Error pages in plain words, and the calm 503 that keeps a member's answers."""

from __future__ import annotations

import traceback

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

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


def _database_error(error):
    db.session.rollback()
    from flask import current_app

    current_app.logger.error("database unavailable: %s", type(error).__name__)
    return render_template("errors/503.html"), 503


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
