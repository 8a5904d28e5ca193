"""A cycle's summary read back from the figures kept when its answers were deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..questions.types import ChoiceSummary, OptionShare, TextSummary
from ..reports.aggregate import (
    LIKERT_VALUES,
    Change,
    Gap,
    ItemGap,
    ItemResult,
    Linked,
    LinkedTheme,
    ThemeResult,
    views_present,
)
from ..reports.queries import get_previous_closed_cycle
from ..reports.summary import (
    ActionReview,
    AgendaPriority,
    CycleSummary,
    QuestionResult,
    _chosen_story,
    _next_cycle,
    _option_labels,
    question_texts,
)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _item(data: dict) -> ItemResult:
    counts = data["counts"]
    return ItemResult(data["key"], data["n"], {v: counts[str(v)] for v in LIKERT_VALUES})


def _theme(data: dict) -> ThemeResult:
    change = data.get("change")
    return ThemeResult(
        theme=data["theme"],
        view=data["view"],
        n=data["n"],
        mean=_dec(data["mean"]),
        agree=data["agree"],
        suppressed=data["suppressed"],
        items=tuple(_item(i) for i in data["items"]),
        change=None
        if change is None
        else Change(_dec(change["mean"]), change["agree"], change["direction"]),
    )


def _gap(data: dict) -> Gap:
    return Gap(
        theme=data["theme"],
        peer_view=data["peer_view"],
        member_mean=_dec(data["member_mean"]),
        peer_worker_mean=_dec(data["peer_worker_mean"]),
        gap=_dec(data["gap"]),
        items=tuple(
            ItemGap(
                i["pair"],
                i["member_key"],
                i["peer_worker_key"],
                _dec(i["member_mean"]),
                _dec(i["peer_worker_mean"]),
                _dec(i["gap"]),
            )
            for i in data["items"]
        ),
    )


def _question(data: dict) -> QuestionResult:
    options = tuple(o["value"] for o in data["options"] or ())
    summary = None
    if data["n"] is not None:
        if data["type"] == "choice":
            shares = tuple(
                OptionShare(o["value"], o["count"], o["percent"]) for o in data["options"]
            )
            summary = ChoiceSummary(shares, data["n"])
        else:
            summary = TextSummary(data["n"])
    return QuestionResult(
        data["key"], data["view"], data["type"], summary, data["n"] is None, options
    )


def summary_from_snapshot(snapshot, cycle, language: str) -> CycleSummary:
    """The CycleSummary the snapshot was taken from (its quotes excepted), with the
    question texts in this language and the group's next open cycle as they are now."""
    data = snapshot.summary
    about = data["cycle"]
    linked = data["linked"]
    return CycleSummary(
        cycle_id=about["id"],
        group_name=cycle.group.name,
        title=cycle.title,
        starts_on=date.fromisoformat(about["starts_on"]),
        ends_on=date.fromisoformat(about["ends_on"]),
        state=about["state"],
        k=data["k"],
        figures=data["figures"],
        responses=dict(data["responses"]),
        previous_title=about["previous"],
        views=views_present(data["responses"]),
        themes=[_theme(t) for t in data["themes"]],
        gaps=[_gap(g) for g in data["gaps"]],
        gaps_available=data["gaps_available"],
        linked=None
        if linked is None
        else Linked(
            linked["linked"],
            tuple(
                LinkedTheme(t["theme"], t["audience"], t["n"], _dec(t["mean_change"]))
                for t in linked["themes"]
            ),
        ),
        quotes=[],
        questions=question_texts(cycle, language),
        others=[_question(q) for q in data["questions"]],
        option_labels=_option_labels(cycle, language),
        actions=[
            ActionReview(
                a["what"], a["theme"], a["status"], a["note"], checks=a.get("did_this_happen")
            )
            for a in data["actions"]
        ],
        agenda=[AgendaPriority(a["topic"], a["votes"]) for a in data["agenda"]],
        agenda_voters=0,
        next_cycle=_next_cycle(cycle) if data["figures"] else None,
        story=_chosen_story(get_previous_closed_cycle(cycle)),
        answers_deleted_on=snapshot.answers_deleted_at.date(),
        deleted_because=snapshot.reason,
    )
