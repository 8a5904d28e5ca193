"""Language choice for every page: the member's own choice, then their group's language,
then the browser's wish, then British English."""

from __future__ import annotations

from babel import Locale
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale

from .core.cookies import set_member_cookie
from .core.security import local_target
from .extensions import babel

LANGUAGE_COOKIE = "inquiry_lang"
bp = Blueprint("language", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return getattr(g, "language", None) if g.get("language") in languages else languages[0]
    for wish in (
        g.get("language"),  # this reflection's language, chosen by the member
        request.cookies.get(LANGUAGE_COOKIE),  # chosen on this phone before
        g.get("group_language"),  # the group's usual language
    ):
        if wish in languages:
            return wish
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale())


def text_direction() -> str:
    return "rtl" if get_locale().text_direction == "rtl" else "ltr"


def html_lang() -> str:
    return str(get_locale()).replace("_", "-")


def language_links() -> list[dict]:
    """Every language in its own name, for the list of plain links on each page."""
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    current = current_language()
    return [
        {
            "code": code,
            "tag": code.replace("_", "-"),
            "name": Locale.parse(code).display_name,
            "href": url_for("language.choose", code=code, next=here),
            "current": code == current,
        }
        for code in current_app.config["LANGUAGES"]
    ]


@bp.route("/language/<code>")
def choose(code: str):
    """Remember a language on this phone (no account, no script) and go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = local_target(request.args.get("next"))  # only our own pages, never a 500
    from .responses.services import set_draft_language

    set_draft_language(request.cookies.get(current_app.config["RESUME_COOKIE"]), code)
    response = redirect(target)
    set_member_cookie(response, LANGUAGE_COOKIE, code, days=365)
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        text_direction=text_direction, html_lang=html_lang, language_links=language_links
    )
    app.register_blueprint(bp)
