"""The audit log, for coordinators and admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ..accounts.models import User
from ..extensions import db
from .audit import AuditEvent

bp = Blueprint("audit", __name__)


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
