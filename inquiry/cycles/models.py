"""Cycles of inquiry, their questions and their join codes."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import AUDIENCES, CreatedMixin, UTCDateTime, enum_check
from ..extensions import db
from ..questions.models import QUESTION_TYPES, Question

CYCLE_STATES = ("draft", "open", "closed")


class Cycle(CreatedMixin, db.Model):
    __tablename__ = "cycle"
    __table_args__ = (
        enum_check("state", CYCLE_STATES),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("community_group.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(10), default="draft")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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

    cycle: Mapped[Cycle] = relationship(back_populates="codes")
