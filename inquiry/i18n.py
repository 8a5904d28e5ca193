"""Language choice for every page."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale

from .extensions import babel


def select_locale() -> str:
    # A member's reflection carries the language they chose; then the browser's wish.
    chosen = getattr(g, "language", None)
    languages = current_app.config["LANGUAGES"]
    if chosen in languages:
        return chosen
    if not has_request_context():
        return languages[0]
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale())


def text_direction() -> str:
    return "rtl" if get_locale().text_direction == "rtl" else "ltr"


def html_lang() -> str:
    return str(get_locale()).replace("_", "-")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(text_direction=text_direction, html_lang=html_lang)
