"""Anonymous responses, their answers, linking keys and half-finished drafts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import AUDIENCES, UTCDateTime, enum_check, utcnow
from ..extensions import db
from ..questions.models import QUESTION_TYPES

SOURCES = ("web", "paper", "odk")

# Each question type allows exactly one kind of value; "prefer not to say" only for Likert.
_ONE_VALUE_PER_TYPE = (
    "(qtype = 'likert' AND text IS NULL AND choice IS NULL AND "
    " ((likert IS NOT NULL AND NOT prefer_not_to_say) OR (likert IS NULL AND prefer_not_to_say)))"
    " OR (qtype = 'text' AND text IS NOT NULL AND likert IS NULL AND choice IS NULL"
    "     AND NOT prefer_not_to_say)"
    " OR (qtype = 'choice' AND choice IS NOT NULL AND likert IS NULL AND text IS NULL"
    "     AND NOT prefer_not_to_say)"
)


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        enum_check("audience", AUDIENCES),
        enum_check("source", SOURCES),
        sa.UniqueConstraint("id", "cycle_id", "audience", name="uq_response_answer_target"),
        # An imported sheet is stored once per cycle, however often its file comes in.
        sa.UniqueConstraint(
            "cycle_id", "import_fingerprint", name="uq_response_import_fingerprint"
        ),
        sa.CheckConstraint(
            "audience = 'peer_worker' OR NOT shares_openly", name="shares_openly_peer_workers_only"
        ),
        sa.CheckConstraint(
            "source <> 'web' OR (entered_by_id IS NULL AND corrected_at IS NULL)",
            name="typed_sheets_only",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(16))
    source: Mapped[str] = mapped_column(sa.String(10), default="web")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # One response per submission, however often the form is sent.
    submission_token: Mapped[str] = mapped_column(sa.String(36), unique=True)
    may_quote: Mapped[bool] = mapped_column(default=False)
    # A peer support worker's choice: answers shown to the group as the peer support team's
    # view at any number (True), or anonymous, counted only under the small-numbers rule.
    shares_openly: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Keyed hash of the receipt code shown on the confirmation page, for withdrawal.
    receipt_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Digest of an imported response's content (responses/imports.py), None for the others.
    import_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    # A sheet typed in by staff: who typed it, and when it was last corrected.
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response",
        primaryjoin="Answer.response_id == Response.id",
        foreign_keys="Answer.response_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    cycle = relationship("Cycle")
    link_keys: Mapped[list[LinkKey]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        enum_check("qtype", QUESTION_TYPES),
        sa.CheckConstraint("likert BETWEEN 1 AND 5", name="likert_1_to_5"),
        sa.CheckConstraint(_ONE_VALUE_PER_TYPE, name="one_value_per_type"),
        sa.UniqueConstraint("response_id", "cycle_question_id", name="uq_answer_once"),
        sa.Index("ix_answer_cycle_question", "cycle_id", "cycle_question_id"),
        # Answers only to this cycle's questions, for this response's audience.
        sa.ForeignKeyConstraint(
            ["response_id", "cycle_id", "audience"],
            ["response.id", "response.cycle_id", "response.audience"],
            ondelete="CASCADE",
            name="fk_answer_response",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_question_id", "cycle_id", "audience", "qtype"],
            [
                "cycle_question.id",
                "cycle_question.cycle_id",
                "cycle_question.audience",
                "cycle_question.qtype",
            ],
            name="fk_answer_cycle_question",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(index=True)
    cycle_id: Mapped[int]
    audience: Mapped[str] = mapped_column(sa.String(20))
    cycle_question_id: Mapped[int] = mapped_column(index=True)
    qtype: Mapped[str] = mapped_column(sa.String(10))
    likert: Mapped[int | None] = mapped_column(sa.SmallInteger)
    prefer_not_to_say: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str | None] = mapped_column(sa.Text)
    choice: Mapped[str | None] = mapped_column(sa.String(100))

    response: Mapped[Response] = relationship(
        back_populates="answers",
        primaryjoin="Answer.response_id == Response.id",
        foreign_keys=[response_id],
    )


class LinkKey(db.Model):
    """Keyed hashes of a self-chosen code: the whole code (variant 0) and each leave-one-out."""

    __tablename__ = "link_key"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    variant: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), index=True)


class Draft(db.Model):
    """A reflection in progress, found again through a random resume cookie."""

    __tablename__ = "draft"
    __table_args__ = (enum_check("audience", AUDIENCES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the resume cookie: a leaked database does not hand out live drafts.
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(16))
    submission_token: Mapped[str] = mapped_column(sa.String(36))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    may_quote: Mapped[bool | None] = mapped_column()
    shares_openly: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    link_digests: Mapped[list | None] = mapped_column(sa.JSON)
    # The furthest step the member reached, so that "Carry on" takes them back there.
    reached_step: Mapped[int | None] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    cycle = relationship("Cycle")


class QuoteApproval(db.Model):
    """A facilitator's approval of a free-text answer for the summary, perhaps redacted."""

    __tablename__ = "quote_approval"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class KioskCode(db.Model):
    """A one-time code a facilitator makes to turn a group tablet into a kiosk for a cycle:
    each person's reflection ends on a fresh start page. Only a keyed hash is kept."""

    __tablename__ = "kiosk_code"
    __table_args__ = (enum_check("audience", AUDIENCES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(sa.String(20))
    code_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The code works once, and only until then.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
