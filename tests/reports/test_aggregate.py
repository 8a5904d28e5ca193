"""aggregate.py against small cases worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from inquiry.reports.aggregate import (
    ItemRow,
    ScoreRow,
    gaps,
    linked_change,
    percent,
    round_2,
    suppress_parts,
    theme_results,
    with_change,
)

K = 5
LAYOUT = {("member", "hope"): ["hope.a", "hope.b"]}


def _score_rows(scores):
    """(answered, total) per response -> grouped rows, as the SQL returns them."""
    grouped = {}
    for answered, total in scores:
        grouped[(answered, total)] = grouped.get((answered, total), 0) + 1
    return [ScoreRow("member", "hope", a, t, n) for (a, t), n in grouped.items()]


# Five people: (5, 4) -> 4.5; (3, prefer not) -> 3; (skip, 4) -> 4; (2, 2) -> 2; (4, 3) -> 3.5.
# A sixth said "prefer not to say" to both and is not counted.
FIVE = [(2, 9), (1, 3), (1, 4), (2, 4), (2, 7)]
ITEMS = [
    ItemRow("member", "hope", "hope.a", 5, 1),
    ItemRow("member", "hope", "hope.a", 3, 1),
    ItemRow("member", "hope", "hope.a", 2, 1),
    ItemRow("member", "hope", "hope.a", 4, 1),
    ItemRow("member", "hope", "hope.b", 4, 2),
    ItemRow("member", "hope", "hope.b", 2, 1),
    ItemRow("member", "hope", "hope.b", 3, 1),
]


def test_theme_figures_worked_by_hand():
    [result] = theme_results(_score_rows(FIVE), ITEMS, LAYOUT, K)
    assert result.n == 5
    assert result.mean == Decimal("3.40")  # (4.5 + 3 + 4 + 2 + 3.5) / 5
    assert result.agree == 40  # 4.5 and 4 (a tie at 4 counts as agree): 2 of 5
    assert not result.suppressed
    # Each item was answered by 4 people: fewer than k, so nothing about it is shown.
    assert all(v is None for item in result.items for v in item.counts.values())


def test_fewer_than_k_responses_withholds_everything():
    [result] = theme_results(_score_rows(FIVE[:4]), ITEMS, LAYOUT, K)
    assert (result.n, result.mean, result.agree, result.suppressed) == (None, None, None, True)


def test_all_prefer_not_to_say_is_an_empty_theme_not_a_small_one():
    [result] = theme_results([], [], LAYOUT, K)
    assert (result.n, result.mean, result.agree, result.suppressed) == (0, None, None, False)
    assert all(v == 0 for item in result.items for v in item.counts.values())


def test_mean_rounds_half_up_exactly():
    assert round_2(Fraction(25, 8)) == Decimal("3.13")  # 3.125
    assert round_2(Fraction(-25, 8)) == Decimal("-3.13")
    assert round_2(Fraction(10, 3)) == Decimal("3.33")
    assert round_2(Fraction(401, 200)) == Decimal("2.01")  # 2.005: float rounding gives 2.0
    assert percent(1, 8) == 13  # 12.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67


def test_tie_breaking_agree_is_exactly_four():
    # Scores 3.99... cannot happen with whole answers, but 7/2 = 3.5 and 8/2 = 4 can.
    rows = [ScoreRow("member", "hope", 2, 8, 3), ScoreRow("member", "hope", 2, 7, 3)]
    [result] = theme_results(rows, [], LAYOUT, K)
    assert (result.n, result.mean, result.agree) == (6, Decimal("3.75"), 50)


def test_secondary_suppression_hides_a_second_count():
    shown = suppress_parts({1: 0, 2: 3, 3: 10, 4: 12, 5: 7}, K)
    assert shown == {1: 0, 2: None, 3: 10, 4: 12, 5: None}
    # Nothing to hide, nothing hidden; two small ones protect each other.
    assert suppress_parts({1: 5, 2: 6, 3: 0, 4: 9, 5: 12}, K) == {1: 5, 2: 6, 3: 0, 4: 9, 5: 12}
    assert suppress_parts({1: 1, 2: 2, 3: 10}, K) == {1: None, 2: None, 3: 10}


def test_item_counts_fall_back_to_groups_when_single_counts_are_hidden():
    rows = [
        ItemRow("member", "hope", "hope.a", v, c) for v, c in {1: 2, 2: 4, 3: 7, 4: 9, 5: 3}.items()
    ]
    scores = [
        ScoreRow("member", "hope", 1, v, c) for v, c in {1: 2, 2: 4, 3: 7, 4: 9, 5: 3}.items()
    ]
    [result] = theme_results(scores, rows, {("member", "hope"): ["hope.a"]}, K)
    [item] = result.items
    assert item.counts == {1: None, 2: None, 3: 7, 4: 9, 5: None}
    assert item.grouped == {"disagree": 6, "neutral": 7, "agree": 12}
    assert item.grouped_shown


def test_change_needs_both_cycles_shown():
    now = theme_results(_score_rows(FIVE), [], LAYOUT, K)
    before = theme_results(_score_rows([(1, 3)] * 4 + [(1, 4)] * 2), [], LAYOUT, K)
    [changed] = with_change(now, before)
    # before: (4*3 + 2*4) / 6 = 3.33; agree 2 of 6 = 33%
    assert changed.change.mean == Decimal("3.40") - Decimal("3.33") == Decimal("0.07")
    assert changed.change.agree == 40 - 33
    small_before = theme_results(_score_rows([(1, 3)] * 3), [], LAYOUT, K)
    [withheld] = with_change(now, small_before)
    assert (withheld.change.mean, withheld.change.agree) == (None, None)
    [absent] = with_change(now, [])
    assert absent.change is None


def test_gap_is_member_minus_peer_worker():
    layout = {("member", "hope"): [], ("peer_worker", "hope"): []}
    rows = _score_rows(FIVE) + [ScoreRow("peer_worker", "hope", 1, 3, 5)]
    [gap] = gaps(theme_results(rows, [], layout, K))
    assert (gap.member_mean, gap.peer_worker_mean, gap.gap) == (
        Decimal("3.40"),
        Decimal("3.00"),
        Decimal("0.40"),
    )
    small = _score_rows(FIVE) + [ScoreRow("peer_worker", "hope", 1, 3, 4)]
    [hidden] = gaps(theme_results(small, [], layout, K))
    assert hidden.gap is None and hidden.peer_worker_mean is None


def test_linked_change_needs_k_pairs():
    pairs = {
        "hope": [(Fraction(4), Fraction(3))] * 3 + [(Fraction(7, 2), Fraction(4))] * 2,
        "optimism": [(Fraction(5), Fraction(1))] * 4,
    }
    linked = linked_change(pairs, 5, K)
    assert linked.linked == 5
    hope, optimism = linked.themes
    assert hope.mean_change == Decimal("0.40")  # (3 * 1 + 2 * -0.5) / 5
    assert (optimism.n, optimism.mean_change) == (None, None)
    assert linked_change({}, 3, K).linked is None
