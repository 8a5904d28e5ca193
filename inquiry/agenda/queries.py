"""Reads for the negotiated agenda."""

from __future__ import annotations

import sqlalchemy as sa

from ..cycles.models import CycleQuestion
from ..extensions import db
from ..questions.bank import AGENDA_KEYS
from ..questions.models import Question
from ..responses.models import Answer
from .models import AgendaTopic, AgendaVote


def list_suggestions(cycle_id: int) -> list[str]:
    """What members and peer workers suggested the group talks about or does next."""
    return list(
        db.session.scalars(
            sa.select(Answer.text)
            .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
            .join(Question, Question.id == CycleQuestion.question_id)
            .where(Answer.cycle_id == cycle_id, Question.key.in_(AGENDA_KEYS))
            .order_by(Answer.id)
        )
    )


def list_ranked_topics(cycle_id: int) -> list[tuple[AgendaTopic, int]]:
    """Shortlisted topics with their votes, most wanted first."""
    votes = sa.func.count(AgendaVote.id)
    rows = db.session.execute(
        sa.select(AgendaTopic, votes)
        .outerjoin(AgendaVote, AgendaVote.topic_id == AgendaTopic.id)
        .where(AgendaTopic.cycle_id == cycle_id)
        .group_by(AgendaTopic.id)
        .order_by(votes.desc(), AgendaTopic.id)
    )
    return [(topic, n) for topic, n in rows]


def list_chosen_topic_ids(cycle_id: int, voter_digest: str) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(AgendaVote.topic_id)
            .join(AgendaTopic, AgendaTopic.id == AgendaVote.topic_id)
            .where(AgendaTopic.cycle_id == cycle_id, AgendaVote.voter_digest == voter_digest)
        )
    )


def count_voters(cycle_id: int) -> int:
    """How many different people chose at least one of the cycle's topics."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(AgendaVote.voter_digest)))
        .join(AgendaTopic, AgendaTopic.id == AgendaVote.topic_id)
        .where(AgendaTopic.cycle_id == cycle_id)
    )


def choosing_open(cycle) -> bool:
    """Members may choose topics while the cycle is open and after it closes, until the
    facilitator marks the meeting held (the meeting, where the group chooses, comes after)."""
    return cycle.is_open or (cycle.state == "closed" and cycle.meeting_held_at is None)


def votes_final(cycle) -> bool:
    """The counts can no longer change: the cycle closed and its meeting was held (counts
    shown earlier could be set against later ones to tell one person's choice)."""
    return cycle.state == "closed" and cycle.meeting_held_at is not None
