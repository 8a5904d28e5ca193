"""Setting up a story round as a facilitator and members would, for the story tests."""

from __future__ import annotations

import secrets
import uuid

from inquiry.extensions import db
from inquiry.stories import services
from inquiry.stories.queries import get_round

KEY = "test-link-key"


def story_round(cycle, user_id=None):
    return get_round(cycle.id) or services.switch_round(cycle, True, user_id)


def write(
    cycle_id,
    title="Walking again",
    text="Before I stayed in. Now, with Alex, I walk.",
    *,
    share=True,
):
    """A story as a member sends it; returns (story, receipt)."""
    return services.write_story(cycle_id, title, text, share, str(uuid.uuid4()), KEY)


def shortlisted(cycle, count=3):
    """A round with `count` shared stories, all shortlisted as written."""
    story_round(cycle)
    stories = []
    for i in range(count):
        story, _ = write(
            cycle.id, title=f"Story {i + 1}", text=f"Things changed for me, part {i + 1}."
        )
        services.shortlist_story(story, story.title, story.text, None)
        stories.append(story)
    db.session.commit()
    return stories


def votes(cycle_id, story, n):
    for _ in range(n):
        services.choose_story(cycle_id, secrets.token_hex(32), story.id)
    db.session.commit()
