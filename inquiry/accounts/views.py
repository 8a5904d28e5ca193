"""Signing in and out."""

from __future__ import annotations

import contextlib

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from .forms import LoginForm
from .models import _hasher
from .queries import get_user_by_email
from .services import end_all_sessions

bp = Blueprint("accounts", __name__)
# Checked against an unknown email too, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password at all")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


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
