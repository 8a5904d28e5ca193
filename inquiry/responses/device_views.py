"""Phones and tablets passed round the room: "Not you? Start fresh", "Finish, and hand over
the phone", and a group tablet (kiosk).

A facilitator's one-time code makes a browser the group's tablet for one cycle. Every send then
returns to a fresh start page, and nothing of the last person is kept (see device.py). Tablet
mode grants nothing a member's join code does not (it only answers the reflection), so a code
seen by anyone is harmless once used or after KIOSK_CODE_MINUTES.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ..core.forms import BaseForm
from ..cycles.queries import get_cycle
from ..extensions import db, limiter
from . import device, services
from .forms import KioskForm
from .queries import get_live_draft
from .views import _resume_token, _save, bp


@bp.route("/reflect/fresh", methods=["POST"])
def fresh():
    """Not you? Start fresh: throw this device's draft away unsent and start clean."""
    if not BaseForm().validate():
        abort(400)  # changes nothing: "Go back and try again"
    draft = get_live_draft(_resume_token())
    joined = [draft.cycle_id, draft.audience] if draft is not None else session.get("join")
    if draft is not None:
        failed = _save(
            lambda: services.discard_draft(draft), lambda: render_template("errors/503.html")
        )
        if failed:
            return failed
    kiosk = device.kiosk()
    response = redirect(url_for(".start") if joined or kiosk else url_for(".home"))
    device.forget_person(response)
    if joined and kiosk is None:
        session["join"] = joined  # a fresh start on the same reflection
    return response


@bp.route("/reflect/finish", methods=["POST"])
def finish():
    """Finish, and hand over the phone: forget this person on this device, and show the next
    person a fresh start (the same group's start page for members)."""
    if not BaseForm().validate():
        abort(400)  # changes nothing: "Go back and try again"
    cycle_id, audience = device.just_sent() or (None, None)
    cycle = get_cycle(cycle_id) if cycle_id and audience == "member" else None
    on_to_start = cycle is not None and cycle.is_open
    response = redirect(url_for(".start") if on_to_start else url_for(".home"))
    device.forget_person(response)
    if on_to_start:
        session["join"] = [cycle.id, audience]
    return response


def _kiosk_limit() -> str:
    return current_app.config["KIOSK_RATE_LIMIT"]


def _wrong(response) -> bool:
    return response.status_code == 404


def _page(form: KioskForm, status: int = 200):
    return render_template(
        "responses/kiosk.html", form=form, minutes=current_app.config["KIOSK_CODE_MINUTES"]
    ), status


@bp.route("/kiosk", methods=["GET", "POST"])
@limiter.limit(_kiosk_limit, methods=["POST"], deduct_when=_wrong)
def kiosk():
    form = KioskForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.errors else 200)
    used = services.use_kiosk_code(current_app.config["LINK_KEY"], form.code.data)
    if used is None:
        db.session.rollback()
        form.code.errors = [
            _(
                "This tablet code does not work. Each code works once, and only for a short "
                "time. Make a new one on the cycle's page in the workspace."
            )
        ]
        return _page(form, 404)
    db.session.commit()
    response = redirect(url_for(".start"))
    device.start_kiosk(response, used.cycle_id, used.audience)
    return response


@bp.route("/k/<code>")
def kiosk_link(code: str):
    # Opening the link changes nothing (link previews must not use the code up): the button
    # on the page does.
    return _page(KioskForm(formdata=None, data={"code": code[:20]}))


@bp.route("/kiosk/stop", methods=["POST"])
def kiosk_stop():
    if not BaseForm().validate():
        abort(400)
    response = redirect(url_for(".home"))
    device.forget_person(response, keep_kiosk=False)
    return response
