"""Error pages in plain words, and the calm 503 that keeps a member's answers."""

from __future__ import annotations

from flask import Flask, g, render_template
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db


def unavailable(render):
    """Show the page the member was on, with what they typed, and say it was not saved."""
    g.save_failed = True
    return render(), 503


def _page(template: str, status: int):
    def handler(_error):
        return render_template(template), status

    return handler


def _database_error(error):
    db.session.rollback()
    from flask import current_app

    current_app.logger.error("database unavailable: %s", type(error).__name__)
    return render_template("errors/503.html"), 503


def init_app(app: Flask) -> None:
    app.register_error_handler(400, _page("errors/400.html", 400))
    app.register_error_handler(404, _page("errors/404.html", 404))
    app.register_error_handler(405, _page("errors/404.html", 405))
    app.register_error_handler(429, _page("errors/429.html", 429))
    app.register_error_handler(500, _page("errors/500.html", 500))
    app.register_error_handler(SQLAlchemyError, _database_error)
