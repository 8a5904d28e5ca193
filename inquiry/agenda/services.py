"""Writes for the negotiated agenda."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..extensions import db
from .models import MAX_CHOICES, MAX_TOPICS, AgendaTopic, AgendaVote


class AgendaError(ValueError):
    """A plain-words reason the agenda cannot change."""


def add_topic(cycle, title: str, user_id: int) -> AgendaTopic:
    """Shortlist a topic (members' suggestions merged into the facilitator's words)."""
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(AgendaTopic).filter_by(cycle_id=cycle.id)
    )
    if count >= MAX_TOPICS:
        raise AgendaError(_l("The shortlist can have up to 8 topics. Remove one first."))
    topic = AgendaTopic(cycle_id=cycle.id, title=title)
    db.session.add(topic)
    db.session.flush()
    audit.record("created", topic, user_id)
    return topic


def remove_topic(topic: AgendaTopic, user_id: int) -> None:
    audit.record("deleted", topic, user_id)
    db.session.delete(topic)
    db.session.flush()


def choose_topics(cycle_id: int, voter_digest: str, topic_ids: list[int]) -> None:
    """A member's choice of up to 3 topics, replacing any earlier choice of theirs."""
    if len(topic_ids) > MAX_CHOICES:
        raise AgendaError(_l("Choose no more than 3 topics"))
    valid = set(db.session.scalars(sa.select(AgendaTopic.id).filter_by(cycle_id=cycle_id)))
    if not set(topic_ids) <= valid:
        raise AgendaError(_l("Choose from the topics shown"))
    db.session.execute(
        sa.delete(AgendaVote).where(
            AgendaVote.voter_digest == voter_digest, AgendaVote.topic_id.in_(valid)
        )
    )
    for topic_id in dict.fromkeys(topic_ids):
        db.session.add(AgendaVote(topic_id=topic_id, voter_digest=voter_digest))
    db.session.flush()


def mark_meeting_held(cycle, user_id: int) -> None:
    """The group has met: choosing ends and the counts are final."""
    from ..core.models import utcnow

    if cycle.state != "closed" or cycle.meeting_held_at is not None:
        raise AgendaError(_l("The meeting can be marked held once, after the cycle closes."))
    cycle.meeting_held_at = utcnow()
    audit.record("edited", cycle, user_id, "meeting held")
    db.session.flush()
