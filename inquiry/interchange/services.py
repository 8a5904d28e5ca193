"""Writes: a form's questions into a cycle, and offline answers into a cycle.

Both check everything first and change nothing when anything is wrong. Services flush; the
caller commits (or rolls back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..cycles.models import Cycle, CycleQuestion
from ..cycles.queries import list_cycle_questions
from ..cycles.services import add_own_question
from ..extensions import db
from ..questions.models import Question, QuestionText
from ..responses.models import Response
from ..responses.services import record_response
from .odk import fingerprint, read_submissions
from .xlsform import FALLBACK
from .xlsform_read import FormQuestion, read_xlsform


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or why it did nothing (problems)."""

    problems: list[str]
    notes: list[str] = field(default_factory=list)
    audience: str | None = None
    added: int = 0
    kept: int = 0
    skipped: int = 0


def _has_responses(cycle: Cycle) -> bool:
    return (
        db.session.scalar(sa.select(Response.id).filter_by(cycle_id=cycle.id).limit(1)) is not None
    )


def question_set_refusal(cycle: Cycle) -> str | None:
    """Why a cycle's questions cannot be replaced from a form now, or None."""
    if cycle.state == "closed":
        return _("This cycle is closed, so its questions stay as they were asked.")
    if _has_responses(cycle):
        return _(
            "Answers have arrived, so this cycle's questions are fixed: start a new cycle "
            "and import the form into it."
        )
    return None


def import_question_set(
    cycle: Cycle, audience: str, data: bytes, languages: list[str]
) -> ImportResult:
    """Make a form's questions the audience's questions in this cycle, in the form's order.

    A row named after a built-in question asks that question (its words must be the bank's);
    a row named after one of the group's own questions, with the same words and choices,
    asks it again; every other row becomes a new question of the group's own. All or nothing.
    """
    refusal = question_set_refusal(cycle)
    if refusal:
        return ImportResult([refusal])
    form = read_xlsform(data, languages)
    if form.problems:
        return ImportResult(form.problems, form.notes)
    notes = list(form.notes)
    plan, problems = _match(cycle, audience, form.questions, notes)
    if problems:
        return ImportResult(problems, notes)
    for cq in [cq for cq in cycle.questions if cq.audience == audience]:
        cycle.questions.remove(cq)
    db.session.flush()
    added = kept = 0
    for asked, question in plan:
        if question is None:
            _add_question(cycle, audience, asked)
            added += 1
            continue
        _add_translations(question, asked)
        last = max((q.position for q in cycle.questions if q.audience == audience), default=0)
        cycle.questions.append(
            CycleQuestion(
                question_id=question.id,
                audience=audience,
                qtype=question.qtype,
                position=last + 1,
            )
        )
        kept += 1
    db.session.flush()
    return ImportResult([], notes, audience, added=added, kept=kept)


def _same_words(a: str | None, b: str | None) -> bool:
    return re.sub(r"\s+", " ", (a or "").strip()) == re.sub(r"\s+", " ", (b or "").strip())


def _match(cycle, audience, asked: list[FormQuestion], notes):
    """[(form question, our question or None for a new one)], problems."""
    names = [q.name for q in asked]
    existing = {
        q.key: q for q in db.session.scalars(sa.select(Question).where(Question.key.in_(names)))
    }
    plan, problems = [], []
    other_words = False
    for question in asked:
        ours = existing.get(question.name)
        where = _("survey sheet, row %(row)d", row=question.row)
        if ours is not None and ours.is_builtin:
            english = ours.text_in(FALLBACK)
            if ours.audience != audience:
                problems.append(
                    f"{where}: "
                    + _(
                        "%(name)s is a built-in question for %(audience)s: import this form "
                        "for them, or give the row a new name.",
                        name=question.name,
                        audience=_audience_words(ours.audience),
                    )
                )
            elif ours.qtype != question.qtype or not _same_words(
                english.text, question.texts[FALLBACK]
            ):
                problems.append(
                    f"{where}: "
                    + _(
                        "%(name)s is the name of a built-in question, but its words or "
                        "answers are different. Keep the built-in words, or give the row a "
                        "new name to make it a question of the group's own.",
                        name=question.name,
                    )
                )
            else:
                plan.append((question, ours))
                other_words = other_words or any(
                    not _same_words(ours.texts[c].text, t) if c in ours.texts else False
                    for c, t in question.texts.items()
                )
            continue
        if ours is not None and _same_own_question(ours, cycle, audience, question):
            plan.append((question, ours))
            continue
        plan.append((question, None))
    if other_words:
        notes.append(
            _(
                "Built-in questions keep their reviewed translations: other words for them "
                "in the form were left out."
            )
        )
    return plan, problems


