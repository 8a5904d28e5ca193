"""Reads of cycles and join codes."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..core.codes import normalise
from ..extensions import db
from ..questions.models import Question, QuestionText
from ..responses.models import Response
from .models import Cycle, CycleQuestion, JoinCode


def find_join_code(typed: str) -> JoinCode | None:
    """The active join code matching what someone typed (any case, spaces ignored)."""
    code = normalise(typed)
    if not code:
        return None
    return db.session.scalar(
        sa.select(JoinCode)
        .options(selectinload(JoinCode.cycle))
        .filter_by(code=code, is_active=True)
    )


def get_cycle(cycle_id: int) -> Cycle | None:
    return db.session.get(Cycle, cycle_id)


def list_cycle_questions(
    cycle_id: int, audience: str, *, with_texts: bool = True
) -> list[CycleQuestion]:
    """One audience's questions in a cycle, in order, with their texts in every language
    loaded (or none, when only keys and types are needed, as when answers are stored)."""
    query = (
        sa.select(CycleQuestion)
        .filter_by(cycle_id=cycle_id, audience=audience)
        .order_by(CycleQuestion.position)
    )
    if not with_texts:
        query = query.options(joinedload(CycleQuestion.question).lazyload(Question.texts))
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class AskedText:
    text: str
    hint: str | None
    option_labels: list | None
    language: str  # the language these words are in
    # Given for another language not translated yet: the page marks these words with theirs.
    is_fallback: bool = False


@dataclass(frozen=True, eq=False)
class AskedQuestion:
    """A cycle's question as a member's pages show it: plain values (read like a
    CycleQuestion and its Question), with its words in the languages that were asked for."""

    id: int
    cycle_id: int
    audience: str
    position: int
    key: str
    theme: str
    qtype: str
    options: list | None
    texts: dict[str, AskedText]

    @property
    def question(self) -> AskedQuestion:
        return self

    def text_in(self, language: str, fallback: str = "en_GB") -> AskedText:
        """The words in this language, or else in the fallback's, marked as such."""
        found = self.texts.get(language)
        if found is not None:
            return found
        return replace(self.texts[fallback], is_fallback=True)


def list_asked_questions(
    cycle_id: int, audience: str, language: str | None = None
) -> list[AskedQuestion]:
    """One audience's questions in a cycle, in order, in one narrow query: what a member's
    page plan needs, with the words in `language` (and English, the fallback) when given."""
    languages = sorted({language, "en_GB"}) if language else []
    rows = db.session.execute(
        sa.select(
            CycleQuestion.id,
            CycleQuestion.position,
            Question.key,
            Question.theme,
            Question.qtype,
            Question.options,
            QuestionText.language,
            QuestionText.text,
            QuestionText.hint,
            QuestionText.option_labels,
        )
        .join(Question, Question.id == CycleQuestion.question_id)
        .outerjoin(
            QuestionText,
            sa.and_(QuestionText.question_id == Question.id, QuestionText.language.in_(languages)),
        )
        .where(CycleQuestion.cycle_id == cycle_id, CycleQuestion.audience == audience)
        .order_by(CycleQuestion.position)
    )
    asked: dict[int, AskedQuestion] = {}
    for row in rows:
        question = asked.get(row.id)
        if question is None:
            question = asked[row.id] = AskedQuestion(
                row.id, cycle_id, audience, row.position, row.key, row.theme, row.qtype,
                row.options, {},
            )  # fmt: skip
        if row.language is not None:
            question.texts[row.language] = AskedText(
                row.text, row.hint, row.option_labels, row.language
            )
    return list(asked.values())


def list_cycles_with_counts() -> list[tuple[Cycle, dict[str, int]]]:
    """Every cycle with its response count per audience."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(Response.cycle_id, Response.audience, sa.func.count()).group_by(
            Response.cycle_id, Response.audience
        )
    )
    for cycle_id, audience, n in rows:
        counts.setdefault(cycle_id, {})[audience] = n
    cycles = db.session.scalars(
        sa.select(Cycle)
        .options(selectinload(Cycle.codes), selectinload(Cycle.group))
        .order_by(Cycle.id)
    )
    return [(c, counts.get(c.id, {})) for c in cycles]


def list_cycles_of_groups(group_ids: list[int]) -> dict[int, list[Cycle]]:
    """Group id -> its cycles by start date (as Group.cycles), for many groups in one query."""
    out: dict[int, list[Cycle]] = {group_id: [] for group_id in group_ids}
    if group_ids:
        for cycle in db.session.scalars(
            sa.select(Cycle)
            .where(Cycle.group_id.in_(group_ids))
            .order_by(Cycle.starts_on, Cycle.id)
        ):
            out[cycle.group_id].append(cycle)
    return out


def count_responses_by_cycle(cycle_ids: list[int]) -> dict[int, int]:
    """Responses per cycle, for the given cycles."""
    if not cycle_ids:
        return {}
    rows = db.session.execute(
        sa.select(Response.cycle_id, sa.func.count())
        .where(Response.cycle_id.in_(cycle_ids))
        .group_by(Response.cycle_id)
    )
    return {cycle_id: n for cycle_id, n in rows}


def count_untranslated(cycle: Cycle, languages: list[str]) -> dict[str, int]:
    """For each language, how many of the cycle's questions have no text in it yet."""
    return {
        language: sum(1 for cq in cycle.questions if language not in cq.question.texts)
        for language in languages
    }
