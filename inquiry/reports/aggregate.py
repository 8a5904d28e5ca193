"""The numbers of a cycle summary, from aggregated rows. Pure: no Flask, no database.

Definitions (the report's "How to read this" box says the same in plain words):
- A Likert answer is 1-5; "prefer not to say" and skipped items are not counted.
- A response's theme score is the mean of its answered Likert items in that theme.
- For a theme and audience: n = responses with a theme score; mean = mean of the theme scores,
  to 2 decimals; agree = share of those responses whose theme score is 4 or more, whole percent.
- Change = this cycle's shown figure minus the previous closed cycle's shown figure.
- Gap = member mean minus peer support worker mean.
- Any figure built from fewer than k responses is withheld (None). Counts that add up to a
  known total get secondary suppression, so that a withheld count cannot be worked out.

All arithmetic is exact (fractions), rounded half up only when a figure is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

LIKERT_VALUES = (1, 2, 3, 4, 5)
AGREE_FROM = 4


@dataclass(frozen=True)
class ScoreRow:
    """How many responses of an audience had `answered` Likert items in a theme summing to
    `total` (so a theme score of total / answered). Aggregated in SQL."""

    audience: str
    theme: str
    answered: int
    total: int
    responses: int


@dataclass(frozen=True)
class ItemRow:
    """How many responses of an audience gave `value` to the question `key`."""

    audience: str
    theme: str
    key: str
    value: int
    count: int


GROUPS = {"disagree": (1, 2), "neutral": (3,), "agree": (4, 5)}


@dataclass(frozen=True)
class ItemResult:
    key: str
    counts: Mapping[int, int | None]  # None where withheld
    # When some answers must be withheld, the same answers in three groups (disagree 1-2,
    # neutral 3, agree 4-5) often need not be: shown instead of nothing.
    grouped: Mapping[str, int | None] | None = None

    @property
    def suppressed(self) -> bool:
        return any(v is None for v in self.counts.values())

    @property
    def grouped_shown(self) -> bool:
        return self.grouped is not None and all(v is not None for v in self.grouped.values())


@dataclass(frozen=True)
class Change:
    mean: Decimal | None
    agree: int | None


@dataclass(frozen=True)
class ThemeResult:
    theme: str
    audience: str
    n: int | None
    mean: Decimal | None
    agree: int | None
    suppressed: bool
    items: tuple[ItemResult, ...]
    change: Change | None = None


@dataclass(frozen=True)
class Gap:
    theme: str
    member_mean: Decimal | None
    peer_worker_mean: Decimal | None
    gap: Decimal | None


@dataclass(frozen=True)
class LinkedTheme:
    theme: str
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
    """A count as it may be shown: withheld (None) when it is between 1 and k-1."""
    return None if 0 < count < k else count


def suppress_parts(parts: Mapping, k: int) -> dict:
    """Withhold small counts among parts of a known total, and enough others (the smallest
    non-zero ones) that no withheld count can be worked out by subtraction."""
    result = {key: shown(count, k) for key, count in parts.items()}
    hidden = [key for key, value in result.items() if value is None]
    if len(hidden) == 1:
        others = sorted(
            (count, str(key), key)
            for key, count in parts.items()
            if key not in hidden and count > 0
        )
        if others:
            result[others[0][2]] = None
    return result


def theme_score_stats(rows: Iterable[ScoreRow]) -> tuple[int, Fraction, int]:
    """(n, exact mean of theme scores, how many scores are AGREE_FROM or more)."""
    n, score_sum, agree = 0, Fraction(0), 0
    for row in rows:
        n += row.responses
        score_sum += Fraction(row.total, row.answered) * row.responses
        if row.total >= AGREE_FROM * row.answered:
            agree += row.responses
    return n, (score_sum / n if n else Fraction(0)), agree


def item_results(rows: Iterable[ItemRow], keys: Iterable[str], k: int, withhold_all: bool):
    counts: dict[str, dict[int, int]] = {key: dict.fromkeys(LIKERT_VALUES, 0) for key in keys}
    for row in rows:
        counts.setdefault(row.key, dict.fromkeys(LIKERT_VALUES, 0))[row.value] += row.count
    results = []
    for key, values in counts.items():
        total = sum(values.values())
        if withhold_all or 0 < total < k:
            # Even the zeros would tell what the few who answered said.
            shown_counts = dict.fromkeys(LIKERT_VALUES)
            grouped = None
            grouped = None
        else:
            shown_counts = suppress_parts(values, k)
            grouped = None
            if any(v is None for v in shown_counts.values()):
                sums = {g: sum(values[v] for v in vs) for g, vs in GROUPS.items()}
                grouped = suppress_parts(sums, k)
        results.append(ItemResult(key, shown_counts, grouped))
    return tuple(results)


def theme_results(
    score_rows: Iterable[ScoreRow],
    item_rows: Iterable[ItemRow],
    layout: Mapping[tuple[str, str], list[str]],
    k: int,
) -> list[ThemeResult]:
    """One result per (audience, theme) in `layout` (which lists each theme's Likert keys)."""
    scores: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for row in score_rows:
        scores[(row.audience, row.theme)].append(row)
    items: dict[tuple[str, str], list[ItemRow]] = defaultdict(list)
    for row in item_rows:
        items[(row.audience, row.theme)].append(row)
    results = []
    for (audience, theme), keys in layout.items():
        n, mean, agree = theme_score_stats(scores[(audience, theme)])
        withheld = n < k
        results.append(
            ThemeResult(
                theme=theme,
                audience=audience,
                n=shown(n, k),
                mean=None if withheld or n == 0 else round_2(mean),
                agree=None if withheld or n == 0 else percent(agree, n),
                suppressed=withheld and n > 0,
                items=item_results(items[(audience, theme)], keys, k, withheld and n > 0),
            )
        )
    return results


def with_change(current: list[ThemeResult], previous: list[ThemeResult]) -> list[ThemeResult]:
    """Attach the change since the previous cycle to every theme present in both."""
    before = {(r.audience, r.theme): r for r in previous}
    out = []
    for result in current:
        prior = before.get((result.audience, result.theme))
        change = None
        if prior is not None and prior.n != 0 and result.n != 0:
            both = result.mean is not None and prior.mean is not None
            change = Change(
                mean=result.mean - prior.mean if both else None,
                agree=result.agree - prior.agree if both else None,
            )
        out.append(replace(result, change=change))
    return out


def gaps(results: list[ThemeResult]) -> list[Gap]:
    """Member mean minus peer support worker mean, theme by theme."""
    by_key = {(r.audience, r.theme): r for r in results}
    themes = [r.theme for r in results if r.audience == "member"]
    out = []
    for theme in themes:
        member = by_key.get(("member", theme))
        peer = by_key.get(("peer_worker", theme))
        if peer is None:
            continue
        m, p = member.mean, peer.mean
        out.append(Gap(theme, m, p, m - p if m is not None and p is not None else None))
    return out


def linked_change(
    pairs: Mapping[str, list[tuple[Fraction, Fraction]]], linked: int, k: int
) -> Linked:
    """How many responses were linked to the previous cycle, and per theme the mean change
    of their theme scores (now minus before), each withheld below k."""
    themes = []
    for theme, scores in pairs.items():
        n = len(scores)
        if n < k:
            themes.append(LinkedTheme(theme, shown(n, k), None))
            continue
        change = sum((now - before for now, before in scores), Fraction(0)) / n
        themes.append(LinkedTheme(theme, n, round_2(change)))
    return Linked(shown(linked, k), tuple(themes))
