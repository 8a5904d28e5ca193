"""How many chose each shortlisted story, under the small-numbers rule (reports/privacy.py).
Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass

from ..reports.privacy import figure_shown


@dataclass(frozen=True)
class ChoiceCounts:
    choosers: int  # how many people chose: a count of who took part, shown at any number
    by_story: dict[int, int] | None  # every shortlisted story's count, zeros too, or None


def choice_counts(shortlisted_ids: list[int], counts: dict[int, int], k: int, done: bool):
    """The counts once choosing is done and at least k people chose, then whole; never
    while people are still choosing, so no reload tells what the last person chose."""
    choosers = sum(counts.get(i, 0) for i in shortlisted_ids)
    if done and figure_shown(choosers, k):
        return ChoiceCounts(choosers, {i: counts.get(i, 0) for i in shortlisted_ids})
    return ChoiceCounts(choosers, None)
