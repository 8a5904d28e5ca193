"""Joining with a code, typed or from the poster's QR link, under the limits that keep the
room in (joining.py)."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..cycles.queries import find_join_code
from . import device, joining
from .forms import JoinForm
from .views import _closed, _status, bp


def _enter(typed: str, form: JoinForm):
    """Let someone in with a code, under the limits that keep the room in (joining.py)."""
    gate = joining.gate(typed)
    if gate is joining.Gate.SHUT:
        return _too_many(form)
    join_code = find_join_code(typed)
    cycle = join_code.cycle if join_code is not None else None
    if cycle is not None and cycle.is_open and join_code.is_paused:
        form.code.errors = [joining.paused_message()]  # counts nothing, remembers nothing
        return render_template("responses/home.html", form=form), 423
    if cycle is not None and cycle.is_open:
        if gate is not joining.Gate.KNOWN:
            joining.remember(typed)
        session["join"] = [join_code.cycle_id, join_code.audience]
        return redirect(url_for(".start"))
    if cycle is not None and cycle.state == "closed":
        # A real code, not a guess: say what happened, and count nothing.
        return _closed(cycle, join_code.code)
    if gate is not joining.Gate.KNOWN:
        joining.count_wrong()
    if gate is joining.Gate.SLOW:
        return _too_many(form)
    form.code.errors = [
        _("We could not find an open reflection with that code. Check the code and try again.")
    ]
    return render_template("responses/home.html", form=form), 404


def _too_many(form: JoinForm):
    form.code.errors = [
        _(
            "Lots of wrong codes have come from this internet connection. "
            "Wait a few minutes, then try again."
        )
    ]
    return render_template("responses/home.html", form=form), 429


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
    return _enter(code, JoinForm(formdata=None, data={"code": code[:20]}))
