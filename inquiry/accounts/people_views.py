"""Looking after people's accounts: invitations, roles and groups, reset links, deactivation.
Coordinators look after their own network (never an admin); admins after everyone."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.access import (
    get_invite_or_404,
    get_person_or_404,
    list_manageable_networks,
    people_scope_or_404,
    roles_they_may_give,
)
from ..core.templating import role_label
from ..extensions import db, limiter
from ..groups.models import Group, Network
from . import services, two_step
from .forms import ButtonForm, InviteForm, PersonForm
from .queries import list_pending_invites, list_people
from .views import bp


def _invite_limit() -> str:
    return current_app.config["INVITE_RATE_LIMIT"]


def _groups_of(network_ids: list[int], keeping=()) -> list[Group]:
    """The groups someone may be given: not archived ones, except those they already have."""
    kept = [g.id for g in keeping]
    return list(
        db.session.scalars(
            sa.select(Group)
            .where(
                Group.network_id.in_(network_ids),
                sa.or_(Group.archived_at.is_(None), Group.id.in_(kept)),
            )
            .order_by(Group.name)
        )
    )


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, role_label(role)) for role in roles_they_may_give()]


@bp.route("/workspace/people", methods=["GET", "POST"])
@login_required
@limiter.limit(_invite_limit, methods=["POST"])
def people():
    """Everyone in the person's scope, the invitations still waiting, and a new invitation."""
    people_scope_or_404()
    networks = list_manageable_networks()
    names = {n.id: n.name for n in networks}
    admin = current_user.role == "admin"
    groups = _groups_of(list(names))
    form = InviteForm()
    form.role.choices = _role_choices()
    form.groups.choices = [
        SelectChoice(str(g.id), f"{g.name} ({names[g.network_id]})" if admin else g.name)
        for g in groups
    ]
    if admin:
        form.network.choices = [SelectChoice(str(n.id), n.name) for n in networks]
        if request.method == "GET" and current_user.network_id in names:
            form.network.data = str(current_user.network_id)
    else:
        del form.network
    link = None
    if form.validate_on_submit():
        network_id = int(form.network.data) if admin else current_user.network_id
        chosen = [g for g in groups if str(g.id) in (form.groups.data or [])]
        try:
            _invite, token = services.create_invite(
                current_user, form.email.data, form.role.data, chosen, network_id
            )
        except services.AccountError as error:
            form[error.field or "email"].errors = [str(error)]
        else:
            db.session.commit()
            link = url_for(".accept", token=token, _external=True)
    scope = None if admin else [current_user.network_id]
    return render_template(
        "accounts/people.html",
        form=form,
        link=link,
        users=list_people(scope),
        invites=list_pending_invites(scope, admins=admin),
        invite_expires_at=services.invite_expires_at,
        network_names=names if admin else {},
        buttons=ButtonForm(formdata=None),
    ), (400 if form.errors else 200)


@bp.route("/workspace/invites/<int:invite_id>/revoke", methods=["POST"])
@login_required
def revoke_invite(invite_id: int):
    invite = get_invite_or_404(invite_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if services.revoke_invite(current_user, invite):
        db.session.commit()
        flash(_("The invitation to %(email)s no longer works.", email=invite.email))
    else:
        flash(_("That invitation was already used or revoked."))
    return redirect(url_for(".people"))


def _person_form(target, *, submitted: bool):
    """Their role and groups as they are (or as sent), with the choices the signed-in person
    may give."""
    current = {"role": target.role, "groups": [str(g.id) for g in target.groups]}
    form = PersonForm() if submitted else PersonForm(formdata=None, **current)
    groups = _groups_of([target.network_id], target.groups) if target.network_id else []
    form.role.choices = _role_choices()
    form.groups.choices = [SelectChoice(str(g.id), g.name) for g in groups]
    return form, groups


def _person_page(target, form, reset_link=None, status=200):
    return render_template(
        "accounts/person.html",
        target=target,
        form=form,
        buttons=ButtonForm(formdata=None),
        reset_link=reset_link,
        reset_hours=services.RESET_HOURS,
        network=db.session.get(Network, target.network_id) if target.network_id else None,
        codes_left=two_step.count_recovery_codes_left(target) if target.totp_secret else 0,
    ), status


@bp.route("/workspace/people/<int:user_id>", methods=["GET", "POST"])
@login_required
def person(user_id: int):
    """One person's account: their role and groups, and the buttons that look after it."""
    people_scope_or_404()
    if user_id == current_user.id:
        return redirect(url_for(".account"))
    target = get_person_or_404(user_id)
    form, groups = _person_form(target, submitted=request.method == "POST")
    if form.validate_on_submit():
        chosen = [g for g in groups if str(g.id) in (form.groups.data or [])]
        try:
            changed = services.change_role(current_user, target, form.role.data, chosen)
        except services.AccountError as error:
            form[error.field or "role"].errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Changes saved.") if changed else _("Nothing changed."))
            return redirect(url_for(".person", user_id=target.id))
    return _person_page(target, form, status=400 if form.errors else 200)


def _button(user_id: int):
    """The person behind a button on their page, after its security token is checked."""
    people_scope_or_404()
    target = get_person_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return target


@bp.route("/workspace/people/<int:user_id>/reset", methods=["POST"])
@login_required
@limiter.limit(_invite_limit)
def make_reset(user_id: int):
    """A one-time link for them to choose a new password, shown this once."""
    target = _button(user_id)
    try:
        token = services.make_reset_link(current_user, target)
    except services.AccountError as error:
        flash(str(error))
        return redirect(url_for(".person", user_id=target.id))
    db.session.commit()
    link = url_for(".reset", token=token, _external=True)
    form, _groups = _person_form(target, submitted=False)
    return _person_page(target, form, reset_link=link)


@bp.route("/workspace/people/<int:user_id>/deactivate", methods=["POST"])
@login_required
def deactivate(user_id: int):
    target = _button(user_id)
    if services.deactivate(current_user, target):
        db.session.commit()
        flash(
            _(
                "%(email)s can no longer sign in. They were signed out everywhere.",
                email=target.email,
            )
        )
    return redirect(url_for(".person", user_id=target.id))


@bp.route("/workspace/people/<int:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate(user_id: int):
    target = _button(user_id)
    if services.reactivate(current_user, target):
        db.session.commit()
        flash(_("%(email)s can sign in again.", email=target.email))
    return redirect(url_for(".person", user_id=target.id))


@bp.route("/workspace/people/<int:user_id>/two-step/remove", methods=["POST"])
@login_required
def remove_two_step(user_id: int):
    """For someone who lost both their phone and their recovery codes."""
    target = _button(user_id)
    if target.totp_secret:
        two_step.turn_off(current_user, target)
        db.session.commit()
        flash(
            _(
                "%(email)s no longer has a second step. They were signed out everywhere.",
                email=target.email,
            )
        )
    return redirect(url_for(".person", user_id=target.id))
