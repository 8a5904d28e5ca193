"""The negotiated agenda: topics shortlisted from members' suggestions, and their votes."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import CreatedMixin
from ..extensions import db

MAX_TOPICS = 8
MAX_CHOICES = 3


class AgendaTopic(CreatedMixin, db.Model):
    __tablename__ = "agenda_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))


class AgendaVote(CreatedMixin, db.Model):
    """One member's choice of one topic; the voter is a keyed hash of a random cookie."""

    __tablename__ = "agenda_vote"
    __table_args__ = (sa.UniqueConstraint("topic_id", "voter_digest", name="uq_vote_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_topic.id", ondelete="CASCADE"), index=True
    )
    voter_digest: Mapped[str] = mapped_column(sa.String(64))
