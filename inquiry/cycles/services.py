"""Writes to cycles and their join codes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..core.codes import random_code
from ..core.models import AUDIENCES, utcnow
from ..extensions import db
from ..questions.models import Question
from ..questions.queries import list_builtin_questions
from .models import REOPEN_WITHIN, Cycle, CycleQuestion, JoinCode


def create_cycle(
    group_id: int,
    title: str,
    starts_on: date,
    ends_on: date,
    questions: dict[str, list[Question]] | None = None,
    *,
    strict: bool = False,
) -> Cycle:
    """A draft cycle asking the given questions; without `strict`, an audience given no
    questions gets the whole built-in bank."""
    cycle = Cycle(group_id=group_id, title=title, starts_on=starts_on, ends_on=ends_on)
    db.session.add(cycle)
    for audience in AUDIENCES:
        chosen = (questions or {}).get(audience)
        if not chosen and not strict:
            chosen = list_builtin_questions(audience)
        for position, question in enumerate(chosen or [], start=1):
            cycle.questions.append(
                CycleQuestion(
                    question_id=question.id,
                    audience=audience,
                    qtype=question.qtype,
                    position=position,
                )
            )
    db.session.flush()
    return cycle


def _code_in_use(code: str) -> bool:
    return db.session.scalar(sa.select(JoinCode.id).filter_by(code=code)) is not None


def issue_code(cycle: Cycle, audience: str) -> JoinCode:
    """Give the cycle a fresh join code for an audience; any earlier code stops working."""
    for old in cycle.codes:
        if old.audience == audience and old.is_active:
            old.is_active = False
    db.session.flush()
    code = random_code()
    while _code_in_use(code):
        code = random_code()
    join_code = JoinCode(audience=audience, code=code)
    cycle.codes.append(join_code)
    db.session.flush()
    return join_code


def open_cycle(cycle: Cycle) -> None:
    """Open a cycle for reflections, with a join code for each audience."""
    cycle.state = "open"
    cycle.opened_at = utcnow()
    for audience in AUDIENCES:
        if cycle.active_code(audience) is None:
            issue_code(cycle, audience)


# Which state each change starts from: the workspace buttons and the command line agree.
REQUIRED_STATE = {
    "opened": "draft",
    "closed": "open",
    "replaced_code": "open",
    "reopened": "closed",
}


def may_change(cycle: Cycle, action: str) -> bool:
    """Whether the cycle is in the state a change (`opened`, `closed`, a code replaced,
    `reopened`) starts from; reopening also needs why_not_reopen to have no reason."""
    if action == "reopened" and cycle.state == "closed":
        return why_not_reopen(cycle) is None
    return cycle.state == REQUIRED_STATE[action]


# The grace period offered first when closing, in hours (the choices are on the close page).
DEFAULT_GRACE_HOURS = 24


def close_and_start_summary(cycle: Cycle, languages, grace: timedelta = timedelta(0)) -> None:
    """Close the cycle, letting people who had started send within `grace`. With no grace the
    summary PDF starts now in each of these languages, ready for the next meeting; with grace
    its figures wait until no late answer can arrive, so it is made when first asked for."""
    from ..printing.services import request_summary_pdf

    if grace < timedelta(0):
        raise ValueError("a grace period is not negative")
    close_cycle(cycle)
    if grace:
        cycle.grace_until = cycle.closed_at + grace
        db.session.flush()
        return
    for language in dict.fromkeys(languages):
        # The render worker builds it from the cycle: none of it is built in this request.
        request_summary_pdf(cycle.id, "", language)


def why_not_reopen(cycle: Cycle, now: datetime | None = None) -> str | None:
    """Why a closed cycle can no longer be reopened ("printed_and_old": its summary has been
    printed and it closed more than REOPEN_WITHIN ago; "answers_deleted": its answers were
    deleted, so new ones would sit behind figures kept from old ones), or None while it can
    (or is not closed: may_change says so)."""
    from ..retention.queries import get_snapshot

    now = now or utcnow()
    if cycle.state == "closed" and get_snapshot(cycle.id) is not None:
        return "answers_deleted"
    if cycle.state != "closed" or cycle.first_printed_at is None:
        return None
    if cycle.closed_at is not None and now - cycle.closed_at <= REOPEN_WITHIN:
        return None
    return "printed_and_old"


def reopen_cycle(cycle: Cycle) -> None:
    """Take answers again: its codes and posters work again, its figures go until it closes
    again, and PDFs made while it was closed are dropped (they would be out of date)."""
    from ..responses.services import answers_changed

    cycle.state = "open"
    cycle.closed_at = None
    cycle.grace_until = None
    answers_changed(cycle.id)
    db.session.flush()


def summary_printed(cycle: Cycle) -> None:
    """Note that a summary PDF went to staff: the first time once its figures are final is
    when the group has seen them (withdrawal ends then; reopening only within 7 days)."""
    if cycle.first_printed_at is None and cycle.figures_ready():
        cycle.first_printed_at = utcnow()
        db.session.flush()


def may_withdraw(cycle: Cycle) -> bool:
    """Whether answers to the cycle may still be taken out by receipt code: while it is open,
    and after it closes until its summary is first printed."""
    return cycle.state == "open" or (cycle.state == "closed" and cycle.first_printed_at is None)


def close_cycle(cycle: Cycle) -> None:
    cycle.state = "closed"
    cycle.closed_at = utcnow()
    db.session.flush()


def questions_of(cycle: Cycle) -> dict[str, list[Question]]:
    """A cycle's questions by audience, in order: the starting point of the next cycle."""
    chosen: dict[str, list[Question]] = {a: [] for a in AUDIENCES}
    for cq in sorted(cycle.questions, key=lambda q: q.position):
        chosen[cq.audience].append(cq.question)
    return chosen


