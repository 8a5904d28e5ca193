"""The small-numbers rule, in one place. Pure: no Flask, no database.

Show what the group said, never who said it:
- a network's threshold k is 3 to 10 (default 5);
- a figure about one audience is shown when at least k people of that audience gave an
  answer that counts toward it, and then it is shown whole (every count, zeros included);
- peer support workers who chose to share their answers openly are shown at any number, as
  the peer support team's view, and are never mixed with anonymous ones in one figure below k;
- a figure that combines parts (a total, the network's column of a roll-up) is shown only
  when what is not shown elsewhere adds up to nobody or to at least k people, so that
  subtracting the parts tells nothing about fewer than k;
- figures exist only for closed cycles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def figures_exist(state: str) -> bool:
    """Only a closed cycle has figures; an open one shows only how many have answered."""
    return state == "closed"


@dataclass(frozen=True)
class Part:
    """One contribution to a combined figure: how many people, and whether the figure about
    just them is shown somewhere else (so subtracting it from the combined one is possible)."""

    n: int
    shown_elsewhere: bool


def remainder(parts: Iterable[Part]) -> int:
    """How many people of a combined figure are not shown anywhere else."""
    return sum(p.n for p in parts if not p.shown_elsewhere)


def combination_safe(parts: Iterable[Part], k: int) -> bool:
    """A combined figure is safe when subtracting every part shown elsewhere leaves nobody,
    or at least k people (a figure about those k together, not about any one of them)."""
    left = remainder(parts)
    return left == 0 or left >= k


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
