"""The audit log, for coordinators and admins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import aliased
from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from ..accounts.models import User
from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group
from .audit import ACTIONS, AuditEvent
from .forms import BaseForm

bp = Blueprint("audit", __name__)

# What happened and to what, in the reader's words (never the tables' own names).
ACTION_LABELS = {
    "created": _l("created"),
    "edited": _l("changed"),
    "opened": _l("opened"),
    "closed": _l("closed"),
    "replaced_code": _l("replaced a code"),
    "exported": _l("downloaded"),
    "printed": _l("printed"),
    "deleted": _l("deleted"),
    "signed_in": _l("signed in"),
    "sign_in_failed": _l("failed to sign in"),
    "signed_out": _l("signed out"),
    "revoked": _l("revoked"),
    "role_changed": _l("changed the role"),
    "deactivated": _l("deactivated"),
    "reactivated": _l("reactivated"),
    "reset_link_made": _l("made a password reset link"),
    "password_reset": _l("reset the password"),
    "password_changed": _l("changed the password"),
    "two_step_on": _l("turned on the second step"),
    "two_step_off": _l("turned off the second step"),
    "recovery_used": _l("used a recovery code"),
    "recovery_new": _l("made new recovery codes"),
    "imported": _l("imported answers"),
}
OBJECT_LABELS = {
    "action": _l("action"),
    "agenda_topic": _l("agenda topic"),
    "community_group": _l("group"),
    "cycle": _l("cycle"),
    "invite": _l("invitation"),
    "kiosk_code": _l("group tablet code"),
    "network": _l("network"),
    "pdf_document": _l("PDF"),
    "question": _l("question"),
    "response": _l("response"),
    "story": _l("story of change"),
    "story_round": _l("story round"),
    "user_account": _l("account"),
}


@bp.app_template_global()
def audit_action(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


@bp.app_template_global()
def audit_object(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type.replace("_", " ")))


PER_PAGE = 50


def _day(field) -> date | None:
    """The day typed (year-month-day, as a date box sends it), or None when left empty."""
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _l("Enter the date as year-month-day, for example 2026-11-24")
        ) from None


class AuditFilterForm(BaseForm):
    """The log's filter: a GET form, so a filtered page can be bookmarked and needs no
    script; nothing in it changes anything, so it carries no security token."""

    class Meta(BaseForm.Meta):
        csrf = False

    since = StringField(_l("From"), description=_l("For example, 2026-11-01"))
    until = StringField(_l("To"), description=_l("For example, 2026-11-30"))
    kind = SelectField(_l("What happened"), choices=[], default="")

    def validate_since(self, field):
        _day(field)

    def validate_until(self, field):
        until = _day(field)
        try:
            since = _day(self.since)
        except ValidationError:
            return
        if since and until and until < since:
            raise ValidationError(_l("The “To” date must be the same as or after the “From” date"))


def _kind_choices() -> list[tuple[str, str]]:
    choices = [("", str(_l("Anything")))]
    for action in ACTIONS:
        label = audit_action(action)
        choices.append((action, label[:1].upper() + label[1:]))
    return choices


def _start_of(day: date) -> datetime:
    """The first moment of a day as the page shows it (the installation's time zone), in UTC
    as the log keeps it."""
    return datetime.combine(day, time.min, ZoneInfo(str(get_timezone()))).astimezone(UTC)


def _in_scope(query):
    """A coordinator sees what people of their network did, and what anyone (an admin, the
    command line, someone since removed) did to their network, its groups, cycles and
    people's accounts."""
    if current_user.role == "admin":
        return query
    network_id = current_user.network_id
    groups = sa.select(Group.id).where(Group.network_id == network_id)
    cycles = sa.select(Cycle.id).where(Cycle.group_id.in_(groups))
    # Its own alias: the outer query joins the account that acted, not the one acted on.
    person = aliased(User)
    people = sa.select(person.id).where(person.network_id == network_id)
    on = AuditEvent.object_type
    theirs = (
        ((on == "network") & (AuditEvent.object_id == network_id))
        | ((on == "community_group") & AuditEvent.object_id.in_(groups))
        | ((on == "cycle") & AuditEvent.object_id.in_(cycles))
        | ((on == "user_account") & AuditEvent.object_id.in_(people))
    )
    return query.where((User.network_id == network_id) | theirs)


def _page_number(pages: int) -> int:
    try:
        asked = int(request.args.get("page", "1"))
    except ValueError:
        asked = 1
    return min(max(asked, 1), max(pages, 1))


@bp.route("/audit")
@login_required
def log():
    """The audit log, newest first, filtered by day and kind (coordinators and admins)."""
    if current_user.role not in ("coordinator", "admin"):
        abort(404)
    form = AuditFilterForm(formdata=request.args)
    form.kind.choices = _kind_choices()
    if not form.validate():
        return render_template("workspace/audit.html", form=form, events=[], total=0), 400
    query = _in_scope(
        sa.select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.user_id)
    )
    since, until = _day(form.since), _day(form.until)
    if since:
        query = query.where(AuditEvent.at >= _start_of(since))
    if until:
        query = query.where(AuditEvent.at < _start_of(until + timedelta(days=1)))
    if form.kind.data:
        query = query.where(AuditEvent.action == form.kind.data)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = -(-total // PER_PAGE)
    page = _page_number(pages)
    events = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    kept = {k: v for k, v in request.args.items() if k in ("since", "until", "kind") and v}

    def page_url(number: int) -> str:
        return url_for("audit.log", **kept, page=number)

    return render_template(
        "workspace/audit.html",
        form=form,
        events=events,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PER_PAGE + 1,
        last=(page - 1) * PER_PAGE + len(events),
        page_url=page_url,
        filtered=bool(kept),
    )
