"""Helpers every template may call. Features add their own (see their blueprints)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, url_for
from flask_babel import gettext as _


def language_name(code: str) -> str:
    """A language's name in that language, e.g. "polski" for pl."""
    from babel import Locale

    return Locale.parse(code).display_name or code


def role_label(role: str) -> str:
    return {
        "admin": _("Admin"),
        "coordinator": _("Coordinator"),
        "facilitator": _("Facilitator"),
    }.get(role, role)


def state_label(state: str) -> str:
    return {"draft": _("Draft"), "open": _("Open"), "closed": _("Closed")}.get(state, state)


def init_app(app: Flask) -> None:
    static = Path(app.static_folder)
    versions = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in static.iterdir()
        if path.is_file()
    }

    def static_url(filename: str) -> str:
        # A new file gets a new address, so browsers may keep the old one for a year.
        return url_for("static", filename=filename, v=versions.get(filename))

    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 86400)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        static_url=static_url,
        state_label=state_label,
        role_label=role_label,
        language_name=language_name,
    )
