"""Tidy exports for researchers: one row per answer, and a codebook."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.csvsafe import write_csv
from ..cycles.models import Cycle, CycleQuestion
from ..extensions import db
from ..questions.models import Question
from ..responses.forms import LIKERT_CHOICES
from ..responses.models import Answer, Response

ANSWER_COLUMNS = (
    "response_id",
    "audience",
    "language",
    "source",
    "submitted_on",
    "question_key",
    "theme",
    "value",
)
PREFER_NOT_TO_SAY = "prefer_not_to_say"


def _value(likert, prefer_not_to_say, text, choice) -> str:
    if prefer_not_to_say:
        return PREFER_NOT_TO_SAY
    if likert is not None:
        return str(likert)
    return choice if choice is not None else text


def answers_csv(cycle_id: int) -> str:
    """One row per answer, in response then question order. Dates only, never times."""
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.audience,
            Response.language,
            Response.source,
            Response.submitted_at,
            Question.key,
            Question.theme,
            Answer.likert,
            Answer.prefer_not_to_say,
            Answer.text,
            Answer.choice,
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Response.cycle_id == cycle_id)
        .order_by(Response.id, CycleQuestion.position)
    )
    return write_csv(
        ANSWER_COLUMNS,
        (
            (rid, aud, lang, src, at.date().isoformat(), key, theme, _value(lk, pns, tx, ch))
            for rid, aud, lang, src, at, key, theme, lk, pns, tx, ch in rows
        ),
    )


CODEBOOK_COLUMNS = ("question_key", "theme", "audience", "type", "position", "text", "values")


def codebook_csv(cycle: Cycle, language: str = "en_GB") -> str:
    """What every question key means and which values it takes."""
    likert = "; ".join(f"{c.value}={c.label}" for c in LIKERT_CHOICES if c.value.isdigit())
    rows = []
    for cq in sorted(cycle.questions, key=lambda q: (q.audience, q.position)):
        question = cq.question
        if question.qtype == "likert":
            values = f"{likert}; {PREFER_NOT_TO_SAY}"
        elif question.qtype == "choice":
            values = "; ".join(question.options or [])
        else:
            values = "free text"
        rows.append(
            (
                question.key,
                question.theme,
                cq.audience,
                question.qtype,
                cq.position,
                question.text_in(language).text,
                values,
            )
        )
    return write_csv(CODEBOOK_COLUMNS, rows)
