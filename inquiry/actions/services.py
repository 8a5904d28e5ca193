"""Writes to actions."""

from __future__ import annotations

from datetime import date

from ..core import audit
from ..extensions import db
from .models import FINDING_KINDS, STATUSES, Action


def parse_finding(finding: str | None) -> tuple[str | None, str | None, int | None]:
    """A finding as the form gives it ("" , a theme's key, "topic:12" or "story:5") as the
    columns (theme, finding_kind, finding_id); a ValueError for anything else."""
    if not finding:
        return None, None, None
    kind, sep, number = finding.partition(":")
    if not sep:
        return finding, None, None
    if kind not in FINDING_KINDS or not number.isdigit():
        raise ValueError(finding)
    return None, kind, int(number)


def _link(action: Action, finding: str | None) -> None:
    action.theme, action.finding_kind, action.finding_id = parse_finding(finding)


def add_action(
    cycle, user_id: int, what: str, who: str, due_on: date | None, finding: str | None
) -> Action:
    """Record something the group agreed to do after this cycle, and the finding it answers
    (a theme's key, "topic:<id>" or "story:<id>"; the view offers only the cycle's own)."""
    action = Action(cycle_id=cycle.id, what=what, who=who, due_on=due_on)
    _link(action, finding)
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
    action: Action, user_id: int, what: str, who: str, due_on: date | None, finding: str | None
) -> bool:
    """Correct what was agreed, who does it, by when and what it answers; returns whether
    anything changed."""
    new = (what, who, due_on, finding or "")
    if new == (action.what, action.who, action.due_on, action.finding):
        return False
    action.what, action.who, action.due_on = what, who, due_on
    _link(action, finding)
    audit.record("edited", action, user_id)
    db.session.flush()
    return True


def delete_action(action: Action, user_id: int) -> None:
    """Delete an action recorded by mistake (the log keeps that it was, never its words)."""
    audit.record("deleted", action, user_id, f"cycle {action.cycle_id}")
    db.session.delete(action)
    db.session.flush()
