"""aggregate.py against small cases worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from inquiry.reports import privacy
from inquiry.reports.aggregate import (
    ItemResult,
    ItemRow,
    ScoreRow,
    gaps,
    item_results,
    linked_change,
    percent,
    round_2,
    theme_results,
    views_present,
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
    # Each item was answered by 4 people: fewer than k, so that question is not shown.
    assert all(item.n is None for item in result.items)
    assert all(v is None for item in result.items for v in item.counts.values())


def test_a_question_answered_by_k_is_shown_whole_zeros_and_ones_included():
    rows = [ItemRow("member", "hope", "hope.a", v, c) for v, c in {1: 1, 4: 3, 5: 1}.items()]
    [item] = item_results(rows, ["hope.a"], K, shared=False)
    assert item.n == 5
    assert item.counts == {1: 1, 2: 0, 3: 0, 4: 3, 5: 1}
    assert item.exact_mean == Fraction(1 + 12 + 5, 5)
    [few] = item_results(rows[1:], ["hope.a"], K, shared=False)
    assert few.n is None and set(few.counts.values()) == {None}


def test_k_of_3_shows_a_group_of_three():
    rows = [ItemRow("member", "hope", "hope.a", 4, 3)]
    assert item_results(rows, ["hope.a"], 3, shared=False)[0].counts[4] == 3
    assert item_results(rows, ["hope.a"], 4, shared=False)[0].n is None


def test_the_peer_support_team_is_shown_at_any_number_anonymous_ones_from_k():
    layout = {("peer_worker", "hope"): ["hope.pw"]}
    scores = [ScoreRow("peer_team", "hope", 1, 4, 2), ScoreRow("peer_worker", "hope", 1, 2, 1)]
    items = [
        ItemRow("peer_team", "hope", "hope.pw", 4, 2),
        ItemRow("peer_worker", "hope", "hope.pw", 2, 1),
    ]
    team, anonymous = theme_results(scores, items, layout, K, views=("peer_team", "peer_worker"))
    assert (team.view, team.n, team.mean, team.agree, team.shared) == (
        "peer_team",
        2,
        Decimal("4.00"),
        100,
        True,
    )
    assert team.items[0].counts == {1: 0, 2: 0, 3: 0, 4: 2, 5: 0}
    assert (anonymous.n, anonymous.mean, anonymous.suppressed) == (None, None, True)
    assert anonymous.items[0].n is None


def test_an_open_cycle_has_no_figures():
    [result] = theme_results(_score_rows(FIVE * 3), ITEMS * 3, LAYOUT, K, figures=False)
    assert (result.n, result.mean, result.agree, result.suppressed) == (None, None, None, True)
    assert all(item.n is None for item in result.items)


def test_views_present():
    assert views_present({"member": 8, "peer_team": 2}) == ["member", "peer_team"]
    assert views_present({"member": 8, "peer_worker": 2}) == ["member", "peer_worker"]
    assert views_present({"member": 8, "peer_team": 1, "peer_worker": 1}) == [
        "member",
        "peer_team",
        "peer_worker",
    ]
    assert views_present({}) == ["member", "peer_worker"]


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


def _item(key, counts):
    full = {v: counts.get(v, 0) for v in (1, 2, 3, 4, 5)}
    return ItemResult(key, sum(full.values()), full)


def test_gap_compares_paired_questions_only_item_by_item_and_per_theme():
    layout = {("member", "hope"): ["hope.m"], ("peer_worker", "hope"): ["hope.p"]}
    # Members: theme scores 4, 4, 4, 3, 5 -> 4.00; the team of 2: 3 and 2 -> 2.50.
    paired = theme_results(
        [
            ScoreRow("member", "hope", 1, 4, 3),
            ScoreRow("member", "hope", 1, 3, 1),
            ScoreRow("member", "hope", 1, 5, 1),
            ScoreRow("peer_team", "hope", 1, 3, 1),
            ScoreRow("peer_team", "hope", 1, 2, 1),
        ],
        [],
        layout,
        K,
        views=("member", "peer_team"),
    )
    items = {
        ("member", "hope.m"): _item("hope.m", {4: 3, 3: 1, 5: 1}),
        ("peer_team", "hope.p"): _item("hope.p", {3: 1, 2: 1}),
    }
    [gap] = gaps(paired, items, {"hope.pair": ("hope.m", "hope.p")}, {"hope.m": "hope"})
    assert (gap.theme, gap.peer_view) == ("hope", "peer_team")
    assert (gap.member_mean, gap.peer_worker_mean, gap.gap) == (
        Decimal("4.00"),
        Decimal("2.50"),
        Decimal("1.50"),
    )
    [item] = gap.items
    assert (item.pair_key, item.member_mean, item.peer_worker_mean, item.gap) == (
        "hope.pair",
        Decimal("4.00"),
        Decimal("2.50"),
        Decimal("1.50"),
    )


def test_gap_with_anonymous_peer_workers_below_k_shows_nothing_of_them():
    layout = {("member", "hope"): ["hope.m"], ("peer_worker", "hope"): ["hope.p"]}
    paired = theme_results(
        [ScoreRow("member", "hope", 1, 4, 6), ScoreRow("peer_worker", "hope", 1, 2, 2)],
        [],
        layout,
        K,
    )
    withheld = ItemResult("hope.p", None, dict.fromkeys((1, 2, 3, 4, 5)))
    items = {("member", "hope.m"): _item("hope.m", {4: 6}), ("peer_worker", "hope.p"): withheld}
    [gap] = gaps(paired, items, {"hope.pair": ("hope.m", "hope.p")}, {"hope.m": "hope"})
    assert (gap.member_mean, gap.peer_worker_mean, gap.gap) == (Decimal("4.00"), None, None)
    assert gap.items[0].gap is None


def test_linked_change_needs_k_pairs():
    pairs = {
        ("member", "hope"): [(Fraction(4), Fraction(3))] * 3 + [(Fraction(7, 2), Fraction(4))] * 2,
        ("member", "optimism"): [(Fraction(5), Fraction(1))] * 4,
    }
    linked = linked_change(pairs, 5, K)
    assert linked.linked == 5
    hope, optimism = linked.themes
    assert hope.mean_change == Decimal("0.40")  # (3 * 1 + 2 * -0.5) / 5
    assert (optimism.n, optimism.mean_change) == (None, None)
    assert linked_change({}, 3, K).linked is None


def test_threshold_is_3_to_10():
    assert [k for k in range(0, 13) if privacy.valid_threshold(k)] == list(range(3, 11))
    assert not privacy.valid_threshold(True)


def test_a_combined_figure_is_safe_only_when_what_is_hidden_is_nobody_or_at_least_k():
    Part = privacy.Part
    # (people, shown elsewhere, theme scores added up, how many agree)
    assert privacy.combination_safe([Part(12, True), Part(9, True)], K)
    # 12 shown, 3 hidden: the combined 15 would give the 3 back by subtraction.
    assert not privacy.combination_safe([Part(12, True), Part(3, False, Fraction(10), 1)], K)
    # Two small groups together make 7 with mixed answers: a figure about 7 people together.
    three, four = Part(3, False, Fraction(10), 1), Part(4, False, Fraction(13), 2)
    assert privacy.combination_safe([Part(12, True), three, four], K)
    assert privacy.parts_to_combine([Part(12, True), three, four], K) == [0, 1, 2]
    assert privacy.parts_to_combine([Part(12, True), three, Part(0, False)], K) == [0]
    # The same 7 all scoring 5, or all agreeing, or nobody agreeing, would tell what each said.
    for alike in (
        (Part(3, False, Fraction(15), 3), Part(4, False, Fraction(20), 4)),
        (Part(3, False, Fraction(12), 3), Part(4, False, Fraction(17), 4)),
        (Part(3, False, Fraction(6), 0), Part(4, False, Fraction(9), 0)),
        (Part(3, False, Fraction(3), 0), Part(4, False, Fraction(4), 0)),
    ):
        assert not privacy.combination_safe([Part(12, True), *alike], K)
        assert privacy.parts_to_combine([Part(12, True), *alike], K) == [0]


def test_quotes_come_only_from_audiences_shown():
    shown = privacy.quote_audience_shown
    assert shown("member", False, 8, 0, K)
    assert not shown("member", False, 4, 0, K)
    assert shown("peer_worker", True, 8, 0, K)  # shared openly
    assert not shown("peer_worker", False, 8, 2, K)  # anonymous, too few
    assert shown("peer_worker", False, 8, 5, K)


def _scores(*values):
    """One-question theme scores, one person each."""
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return [ScoreRow("member", "hope", 1, v, c) for v, c in counts.items()]


def _change(now, before):
    [result] = with_change(
        theme_results(_scores(*now), [], LAYOUT, K), theme_results(_scores(*before), [], LAYOUT, K)
    )
    return result.change


def test_a_change_is_a_rise_only_when_it_is_unlikely_to_be_chance():
    # Now 4,4,4,5,5,5: mean 4.5, variance 0.3. Before 3,4,4,4,4,4: mean 3.83, variance 1/6.
    # Welch: se = sqrt(0.3/6 + (1/6)/6) = 0.279, df = 9.3 -> t = 2.262, margin 0.631;
    # the difference 0.667 is beyond it.
    assert _change([4, 4, 4, 5, 5, 5], [3, 4, 4, 4, 4, 4]).direction == "rise"
    # Before 4,4,4,4,4,4: variance 0, se = sqrt(0.05) = 0.224, df = 5 -> t = 2.571,
    # margin 0.575; the difference 0.5 is within it: about the same.
    assert _change([4, 4, 4, 5, 5, 5], [4, 4, 4, 4, 4, 4]).direction == "same"
    # The same the other way round is a fall.
    assert _change([3, 4, 4, 4, 4, 4], [4, 4, 4, 5, 5, 5]).direction == "fall"
    # +0.02 on many people with the usual spread is about the same.
    many_now = [3, 4, 5] * 14
    many_before = [3, 4, 5] * 13 + [3, 4, 4]
    assert _change(many_now, many_before).direction == "same"


def test_welch_by_hand():
    from inquiry.reports.aggregate import t_95, welch_direction

    assert t_95(10) == 2.228 and t_95(9.3) == 2.262 and t_95(21) == 2.086 and t_95(5000) == 1.96
    # Nobody varies on either side: any difference is a real one, no difference is none.
    assert welch_direction(5, Fraction(4), Fraction(0), 5, Fraction(3), Fraction(0)) == "rise"
    assert welch_direction(5, Fraction(4), Fraction(0), 5, Fraction(4), Fraction(0)) == "same"
    # One person on a side: no interval, so never called a rise.
    assert welch_direction(5, Fraction(5), Fraction(1, 2), 1, Fraction(1), None) == "same"
