"""Writes for the member's reflection. Services flush; the view commits."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..core.codes import keyed_digest, normalise, random_code
from ..core.database import insert_rows
from ..core.models import utcnow
from ..cycles.models import Cycle, CycleQuestion, takes_answers
from ..extensions import db
from ..questions.models import Question
from ..questions.types import QUESTION_TYPES, get_type
from .linking import receipt_code, receipt_digest
from .models import Answer, Draft, KioskCode, LinkKey, Response
from .queries import is_stored, token_digest


def start_draft(
    cycle: Cycle,
    audience: str,
    language: str,
    days: int,
    *,
    shares_openly: bool = False,
    action_ids: list[int] | tuple[int, ...] = (),
) -> tuple[Draft, str]:
    """A new, empty reflection; returns it with the secret for the resume cookie. A group
    member's also asks about the actions agreed last time (`action_ids`)."""
    from .forms import ACTIONS_KEY

    _check_sharing(audience, shares_openly)
    token = secrets.token_urlsafe(32)
    draft = Draft(
        token_digest=token_digest(token),
        cycle_id=cycle.id,
        audience=audience,
        language=language,
        submission_token=str(uuid.uuid4()),
        answers={ACTIONS_KEY: list(action_ids)} if action_ids and audience == "member" else {},
        shares_openly=shares_openly,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(draft)
    db.session.flush()
    return draft, token


def _check_sharing(audience: str, shares_openly: bool) -> None:
    # Only peer support workers choose; a member's answers are always anonymous.
    if shares_openly and audience != "peer_worker":
        raise ValueError("only a peer support worker's answers may be shared openly")


def set_draft_sharing(draft: Draft, shares_openly: bool) -> None:
    """A peer support worker changes how their answers will be shown."""
    _check_sharing(draft.audience, shares_openly)
    draft.shares_openly = shares_openly
    draft.updated_at = utcnow()
    db.session.flush()


def save_answers(draft: Draft, values: dict[str, str | None], reached: int | None = None) -> None:
    """Store one page's answers in the draft; a skipped question clears its old answer.
    `reached` is the step the member goes on to, kept (the furthest) for "Carry on"."""
    answers = dict(draft.answers or {})
    for key, value in values.items():
        if value in (None, ""):
            answers.pop(key, None)
        else:
            answers[key] = value
    draft.answers = answers
    _reach(draft, reached)
    draft.updated_at = utcnow()
    db.session.flush()


def save_about(
    draft: Draft,
    may_quote: bool | None,
    link_digests: list[str] | None,
    reached: int | None = None,
) -> None:
    draft.may_quote = may_quote
    draft.link_digests = link_digests
    _reach(draft, reached)
    draft.updated_at = utcnow()
    db.session.flush()


def _reach(draft: Draft, step: int | None) -> None:
    # The furthest step: going back to change a page does not lose the place.
    if step is not None and step > (draft.reached_step or 1):
        draft.reached_step = step


def discard_draft(draft: Draft) -> None:
    """Throw a draft away unsent (someone else's answers, on a shared phone)."""
    db.session.delete(draft)
    db.session.flush()


def record_response(
    questions: list[CycleQuestion],
    *,
    audience: str,
    language: str,
    answers: dict[str, str],
    source: str = "web",
    may_quote: bool = False,
    shares_openly: bool = False,
    link_digests: list[str] | None = None,
    submission_token: str | None = None,
    submitted_at: datetime | None = None,
    receipt_digest: str | None = None,
) -> Response:
    """Store one person's answers (by question key) to a cycle's questions for an audience."""
    _check_sharing(audience, shares_openly)
    response = Response(
        cycle_id=questions[0].cycle_id,
        audience=audience,
        language=language,
        source=source,
        submission_token=submission_token or str(uuid.uuid4()),
        may_quote=may_quote,
        shares_openly=shares_openly,
        submitted_at=submitted_at or utcnow(),
        receipt_digest=receipt_digest,
    )
    for cq in questions:
        value = answers.get(cq.question.key)
        values = None if value is None else get_type(cq.qtype).parse(value, cq.question.options)
        if values is not None:
            response.answers.append(
                Answer(
                    cycle_question_id=cq.id, cycle_id=cq.cycle_id, audience=cq.audience, **values
                )
            )
    for variant, digest in enumerate(link_digests or []):
        response.link_keys.append(LinkKey(variant=variant, digest=digest))
    db.session.add(response)
    db.session.flush()
    return response


class SendResult(enum.Enum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    NOT_FOUND = "not found"
    CLOSED = "closed"


# The send's statements, built once: it is the busiest write a member makes. Two narrow
# reads: the draft with its cycle's state (one row), then the questions it answers. One read
# joining them repeats the draft's JSON and dates on every question's row, and decoding those
# cost four times the two reads together.
_DRAFT_TO_SEND = (
    sa.select(
        Draft.id,
        Draft.cycle_id,
        Draft.audience,
        Draft.language,
        Draft.submission_token,
        Draft.answers,
        Draft.may_quote,
        Draft.shares_openly,
        Draft.link_digests,
        Draft.created_at,
        Cycle.state,
        Cycle.closed_at,
        Cycle.grace_until,
    )
    .join(Cycle, Cycle.id == Draft.cycle_id)
    .where(Draft.token_digest == sa.bindparam("digest"), Draft.expires_at > sa.bindparam("now"))
)
_QUESTIONS_TO_SEND = (
    sa.select(CycleQuestion.id, CycleQuestion.qtype, Question.key, Question.options)
    .join(Question, Question.id == CycleQuestion.question_id)
    .where(
        CycleQuestion.cycle_id == sa.bindparam("cycle_id"),
        CycleQuestion.audience == sa.bindparam("audience"),
    )
)
_INSERT_RESPONSE = sa.insert(Response.__table__)
_PARSE = {key: qtype.parse for key, qtype in QUESTION_TYPES.items()}
_ANSWER_COLUMNS = (
    "response_id",
    "cycle_id",
    "audience",
    "cycle_question_id",
    "qtype",
    "likert",
    "prefer_not_to_say",
    "text",
    "choice",
)
_INSERT_LINK_KEYS = sa.insert(LinkKey.__table__)
_DELETE_DRAFT = sa.delete(Draft.__table__).where(Draft.__table__.c.id == sa.bindparam("draft_id"))


def draft_to_send(resume_token: str | None):
    """The draft behind a resume cookie, as the send reads it (a row with its cycle's state
    and `cycle_id`), or None. The view reads it first, to know the cycle whose limits apply."""
    if not resume_token or len(resume_token) > 100:
        return None
    return (
        db.session.connection()
        .execute(_DRAFT_TO_SEND, {"digest": token_digest(resume_token), "now": utcnow()})
        .first()
    )


def send_draft(draft, submission_token: str, key: str) -> SendResult:
    """Turn the member's draft (as `draft_to_send` read it) into a response and delete it.

    It reads the draft's questions and writes plain rows: the inserts and the delete. A
    second send of the same submission token (a double tap, a retry) finds the response
    already stored; two at once meet the UNIQUE token, and the caller checks again after
    rolling back.
    """
    if draft is None or draft.submission_token != submission_token:
        if is_stored(submission_token):
            return SendResult.ALREADY_SENT
        return SendResult.NOT_FOUND
    now = utcnow()
    # After closing, only a reflection started before the close, within the grace period.
    if not takes_answers(draft.state, draft.closed_at, draft.grace_until, draft.created_at, now):
        return SendResult.CLOSED
    connection = db.session.connection()
    # Read before the first write: under SQLite the write lock is held from the first insert.
    asked = connection.execute(
        _QUESTIONS_TO_SEND, {"cycle_id": draft.cycle_id, "audience": draft.audience}
    ).all()
    answers = draft.answers or {}
    # Everything worked out before the first write, so the write lock is held only for the
    # writes themselves.
    values = [
        (question.id, parsed)
        for question in asked
        if (value := answers.get(question.key)) is not None
        and (parsed := _PARSE[question.qtype](value, question.options)) is not None
    ]
    response = {
        "cycle_id": draft.cycle_id,
        "audience": draft.audience,
        "language": draft.language,
        "source": "web",
        "submission_token": submission_token,
        "may_quote": bool(draft.may_quote),
        "shares_openly": bool(draft.shares_openly),
        "submitted_at": now,
        "receipt_digest": receipt_digest(key, receipt_code(key, submission_token)),
    }
    response_id = connection.execute(_INSERT_RESPONSE, response).inserted_primary_key[0]
    if values:
        rows = [
            {
                "response_id": response_id,
                "cycle_id": draft.cycle_id,
                "audience": draft.audience,
                "cycle_question_id": question_id,
                **parsed,
            }
            for question_id, parsed in values
        ]
        insert_rows(connection, Answer.__table__, _ANSWER_COLUMNS, rows)
    _insert_action_checks(connection, response_id, draft.audience, answers)
    if draft.link_digests:
        connection.execute(
            _INSERT_LINK_KEYS,
            [
                {"response_id": response_id, "variant": variant, "digest": digest}
                for variant, digest in enumerate(draft.link_digests)
            ],
        )
    connection.execute(_DELETE_DRAFT, {"draft_id": draft.id})
    if draft.state == "closed":
        answers_changed(draft.cycle_id)  # a late answer: what was made before it is out of date
    return SendResult.SENT


def _insert_action_checks(connection, response_id: int, audience: str, answers: dict) -> None:
    """A group member's "Did this happen?" answers, for the actions they were asked about
    that still exist (one may have been deleted since)."""
    from ..actions.models import CHECK_VALUES, Action, ActionCheck
    from .forms import ACTIONS_KEY, action_answer_key

    asked = answers.get(ACTIONS_KEY) or []
    if audience != "member" or not isinstance(asked, list):
        return
    given = {
        i: answers.get(action_answer_key(i))
        for i in asked
        if isinstance(i, int) and answers.get(action_answer_key(i)) in CHECK_VALUES
    }
    if not given:
        return
    existing = connection.execute(sa.select(Action.id).where(Action.id.in_(list(given)))).scalars()
    rows = [{"response_id": response_id, "action_id": i, "value": given[i]} for i in existing]
    if rows:
        connection.execute(sa.insert(ActionCheck), rows)


def withdraw_response(response: Response) -> None:
    """Delete a response and everything it said, including PDFs made while it counted."""
    answers_changed(response.cycle_id)
    db.session.delete(response)
    db.session.flush()


def delete_expired_drafts() -> int:
    """Remove reflections nobody came back to; returns how many."""
    result = db.session.execute(sa.delete(Draft).where(Draft.expires_at <= utcnow()))
    return result.rowcount or 0


class NotQuotable(ValueError):
    """The answer is not free text from someone who agreed to be quoted."""


def approve_quote(answer_id: int, text: str | None = None, user_id: int | None = None):
    """Approve a free-text answer for the summary, whole or shortened (never with words added:
    see quoting.py); returns the approval. Raises NotQuotable or QuoteRefused, changing nothing."""
    from .models import QuoteApproval
    from .quoting import checked_quote

    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.qtype != "text" or not answer.response.may_quote:
        raise NotQuotable(answer_id)
    words = answer.text.strip() if text is None else checked_quote(answer.text, text)
    _forget_pdfs(answer.cycle_id)
    approval = db.session.get(QuoteApproval, answer_id) or QuoteApproval(answer_id=answer_id)
    approval.text = words
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


def remove_quote(answer_id: int) -> None:
    """Take an approved quote out of the summary (the answer itself stays)."""
    from .models import QuoteApproval

    cycle_id = db.session.scalar(sa.select(Answer.cycle_id).where(Answer.id == answer_id))
    if cycle_id is not None:
        _forget_pdfs(cycle_id)
    db.session.execute(sa.delete(QuoteApproval).where(QuoteApproval.answer_id == answer_id))


def _forget_pdfs(cycle_id: int) -> None:
    """Stored PDFs of a cycle whose quotes or answers changed may say what is no longer
    allowed: delete them (they are made again when asked for)."""
    from ..printing.services import forget_cycle_pdfs

    forget_cycle_pdfs(cycle_id)


def answers_changed(cycle_id: int) -> None:
    """A cycle's answers (or its figures) changed after things were made from them: a late
    answer, a withdrawal, a corrected sheet, a reopening, figures deleted. Its stored PDFs and
    the roll-up's kept sums go; both are made again when next asked for."""
    from ..reports.sums import forget

    _forget_pdfs(cycle_id)
    forget(cycle_id)


# Group tablets (kiosk) ------------------------------------------------------------------


def kiosk_digest(key: str, code: str) -> str:
    return keyed_digest(key, "kiosk|" + normalise(code))


def make_kiosk_code(
    cycle: Cycle, audience: str, key: str, minutes: int, user_id: int | None
) -> tuple[KioskCode, str]:
    """A one-time code that makes a browser the group's tablet for this cycle and audience;
    returns it with the code to show (only its keyed hash is kept)."""
    code = random_code(8)
    kiosk = KioskCode(
        cycle_id=cycle.id,
        audience=audience,
        code_digest=kiosk_digest(key, code),
        created_by_id=user_id,
        expires_at=utcnow() + timedelta(minutes=minutes),
    )
    db.session.add(kiosk)
    db.session.flush()
    return kiosk, code


def use_kiosk_code(key: str, typed: str) -> KioskCode | None:
    """Use up a one-time tablet code; None when it is wrong, used, expired or its cycle is not
    open. Two browsers racing for one code: only one update finds it unused."""
    digest = kiosk_digest(key, typed)
    now = utcnow()
    used = db.session.execute(
        sa.update(KioskCode)
        .where(
            KioskCode.code_digest == digest,
            KioskCode.used_at.is_(None),
            KioskCode.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not used.rowcount:
        return None
    kiosk = db.session.scalar(sa.select(KioskCode).filter_by(code_digest=digest))
    cycle = db.session.get(Cycle, kiosk.cycle_id)
    return kiosk if cycle is not None and cycle.is_open else None
