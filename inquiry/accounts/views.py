"""Signing in and out."""

from __future__ import annotations

import contextlib

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.access import network_or_404
from ..extensions import db, limiter
from .forms import LoginForm
from .models import _hasher
from .queries import get_user_by_email, list_network_users
from .services import end_all_sessions

bp = Blueprint("accounts", __name__)
# Checked against an unknown email too, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password at all")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _invite_limit() -> str:
    return current_app.config["INVITE_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 400)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("groups.home"))
    form = LoginForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        user = get_user_by_email(form.email.data)
        if user is None:
            _check_dummy(form.password.data)
        elif user.is_active and user.check_password(form.password.data):
            session.clear()  # nothing from before signing in carries over
            login_user(user)
            session.permanent = True
            return redirect(url_for("groups.home"))
        form.password.errors = [_("The email address or password is not right")]
    return render_template("accounts/login.html", form=form), status


def _check_dummy(password: str) -> None:
    from argon2.exceptions import VerificationError

    with contextlib.suppress(VerificationError):
        _hasher.verify(_DUMMY_HASH, password)


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for(".login"))


@bp.route("/workspace/people", methods=["GET", "POST"])
@login_required
@limiter.limit(_invite_limit, methods=["POST"])
def people():
    network_or_404()
    from wtforms import SelectChoice

    from ..core.access import list_visible_groups
    from .forms import InviteForm
    from .services import AccountError, create_invite

    groups = [g for g in list_visible_groups() if g.network_id == current_user.network_id]
    form = InviteForm()
    form.role.choices = [
        SelectChoice("facilitator", _("Facilitator")),
        SelectChoice("coordinator", _("Coordinator")),
    ]
    form.groups.choices = [SelectChoice(str(g.id), g.name) for g in groups]
    link = None
    if form.validate_on_submit():
        chosen = [g for g in groups if str(g.id) in (form.groups.data or [])]
        try:
            _invite, token = create_invite(current_user, form.email.data, form.role.data, chosen)
        except AccountError as error:
            form.email.errors = [str(error)]
        else:
            db.session.commit()
            link = url_for(".accept", token=token, _external=True)
    users = list_network_users(current_user.network_id)
    return render_template("accounts/people.html", form=form, link=link, users=users), (
        400 if form.errors else 200
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_invite_limit, methods=["POST"])
def accept(token: str):
    from .forms import SetPasswordForm
    from .services import AccountError, accept_invite, find_invite

    invite = find_invite(token)
    if invite is None:
        return render_template("accounts/invite_gone.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accept_invite(invite, form.password.data)
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Your account is ready. Sign in with your email address and password."))
            return redirect(url_for(".login"))
    return render_template("accounts/accept.html", form=form, invite=invite, token=token), (
        400 if form.errors else 200
    )
