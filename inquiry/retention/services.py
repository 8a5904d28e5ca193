"""Deleting a cycle's answers, by the network's retention period or on request, keeping the
figures its summary showed. Services flush; the caller commits."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from ..agenda.models import AgendaTopic, AgendaVote
from ..core import audit
from ..core.models import utcnow
from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group, Network
from ..printing.services import forget_cycle_pdfs
from ..reports import sums as kept_sums
from ..responses.models import Answer, Draft, LinkKey, QuoteApproval, Response
from ..responses.services import answers_changed
from .models import SummarySnapshot

# People's own writing kept by other features, by table name (each has a cycle_id): deleted
# with the answers when those features are installed. Children first.
OTHER_WRITING = ("story_choice", "story")
MAX_MONTHS = 240


class RetentionError(ValueError):
    """A plain-words reason the answers cannot be deleted."""


def today() -> date:
    """Today, or the day set in INQUIRY_TODAY (for tests and for trying a purge ahead)."""
    set_day = current_app.config.get("TODAY")
    if isinstance(set_day, date):
        return set_day
    if set_day:
        try:
            return date.fromisoformat(str(set_day))
        except ValueError:
            raise RetentionError("INQUIRY_TODAY must be a date as YYYY-MM-DD") from None
    return utcnow().date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan + 1)."""
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def closed_on(cycle: Cycle) -> date:
    closed = cycle.closed_at
    return closed.date() if isinstance(closed, datetime) else cycle.ends_on


def due_on(cycle: Cycle, months: int | None) -> date | None:
    """When a closed cycle's answers go under a retention period (None: kept)."""
    if months is None or cycle.state != "closed":
        return None
    return add_months(closed_on(cycle), months)


@dataclass(frozen=True)
class Deleted:
    """How many of each were deleted (counts only, never what they held). Choices (agenda
    votes, story choices) are said without a number: with one topic or story, their number
    is a vote count the summary may withhold below k."""

    responses: int = 0
    answers: int = 0
    drafts: int = 0
    quotes: int = 0
    stories: int = 0
    choices: int = 0

    def __add__(self, other: Deleted) -> Deleted:
        return Deleted(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.responses, self.answers, self.drafts, self.quotes, self.stories, self.choices)

    def describe(self) -> str:
        """For the audit log and the command line: numbers only."""
        choices = "every agenda and story choice" if self.choices else "no choices"
        return (
            f"responses: {self.responses}, answers: {self.answers}, drafts: {self.drafts}, "
            f"quotes: {self.quotes}, stories: {self.stories}, {choices}"
        )


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def _other(name: str, cycle_id: int) -> int:
    table = db.metadata.tables.get(name)
    if table is None:
        return 0
    return _count(sa.select(table.c.cycle_id).where(table.c.cycle_id == cycle_id))


def count_answers(cycle_id: int) -> Deleted:
    """What deleting the cycle's answers would delete."""
    responses = sa.select(Response.id).where(Response.cycle_id == cycle_id)
    answers = sa.select(Answer.id).where(Answer.cycle_id == cycle_id)
    topics = sa.select(AgendaTopic.id).where(AgendaTopic.cycle_id == cycle_id)
    votes = _count(sa.select(AgendaVote.id).where(AgendaVote.topic_id.in_(topics)))
    return Deleted(
        responses=_count(responses),
        answers=_count(answers),
        drafts=_count(sa.select(Draft.id).where(Draft.cycle_id == cycle_id)),
        quotes=_count(
            sa.select(QuoteApproval.answer_id).where(QuoteApproval.answer_id.in_(answers))
        ),
        stories=_other("story", cycle_id),
        choices=votes + _other("story_choice", cycle_id),
    )


def snapshot_of(cycle: Cycle) -> dict:
    """The summary's JSON as it stands, without the quotes (people's own words go with
    their answers). One snapshot serves every language: it holds keys and numbers."""
    from ..reports.formats import summary_json
    from ..reports.summary import build_summary

    summary = build_summary(cycle, "en_GB", current_app.config["LINK_KEY"])
    data = summary_json(summary)
    data["quotes"] = []
    return data


def _delete_rows(cycle_id: int) -> None:
    answers = sa.select(Answer.id).where(Answer.cycle_id == cycle_id)
    responses = sa.select(Response.id).where(Response.cycle_id == cycle_id)
    topics = sa.select(AgendaTopic.id).where(AgendaTopic.cycle_id == cycle_id)
    for name in OTHER_WRITING:
        table = db.metadata.tables.get(name)
        if table is not None:
            db.session.execute(sa.delete(table).where(table.c.cycle_id == cycle_id))
    db.session.execute(sa.delete(QuoteApproval).where(QuoteApproval.answer_id.in_(answers)))
    db.session.execute(sa.delete(Answer).where(Answer.cycle_id == cycle_id))
    db.session.execute(sa.delete(LinkKey).where(LinkKey.response_id.in_(responses)))
    db.session.execute(sa.delete(Response).where(Response.cycle_id == cycle_id))
    db.session.execute(sa.delete(Draft).where(Draft.cycle_id == cycle_id))
    db.session.execute(sa.delete(AgendaVote).where(AgendaVote.topic_id.in_(topics)))
    # PDFs already made show the quotes: they are made again from the figures kept.
    forget_cycle_pdfs(cycle_id)


