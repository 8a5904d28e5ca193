"""Writes for the story round. Services take plain values and flush; views commit."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..core.codes import derived_code, keyed_digest, normalise
from ..core.models import utcnow
from ..extensions import db
from ..responses.quoting import NoWords, QuoteRefused, checked_quote
from .models import MAX_SHORTLIST, Story, StoryChoice, StoryRound
from .queries import get_round, get_story_by_token, list_shortlist

RECEIPT_LENGTH = 8


class StoryError(ValueError):
    """A plain-words reason the story round cannot change."""


def story_receipt(key: str, submission_token: str) -> str:
    """A story's own receipt code (never a reflection's): the same token gives the same."""
    return derived_code(key, "story-receipt|" + submission_token, RECEIPT_LENGTH)


def story_receipt_digest(key: str, receipt: str) -> str:
    return keyed_digest(key, "story-withdraw|" + normalise(receipt))


def switch_round(cycle, is_on: bool, user_id: int) -> StoryRound:
    """Switch a cycle's story round on or off (off keeps what was written, and hides it)."""
    found = get_round(cycle.id)
    if found is None:
        found = StoryRound(cycle_id=cycle.id, is_on=is_on)
        db.session.add(found)
    found.is_on = is_on
    db.session.flush()
    audit.record_on("opened" if is_on else "closed", "story_round", cycle.id, user_id)
    return found


def write_story(
    cycle_id: int, title: str, text: str, may_share: bool, submission_token: str, key: str
) -> tuple[Story, str]:
    """Keep a story and return it with its receipt code; sending the same form again gives
    back the same story and code."""
    receipt = story_receipt(key, submission_token)
    kept = get_story_by_token(submission_token)
    if kept is not None:
        return kept, receipt
    story = Story(
        cycle_id=cycle_id,
        title=title,
        text=text,
        may_share=may_share,
        submission_token=submission_token,
        receipt_digest=story_receipt_digest(key, receipt),
    )
    db.session.add(story)
    db.session.flush()
    return story, receipt


def withdraw_story(story: Story) -> None:
    """Delete a story (and any choices of it) at its writer's request."""
    found = get_round(story.cycle_id)
    if found is not None and found.is_done:
        raise StoryError(
            _l("The group has already chosen its story, so this story can no longer be taken out.")
        )
    db.session.delete(story)
    db.session.flush()


def shortlist_story(story: Story, title: str, text: str, user_id: int) -> None:
    """Put a story on the meeting's shortlist in the person's own words, perhaps shortened
    (words and names left out, never added or changed: responses/quoting.py)."""
    if not story.may_share:
        raise StoryError(_l("This story's writer did not agree to it being read out."))
    if not story.is_shortlisted and len(list_shortlist(story.cycle_id)) >= MAX_SHORTLIST:
        raise StoryError(_l("The shortlist can have up to 6 stories. Take one off first."))
    _not_done(story.cycle_id)
    story.shown_title = _own_words(story.title, title, "title")
    story.shown_text = _own_words(story.text, text, "text")
    story.shortlisted_at = story.shortlisted_at or utcnow()
    db.session.flush()
    audit.record("edited", story, user_id, "shortlisted")


class ShortenRefused(StoryError):
    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field


def _own_words(original: str, edited: str, field: str) -> str:
    try:
        return checked_quote(original, edited)
    except NoWords:
        raise ShortenRefused(field, _l("Keep at least a few of the person's words")) from None
    except QuoteRefused:
        raise ShortenRefused(
            field,
            _l(
                "Only leave words out: keep the person's own words in their order, "
                "without adding or changing any"
            ),
        ) from None


def take_off_shortlist(story: Story, user_id: int) -> None:
    _not_done(story.cycle_id)
    story.shortlisted_at = story.shown_title = story.shown_text = None
    db.session.execute(sa.delete(StoryChoice).filter_by(story_id=story.id))
    db.session.flush()
    audit.record("edited", story, user_id, "taken off the shortlist")


def _not_done(cycle_id: int) -> None:
    found = get_round(cycle_id)
    if found is not None and found.is_done:
        raise StoryError(_l("The story choice is done, so the shortlist can no longer change."))


def choose_story(cycle_id: int, voter_digest: str, story_id: int) -> None:
    """One person's pick of one shortlisted story, replacing their earlier pick."""
    _not_done(cycle_id)
    if story_id not in {s.id for s in list_shortlist(cycle_id)}:
        raise StoryError(_l("Choose one of the stories shown"))
    db.session.execute(
        sa.delete(StoryChoice).filter_by(cycle_id=cycle_id, voter_digest=voter_digest)
    )
    db.session.add(StoryChoice(cycle_id=cycle_id, story_id=story_id, voter_digest=voter_digest))
    db.session.flush()


def mark_done(cycle_id: int, user_id: int) -> StoryRound:
    """End choosing on phones: the counts can be read (from k people) and the choice recorded."""
    found = get_round(cycle_id)
    if found is None or not found.is_on:
        raise StoryError(_l("Switch the story round on first."))
    if found.done_at is None:
        found.done_at = utcnow()
        audit.record_on("closed", "story_round", cycle_id, user_id, "story choice done")
    db.session.flush()
    return found


def record_choice(cycle_id: int, story_id: int, reasons: str, user_id: int) -> StoryRound:
    """The group's chosen story and why it chose it; this also marks the story choice done."""
    if story_id not in {s.id for s in list_shortlist(cycle_id)}:
        raise StoryError(_l("Choose one of the shortlisted stories"))
    found = mark_done(cycle_id, user_id)
    found.chosen_story_id = story_id
    found.reasons = reasons
    db.session.flush()
    audit.record_on("edited", "story_round", cycle_id, user_id, "the group's choice recorded")
    return found
