"""The network roll-up: every group's latest closed cycle side by side, and the network."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import sqlalchemy as sa

from ..core.csvsafe import write_csv
from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group, Network
from . import aggregate, privacy, queries
from . import sums as kept_sums
from .aggregate import MEMBER, PEER_ANONYMOUS, PEER_TEAM, SHARED_VIEWS
from .summary import OWN_THEME, ProfileRow


@dataclass(frozen=True)
class Figure:
    """One cell of the roll-up: a theme's figures for an audience, or None where withheld."""

    n: int | None
    mean: Decimal | None
    agree: int | None
    left_out: int = 0  # people whose answers were kept out of a combined figure


@dataclass(frozen=True)
class Column:
    label: str
    cycle_title: str | None
    responses: int | None  # how many took part: a count of people, not of what they said
    results: dict[tuple[str, str], Figure]


@dataclass(frozen=True)
class Rollup:
    network: str
    k: int
    rounded: bool
    columns: list[Column]  # one per group, then the network
    themes: list[tuple[str, str]]  # (audience, theme) in order

    @property
    def left_out(self) -> bool:
        return any(f.left_out for f in self.columns[-1].results.values()) if self.columns else False

    def profile_themes(self) -> list[str]:
        """The research themes of the co-production profile: the members' themes, in order."""
        return [theme for audience, theme in self.themes if audience == "member"]

    def profile(self, column: Column) -> list[ProfileRow]:
        """A group's co-production profile as the summary draws it (summary.ProfileRow), each
        score only where the roll-up shows it: a withheld figure is never drawn."""

        def mean(audience: str, theme: str) -> Decimal | None:
            figure = column.results.get((audience, theme))
            return figure.mean if figure else None

        return [
            ProfileRow(
                theme, now=mean("member", theme), before=None, peer=mean("peer_worker", theme)
            )
            for theme in self.profile_themes()
        ]