def delete_answers(
    cycle: Cycle,
    reason: str,
    user_id: int | None,
    *,
    keep_summary: bool = True,
) -> Deleted:
    """Delete a closed cycle's answers (responses, answers, drafts, quotes, agenda votes),
    first keeping the figures its summary shows unless told not to; audited with counts."""
    if cycle.state != "closed":
        raise RetentionError("only a closed cycle's answers are deleted")
    existing = db.session.get(SummarySnapshot, cycle.id)
    deleted = count_answers(cycle.id)
    now = utcnow()
    if existing is None:
        summary = snapshot_of(cycle) if keep_summary else None
        db.session.add(
            SummarySnapshot(
                cycle_id=cycle.id,
                answers_deleted_at=now,
                reason=reason,
                summary=summary,
                summary_deleted_at=None if keep_summary else now,
                deleted_by_id=user_id,
            )
        )
    elif not keep_summary and existing.summary is not None:
        existing.summary, existing.summary_deleted_at = None, now
    # The roll-up's sums of the cycle stay while its summary's figures do, and go with them.
    if keep_summary:
        kept_sums.keep(cycle.id)
    else:
        kept_sums.forget(cycle.id)
    _delete_rows(cycle.id)
    why = "under the retention period" if reason == "retention" else "on request"
    kept = "summary figures kept" if keep_summary else "summary deleted too"
    audit.record("deleted", cycle, user_id, f"answers {why}: {deleted.describe()}; {kept}")
    db.session.flush()
    return deleted


def delete_summary(cycle: Cycle, user_id: int | None) -> bool:
    """Delete the figures kept of a cycle whose answers are gone; False if none were kept."""
    snapshot = db.session.get(SummarySnapshot, cycle.id)
    if snapshot is None or snapshot.summary is None:
        return False
    snapshot.summary, snapshot.summary_deleted_at = None, utcnow()
    answers_changed(cycle.id)
    audit.record("deleted", cycle, user_id, "summary figures kept after the answers went")
    db.session.flush()
    return True


@dataclass(frozen=True)
class Due:
    cycle_id: int
    network: str
    group: str
    title: str
    due_on: date


def list_due(day: date) -> list[Due]:
    """Closed cycles whose answers are still kept and whose retention period ended by `day`."""
    rows = db.session.execute(
        sa.select(Cycle, Group.name, Network.name, Network.retention_months)
        .join(Group, Group.id == Cycle.group_id)
        .join(Network, Network.id == Group.network_id)
        .outerjoin(SummarySnapshot, SummarySnapshot.cycle_id == Cycle.id)
        .where(
            Cycle.state == "closed",
            Network.retention_months.is_not(None),
            SummarySnapshot.cycle_id.is_(None),
        )
        .order_by(Network.name, Group.name, Cycle.starts_on, Cycle.id)
    )
    out = []
    for cycle, group, network, months in rows:
        when = due_on(cycle, months)
        if when is not None and when <= day:
            out.append(Due(cycle.id, network, group, cycle.title, when))
    return out


def purge(day: date, *, dry_run: bool = False) -> list[tuple[Due, Deleted]]:
    """Delete the answers of every cycle due by `day` (or, dry, count what would go)."""
    done = []
    for due in list_due(day):
        cycle = db.session.get(Cycle, due.cycle_id)
        if dry_run:
            done.append((due, count_answers(cycle.id)))
        else:
            done.append((due, delete_answers(cycle, "retention", None)))
    return done


def set_network_details(network: Network, user_id: int | None, **values) -> bool:
    """Set a network's retention period and contact details, audited by name (never the
    values of the contact details); False when nothing changed."""
    changed = [name for name, value in values.items() if getattr(network, name) != value]
    if not changed:
        return False
    months = values.get("retention_months", network.retention_months)
    if months is not None and not 1 <= months <= MAX_MONTHS:
        raise RetentionError("a retention period is 1 to 240 months")
    old_months = network.retention_months
    for name in changed:
        setattr(network, name, values[name])
    if "retention_months" in changed:
        audit.record("edited", network, user_id, f"retention {old_months} -> {months} months")
    others = [name for name in changed if name != "retention_months"]
    if others:
        audit.record("edited", network, user_id, "privacy notice details: " + ", ".join(others))
    db.session.flush()
    return True
