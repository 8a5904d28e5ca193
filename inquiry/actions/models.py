"""What a group agreed to change after a cycle ("you said, we did")."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import CreatedMixin, enum_check
from ..extensions import db

STATUSES = ("planned", "done", "in_progress", "not_done", "dropped")
# What an action answers, besides a theme (kept in `theme`): a shortlisted agenda topic or a
# story of change, by kind and id, so that more kinds can be added without a new column.
FINDING_KINDS = ("topic", "story")
# "Did this happen?", asked of members in the next cycle.
CHECK_VALUES = ("yes", "partly", "no", "dont_know")


class Action(CreatedMixin, db.Model):
    __tablename__ = "action"
    __table_args__ = (
        enum_check("status", STATUSES),
        enum_check("finding_kind", FINDING_KINDS),
        sa.CheckConstraint(
            "(finding_kind IS NULL) = (finding_id IS NULL)", name="finding_kind_with_id"
        ),
        sa.CheckConstraint("finding_kind IS NULL OR theme IS NULL", name="one_finding"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The closed cycle whose summary the group discussed when it agreed this.
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(sa.String(500))
    who: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None]
    theme: Mapped[str | None] = mapped_column(sa.String(50))
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    status_note: Mapped[str] = mapped_column(sa.String(500), default="")
    finding_kind: Mapped[str | None] = mapped_column(sa.String(10))
    finding_id: Mapped[int | None]

    cycle = relationship("Cycle")

    @property
    def finding(self) -> str:
        """The finding as one value ("theme" key, "topic:12", "story:5", or "")."""
        if self.finding_kind:
            return f"{self.finding_kind}:{self.finding_id}"
        return self.theme or ""


class ActionCheck(db.Model):
    """One member's answer, in their reflection of the next cycle, to "Did this happen?"
    about one action. Goes with the response: withdrawn or deleted with it."""

    __tablename__ = "action_check"
    __table_args__ = (
        enum_check("value", CHECK_VALUES),
        sa.UniqueConstraint("response_id", "action_id", name="uq_action_check_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(sa.String(10))
