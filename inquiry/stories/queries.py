"""Reads for the story round."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group
from .models import Story, StoryChoice, StoryRound


def get_round(cycle_id: int) -> StoryRound | None:
    return db.session.get(StoryRound, cycle_id)


def get_active_round(cycle_id: int) -> StoryRound | None:
    """The cycle's story round when it is switched on."""
    found = get_round(cycle_id)
    return found if found is not None and found.is_on else None


def may_write(cycle: Cycle) -> bool:
    """People may write a story while the cycle is open and its story round is on, until the
    group has chosen."""
    found = get_active_round(cycle.id) if cycle.is_open else None
    return found is not None and not found.is_done


def may_choose(cycle: Cycle) -> bool:
    """The group may choose on phones once there is a shortlist, after closing too, until the
    facilitator marks the story choice done."""
    found = get_active_round(cycle.id)
    return (
        found is not None
        and not found.is_done
        and cycle.state in ("open", "closed")
        and bool(list_shortlist(cycle.id))
    )


def list_stories(cycle_id: int) -> list[Story]:
    """Every story of the cycle, by title: not the order they came in, which could be set
    beside the order of the reflections."""
    return list(
        db.session.scalars(
            sa.select(Story).filter_by(cycle_id=cycle_id).order_by(Story.title, Story.id)
        )
    )


def list_shortlist(cycle_id: int) -> list[Story]:
    """The stories shortlisted for the meeting, in the order they were shortlisted."""
    return list(
        db.session.scalars(
            sa.select(Story)
            .where(Story.cycle_id == cycle_id, Story.shortlisted_at.is_not(None))
            .order_by(Story.shortlisted_at, Story.id)
        )
    )


def count_choices(cycle_id: int) -> dict[int, int]:
    """How many chose each story (stories nobody chose are left out)."""
    rows = db.session.execute(
        sa.select(StoryChoice.story_id, sa.func.count())
        .filter_by(cycle_id=cycle_id)
        .group_by(StoryChoice.story_id)
    )
    return {story_id: n for story_id, n in rows}


def get_chosen_story_id(cycle_id: int, voter_digest: str) -> int | None:
    return db.session.scalar(
        sa.select(StoryChoice.story_id).filter_by(cycle_id=cycle_id, voter_digest=voter_digest)
    )


def get_story_by_receipt(digest: str) -> Story | None:
    return db.session.scalar(sa.select(Story).filter_by(receipt_digest=digest))


def get_story_by_token(submission_token: str) -> Story | None:
    return db.session.scalar(sa.select(Story).filter_by(submission_token=submission_token))


@dataclass(frozen=True)
class ChosenStory:
    """The story a group chose, in the words read out, and why the group chose it."""

    group_name: str
    cycle_title: str
    title: str
    text: str
    reasons: str


def _chosen(query) -> list[ChosenStory]:
    rows = db.session.execute(
        query.join(Story, Story.id == StoryRound.chosen_story_id)
        .join(Cycle, Cycle.id == StoryRound.cycle_id)
        .join(Group, Group.id == Cycle.group_id)
        .where(StoryRound.is_on, StoryRound.done_at.is_not(None))
    )
    return [ChosenStory(*row) for row in rows]


_COLUMNS = (Group.name, Cycle.title, Story.shown_title, Story.shown_text, StoryRound.reasons)


def get_chosen_story(cycle_id: int) -> ChosenStory | None:
    """The story the group chose in this cycle's round, once the choice is done."""
    found = _chosen(sa.select(*_COLUMNS).where(StoryRound.cycle_id == cycle_id))
    return found[0] if found else None


def list_network_chosen_stories(network_id: int) -> list[ChosenStory]:
    """Every group's chosen stories in a network, by group and then the cycles' dates."""
    return _chosen(
        sa.select(*_COLUMNS)
        .where(Group.network_id == network_id)
        .order_by(Group.name, Cycle.starts_on, Cycle.id)
    )
