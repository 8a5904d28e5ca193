"""Who did what, and when. Never what members said, never the codes they typed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .models import UTCDateTime, utcnow

ACTIONS = (
    "created",
    "edited",
    "opened",
    "closed",
    "replaced_code",
    "exported",
    "printed",
    "deleted",
    # People: signing in, invitations, roles, status, passwords and the second step.
    "signed_in",
    "sign_in_failed",
    "signed_out",
    "revoked",
    "role_changed",
    "deactivated",
    "reactivated",
    "reset_link_made",
    "password_reset",
    "password_changed",
    "two_step_on",
    "two_step_off",
    "recovery_used",
    "recovery_new",
    # Answers brought in from a file (counts only, never what the file held).
    "imported",
)


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.CheckConstraint(
            "action IN (" + ", ".join(f"'{a}'" for a in ACTIONS) + ")", name="action_valid"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    object_type: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(sa.String(200), default="")
    # Recorded by a command run on the server (no one signed in), not from the workspace.
    by_command: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


def record(action: str, obj, user_id: int | None, detail: str = "") -> None:
    """Note an action on an object (a model instance with an id)."""
    record_on(action, type(obj).__tablename__, obj.id, user_id, detail)


def record_on(
    action: str, object_type: str, object_id: int | None, user_id: int | None, detail: str = ""
) -> None:
    """Note an action on something that may have no row (a sign-in with an unknown address).
    Outside a request (a command on the server) the event says it came from the command line."""
    db.session.add(
        AuditEvent(
            action=action,
            object_type=object_type,
            object_id=object_id,
            user_id=user_id,
            detail=detail[:200],
            by_command=not has_request_context(),
        )
    )
