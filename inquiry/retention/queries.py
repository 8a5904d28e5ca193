"""Reads for retention: what was kept of a cycle, and what goes when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group, Network
from .models import SummarySnapshot
from .services import due_on


def get_snapshot(cycle_id: int) -> SummarySnapshot | None:
    """What was kept of a cycle whose answers were deleted; None while they are kept."""
    return db.session.get(SummarySnapshot, cycle_id)


@dataclass(frozen=True)
class PlanRow:
    cycle_id: int
    group: str
    title: str
    state: str
    goes_on: date | None  # None: kept until someone deletes them (or not closed yet)
    deleted_on: date | None
    summary_kept: bool


def list_retention_plan(network: Network) -> list[PlanRow]:
    """Every cycle of the network with when its answers go (or went), soonest first."""
    rows = db.session.execute(
        sa.select(Cycle, Group.name, SummarySnapshot)
        .join(Group, Group.id == Cycle.group_id)
        .outerjoin(SummarySnapshot, SummarySnapshot.cycle_id == Cycle.id)
        .where(Group.network_id == network.id)
    )
    plan = []
    for cycle, group, snapshot in rows:
        deleted = snapshot.answers_deleted_at.date() if snapshot is not None else None
        plan.append(
            PlanRow(
                cycle.id,
                group,
                cycle.title,
                cycle.state,
                None if snapshot is not None else due_on(cycle, network.retention_months),
                deleted,
                snapshot is not None and snapshot.summary is not None,
            )
        )
    return sorted(
        plan,
        key=lambda r: (
            r.deleted_on is not None,
            r.goes_on is None,
            r.goes_on or r.deleted_on or date.max,
            r.group,
            r.title,
        ),
    )
