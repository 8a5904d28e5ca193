"""The numbers of a cycle summary, from aggregated rows. Pure: no Flask, no database.

Definitions (the report's "How to read this" box says the same in plain words):
- A Likert answer is 1-5; "prefer not to say" and skipped items are not counted.
- A response's theme score is the mean of its answered Likert items in that theme.
- For a theme and view: n = responses with a theme score; mean = mean of the theme scores,
  to 2 decimals; agree = share of those responses whose theme score is 4 or more, whole percent.
- Change = this cycle's figure minus the previous closed cycle's, for the same view and theme.
- Gap = member mean minus peer support worker mean, on paired questions only (the same
  statement asked of both in parallel words), item by item and per theme.
- Whether a figure is shown is the rule of privacy.py: then it is shown whole.

A view is who a figure is about: group members, the peer support team (peer support workers
who shared their answers openly) or peer support workers who stayed anonymous.

All arithmetic is exact (fractions), rounded half up only when a figure is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from .privacy import figure_shown

LIKERT_VALUES = (1, 2, 3, 4, 5)
AGREE_FROM = 4

MEMBER, PEER_TEAM, PEER_ANONYMOUS = "member", "peer_team", "peer_worker"
VIEWS = (MEMBER, PEER_TEAM, PEER_ANONYMOUS)
SHARED_VIEWS = frozenset({PEER_TEAM})
VIEW_AUDIENCE = {MEMBER: "member", PEER_TEAM: "peer_worker", PEER_ANONYMOUS: "peer_worker"}


@dataclass(frozen=True)
class ScoreRow:
    """How many responses of a view had `answered` Likert items in a theme summing to
    `total` (so a theme score of total / answered). Aggregated in SQL."""

    view: str
    theme: str
    answered: int
    total: int
    responses: int


@dataclass(frozen=True)
class ItemRow:
    """How many responses of a view gave `value` to the question `key`."""

    view: str
    theme: str
    key: str
    value: int
    count: int


@dataclass(frozen=True)
class ItemResult:
    key: str
    n: int | None  # answers from 1 to 5; None where withheld
    counts: Mapping[int, int | None]  # every value, zeros included; None where withheld

    @property
    def suppressed(self) -> bool:
        return self.n is None

    @property
    def exact_mean(self) -> Fraction | None:
        if not self.n:
            return None
        return Fraction(sum(v * self.counts[v] for v in LIKERT_VALUES), self.n)


RISE, FALL, SAME = "rise", "fall", "same"


@dataclass(frozen=True)
class Change:
    mean: Decimal | None
    agree: int | None
    # "rise" or "fall" only when the change is unlikely to be chance (a 95% Welch interval of
    # the difference in mean theme scores leaves out 0); else "same".
    direction: str | None = None


@dataclass(frozen=True)
class ThemeResult:
    theme: str
    view: str
    n: int | None  # None where withheld
    mean: Decimal | None
    agree: int | None
    suppressed: bool  # someone answered, but too few to show
    items: tuple[ItemResult, ...]
    change: Change | None = None
    # The exact mean and sample variance of the theme scores, for the change's interval.
    exact_mean: Fraction | None = None
    variance: Fraction | None = None

    @property
    def audience(self) -> str:
        return VIEW_AUDIENCE[self.view]

    @property
    def shared(self) -> bool:
        return self.view in SHARED_VIEWS

    @property
    def shown(self) -> bool:
        return bool(self.n)


@dataclass(frozen=True)
class ItemGap:
    pair_key: str
    member_key: str
    peer_key: str
    member_mean: Decimal | None
    peer_worker_mean: Decimal | None
    gap: Decimal | None


@dataclass(frozen=True)
class Gap:
    theme: str
    peer_view: str
    member_mean: Decimal | None
    peer_worker_mean: Decimal | None
    gap: Decimal | None
    items: tuple[ItemGap, ...] = ()


@dataclass(frozen=True)
class LinkedTheme:
    theme: str
    audience: str
    n: int | None
    mean_change: Decimal | None


@dataclass(frozen=True)
class Linked:
    linked: int | None
    themes: tuple[LinkedTheme, ...]


def round_2(value: Fraction) -> Decimal:
    """Round half up (away from zero) to 2 decimals, exactly."""
    sign = -1 if value < 0 else 1
    hundredths = (abs(value) * 100 + Fraction(1, 2)).__floor__()
    return (Decimal(sign * hundredths) / 100).quantize(Decimal("0.01"))


def percent(part: int, whole: int) -> int:
    """A whole percent, rounded half up."""
    return int((Fraction(100 * part, whole) + Fraction(1, 2)).__floor__())


def shown(count: int, k: int) -> int | None:
    """A count that is itself a figure about people (agenda votes, linked people): shown from
    k, and zero (nobody) always."""
    return None if 0 < count < k else count


def theme_score_stats(rows: Iterable[ScoreRow]) -> tuple[int, Fraction, int]:
    """(n, exact mean of theme scores, how many scores are AGREE_FROM or more)."""
    n, score_sum, agree = 0, Fraction(0), 0
    for row in rows:
        n += row.responses
        score_sum += Fraction(row.total, row.answered) * row.responses
        if row.total >= AGREE_FROM * row.answered:
            agree += row.responses
    return n, (score_sum / n if n else Fraction(0)), agree


def theme_score_variance(rows: Iterable[ScoreRow]) -> Fraction | None:
    """The sample variance of the theme scores (n - 1 in the denominator); None below 2."""
    rows = list(rows)
    n, mean, _agree = theme_score_stats(rows)
    if n < 2:
        return None
    squares = sum((Fraction(r.total, r.answered) - mean) ** 2 * r.responses for r in rows)
    return squares / (n - 1)


# Two-sided 95% points of Student's t by degrees of freedom (from any statistics table);
# past 30 the normal 1.96 is close enough, and between rows the next lower df is used, which
# is the cautious side.
T_95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 22: 2.074, 24: 2.064, 26: 2.056, 28: 2.048,
    30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip


def t_95(df: float) -> float:
    """The two-sided 95% point of t for these (Welch) degrees of freedom, rounded down."""
    if df >= 1000:
        return 1.96
    usable = [d for d in T_95 if d <= df]
    return T_95[max(usable)] if usable else T_95[1]


def welch_direction(
    n1: int, mean1: Fraction, var1: Fraction | None, n0: int, mean0: Fraction, var0: Fraction | None
) -> str:
    """Whether the mean rose or fell beyond chance: the 95% Welch interval of mean1 - mean0
    leaves out 0. With fewer than 2 people on a side there is no interval: "same"."""
    if var1 is None or var0 is None:
        return SAME
    diff = mean1 - mean0
    a, b = var1 / n1, var0 / n0
    if a + b == 0:
        return SAME if diff == 0 else (RISE if diff > 0 else FALL)
    # Welch-Satterthwaite degrees of freedom.
    df = float((a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n0 - 1)))
    margin = t_95(df) * float(a + b) ** 0.5
    if float(diff) > margin:
        return RISE
    if float(diff) < -margin:
        return FALL
    return SAME


def item_results(
    rows: Iterable[ItemRow], keys: Iterable[str], k: int, shared: bool, figures: bool = True
) -> tuple[ItemResult, ...]:
    """Each question's whole distribution, or nothing: shown when at least k people of the
    view answered it (any number for a view that shared openly), and only with `figures`."""
    counts: dict[str, dict[int, int]] = {key: dict.fromkeys(LIKERT_VALUES, 0) for key in keys}
    for row in rows:
        counts.setdefault(row.key, dict.fromkeys(LIKERT_VALUES, 0))[row.value] += row.count
    results = []
    for key, values in counts.items():
        n = sum(values.values())
        if n == 0:
            results.append(ItemResult(key, 0, dict(values)))
        elif figures and figure_shown(n, k, shared):
            results.append(ItemResult(key, n, dict(values)))
        else:
            results.append(ItemResult(key, None, dict.fromkeys(LIKERT_VALUES)))
    return tuple(results)


def views_present(responses: Mapping[str, int]) -> list[str]:
    """The views a summary reports on: members always; the peer support team when any peer
    support worker shared openly; anonymous peer support workers when any stayed anonymous
    (or when none answered at all, to say so)."""
    out = [MEMBER]
    if responses.get(PEER_TEAM, 0):
        out.append(PEER_TEAM)
    if responses.get(PEER_ANONYMOUS, 0) or not responses.get(PEER_TEAM, 0):
        out.append(PEER_ANONYMOUS)
    return out


def theme_results(
    score_rows: Iterable[ScoreRow],
    item_rows: Iterable[ItemRow],
    layout: Mapping[tuple[str, str], list[str]],
    k: int,
    views: Iterable[str] = (MEMBER, PEER_ANONYMOUS),
    figures: bool = True,
) -> list[ThemeResult]:
    """One result per view and theme of `layout` ((audience, theme) -> Likert keys), under the
    rule; with `figures` false (a cycle not closed yet) every figure is withheld."""
    scores: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for row in score_rows:
        scores[(row.view, row.theme)].append(row)
    items: dict[tuple[str, str], list[ItemRow]] = defaultdict(list)
    for row in item_rows:
        items[(row.view, row.theme)].append(row)
    results = []
    for view in views:
        shared = view in SHARED_VIEWS
        for (audience, theme), keys in layout.items():
            if audience != VIEW_AUDIENCE[view]:
                continue
            n, mean, agree = theme_score_stats(scores[(view, theme)])
            visible = figures and figure_shown(n, k, shared)
            results.append(
                ThemeResult(
                    theme=theme,
                    view=view,
                    n=n if visible or n == 0 else None,
                    mean=round_2(mean) if visible else None,
                    agree=percent(agree, n) if visible else None,
                    suppressed=n > 0 and not visible,
                    items=item_results(items[(view, theme)], keys, k, shared, figures),
                    exact_mean=mean if visible else None,
                    variance=theme_score_variance(scores[(view, theme)]) if visible else None,
                )
            )
    return results


def with_change(current: list[ThemeResult], previous: list[ThemeResult]) -> list[ThemeResult]:
    """Attach the change since the previous cycle to every view and theme present in both;
    its figures only where both sides are shown."""
    before = {(r.view, r.theme): r for r in previous}
    out = []
    for result in current:
        prior = before.get((result.view, result.theme))
        change = None
        if prior is not None and prior.n != 0 and result.n != 0:
            both = result.mean is not None and prior.mean is not None
            change = Change(
                mean=result.mean - prior.mean if both else None,
                agree=result.agree - prior.agree if both else None,
                direction=welch_direction(
                    result.n,
                    result.exact_mean,
                    result.variance,
                    prior.n,
                    prior.exact_mean,
                    prior.variance,
                )  # fmt: skip
                if both
                else None,
            )
        out.append(replace(result, change=change))
    return out


def _item_mean(item: ItemResult | None) -> Decimal | None:
    mean = item.exact_mean if item is not None else None
    return None if mean is None else round_2(mean)


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def gaps(
    paired: list[ThemeResult],
    items: Mapping[tuple[str, str], ItemResult],
    pairs: Mapping[str, tuple[str, str]],
    theme_of: Mapping[str, str],
) -> list[Gap]:
    """Member minus peer support worker, on paired questions only: per theme (from theme
    scores over the paired questions) and item by item, for each peer view reported.

    `paired` are theme results computed from paired questions only; `items` maps (view, key)
    to the item's result; `pairs` maps a pair key to (member key, peer key)."""
    by_key = {(r.view, r.theme): r for r in paired}
    themes = list(dict.fromkeys(theme_of[member] for member, _ in pairs.values()))
    out = []
    for peer_view in (PEER_TEAM, PEER_ANONYMOUS):
        if not any(r.view == peer_view for r in paired):
            continue
        for theme in themes:
            member, peer = by_key.get((MEMBER, theme)), by_key.get((peer_view, theme))
            if member is None or peer is None:
                continue
            item_gaps = []
            for pair_key, (member_key, peer_key) in pairs.items():
                if theme_of[member_key] != theme:
                    continue
                m = _item_mean(items.get((MEMBER, member_key)))
                p = _item_mean(items.get((peer_view, peer_key)))
                item_gaps.append(ItemGap(pair_key, member_key, peer_key, m, p, _minus(m, p)))
            m, p = member.mean, peer.mean
            out.append(Gap(theme, peer_view, m, p, _minus(m, p), tuple(item_gaps)))
    return out


def linked_change(
    pairs: Mapping[tuple[str, str], list[tuple[Fraction, Fraction]]], linked: int, k: int
) -> Linked:
    """How many responses were linked to the previous cycle, and per audience and theme the
    mean change of their theme scores (now minus before), each shown from k people."""
    themes = []
    for (audience, theme), scores in pairs.items():
        n = len(scores)
        if n < k:
            themes.append(LinkedTheme(theme, audience, shown(n, k), None))
            continue
        change = sum((now - before for now, before in scores), Fraction(0)) / n
        themes.append(LinkedTheme(theme, audience, n, round_2(change)))
    return Linked(shown(linked, k), tuple(themes))
