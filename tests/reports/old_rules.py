"""The previous small-numbers rules (commit e267a92), re-implemented as pure functions over
raw answers, producing the outputs they produced: each closed cycle's summary as JSON and CSV
and the network roll-up as CSV (plain and rounded), plus the roll-up page's "Responses" line.

Kept only to test the attacker: fed the same raw data, it must find the leaks those rules
had (cell suppression with secondary suppression and grouped counts; totals beside withheld
parts). Follows e267a92's reports/aggregate.py, summary.py, rollup.py and formats.py line by
line where it matters; there were no peer support workers sharing openly then, so every peer
support worker is one audience.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from inquiry.core.csvsafe import write_csv

from .attacker import QUESTIONS, Publication, RawCycle, RawNetwork, theme_of

COMMIT = "e267a92"
LIKERT_VALUES = (1, 2, 3, 4, 5)
AGREE_FROM = 4
AUDIENCES = ("member", "peer_worker")
GROUPS = {"disagree": (1, 2), "neutral": (3,), "agree": (4, 5)}


def round_2(value: Fraction) -> Decimal:
    sign = -1 if value < 0 else 1
    hundredths = (abs(value) * 100 + Fraction(1, 2)).__floor__()
    return (Decimal(sign * hundredths) / 100).quantize(Decimal("0.01"))


def percent(part: int, whole: int) -> int:
    return int((Fraction(100 * part, whole) + Fraction(1, 2)).__floor__())


def shown(count: int, k: int) -> int | None:
    return None if 0 < count < k else count


def suppress_parts(parts: dict, k: int) -> dict:
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


# -- rows, as reports/queries.py aggregated them ------------------------------------------


def layout() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for audience in AUDIENCES:
        for key in QUESTIONS[audience]:
            out.setdefault((audience, theme_of(key)), []).append(key)
    return out


def score_rows(cycle: RawCycle) -> list[tuple[str, str, int, int, int]]:
    """(audience, theme, answered, total, responses)."""
    counts: dict[tuple, int] = defaultdict(int)
    for p in cycle.responses:
        answers = dict(p.answers)
        for (audience, theme), keys in layout().items():
            if audience != p.audience:
                continue
            given = [int(answers[k]) for k in keys if answers.get(k, "pns") != "pns"]
            if given:
                counts[(audience, theme, len(given), sum(given))] += 1
    return [(*key, n) for key, n in counts.items()]


def item_counts(cycle: RawCycle) -> dict[tuple[str, str], dict[int, int]]:
    counts = {(a, key): dict.fromkeys(LIKERT_VALUES, 0) for a in AUDIENCES for key in QUESTIONS[a]}
    for p in cycle.responses:
        for key, value in p.answers:
            if value != "pns":
                counts[(p.audience, key)][int(value)] += 1
    return counts


# -- aggregate.py -------------------------------------------------------------------------


def theme_score_stats(rows) -> tuple[int, Fraction, int]:
    n, score_sum, agree = 0, Fraction(0), 0
    for _, _, answered, total, responses in rows:
        n += responses
        score_sum += Fraction(total, answered) * responses
        if total >= AGREE_FROM * answered:
            agree += responses
    return n, (score_sum / n if n else Fraction(0)), agree


def item_result(key: str, values: dict[int, int], k: int, withhold_all: bool) -> dict:
    total = sum(values.values())
    grouped = None
    if withhold_all or 0 < total < k:
        counts = dict.fromkeys(LIKERT_VALUES)
    else:
        counts = suppress_parts(values, k)
        if any(v is None for v in counts.values()):
            sums = {g: sum(values[v] for v in vs) for g, vs in GROUPS.items()}
            grouped = suppress_parts(sums, k)
    return {"key": key, "counts": counts, "grouped": grouped}


def theme_results(rows, items: dict | None, cycle_layout: dict, k: int) -> list[dict]:
    by_theme = defaultdict(list)
    for row in rows:
        by_theme[(row[0], row[1])].append(row)
    results = []
    for (audience, theme), keys in cycle_layout.items():
        n, mean, agree = theme_score_stats(by_theme[(audience, theme)])
        withheld = n < k
        zero = dict.fromkeys(LIKERT_VALUES, 0)
        results.append(
            {
                "theme": theme,
                "audience": audience,
                "n": shown(n, k),
                "mean": None if withheld or n == 0 else round_2(mean),
                "agree": None if withheld or n == 0 else percent(agree, n),
                "suppressed": withheld and n > 0,
                "items": [
                    item_result(
                        key, (items or {}).get((audience, key), zero), k, withheld and n > 0
                    )
                    for key in keys
                ],
                "change": None,
            }
        )
    return results


def with_change(current: list[dict], previous: list[dict]) -> None:
    before = {(r["audience"], r["theme"]): r for r in previous}
    for result in current:
        prior = before.get((result["audience"], result["theme"]))
        if prior is not None and prior["n"] != 0 and result["n"] != 0:
            both = result["mean"] is not None and prior["mean"] is not None
            result["change"] = {
                "mean": result["mean"] - prior["mean"] if both else None,
                "agree": result["agree"] - prior["agree"] if both else None,
            }


def gaps(results: list[dict]) -> list[dict]:
    by_key = {(r["audience"], r["theme"]): r for r in results}
    out = []
    for member in (r for r in results if r["audience"] == "member"):
        peer = by_key.get(("peer_worker", member["theme"]))
        if peer is None:
            continue
        m, p = member["mean"], peer["mean"]
        gap = m - p if m is not None and p is not None else None
        out.append({"theme": member["theme"], "member_mean": m, "peer_worker_mean": p, "gap": gap})
    return out


# -- summary.py and formats.py ------------------------------------------------------------


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def summary_json(network: RawNetwork, g: int, c: int, cycle_id: int) -> dict:
    group, k = network.groups[g], network.k
    cycle = group.cycles[c]
    parts = {a: sum(p.audience == a for p in cycle.responses) for a in AUDIENCES}
    total = sum(parts.values())
    themes = theme_results(score_rows(cycle), item_counts(cycle), layout(), k)
    previous = group.cycles[c - 1] if c > 0 else None
    if previous is not None:
        with_change(themes, theme_results(score_rows(previous), item_counts(previous), layout(), k))
    for t in themes:
        t["mean"] = _num(t["mean"])
        if t["change"] is not None:
            t["change"]["mean"] = _num(t["change"]["mean"])
        for item in t["items"]:
            item["counts"] = {str(v): item["counts"][v] for v in LIKERT_VALUES}
    return {
        "cycle": {
            "id": cycle_id,
            "group": group.name,
            "title": cycle.title,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": (cycle.starts_on + timedelta(days=30)).isoformat(),
            "state": "closed",
            "previous": previous.title if previous else None,
        },
        "k": k,
        "responses": {a: shown(n, k) for a, n in parts.items()},
        "responses_total": None if any(0 < n < k for n in parts.values()) else shown(total, k),
        "themes": themes,
        "gaps": [
            {
                **gap,
                "member_mean": _num(gap["member_mean"]),
                "peer_worker_mean": _num(gap["peer_worker_mean"]),
                "gap": _num(gap["gap"]),
            }
            for gap in gaps(themes)
        ],
        "linked": {"linked": 0, "themes": []} if previous is not None else None,
        "quotes": [],  # none approved in the generated data
        "agenda": [],
        "actions": [],
    }


CSV_HEADER = ("cycle_id", "audience", "theme", "question_key", "measure", "value", "withheld")


def _decimal(value: float | None) -> str | None:
    return None if value is None else f"{Decimal(str(value)):.2f}"


def summary_csv(data: dict) -> str:
    rows = []

    def add(audience, theme, key, measure, value):
        rows.append(
            (
                data["cycle"]["id"],
                audience,
                theme,
                key,
                measure,
                value,
                "yes" if value is None else "",
            )
        )

    for audience, count in data["responses"].items():
        add(audience, "", "", "responses", count)
    add("all", "", "", "responses", data["responses_total"])
    for t in data["themes"]:
        add(t["audience"], t["theme"], "", "n", t["n"])
        add(t["audience"], t["theme"], "", "mean", _decimal(t["mean"]))
        add(t["audience"], t["theme"], "", "agree_percent", t["agree"])
        if t["change"] is not None:
            add(t["audience"], t["theme"], "", "change_mean", _decimal(t["change"]["mean"]))
            add(t["audience"], t["theme"], "", "change_agree_points", t["change"]["agree"])
        for item in t["items"]:
            for value in LIKERT_VALUES:
                add(
                    t["audience"],
                    t["theme"],
                    item["key"],
                    f"count_{value}",
                    item["counts"][str(value)],
                )
            for group, count in (item["grouped"] or {}).items():
                add(t["audience"], t["theme"], item["key"], f"count_{group}", count)
    for gap in data["gaps"]:
        add("member_minus_peer_worker", gap["theme"], "", "gap_mean", _decimal(gap["gap"]))
    return write_csv(CSV_HEADER, rows)


# -- rollup.py ----------------------------------------------------------------------------


def round_to_5(value: int | None) -> int | None:
    if value is None:
        return None
    return max(5, 5 * ((value + 2) // 5)) if value else 0


def rollup(network: RawNetwork, rounded: bool) -> tuple[str, list[tuple[str, str, int | None]]]:
    """The roll-up CSV and the page's "Responses" line (column, cycle title, responses)."""
    k = network.k
    columns = []  # (label, title, responses, results)
    combined: dict[tuple, int] = defaultdict(int)
    total_all = 0
    for group in sorted(network.groups, key=lambda g: g.name):
        cycle = max(group.cycles, key=lambda c: c.starts_on) if group.cycles else None
        if cycle is None:
            columns.append((group.name, None, None, {}))
            continue
        rows = score_rows(cycle)
        total = len(cycle.responses)
        total_all += total
        results = theme_results(rows, None, layout(), k)
        columns.append(_column(group.name, cycle.title, total, results, k, rounded))
        for audience, theme, answered, score, n in rows:
            combined[(audience, theme, answered, score)] += n
    overall = theme_results([(*key, n) for key, n in combined.items()], None, layout(), k)
    columns.append(_column(network.name, None, total_all, overall, k, rounded))
    themes = sorted(layout(), key=lambda key: (key[0] != "member", list(layout()).index(key)))
    header = ("network", "column", "cycle", "audience", "theme", "n", "mean", "agree_percent")
    rows = []
    for label, title, _, results in columns:
        for audience, theme in themes:
            r = results.get((audience, theme))
            rows.append(
                (
                    network.name,
                    label,
                    title or "",
                    audience,
                    theme,
                    "" if r is None or r["n"] is None else r["n"],
                    "" if r is None or r["mean"] is None else r["mean"],
                    "" if r is None or r["agree"] is None else r["agree"],
                )
            )
    return write_csv(header, rows), [(label, title or "", n) for label, title, n, _ in columns]


def _column(label, title, total, results, k, rounded):
    responses = shown(total, k)
    by_key = {(r["audience"], r["theme"]): r for r in results}
    if rounded:
        by_key = {key: {**r, "n": round_to_5(r["n"])} for key, r in by_key.items()}
        responses = round_to_5(responses)
    return label, title, responses, by_key


def publish(network: RawNetwork) -> tuple[Publication, dict[tuple[int, int], int]]:
    """Every output the previous rules gave for this network, and the cycle ids used."""
    ids = {}
    summaries = []
    for g, group in enumerate(network.groups):
        for c in range(len(group.cycles)):
            ids[(g, c)] = len(ids) + 1
            summaries.append(summary_json(network, g, c, ids[(g, c)]))
    plain, plain_line = rollup(network, rounded=False)
    rounded, rounded_line = rollup(network, rounded=True)
    return (
        Publication(
            summaries=summaries,
            summary_csvs=[summary_csv(data) for data in summaries],
            rollup_csvs=[(plain, False), (rounded, True)],
            rollup_responses=[(False, plain_line), (True, rounded_line)],
        ),
        ids,
    )
