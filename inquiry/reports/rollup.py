"""The network roll-up: every group's latest closed cycle side by side, and the network."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.csvsafe import write_csv
from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group, Network
from . import aggregate, queries
from .aggregate import ScoreRow, ThemeResult


@dataclass(frozen=True)
class Column:
    label: str
    cycle_title: str | None
    responses: int | None
    results: dict[tuple[str, str], ThemeResult]


@dataclass(frozen=True)
class Rollup:
    network: str
    k: int
    rounded: bool
    columns: list[Column]  # one per group, then the network
    themes: list[tuple[str, str]]  # (audience, theme) in order


def round_to_5(value: int | None) -> int | None:
    """Counts leaving the organisation: to the nearest 5 (never down to 0 once shown)."""
    if value is None:
        return None
    return max(5, 5 * ((value + 2) // 5)) if value else 0


def latest_closed_cycle(group: Group) -> Cycle | None:
    return db.session.scalar(
        sa.select(Cycle)
        .filter_by(group_id=group.id, state="closed")
        .order_by(Cycle.starts_on.desc(), Cycle.id.desc())
        .limit(1)
    )


def _column(label, title, total, results, k, rounded) -> Column:
    shown = aggregate.shown(total, k)
    by_key = {(r.audience, r.theme): r for r in results}
    if rounded:
        by_key = {key: _rounded(r) for key, r in by_key.items()}
        shown = round_to_5(shown)
    return Column(label, title, shown, by_key)


def _rounded(result: ThemeResult) -> ThemeResult:
    from dataclasses import replace

    return replace(result, n=round_to_5(result.n), items=())


def build_rollup(network: Network, rounded: bool = False) -> Rollup:
    """Each group's latest closed cycle and the network overall, small numbers withheld."""
    k = network.min_responses
    columns = []
    combined: dict[tuple, int] = defaultdict(int)
    layout: dict[tuple[str, str], list[str]] = {}
    total_all = 0
    for group in network.groups:
        cycle = latest_closed_cycle(group)
        if cycle is None:
            columns.append(Column(group.name, None, None, {}))
            continue
        rows = queries.list_score_rows(cycle.id)
        cycle_layout = queries.list_likert_layout(cycle.id)
        for key, keys in cycle_layout.items():
            layout.setdefault(key, keys)
        total = sum(queries.count_responses(cycle.id).values())
        total_all += total
        results = aggregate.theme_results(rows, [], cycle_layout, k)
        columns.append(_column(group.name, cycle.title, total, results, k, rounded))
        for row in rows:
            combined[(row.audience, row.theme, row.answered, row.total)] += row.responses
    overall_rows = [ScoreRow(a, t, c, s, n) for (a, t, c, s), n in combined.items()]
    overall = aggregate.theme_results(overall_rows, [], layout, k)
    columns.append(_column(network.name, None, total_all, overall, k, rounded))
    themes = sorted(layout, key=lambda key: (key[0] != "member", list(layout).index(key)))
    return Rollup(network.name, k, rounded, columns, themes)


def rollup_csv(rollup: Rollup) -> str:
    header = ("network", "column", "cycle", "audience", "theme", "n", "mean", "agree_percent")
    rows = []
    for column in rollup.columns:
        for audience, theme in rollup.themes:
            r = column.results.get((audience, theme))
            rows.append(
                (
                    rollup.network,
                    column.label,
                    column.cycle_title or "",
                    audience,
                    theme,
                    "" if r is None or r.n is None else r.n,
                    "" if r is None or r.mean is None else r.mean,
                    "" if r is None or r.agree is None else r.agree,
                )
            )
    return write_csv(header, rows)
