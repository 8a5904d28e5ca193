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


def update_action(
    action: Action, user_id: int, what: str, who: str, due_on: date | None, theme: str | None
) -> bool:
    """Correct what was agreed, who does it and by when; returns whether anything changed."""
    new = (what, who, due_on, theme or None)
    if new == (action.what, action.who, action.due_on, action.theme):
        return False
    action.what, action.who, action.due_on, action.theme = new
    audit.record("edited", action, user_id)
    db.session.flush()
    return True


def delete_action(action: Action, user_id: int) -> None:
    """Delete an action recorded by mistake (the log keeps that it was, never its words)."""
    audit.record("deleted", action, user_id, f"cycle {action.cycle_id}")
    db.session.delete(action)
    db.session.flush()
