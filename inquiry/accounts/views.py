"""Signing in (with the second step) and out, accepting an invitation, using a reset link.
The people pages are in people_views.py, a person's own account in own_views.py."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core import audit
from ..extensions import db, limiter
from . import two_step
from .forms import LoginForm, SecondStepForm, SetPasswordForm
from .queries import load_session_user
from .services import (
    AccountError,
    accept_invite,
    authenticate,
    end_all_sessions,
    find_invite,
    find_reset,
    has_account,
    record_failed_sign_in,
    record_sign_in,
    use_reset,
)

bp = Blueprint("accounts", __name__)
# Between the password and the second step: who, and since when.
PENDING = "two_step_pending"
PENDING_SECONDS = 300
MAX_WRONG_CODES = 5
# Set at sign-in when the person's network asks for a second step they have not set up.
SET_UP = "two_step_set_up"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _invite_limit() -> str:
    return current_app.config["INVITE_RATE_LIMIT"]


def _wrong(response) -> bool:
    return response.status_code == 400


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("groups.home"))
    form = LoginForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        user, why = authenticate(form.email.data, form.password.data)
        if not why:
            return _after_password(user)
        record_failed_sign_in(user, why)
        db.session.commit()
        form.password.errors = [_("The email address or password is not right")]
    return render_template("accounts/login.html", form=form), status


def _after_password(user):
    session.clear()  # nothing from before signing in carries over
    if user.totp_secret:
        if two_step.count_recent_wrong_codes(user, PENDING_SECONDS) >= MAX_WRONG_CODES:
            flash(_("That was too many wrong codes. Wait 5 minutes, then sign in again."))
            return redirect(url_for(".login"))
        session[PENDING] = {"id": user.get_id(), "at": int(time.time())}
        return redirect(url_for(".second_step"))
    return _sign_in(user)


def _sign_in(user, how: str = "", message: str | None = None):
    session.clear()
    login_user(user)
    session.permanent = True
    record_sign_in(user, how)
    db.session.commit()
    if message:
        flash(message)
    if two_step.needs_setting_up(user):
        session[SET_UP] = True
        return redirect(url_for(".two_step_setup"))
    return redirect(url_for("groups.home"))


def _pending_user():
    """The person who gave the right password a moment ago, if it still stands."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return load_session_user(str(pending.get("id", "")))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def second_step():
    if current_user.is_authenticated:
        return redirect(url_for("groups.home"))
    user = _pending_user()
    if user is None or not user.totp_secret:
        session.pop(PENDING, None)
        flash(_("Please sign in again."))
        return redirect(url_for(".login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        if two_step.check_code(user, form.code.data):
            return _sign_in(user, "with the second step")
        if two_step.use_recovery_code(user, form.code.data):
            left = two_step.count_recovery_codes_left(user)
            return _sign_in(
                user,
                "with a recovery code",
                _(
                    "You signed in with a recovery code. You have %(n)d left: you can make "
                    "new ones on your account page.",
                    n=left,
                ),
            )
        record_failed_sign_in(user, "wrong code")
        db.session.commit()
        # Counted in the database, not the cookie, so an old cookie cannot start again.
        if two_step.count_recent_wrong_codes(user, PENDING_SECONDS) >= MAX_WRONG_CODES:
            session.pop(PENDING, None)
            flash(_("That was too many wrong codes. Wait 5 minutes, then sign in again."))
            return redirect(url_for(".login"))
        form.code.errors = [_("The code is not right. Check your app and try again")]
    return render_template("accounts/second_step.html", form=form), (400 if form.errors else 200)


@bp.before_app_request
def _ask_for_the_second_step():
    """Someone whose network requires a second step sets it up before anything else."""
    if not session.get(SET_UP) or not request.path.startswith("/workspace"):
        return None
    if not current_user.is_authenticated or current_user.totp_secret:
        session.pop(SET_UP, None)
        return None
    if request.endpoint != "accounts.two_step_setup":
        return redirect(url_for("accounts.two_step_setup"))
    return None


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    end_all_sessions(user)
    audit.record("signed_out", user, user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for(".login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_invite_limit, methods=["POST"])
def accept(token: str):
    invite = find_invite(token)
    if invite is None:
        return render_template("accounts/invite_gone.html"), 404
    if has_account(invite):
        # Made in another network (whose coordinator could not be told): one account each.
        return render_template("accounts/invite_has_account.html", invite=invite)
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


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_invite_limit, methods=["POST"])
def reset(token: str):
    """Choosing a new password through a one-time link a coordinator or admin made."""
    found = find_reset(token)
    if found is None:
        return render_template("accounts/reset_gone.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            use_reset(found, form.password.data)
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your new password is set. Sign in with it."))
            return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form, email=found.user.email), (
        400 if form.errors else 200
    )


from . import own_views, people_views  # noqa: E402, F401 - their routes are on bp
