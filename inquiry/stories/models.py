"""The story round ("most significant change"): stories of change people write, the
facilitator's shortlist, and the group's choice with its reasons.

A story is never tied to anyone's answers: it has its own receipt code (kept as a keyed
hash) and no time, audience or link to a response, so nobody can put a story beside a
reflection.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime
from ..extensions import db

MAX_SHORTLIST = 6
TITLE_MAX = 80
TEXT_MAX = 2000
REASONS_MAX = 2000


class StoryRound(db.Model):
    """A cycle's story round, once a facilitator has switched it on."""

    __tablename__ = "story_round"
    __table_args__ = (
        sa.CheckConstraint(
            "chosen_story_id IS NULL OR reasons IS NOT NULL", name="chosen_with_reasons"
        ),
        sa.CheckConstraint(
            "chosen_story_id IS NULL OR done_at IS NOT NULL", name="chosen_when_done"
        ),
    )

    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True
    )
    is_on: Mapped[bool] = mapped_column(default=True)
    # Choosing (on phones) ends when the facilitator marks the story choice done.
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chosen_story_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("story.id", ondelete="SET NULL")
    )
    # Why the group chose it: the point of the method.
    reasons: Mapped[str | None] = mapped_column(sa.Text)

    chosen = relationship("Story", foreign_keys=[chosen_story_id])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Story(db.Model):
    """One story of change. Shortlisted stories carry the words read out (the person's own,
    perhaps shortened); the original stays as written."""

    __tablename__ = "story"
    __table_args__ = (
        sa.UniqueConstraint("id", "cycle_id", name="uq_story_id_cycle"),
        sa.CheckConstraint(
            "shortlisted_at IS NULL OR (may_share AND shown_title IS NOT NULL"
            " AND shown_text IS NOT NULL)",
            name="shortlist_only_shared",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    text: Mapped[str] = mapped_column(sa.Text)
    # May it be read out to the group and shown in the summary (never with a name)?
    may_share: Mapped[bool] = mapped_column(default=False)
    # One story per press of the button, however often the form is sent.
    submission_token: Mapped[str] = mapped_column(sa.String(36), unique=True)
    # Keyed hash of the story's own receipt code, for taking it back.
    receipt_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    shortlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shown_title: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX))
    shown_text: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def is_shortlisted(self) -> bool:
        return self.shortlisted_at is not None


class StoryChoice(db.Model):
    """One person's pick of one shortlisted story; the chooser is a keyed hash of a random
    token (a phone's cookie, or one person's turn on a group tablet)."""

    __tablename__ = "story_choice"
    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "voter_digest", name="uq_story_choice_once"),
        sa.ForeignKeyConstraint(
            ["story_id", "cycle_id"],
            ["story.id", "story.cycle_id"],
            ondelete="CASCADE",
            name="fk_story_choice_story",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(index=True)
    voter_digest: Mapped[str] = mapped_column(sa.String(64))
