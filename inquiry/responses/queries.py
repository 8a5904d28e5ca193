"""Reads of responses and drafts."""

from __future__ import annotations

import hashlib

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


def list_quotable_answers(cycle_id: int) -> list[tuple[int, str, str, str | None]]:
    """(answer id, question key, text, approved text or None) from people who agreed."""
    from ..cycles.models import CycleQuestion
    from ..questions.models import Question
    from .models import Answer, QuoteApproval

    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Answer.id, Question.key, Answer.text, QuoteApproval.text)
            .join(Response, Response.id == Answer.response_id)
            .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
            .join(Question, Question.id == CycleQuestion.question_id)
            .outerjoin(QuoteApproval, QuoteApproval.answer_id == Answer.id)
            .where(Answer.cycle_id == cycle_id, Answer.qtype == "text", Response.may_quote)
            .order_by(Answer.id)
        )
    ]
