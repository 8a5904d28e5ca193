"""Reads of actions."""

from __future__ import annotations

import sqlalchemy as sa

from ..cycles.models import Cycle
from ..extensions import db
from ..reports.queries import get_previous_closed_cycle
from .models import Action


def list_actions(cycle_id: int) -> list[Action]:
    """The actions agreed after a cycle, in the order they were added."""
    return list(
        db.session.scalars(sa.select(Action).filter_by(cycle_id=cycle_id).order_by(Action.id))
    )


def list_actions_to_review(cycle: Cycle) -> list[Action]:
    """The actions agreed after the cycle before this one: reviewed in this one."""
    previous = get_previous_closed_cycle(cycle)
    return list_actions(previous.id) if previous else []


def count_action_checks(cycle_id: int, action_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many group members answered each value of "Did this happen?" about each action,
    in their reflections of this cycle (counted in SQL)."""
    from ..responses.models import Response
    from .models import ActionCheck

    if not action_ids:
        return {}
    rows = db.session.execute(
        sa.select(ActionCheck.action_id, ActionCheck.value, sa.func.count())
        .join(Response, Response.id == ActionCheck.response_id)
        .where(
            Response.cycle_id == cycle_id,
            Response.audience == "member",
            ActionCheck.action_id.in_(action_ids),
        )
        .group_by(ActionCheck.action_id, ActionCheck.value)
    )
    out: dict[int, dict[str, int]] = {}
    for action_id, value, n in rows:
        out.setdefault(action_id, {})[value] = n
    return out


def finding_titles(actions: list[Action]) -> dict[int, str]:
    """The agenda topic or story each action answers, by action (a theme has its own title;
    a topic or story since removed has none)."""
    from ..agenda.models import AgendaTopic
    from ..stories.models import Story

    wanted = {"topic": set(), "story": set()}
    for action in actions:
        if action.finding_kind:
            wanted[action.finding_kind].add(action.finding_id)
    titles = {}
    if wanted["topic"]:
        rows = db.session.execute(
            sa.select(AgendaTopic.id, AgendaTopic.title).where(AgendaTopic.id.in_(wanted["topic"]))
        )
        titles.update({("topic", i): t for i, t in rows})
    if wanted["story"]:
        rows = db.session.execute(
            sa.select(Story.id, Story.shown_title).where(
                Story.id.in_(wanted["story"]), Story.shortlisted_at.is_not(None)
            )
        )
        titles.update({("story", i): t for i, t in rows})
    return {
        a.id: titles[(a.finding_kind, a.finding_id)]
        for a in actions
        if (a.finding_kind, a.finding_id) in titles
    }
