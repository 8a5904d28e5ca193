"""The audit log, for coordinators and admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.models import User
from ..extensions import db
from .audit import AuditEvent

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


@bp.route("/audit")
@login_required
def log():
    if current_user.role not in ("coordinator", "admin"):
        abort(404)
    query = (
        sa.select(AuditEvent, User.email)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .order_by(AuditEvent.id.desc())
        .limit(500)
    )
    if current_user.role == "coordinator":
        # Events by people of this coordinator's network.
        query = query.where(User.network_id == current_user.network_id)
    return render_template("workspace/audit.html", events=db.session.execute(query).all())
