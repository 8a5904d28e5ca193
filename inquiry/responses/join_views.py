"""Joining with a code, typed or from the poster's QR link, under the limits that keep the
room in (joining.py)."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from . import device, joining
from .forms import JoinForm
from .views import _closed, _status, bp


def _enter(typed: str, form: JoinForm):
    """Let someone in with a code, under the limits that keep the room in (joining.py)."""

    def hold_back(join_code):
        # A real code, not a guess: say what happened, and count nothing.
        if join_code.cycle.is_open and join_code.is_paused:
            form.code.errors = [joining.paused_message()]
            return render_template("responses/home.html", form=form), 423
        if join_code.cycle.state == "closed":
            return _closed(join_code.cycle, join_code.code)
        return None

    return joining.enter(
        typed,
        form,
        template="responses/home.html",
        not_found_message=_(
            "We could not find an open reflection with that code. Check the code and try again."
        ),
        let_in=_start,
        hold_back=hold_back,
    )


def _start(join_code):
    if not join_code.cycle.is_open:
        return None  # a cycle not yet open has no reflection to join
    session["join"] = [join_code.cycle_id, join_code.audience]
    return redirect(url_for(".start"))


@bp.route("/", methods=["GET", "POST"])
def home():
    if request.method == "GET" and device.kiosk() is not None:
        return redirect(url_for(".start"))  # a group tablet stays on its reflection
    form = JoinForm()
    if form.validate_on_submit():
        return _enter(form.code.data, form)
    return render_template("responses/home.html", form=form), _status(form)


@bp.route("/j/<code>")
def join(code: str):
    return _enter(code, JoinForm.from_link(code))
