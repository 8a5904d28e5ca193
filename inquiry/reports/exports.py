"""Tidy exports: one row per answer, and a codebook.

Two answer files, kept apart on purpose:
- `every_answer_csv`: every answer with its response id and date, for the operator's
  `inquiry export` command (shell access only) and for importing back. Never served on the web.
- `research_answers_csv`: what a coordinator or admin downloads for research, under the
  small-numbers rule (see its docstring).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import sqlalchemy as sa

from ..core.csvsafe import write_csv
from ..cycles.models import Cycle, CycleQuestion
from ..extensions import db
from ..questions.models import Question
from ..questions.types import get_type
from ..responses.models import Answer, Response
from .privacy import Part, combination_safe, enough

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
RESEARCH_COLUMNS = (
    "person",
    "audience",
    "language",
    "source",
    "cycle_period",
    "question_key",
    "theme",
    "value",
)


def _answers_of(cycle_id: int):
    """Every answer of a cycle with what its response says, in response then question order."""
    return (
        sa.select(
            Response.id,
            Response.audience,
            Response.language,
            Response.source,
            Response.submitted_at,
            Question.key,
            Question.theme,
            Answer.qtype,
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


def every_answer_csv(cycle_id: int) -> str:
    """Every answer of a cycle, one row each, with response ids and dates (never times): for
    the operator's command line only, and the columns `inquiry import-responses` reads."""
    rows = db.session.execute(_answers_of(cycle_id))
    return write_csv(
        ANSWER_COLUMNS,
        (
            (
                rid,
                aud,
                lang,
                src,
                at.date().isoformat(),
                key,
                theme,
                get_type(qtype).export_value(lk, pns, tx, ch),
            )
            for rid, aud, lang, src, at, key, theme, qtype, lk, pns, tx, ch in rows
        ),
    )


def research_answers_csv(cycle: Cycle, rng: random.Random | None = None) -> str:
    """A closed cycle's answers, one row each, kept to what cannot single anyone out.

    - An audience with fewer than k responses is left out entirely (peer support workers who
      share openly included: sharing is for the group's summary, not per-person files).
    - People appear in a random order, under a pseudonym made for this file only, so neither
      row order nor names say who answered first, and two downloads do not share names.
    - No dates: every row carries the cycle's period instead.
    - Free text only from people who agreed to be quoted.
    - Language and source are kept where they cannot point at anyone (see `_shown_values`).
    """
    rng = rng or random.SystemRandom()
    k = cycle.group.network.min_responses
    people = db.session.execute(
        sa.select(Response.id, Response.audience, Response.language, Response.source).where(
            Response.cycle_id == cycle.id
        )
    ).all()
    shown, language, source = shown_people(people, k)
    if not shown:
        return write_csv(RESEARCH_COLUMNS, [])
    answers: dict[int, list[tuple]] = defaultdict(list)
    query = (
        _answers_of(cycle.id)
        .where(Response.audience.in_(list(shown)))
        .where(sa.or_(Answer.qtype != "text", Response.may_quote.is_(True)))
    )
    for rid, _aud, _lang, _src, _at, key, theme, qtype, lk, pns, tx, ch in db.session.execute(
        query
    ):
        answers[rid].append((key, theme, get_type(qtype).export_value(lk, pns, tx, ch)))
    order = [p for rows in shown.values() for p in rows]
    rng.shuffle(order)
    names = _pseudonyms(len(order), rng)
    period = f"{cycle.starts_on.isoformat()}/{cycle.ends_on.isoformat()}"
    return write_csv(
        RESEARCH_COLUMNS,
        (
            (name, person.audience, language[person.id], source[person.id], period, *answer)
            for name, person in zip(names, order, strict=True)
            for answer in answers[person.id]
        ),
    )


def shown_people(people, k: int) -> tuple[dict[str, list], dict[int, str], dict[int, str]]:
    """The people an answer file may hold: audiences of at least k, each person's language
    and source blanked where too few share them. Returns (people by audience, language by
    person id, source by person id)."""
    by_audience: dict[str, list] = defaultdict(list)
    for person in people:
        by_audience[person.audience].append(person)
    shown = {audience: rows for audience, rows in by_audience.items() if enough(len(rows), k)}
    language: dict[int, str] = {}
    source: dict[int, str] = {}
    for rows in shown.values():
        languages = _shown_values({p.id: p.language for p in rows}, k)
        language.update(languages)
        # Source is judged within each shown language, so every (language, source) pair in
        # the file is shared by none or at least k people of the audience.
        for value in set(languages.values()):
            same = {p.id: p.source for p in rows if languages[p.id] == value}
            source.update(_shown_values(same, k))
    return shown, language, source


def _shown_values(values: dict[int, str], k: int) -> dict[int, str]:
    """Each person's value, blanked where fewer than k people share it.

    Why blank rather than drop the columns: researchers compare languages and web with paper,
    and most groups answer in one or two languages, mostly on the web. But a facilitator who
    typed in the paper answers knows who answered on paper, and a language few people speak
    can point at one person. A blank is itself a value, so when the blanked people number 1 to
    k - 1, the next rarest values are blanked with them (privacy.combination_safe).
    """
    counts = Counter(values.values())
    kept = {value for value, count in counts.items() if enough(count, k)}
    for value in sorted(kept, key=lambda v: (counts[v], v)):
        if combination_safe([Part(c, v in kept) for v, c in counts.items()], k):
            break
        kept.discard(value)
    return {person: value if value in kept else "" for person, value in values.items()}


def _pseudonyms(count: int, rng: random.Random) -> list[str]:
    """count different names that mean nothing, e.g. P3f9a0c21."""
    names: set[str] = set()
    ordered = []
    while len(ordered) < count:
        name = f"P{rng.getrandbits(32):08x}"
        if name not in names:
            names.add(name)
            ordered.append(name)
    return ordered


CODEBOOK_COLUMNS = (
    "question_key",
    "pair_key",
    "theme",
    "audience",
    "type",
    "position",
    "text",
    "values",
)


def codebook_csv(cycle: Cycle, language: str = "en_GB") -> str:
    """What every question key means and which values it takes; pair_key is the key a
    question shares with its parallel question for the other audience (empty when none)."""
    rows = []
    for cq in sorted(cycle.questions, key=lambda q: (q.audience, q.position)):
        question = cq.question
        text = question.text_in(language)
        rows.append(
            (
                question.key,
                question.pair_key or "",
                question.theme,
                cq.audience,
                question.qtype,
                cq.position,
                text.text,
                get_type(question.qtype).codebook_values(question.options, text.option_labels),
            )
        )
    return write_csv(CODEBOOK_COLUMNS, rows)
