"""The small-numbers rule, in one place. Pure: no Flask, no database.

Show what the group said, never who said it:
- a network's threshold k is 3 to 10 (default 5);
- a figure about one audience is shown when at least k people of that audience gave an
  answer that counts toward it, and then it is shown whole (every count, zeros included);
- peer support workers who chose to share their answers openly are shown at any number, as
  the peer support team's view, and are never mixed with anonymous ones in one figure below k;
- a figure that combines parts (a total, the network's column of a roll-up) pools what is not
  shown elsewhere only when that adds up to at least k people who did not all answer alike
  (nobody or everybody agreeing, the lowest or highest average): subtracting the parts shown
  elsewhere then tells nothing about fewer than k, nor what each of them said;
- figures exist only for closed cycles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

K_MIN, K_MAX, K_DEFAULT = 3, 10, 5


def valid_threshold(k: int) -> bool:
    """A network's threshold is a whole number from K_MIN to K_MAX."""
    return isinstance(k, int) and not isinstance(k, bool) and K_MIN <= k <= K_MAX


def enough(n: int, k: int) -> bool:
    """At least k people gave an answer that counts toward the figure."""
    return n >= k


def figure_shown(n: int, k: int, shared_openly: bool = False) -> bool:
    """Whether a figure from n people may be shown. Nobody's answers is not a figure."""
    return n > 0 and (shared_openly or enough(n, k))


def figures_exist(
    state: str, grace_until: datetime | None = None, now: datetime | None = None
) -> bool:
    """Only a closed cycle has figures; an open one shows only how many have answered. While
    people who had started may still send (a grace period after closing), there are none
    either: a figure shown before a late answer and again after it would tell that answer."""
    if state != "closed":
        return False
    return grace_until is None or (now or datetime.now(UTC)) >= grace_until


@dataclass(frozen=True)
class Part:
    """One contribution to a combined figure: how many people, whether the figure about just
    them is shown somewhere else (so subtracting it from the combined one is possible), and
    their figure's sums (theme scores added up; how many agree) for the alike check, when the
    combination is of answers (a count of people alone has none)."""

    n: int
    shown_elsewhere: bool
    score_sum: Fraction | None = None
    agree: int | None = None


def remainder(parts: Iterable[Part]) -> int:
    """How many people of a combined figure are not shown anywhere else."""
    return sum(p.n for p in parts if not p.shown_elsewhere)


LOWEST, HIGHEST = 1, 5  # the Likert scale's ends


def all_alike(n: int, score_sum: Fraction, agree: int) -> bool:
    """Whether n people's figure is at an extreme that tells what each of them said: nobody
    or everybody agrees, or every score is the lowest or the highest."""
    return agree in (0, n) or score_sum in (n * LOWEST, n * HIGHEST)


def combination_safe(parts: Iterable[Part], k: int) -> bool:
    """A combined figure is safe when subtracting every part shown elsewhere leaves nobody,
    or at least k people who did not all answer alike (a figure about those people together,
    which says neither how few they were nor what any one of them said)."""
    hidden = [p for p in parts if not p.shown_elsewhere]
    left = sum(p.n for p in hidden)
    if left == 0:
        return True
    if left < k:
        return False
    if any(p.score_sum is None or p.agree is None for p in hidden):
        return True  # people counted, not answers: nothing they said to give away
    total = sum((p.score_sum for p in hidden), Fraction(0))
    return not all_alike(left, total, sum(p.agree for p in hidden))


def parts_to_combine(parts: list[Part], k: int) -> list[int]:
    """The indexes of the parts a combined figure may pool: all of them when that is safe,
    else only those shown elsewhere (the ones held back are left out, and the reader is told)."""
    if combination_safe(parts, k):
        return [i for i, p in enumerate(parts) if p.n > 0]
    return [i for i, p in enumerate(parts) if p.n > 0 and p.shown_elsewhere]


def quote_audience_shown(
    audience: str, shares_openly: bool, members_n: int, anonymous_peers_n: int, k: int
) -> bool:
    """Whether a quote from this person may reach the summary: only from an audience the
    summary shows (members from k; a peer support worker who shared openly at any number,
    an anonymous one only when at least k answered anonymously)."""
    if audience == "member":
        return enough(members_n, k)
    return bool(shares_openly) or enough(anonymous_peers_n, k)