class QuestionsFrozen(ValueError):
    """Answers have arrived: the cycle's questions stay as they are."""


def add_own_question(
    cycle: Cycle,
    audience: str,
    qtype: str,
    text: str,
    theme: str,
    options: list[str],
    language: str = "en_GB",
) -> CycleQuestion:
    """A question of the group's own, asked at the end of its audience's questions."""
    import re

    from ..questions.models import QuestionText
    from ..responses.models import Response

    if db.session.scalar(sa.select(Response.id).filter_by(cycle_id=cycle.id).limit(1)):
        raise QuestionsFrozen(cycle.id)
    values = []
    for label in options:
        value = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "option"
        while value in values:
            value += "_"
        values.append(value)
    number = db.session.scalar(
        sa.select(sa.func.count()).select_from(Question).filter_by(group_id=cycle.group_id)
    )
    question = Question(
        key=f"group{cycle.group_id}.q{number + 1}",
        theme=theme,
        audience=audience,
        qtype=qtype,
        is_builtin=False,
        group_id=cycle.group_id,
        options=values or None,
    )
    question.texts[language] = QuestionText(
        language=language, text=text, option_labels=options or None
    )
    db.session.add(question)
    db.session.flush()
    last = max((q.position for q in cycle.questions if q.audience == audience), default=0)
    cq = CycleQuestion(question_id=question.id, audience=audience, qtype=qtype, position=last + 1)
    cycle.questions.append(cq)
    db.session.flush()
    return cq


# Corrections ------------------------------------------------------------------------------


def update_details(cycle: Cycle, title: str, starts_on: date, ends_on: date) -> list[str]:
    """Correct a cycle's name and dates, in any state; returns what changed ("title",
    "dates"), for the audit log (which never holds the words themselves)."""
    if ends_on < starts_on:
        raise ValueError("ends before it starts")
    changed = []
    if title != cycle.title:
        changed.append("title")
    if (starts_on, ends_on) != (cycle.starts_on, cycle.ends_on):
        changed.append("dates")
    cycle.title, cycle.starts_on, cycle.ends_on = title, starts_on, ends_on
    db.session.flush()
    return changed


class NotADraft(ValueError):
    """The cycle has been opened: people may have answered, so it stays."""


def may_delete(cycle: Cycle) -> bool:
    """Only a cycle that was never opened may be deleted."""
    return cycle.state == "draft" and cycle.opened_at is None


def delete_draft(cycle: Cycle) -> None:
    """Delete a cycle made by mistake, with its questions; a cycle that opened stays."""
    from ..responses.models import Response

    if not may_delete(cycle) or db.session.scalar(
        sa.select(Response.id).filter_by(cycle_id=cycle.id).limit(1)
    ):
        raise NotADraft(cycle.id)
    db.session.delete(cycle)
    db.session.flush()


def own_question_locked(cq: CycleQuestion, *, removing: bool = False) -> str | None:
    """Why a group's own question can no longer be changed (or, with `removing`, taken out
    of this cycle): "builtin", "closed", "answered" (this cycle has answers), for a change of
    words "answered_elsewhere" (another cycle asking it has), for a removal "last" (the
    cycle's only question) or "last_for_audience" (the only one its audience is asked, while
    the other audience has theirs); None while it can."""
    from ..responses.models import Response

    if cq.question.is_builtin:
        return "builtin"
    if cq.cycle.state == "closed":
        return "closed"
    if db.session.scalar(sa.select(Response.id).filter_by(cycle_id=cq.cycle_id).limit(1)):
        return "answered"
    if removing:
        # Each audience the cycle asks keeps at least one question, as when it was made.
        if sum(q.audience == cq.audience for q in cq.cycle.questions) > 1:
            return None
        return "last" if len(cq.cycle.questions) == 1 else "last_for_audience"
    elsewhere = (
        sa.select(Response.id)
        .join(CycleQuestion, CycleQuestion.cycle_id == Response.cycle_id)
        .where(CycleQuestion.question_id == cq.question_id, CycleQuestion.id != cq.id)
        .limit(1)
    )
    if db.session.scalar(elsewhere):
        return "answered_elsewhere"
    return None


def remove_own_question(cq: CycleQuestion) -> None:
    """Take a group's own question out of a cycle nobody has answered yet. The question
    itself stays (other cycles may ask it, and its key is never given to another)."""
    if own_question_locked(cq, removing=True):
        raise QuestionsFrozen(cq.cycle_id)
    cycle = cq.cycle
    cycle.questions.remove(cq)
    db.session.flush()
