"""Cycles of inquiry, their questions and their join codes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import AUDIENCES, CreatedMixin, UTCDateTime, enum_check, utcnow
from ..extensions import db
from ..questions.models import QUESTION_TYPES, Question

CYCLE_STATES = ("draft", "open", "closed")
# A closed cycle may be reopened within this long of closing, even once its summary is printed.
REOPEN_WITHIN = timedelta(days=7)


def takes_answers(
    state: str,
    closed_at: datetime | None,
    grace_until: datetime | None,
    started_at: datetime,
    now: datetime,
) -> bool:
    """Whether a reflection started at `started_at` may still be answered and sent: while the
    cycle is open, or after it closed when it was started before the close and the grace
    period the facilitator chose has not ended."""
    if state == "open":
        return True
    return (
        state == "closed"
        and closed_at is not None
        and grace_until is not None
        and started_at <= closed_at
        and now < grace_until
    )


class Cycle(CreatedMixin, db.Model):
    __tablename__ = "cycle"
    __table_args__ = (
        enum_check("state", CYCLE_STATES),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint(
            "grace_until IS NULL OR (state = 'closed' AND closed_at IS NOT NULL "
            "AND grace_until >= closed_at)",
            name="grace_only_after_close",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("community_group.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(10), default="draft")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Until then, people who had started before the close may still send (none: no grace).
    grace_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first time a summary PDF of the closed cycle went to staff: the group has seen its
    # figures, so withdrawal ends, and reopening is allowed only within REOPEN_WITHIN.
    first_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The meeting after closing, where the group chose from the agenda: until then members
    # may still choose topics (agenda/).
    meeting_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group = relationship("Group", back_populates="cycles")
    questions: Mapped[list[CycleQuestion]] = relationship(
        back_populates="cycle", order_by="CycleQuestion.position", cascade="all, delete-orphan"
    )
    codes: Mapped[list[JoinCode]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def in_grace(self, now: datetime | None = None) -> bool:
        """Closed, but people who had started may still send their answers."""
        return (
            self.state == "closed"
            and self.grace_until is not None
            and (now or utcnow()) < self.grace_until
        )

    def takes_answers_from(self, started_at: datetime, now: datetime | None = None) -> bool:
        """Whether a reflection started then may still be answered and sent."""
        return takes_answers(
            self.state, self.closed_at, self.grace_until, started_at, now or utcnow()
        )

    def figures_ready(self, now: datetime | None = None) -> bool:
        """Closed, with no late answers still able to arrive: the summary's figures are final."""
        from ..reports.privacy import figures_exist

        return figures_exist(self.state, self.grace_until, now or utcnow())

    def active_code(self, audience: str) -> str | None:
        for code in self.codes:
            if code.audience == audience and code.is_active:
                return code.code
        return None


class CycleQuestion(db.Model):
    """A question as asked in one cycle, in its place. Frozen once a response arrives."""

    __tablename__ = "cycle_question"
    __table_args__ = (
        enum_check("audience", AUDIENCES),
        enum_check("qtype", QUESTION_TYPES),
        sa.UniqueConstraint("cycle_id", "question_id", name="uq_cycle_question_once"),
        sa.UniqueConstraint("cycle_id", "audience", "position", name="uq_cycle_question_position"),
        sa.UniqueConstraint(
            "id", "cycle_id", "audience", "qtype", name="uq_cycle_question_answer_target"
        ),
        sa.ForeignKeyConstraint(
            ["question_id", "audience", "qtype"],
            ["question.id", "question.audience", "question.qtype"],
            name="fk_cycle_question_matches_question",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column()
    audience: Mapped[str] = mapped_column(sa.String(20))
    qtype: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int]

    cycle: Mapped[Cycle] = relationship(back_populates="questions")
    question: Mapped[Question] = relationship(
        primaryjoin="CycleQuestion.question_id == Question.id",
        foreign_keys=[question_id],
        lazy="joined",
    )


class JoinCode(CreatedMixin, db.Model):
    """The short code a member types or scans. Replaced codes stay, inactive, never reused."""

    __tablename__ = "join_code"
    __table_args__ = (
        enum_check("audience", AUDIENCES),
        sa.Index(
            "uq_join_code_one_active",
            "cycle_id",
            "audience",
            unique=True,
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(sa.String(20))
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Paused by the facilitator (as when one address sends far more than a room would): the
    # code says so and lets nobody in, without counting as wrong, until it is resumed.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[Cycle] = relationship(back_populates="codes")

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None