def _same_own_question(ours: Question, cycle, audience, asked: FormQuestion) -> bool:
    english = ours.text_in(FALLBACK)
    return (
        ours.group_id == cycle.group_id
        and ours.audience == audience
        and ours.qtype == asked.qtype
        and _same_words(english.text, asked.texts[FALLBACK])
        and list(ours.options or []) == list(asked.options)
        and list(english.option_labels or ours.options or [])
        == list(asked.option_labels.get(FALLBACK, asked.options))
    )


def _add_question(cycle, audience, asked: FormQuestion) -> None:
    theme = "open" if asked.qtype == "text" else "own"
    labels = list(asked.option_labels.get(FALLBACK, ()))
    cq = add_own_question(
        cycle, audience, asked.qtype, asked.texts[FALLBACK], theme, labels, FALLBACK
    )
    question = cq.question
    if asked.qtype == "choice":
        # Keep the form's own names for the choices: answers collected with it use them.
        question.options = list(asked.options)
    question.texts[FALLBACK].hint = asked.hints.get(FALLBACK) or None
    for code, text in asked.texts.items():
        if code != FALLBACK:
            question.texts[code] = QuestionText(
                language=code,
                text=text,
                hint=asked.hints.get(code) or None,
                option_labels=list(asked.option_labels[code])
                if code in asked.option_labels
                else None,
            )
    db.session.flush()


def _add_translations(question: Question, asked: FormQuestion) -> None:
    """A group's own question asked again may bring words in a language it lacked."""
    if question.is_builtin:
        return
    for code, text in asked.texts.items():
        if code not in question.texts:
            question.texts[code] = QuestionText(
                language=code,
                text=text,
                hint=asked.hints.get(code) or None,
                option_labels=list(asked.option_labels[code])
                if code in asked.option_labels
                else None,
            )


def _audience_words(audience: str) -> str:
    return _("group members") if audience == "member" else _("peer support workers")


def answers_refusal(cycle: Cycle) -> str | None:
    """Why offline answers cannot be imported into this cycle now, or None."""
    if cycle.state == "closed":
        return _(
            "This cycle is closed: answers can no longer be added, so its summary stays as "
            "the group saw it."
        )
    if cycle.state != "open":
        return _("Open the cycle first: answers arrive only while it is open.")
    return None


def import_odk_answers(cycle: Cycle, data: bytes) -> ImportResult:
    """Store the submissions of an ODK or Kobo CSV export, each once, marked source 'odk'.

    Submissions already stored (an export made later holds every earlier submission too) are
    skipped and counted; a file with nothing new is refused. Anything wrong: nothing stored.
    """
    refusal = answers_refusal(cycle)
    if refusal:
        return ImportResult([refusal])
    lists = {a: list_cycle_questions(cycle.id, a) for a in ("member", "peer_worker")}
    questions = {a: {cq.question.key: cq.question for cq in qs} for a, qs in lists.items()}
    found = read_submissions(data, questions)
    if found.problems:
        return ImportResult(found.problems)
    tokens = [s.token for s in found.submissions]
    stored = dict(
        db.session.execute(
            sa.select(Response.submission_token, Response.cycle_id).where(
                Response.submission_token.in_(tokens)
            )
        ).all()
    )
    elsewhere = [s for s in found.submissions if stored.get(s.token, cycle.id) != cycle.id]
    if elsewhere:
        return ImportResult(
            [
                _("Row %(row)d", row=s.row)
                + ": "
                + _("this submission was imported into another cycle.")
                for s in elsewhere
            ]
        )
    language = cycle.group.default_language
    prints = {
        s.token: fingerprint(cycle.id, found.audience, language, s, questions[found.audience])
        for s in found.submissions
    }
    here = set(
        db.session.scalars(
            sa.select(Response.import_fingerprint).where(
                Response.cycle_id == cycle.id,
                Response.import_fingerprint.in_(list(prints.values())),
            )
        )
    )
    new = [s for s in found.submissions if s.token not in stored and prints[s.token] not in here]
    if not new:
        return ImportResult(
            [
                _(
                    "Every submission in this file has been imported into this cycle before, "
                    "so nothing was imported."
                )
            ],
            audience=found.audience,
            skipped=len(found.submissions),
        )
    questions_asked = lists[found.audience]
    if not questions_asked:
        return ImportResult(
            [
                _(
                    "This cycle asks %(audience)s no questions, so there is nothing to import.",
                    audience=_audience_words(found.audience),
                )
            ]
        )
    today = datetime.now(UTC).date()
    for submission in new:
        response = record_response(
            questions_asked,
            audience=found.audience,
            language=language,
            answers=submission.answers,
            source="odk",
            may_quote=submission.may_quote,
            shares_openly=submission.shares_openly and found.audience == "peer_worker",
            submission_token=submission.token,
            # The day only, as for paper: no time of day is kept from another tool.
            submitted_at=datetime.combine(
                submission.submitted_on or today, datetime.min.time(), UTC
            ),
        )
        response.import_fingerprint = prints[submission.token]
    db.session.flush()
    return ImportResult(
        [], audience=found.audience, added=len(new), skipped=len(found.submissions) - len(new)
    )