def round_to_5(value: int | None) -> int | None:
    """Counts leaving the organisation: to the nearest 5 (never down to 0 once shown)."""
    if value is None:
        return None
    return max(5, 5 * ((value + 2) // 5)) if value else 0


def latest_closed_cycle(group: Group) -> Cycle | None:
    return db.session.scalar(
        sa.select(Cycle)
        .where(Cycle.group_id == group.id, queries.figures_final())
        .order_by(Cycle.starts_on.desc(), Cycle.id.desc())
        .limit(1)
    )


# The parts a group's figure for an audience is made of, as the group's own summary shows
# them: members; the peer support team (shown there at any number) and anonymous peer
# support workers (shown there from k).
PARTS = {"member": (MEMBER,), "peer_worker": (PEER_TEAM, PEER_ANONYMOUS)}


_ZERO = Fraction(0)
_NONE = (0, _ZERO, 0)
_NOBODY = Figure(0, None, None)

# Pure and exact, asked again and again with the same few values across thousands of
# groups: remembered within the process (the results are the same, the time is not).
_fraction = lru_cache(maxsize=65536)(Fraction)
_percent = lru_cache(maxsize=65536)(aggregate.percent)


@lru_cache(maxsize=65536)
def _mean_2(score_sum: Fraction, n: int) -> Decimal:
    return aggregate.round_2(score_sum / n)


def _stats(sums) -> tuple[int, Fraction, int]:
    """(n, theme scores added up exactly, how many agree): what aggregate.theme_score_stats
    gives for the same responses, from sums made in SQL."""
    if len(sums) == 1:  # the usual case: everyone answered the same number of items
        (s,) = sums
        return s.responses, _fraction(s.total, s.answered), s.agree
    n = sum(s.responses for s in sums)
    score_sum = sum((_fraction(s.total, s.answered) for s in sums), _ZERO)
    return n, score_sum, sum(s.agree for s in sums)


def _figure(parts: list[privacy.Part], k: int, allowed: bool, left_out: int = 0) -> Figure:
    """The figure of these parts taken together."""
    n = sum(p.n for p in parts)
    if n == 0:
        return Figure(0, None, None, left_out)
    if not (allowed and privacy.enough(n, k)):
        return Figure(None, None, None, left_out)
    counted = [p for p in parts if p.n]
    if len(counted) == 1:  # a group's own figure, usually
        score_sum, agree = counted[0].score_sum, counted[0].agree
    else:
        score_sum = sum((p.score_sum for p in counted), _ZERO)
        agree = sum(p.agree for p in counted)
    return Figure(n, _mean_2(score_sum, n), _percent(agree, n), left_out)


def _parts(stats: dict, took_part: dict[str, int], audience: str, theme: str, k: int):
    """Each part, how many of its view took part (what the roll-up may say it left out: a
    count already published, never a withheld n) and the rule's view of it."""
    out = []
    for view in PARTS[audience]:
        n, score_sum, agree = stats.get((view, theme), _NONE)
        shown = privacy.figure_shown(n, k, view in SHARED_VIEWS)
        out.append((took_part.get(view, 0), privacy.Part(n, shown, score_sum, agree)))
    return out


def build_rollup(network: Network, rounded: bool = False) -> Rollup:
    """Each group's latest closed cycle and the network overall, under the rule: a combined
    figure pools only what cannot be worked back to fewer than k people."""
    k = network.min_responses
    columns = []
    layout: dict[tuple[str, str], None] = {}
    # (audience, theme) -> every group's parts, for the network's column.
    pooled: dict[tuple[str, str], list] = defaultdict(list)
    total_all = 0
    # Three statements for the whole network, whatever the number of groups: the sums are
    # kept per closed cycle (sums.py), made from the answers the first time they are read.
    groups = queries.list_groups_with_latest_closed(network.id)
    cycle_ids = sa.select(queries.latest_closed_cycles(network.id).c.cycle_id)
    wanted = [cycle_id for _, _, cycle_id, _ in groups if cycle_id is not None]
    theme_sums, views, layouts = kept_sums.theme_sums_by_cycle(cycle_ids, wanted)
    for _group_id, name, cycle_id, title in groups:
        if cycle_id is None:
            columns.append(Column(name, None, None, {}))
            continue
        sums = defaultdict(list)
        for row in theme_sums.get(cycle_id, ()):
            sums[(row.view, row.theme)].append(row)
        stats = {key: _stats(rows) for key, rows in sums.items()}
        took_part = views.get(cycle_id, {})
        total = sum(took_part.values())
        total_all += total
        results = {}
        for audience, theme in layouts.get(cycle_id, ()):
            if theme == OWN_THEME:
                continue  # a group's own questions mean nothing across groups
            layout.setdefault((audience, theme))
            bucket = pooled[(audience, theme)]
            if not any((view, theme) in stats for view in PARTS[audience]):
                results[(audience, theme)] = _NOBODY  # nobody's answers: nothing to pool
                continue
            parts = _parts(stats, took_part, audience, theme, k)
            bucket.extend(part for part in parts if part[1].n)
            safe = privacy.combination_safe([part for _, part in parts], k)
            results[(audience, theme)] = _figure([part for _, part in parts], k, safe)
        columns.append(_column(name, title, total, results, rounded))
    overall = {}
    for key, parts in pooled.items():
        keep = set(privacy.parts_to_combine([part for _, part in parts], k))
        # Said as how many of those views took part, which every summary already shows.
        left_out = sum(took for i, (took, part) in enumerate(parts) if part.n and i not in keep)
        overall[key] = _figure([parts[i][1] for i in sorted(keep)], k, True, left_out)
    columns.append(_column(network.name, None, total_all, overall, rounded))
    themes = sorted(layout, key=lambda key: (key[0] != "member", list(layout).index(key)))
    return Rollup(network.name, k, rounded, columns, themes)


def _column(label, title, total, results, rounded) -> Column:
    if rounded:
        results = {key: replace(f, n=round_to_5(f.n)) for key, f in results.items()}
        total = round_to_5(total)
    return Column(label, title, total, results)


def rollup_csv(rollup: Rollup) -> str:
    header = (
        "network",
        "column",
        "cycle",
        "audience",
        "theme",
        "n",
        "mean",
        "agree_percent",
        "left_out",
    )
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
                    "" if r is None or not r.left_out else r.left_out,
                )
            )
    return write_csv(header, rows)
