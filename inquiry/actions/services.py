"""Writes to actions."""

from __future__ import annotations

from datetime import date

from ..core import audit
from ..extensions import db
from .models import STATUSES, Action


def add_action(
    cycle, user_id: int, what: str, who: str, due_on: date | None, theme: str | None
) -> Action:
    """Record something the group agreed to do after this cycle."""
    action = Action(cycle_id=cycle.id, what=what, who=who, due_on=due_on, theme=theme or None)
    db.session.add(action)
    db.session.flush()
    audit.record("created", action, user_id)
    return action


def review_action(action: Action, user_id: int, status: str, note: str) -> None:
    """How the action went, as reviewed in the next cycle."""
    if status not in STATUSES:
        raise ValueError(status)
    action.status, action.status_note = status, note
    audit.record("edited", action, user_id, status)
    db.session.flush()
