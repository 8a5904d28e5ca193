"""Reads of responses and drafts."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import sqlalchemy as sa

from ..core.models import utcnow
from ..extensions import db
from .models import Draft, Response


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_live_draft(token: str | None) -> Draft | None:
    """The draft behind a resume cookie, unless it has expired."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Draft).where(
            Draft.token_digest == token_digest(token), Draft.expires_at > utcnow()
        )
    )


def is_stored(submission_token: str) -> bool:
    """Whether a response with this submission token is already stored."""
    return (
        db.session.scalar(
            sa.select(Response.id).filter_by(submission_token=submission_token).limit(1)
        )
        is not None
    )


def get_response_by_receipt(digest: str) -> Response | None:
    return db.session.scalar(sa.select(Response).filter_by(receipt_digest=digest))


class QuotableAnswer(NamedTuple):
    id: int
    audience: str
    shares_openly: bool  # a peer support worker who shares their answers openly
    question_key: str
    text: str
    approved: str | None  # the approved words, or None while not approved
    # How many answered the cycle: group members, and peer support workers anonymously.
    members_n: int
    anonymous_peers_n: int


def list_quotable_answers(cycle_id: int) -> list[QuotableAnswer]:
    """Free-text answers from people who agreed to be quoted, by audience and question, with
    the counts that decide whether their audience is shown in the summary."""
    from ..cycles.models import CycleQuestion
    from ..questions.models import Question
    from .models import Answer, QuoteApproval

    def answered(*where) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.count())
            .select_from(Response)
            .where(Response.cycle_id == cycle_id, *where)
            .scalar_subquery()
        )

    rows = db.session.execute(
        sa.select(
            Answer.id,
            Response.audience,
            Response.shares_openly,
            Question.key,
            Answer.text,
            QuoteApproval.text,
            answered(Response.audience == "member"),
            answered(Response.audience == "peer_worker", Response.shares_openly.is_(False)),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .outerjoin(QuoteApproval, QuoteApproval.answer_id == Answer.id)
        .where(Answer.cycle_id == cycle_id, Answer.qtype == "text", Response.may_quote)
        .order_by(CycleQuestion.audience, CycleQuestion.position, Answer.id)
    )
    return [QuotableAnswer(*row) for row in rows]
