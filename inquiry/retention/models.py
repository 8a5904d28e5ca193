"""What is left of a cycle once its answers are deleted: when, why, and its summary's figures."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import UTCDateTime, enum_check
from ..extensions import db

REASONS = ("retention", "request")


class SummarySnapshot(db.Model):
    """One row per cycle whose answers were deleted. `summary` is the summary's JSON
    (reports/formats.py) as it stood just before, without quotes; NULL once the summary was
    deleted too."""

    __tablename__ = "summary_snapshot"
    __table_args__ = (
        enum_check("reason", REASONS),
        sa.CheckConstraint(
            "(summary IS NULL) = (summary_deleted_at IS NOT NULL)", name="figures_or_deleted"
        ),
    )

    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True
    )
    answers_deleted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.String(10))
    summary: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    summary_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
