"""What a group agreed to change after a cycle ("you said, we did")."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import CreatedMixin, enum_check
from ..extensions import db

STATUSES = ("planned", "done", "in_progress", "not_done", "dropped")


class Action(CreatedMixin, db.Model):
    __tablename__ = "action"
    __table_args__ = (enum_check("status", STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The closed cycle whose summary the group discussed when it agreed this.
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(sa.String(500))
    who: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None]
    theme: Mapped[str | None] = mapped_column(sa.String(50))
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    status_note: Mapped[str] = mapped_column(sa.String(500), default="")

    cycle = relationship("Cycle")
