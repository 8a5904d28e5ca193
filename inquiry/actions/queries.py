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
