"""Writes for the member's reflection. Services flush; the view commits."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..core.models import utcnow
from ..cycles.models import Cycle, CycleQuestion
from ..extensions import db
from .forms import PREFER_NOT_TO_SAY
from .linking import receipt_code, receipt_digest
from .models import Answer, Draft, LinkKey, Response
from .queries import token_digest


def start_draft(cycle: Cycle, audience: str, language: str, days: int) -> tuple[Draft, str]:
    """A new, empty reflection; returns it with the secret for the resume cookie."""
    token = secrets.token_urlsafe(32)
    draft = Draft(
        token_digest=token_digest(token),
        cycle_id=cycle.id,
        audience=audience,
        language=language,
        submission_token=str(uuid.uuid4()),
        answers={},
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(draft)
    db.session.flush()
    return draft, token


def save_answers(draft: Draft, values: dict[str, str | None]) -> None:
    """Store one page's answers in the draft; a skipped question clears its old answer."""
    answers = dict(draft.answers or {})
    for key, value in values.items():
        if value in (None, ""):
            answers.pop(key, None)
        else:
            answers[key] = value
    draft.answers = answers
    draft.updated_at = utcnow()
    db.session.flush()


def save_about(draft: Draft, may_quote: bool | None, link_digests: list[str] | None) -> None:
    draft.may_quote = may_quote
    draft.link_digests = link_digests
    draft.updated_at = utcnow()
    db.session.flush()


def _answer(cq: CycleQuestion, value: str) -> Answer | None:
    answer = Answer(
        cycle_question_id=cq.id,
        cycle_id=cq.cycle_id,
        audience=cq.audience,
        qtype=cq.qtype,
        prefer_not_to_say=False,
    )
    if cq.qtype == "likert":
        if value == PREFER_NOT_TO_SAY:
            answer.prefer_not_to_say = True
        elif value in {"1", "2", "3", "4", "5"}:
            answer.likert = int(value)
        else:
            return None
    elif cq.qtype == "choice":
        if value not in (cq.question.options or []):
            return None
        answer.choice = value
    else:
        answer.text = value
    return answer


def record_response(
    questions: list[CycleQuestion],
    *,
    audience: str,
    language: str,
    answers: dict[str, str],
    source: str = "web",
    may_quote: bool = False,
    link_digests: list[str] | None = None,
    submission_token: str | None = None,
    submitted_at: datetime | None = None,
    receipt_digest: str | None = None,
) -> Response:
    """Store one person's answers (by question key) to a cycle's questions for an audience."""
    response = Response(
        cycle_id=questions[0].cycle_id,
        audience=audience,
        language=language,
        source=source,
        submission_token=submission_token or str(uuid.uuid4()),
        may_quote=may_quote,
        submitted_at=submitted_at or utcnow(),
        receipt_digest=receipt_digest,
    )
    for cq in questions:
        value = answers.get(cq.question.key)
        answer = _answer(cq, value) if value is not None else None
        if answer is not None:
            response.answers.append(answer)
    for variant, digest in enumerate(link_digests or []):
        response.link_keys.append(LinkKey(variant=variant, digest=digest))
    db.session.add(response)
    db.session.flush()
    return response


def submit_draft(draft: Draft, questions: list[CycleQuestion], key: str) -> tuple[Response, str]:
    """Turn a draft into a response and delete the draft; returns it with its receipt code."""
    receipt = receipt_code(key, draft.submission_token)
    response = record_response(
        questions,
        audience=draft.audience,
        language=draft.language,
        answers=draft.answers or {},
        may_quote=bool(draft.may_quote),
        link_digests=draft.link_digests,
        submission_token=draft.submission_token,
        receipt_digest=receipt_digest(key, receipt),
    )
    db.session.delete(draft)
    db.session.flush()
    return response, receipt


def withdraw_response(response: Response) -> None:
    """Delete a response and everything it said."""
    db.session.delete(response)
    db.session.flush()


def delete_expired_drafts() -> int:
    """Remove reflections nobody came back to; returns how many."""
    result = db.session.execute(sa.delete(Draft).where(Draft.expires_at <= utcnow()))
    return result.rowcount or 0


class NotQuotable(ValueError):
    """The answer is not free text from someone who agreed to be quoted."""


def approve_quote(answer_id: int, text: str | None = None, user_id: int | None = None):
    """Approve a free-text answer for the summary, perhaps redacted; returns the approval."""
    from .models import QuoteApproval

    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.qtype != "text" or not answer.response.may_quote:
        raise NotQuotable(answer_id)
    approval = db.session.get(QuoteApproval, answer_id) or QuoteApproval(answer_id=answer_id)
    approval.text = (text if text is not None else answer.text).strip()
    approval.approved_by_id = user_id
    approval.approved_at = utcnow()
    db.session.add(approval)
    db.session.flush()
    return approval


def set_draft_language(resume_token: str | None, language: str) -> None:
    """A member who changes language mid-reflection answers (and is counted) in the new one."""
    from .queries import get_live_draft

    draft = get_live_draft(resume_token)
    if draft is not None and draft.language != language:
        draft.language = language
        db.session.commit()
