"""A person's own account: their password and their second step at sign-in."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..extensions import db, limiter
from ..groups.models import Network
from . import two_step
from .forms import ChangePasswordForm, CurrentPasswordForm, TwoStepSetupForm
from .services import AccountError, change_password
from .views import SET_UP, bp

# The secret shown while someone sets up their app, until they prove it works.
PENDING_KEY = "two_step_secret"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _wrong(response) -> bool:
    return response.status_code == 400


def _me():
    return current_user._get_current_object()


def _stay_signed_in(user) -> None:
    """After a change that ended every session: keep this one, under the new version."""
    login_user(user)
    session.permanent = True


@bp.route("/workspace/account")
@login_required
def account():
    user = _me()
    network = db.session.get(Network, user.network_id) if user.network_id else None
    return render_template(
        "accounts/account.html",
        user=user,
        network=network,
        required=two_step.is_required(user),
        codes_left=two_step.count_recovery_codes_left(user) if user.totp_secret else 0,
    )


@bp.route("/workspace/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def change_own_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _me()
        try:
            change_password(user, form.current.data, form.password.data)
        except AccountError as error:
            form[error.field or "password"].errors = [str(error)]
        else:
            db.session.commit()
            _stay_signed_in(user)
            flash(_("Your password is changed. You were signed out everywhere else."))
            return redirect(url_for(".account"))
    return render_template("accounts/change_password.html", form=form), (
        400 if form.errors else 200
    )


@bp.route("/workspace/account/two-step", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def two_step_setup():
    """Set up an authenticator app: scan the QR code (or type the key), then type a code."""
    user = _me()
    if user.totp_secret:
        return redirect(url_for(".account"))
    secret = session.get(PENDING_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[PENDING_KEY] = two_step.new_secret()
    form = TwoStepSetupForm()
    if form.validate_on_submit():
        codes = two_step.turn_on(user, secret, form.code.data)
        if codes is None:
            form.code.errors = [
                _("The code is not right. Check the time on your phone is right and try again")
            ]
        else:
            db.session.commit()
            session.pop(PENDING_KEY, None)
            session.pop(SET_UP, None)
            _stay_signed_in(user)
            return render_template("accounts/recovery_codes.html", codes=codes, first=True)
    uri = two_step.provisioning_uri(secret, user.email)
    return render_template(
        "accounts/two_step_setup.html",
        form=form,
        uri=uri,
        qr=two_step.qr_data_uri(uri),
        key=two_step.spaced(secret),
        required=session.get(SET_UP) or two_step.is_required(user),
    ), (400 if form.errors else 200)


def _with_password(template: str, **context):
    """A page that asks for the person's password before it changes their second step:
    returns (form, None) when the password is right, else (None, the page to show)."""
    form = CurrentPasswordForm()
    if form.validate_on_submit():
        if _me().check_password(form.current.data):
            return form, None
        form.current.errors = [_("Your password is not right")]
    return None, (render_template(template, form=form, **context), 400 if form.errors else 200)


@bp.route("/workspace/account/two-step/off", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def two_step_off():
    user = _me()
    if not user.totp_secret:
        return redirect(url_for(".account"))
    if two_step.is_required(user):
        flash(_("Your network asks everyone to use a second step, so it stays on."))
        return redirect(url_for(".account"))
    form, page = _with_password("accounts/confirm_password.html", purpose="off")
    if page:
        return page
    two_step.turn_off(user, user)
    db.session.commit()
    _stay_signed_in(user)
    flash(_("The second step is off. You sign in with your password only."))
    return redirect(url_for(".account"))


@bp.route("/workspace/account/recovery-codes", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong)
def recovery_codes():
    user = _me()
    if not user.totp_secret:
        return redirect(url_for(".account"))
    form, page = _with_password("accounts/confirm_password.html", purpose="codes")
    if page:
        return page
    codes = two_step.new_recovery_codes(user)
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes, first=False)
