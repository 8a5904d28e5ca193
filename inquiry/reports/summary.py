"""A cycle summary: the figures of aggregate.py, gathered for one cycle and made safe to show."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ..actions.queries import list_actions
from ..agenda.queries import list_ranked_topics
from ..core.models import AUDIENCES
from ..cycles.models import Cycle
from . import aggregate, queries
from .aggregate import Gap, Linked, ThemeResult


@dataclass(frozen=True)
class Quote:
    question_key: str
    text: str


@dataclass(frozen=True)
class ActionReview:
    what: str
    theme: str | None
    status: str
    note: str


@dataclass(frozen=True)
class AgendaPriority:
    title: str
    votes: int | None  # withheld below k


@dataclass(frozen=True)
class CycleSummary:
    cycle_id: int
    group_name: str
    title: str
    starts_on: date
    ends_on: date
    state: str
    k: int
    responses: dict[str, int | None]
    responses_total: int | None
    few_responses: bool
    previous_title: str | None
    themes: list[ThemeResult]
    gaps: list[Gap]
    linked: Linked | None
    quotes: list[Quote]
    quotes_allowed: bool
    questions: dict[str, str]  # key -> text in the report's language
    actions: list[ActionReview]  # agreed after the previous closed cycle
    agenda: list[AgendaPriority]  # most wanted first

    def themes_for(self, audience: str) -> list[ThemeResult]:
        return [t for t in self.themes if t.audience == audience]

    def theme_order(self) -> list[str]:
        seen: list[str] = []
        for result in self.themes:
            if result.theme not in seen:
                seen.append(result.theme)
        return seen


def _results(cycle_id: int, k: int) -> list[ThemeResult]:
    return aggregate.theme_results(
        queries.list_score_rows(cycle_id),
        queries.list_item_rows(cycle_id),
        queries.list_likert_layout(cycle_id),
        k,
    )


def _linked(cycle_id: int, previous_id: int, k: int, theme_order: list[str]) -> Linked:
    pairs = queries.list_linked_pairs(cycle_id, previous_id)
    sums = queries.list_theme_sums_for([i for pair in pairs for i in pair])
    by_theme: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for now_id, before_id in pairs:
        now, before = sums.get(now_id, {}), sums.get(before_id, {})
        for theme in now.keys() & before.keys():
            (c1, s1), (c0, s0) = now[theme], before[theme]
            by_theme.setdefault(theme, []).append((Fraction(s1, c1), Fraction(s0, c0)))
    ordered = {t: by_theme[t] for t in dict.fromkeys(theme_order) if t in by_theme}
    return aggregate.linked_change(ordered, len(pairs), k)


def _shuffled_quotes(cycle_id: int, key: str) -> list[Quote]:
    rows = queries.list_approved_quotes(cycle_id)

    # A keyed order: not the order people answered in, and the same on every print.
    def order(row):
        return hashlib.sha256(f"{key}|{cycle_id}|{row[0]}".encode()).hexdigest()

    return [Quote(question_key, text) for _, question_key, text in sorted(rows, key=order)]


def question_texts(cycle, language: str) -> dict[str, str]:
    """Each of the cycle's questions by key, in this language (or English where missing)."""
    return {cq.question.key: cq.question.text_in(language).text for cq in cycle.questions}


def build_summary(cycle: Cycle, language: str, key: str) -> CycleSummary:
    """Everything the cycle summary shows, with every small number already withheld."""
    k = cycle.group.network.min_responses
    counts = queries.count_responses(cycle.id)
    parts = {a: counts.get(a, 0) for a in AUDIENCES}
    total = sum(parts.values())
    themes = _results(cycle.id, k)
    previous = queries.get_previous_closed_cycle(cycle)
    linked = None
    if previous is not None:
        themes = aggregate.with_change(themes, _results(previous.id, k))
        linked = _linked(cycle.id, previous.id, k, [t.theme for t in themes])
    questions = question_texts(cycle, language)
    quotes_allowed = total >= k
    agenda = [
        AgendaPriority(topic.title, aggregate.shown(votes, k))
        for topic, votes in list_ranked_topics(cycle.id)
    ]
    actions = [
        ActionReview(a.what, a.theme, a.status, a.status_note)
        for a in (list_actions(previous.id) if previous else [])
    ]
    return CycleSummary(
        cycle_id=cycle.id,
        group_name=cycle.group.name,
        title=cycle.title,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        state=cycle.state,
        k=k,
        # A small audience is withheld; then the total is too, or subtraction would show it.
        responses={a: aggregate.shown(n, k) for a, n in parts.items()},
        responses_total=None
        if any(0 < n < k for n in parts.values())
        else aggregate.shown(total, k),
        few_responses=total < k,
        previous_title=previous.title if previous else None,
        themes=themes,
        gaps=aggregate.gaps(themes),
        linked=linked,
        quotes=_shuffled_quotes(cycle.id, key) if quotes_allowed else [],
        quotes_allowed=quotes_allowed,
        questions=questions,
        actions=actions,
        agenda=agenda,
    )
