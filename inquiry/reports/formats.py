"""The cycle summary as JSON and CSV, with null (or an empty cell) wherever a figure is withheld."""

from __future__ import annotations

from decimal import Decimal

from ..actions.models import CHECK_VALUES
from ..core.csvsafe import write_csv
from .aggregate import LIKERT_VALUES, ThemeResult
from .summary import CycleSummary


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _theme(result: ThemeResult) -> dict:
    change = None
    if result.change is not None:
        change = {
            "mean": _num(result.change.mean),
            "agree": result.change.agree,
            "direction": result.change.direction,
        }
    return {
        "theme": result.theme,
        "audience": result.audience,
        "view": result.view,
        "shared_openly": result.shared,
        "n": result.n,
        "mean": _num(result.mean),
        "agree": result.agree,
        "suppressed": result.suppressed,
        "items": [
            {
                "key": item.key,
                "n": item.n,
                "counts": {str(v): item.counts[v] for v in LIKERT_VALUES},
            }
            for item in result.items
        ],
        "change": change,
    }


def _options(q) -> list[dict]:
    shares = {o.value: o for o in q.summary.options} if q.summary is not None else {}
    return [
        {
            "value": value,
            "count": shares[value].count if value in shares else None,
            "percent": shares[value].percent if value in shares else None,
        }
        for value in q.options
    ]


def _gap(g) -> dict:
    return {
        "theme": g.theme,
        "peer_view": g.peer_view,
        "member_mean": _num(g.member_mean),
        "peer_worker_mean": _num(g.peer_worker_mean),
        "gap": _num(g.gap),
        "items": [
            {
                "pair": i.pair_key,
                "member_key": i.member_key,
                "peer_worker_key": i.peer_key,
                "member_mean": _num(i.member_mean),
                "peer_worker_mean": _num(i.peer_worker_mean),
                "gap": _num(i.gap),
            }
            for i in g.items
        ],
    }


# Why group members' "Did this happen?" about an action is withheld, in the summary page's
# words: the cycle's figures are not final yet (still open, or late answers may still come),
# or fewer than k group members answered about that action. Never how many did.
NO_FIGURES_YET = "no_figures_yet"
FEWER_THAN_K = "fewer_than_k_answered"


def _checks_withheld(summary: CycleSummary, action) -> str | None:
    """Why an action's "Did this happen?" answers are withheld, or None when they are shown."""
    if action.checks is not None:
        return None
    return FEWER_THAN_K if summary.figures else NO_FIGURES_YET


def _action(summary: CycleSummary, action) -> dict:
    return {
        "what": action.what,
        "theme": action.theme,
        "status": action.status,
        "note": action.note,
        "did_this_happen": None if action.checks is None else dict(action.checks),
        "did_this_happen_withheld": _checks_withheld(summary, action),
    }


def summary_json(summary: CycleSummary) -> dict:
    """The summary as plain JSON-ready data; a cycle whose answers were deleted says when and
    why (its figures are the ones kept then)."""
    data = _summary_data(summary)
    if summary.answers_deleted_on is not None:
        data["answers_deleted"] = {
            "on": summary.answers_deleted_on.isoformat(),
            "because": summary.deleted_because,
        }
    return data


def _summary_data(summary: CycleSummary) -> dict:
    return {
        "cycle": {
            "id": summary.cycle_id,
            "group": summary.group_name,
            "title": summary.title,
            "starts_on": summary.starts_on.isoformat(),
            "ends_on": summary.ends_on.isoformat(),
            "state": summary.state,
            "previous": summary.previous_title,
        },
        "k": summary.k,
        "figures": summary.figures,
        "responses": dict(summary.responses),
        "responses_total": summary.responses_total,
        "themes": [_theme(t) for t in summary.themes],
        "gaps_available": summary.gaps_available,
        "gaps": [_gap(g) for g in summary.gaps],
        "linked": None
        if summary.linked is None
        else {
            "linked": summary.linked.linked,
            "themes": [
                {
                    "theme": t.theme,
                    "audience": t.audience,
                    "n": t.n,
                    "mean_change": _num(t.mean_change),
                }
                for t in summary.linked.themes
            ],
        },
        "questions": [
            {
                "key": q.key,
                "view": q.view,
                "type": q.qtype,
                "n": None if q.summary is None else q.summary.n,
                "options": None if q.qtype != "choice" else _options(q),
            }
            for q in summary.others
        ],
        "quotes": [
            {"question": q.question_key, "audience": q.audience, "text": q.text}
            for q in summary.quotes
        ],
        "agenda": [{"topic": a.title, "votes": a.votes} for a in summary.agenda],
        "actions": [_action(summary, a) for a in summary.actions],
        # The story of change the group chose after the previous cycle, in the words read out.
        "story": None
        if summary.story is None
        else {
            "chosen_after": summary.story.cycle_title,
            "title": summary.story.title,
            "text": summary.story.text,
            "reasons": summary.story.reasons,
        },
    }


CSV_HEADER = ("cycle_id", "view", "theme", "question_key", "measure", "value", "withheld")


def summary_csv(summary: CycleSummary) -> str:
    """The summary's figures in long form: one row per figure, withheld ones marked."""
    rows = []

    def add(audience, theme, key, measure, value):
        withheld = "yes" if value is None else ""
        rows.append((summary.cycle_id, audience, theme, key, measure, value, withheld))

    for view, count in summary.responses.items():
        add(view, "", "", "responses", count)
    add("all", "", "", "responses", summary.responses_total)
    for t in summary.themes:
        add(t.view, t.theme, "", "n", t.n)
        add(t.view, t.theme, "", "mean", t.mean)
        add(t.view, t.theme, "", "agree_percent", t.agree)
        if t.change is not None:
            add(t.view, t.theme, "", "change_mean", t.change.mean)
            add(t.view, t.theme, "", "change_agree_points", t.change.agree)
            add(t.view, t.theme, "", "change_direction", t.change.direction)
        for item in t.items:
            add(t.view, t.theme, item.key, "n", item.n)
            for value in LIKERT_VALUES:
                add(t.view, t.theme, item.key, f"count_{value}", item.counts[value])
    for q in summary.others:
        add(q.view, "", q.key, "n", None if q.summary is None else q.summary.n)
        if q.qtype == "choice" and q.summary is not None:
            for o in q.summary.options:
                add(q.view, "", q.key, f"count_{o.value}", o.count)
                add(q.view, "", q.key, f"percent_{o.value}", o.percent)
    for g in summary.gaps:
        view = f"member_minus_{g.peer_view}"
        add(view, g.theme, "", "gap_mean", g.gap)
        for i in g.items:
            add(view, g.theme, i.pair_key, "gap_mean", i.gap)
    # "Did this happen?", per action in the JSON's order (action_1 is its first): every value
    # or none, and when none, one row saying why (never how many answered).
    for place, a in enumerate(summary.actions, start=1):
        key, theme = f"action_{place}", a.theme or ""
        for value in CHECK_VALUES:
            count = None if a.checks is None else a.checks[value]
            add("member", theme, key, f"did_this_happen_{value}", count)
        why = _checks_withheld(summary, a)
        if why is not None:
            rows.append(
                (summary.cycle_id, "member", theme, key, "did_this_happen_withheld", why, "")
            )
    return write_csv(CSV_HEADER, rows)
