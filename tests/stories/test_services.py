"""The story round's rules, on a real database: consent, the shortlist, the words read out,
one choice per person, the choice done, and nothing that ties a story to its writer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from inquiry.core.models import utcnow
from inquiry.extensions import db
from inquiry.stories import services
from inquiry.stories.counts import choice_counts
from inquiry.stories.models import Story, StoryChoice
from inquiry.stories.queries import (
    count_choices,
    get_chosen_story,
    get_story_by_receipt,
    list_network_chosen_stories,
    may_choose,
    may_write,
)

from ..factories import make_closed_cycle, make_open_cycle
from .helpers import KEY, shortlisted, story_round, votes, write


def test_writing_is_open_only_while_the_cycle_is_open_and_the_round_is_on(ctx):
    cycle = make_open_cycle()
    assert not may_write(cycle)
    story_round(cycle)
    assert may_write(cycle)
    services.switch_round(cycle, False, None)
    assert not may_write(cycle)
    closed = make_closed_cycle()
    story_round(closed)
    assert not may_write(closed)


def test_sending_the_same_story_twice_keeps_one_and_gives_the_same_receipt(ctx):
    cycle = make_open_cycle()
    story_round(cycle)
    token = "0" * 36
    first, receipt = services.write_story(cycle.id, "T", "Words", True, token, KEY)
    again, receipt_again = services.write_story(cycle.id, "T", "Words", True, token, KEY)
    assert first.id == again.id and receipt == receipt_again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Story)) == 1


def test_a_story_keeps_nothing_that_ties_it_to_anyones_answers(ctx):
    columns = set(Story.__table__.columns.keys())
    assert not columns & {"response_id", "audience", "created_at", "submitted_at", "language"}
    cycle = make_open_cycle()
    story_round(cycle)
    _story, receipt = write(cycle.id)
    # Its own receipt code, not the reflection's: the reflection's digest finds nothing.
    from inquiry.responses.linking import receipt_digest

    assert get_story_by_receipt(receipt_digest(KEY, receipt)) is None
    found = get_story_by_receipt(services.story_receipt_digest(KEY, receipt.lower()))
    assert found is not None


def test_only_stories_people_agreed_to_share_are_shortlisted_even_in_the_database(ctx):
    cycle = make_open_cycle()
    story_round(cycle)
    private, _ = write(cycle.id, share=False)
    db.session.commit()
    with pytest.raises(services.StoryError):
        services.shortlist_story(private, private.title, private.text, None)
    story = db.session.get(Story, private.id)
    story.shortlisted_at, story.shown_title, story.shown_text = utcnow(), "x", "x"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_words_read_out_are_the_writers_own_with_some_left_out(ctx):
    cycle = make_open_cycle()
    story_round(cycle)
    story, _ = write(
        cycle.id, title="Walking again", text="Before I stayed in. Now, with Alex, I walk."
    )
    services.shortlist_story(story, "Walking again", "Before I stayed in. Now […] I walk.", None)
    assert story.shown_text == "Before I stayed in. Now […] I walk."
    assert story.text == "Before I stayed in. Now, with Alex, I walk."  # the original stays
    for added in ("Before I stayed in. Now I walk every day.", "Now I walk. Before I stayed in."):
        with pytest.raises(services.ShortenRefused) as refused:
            services.shortlist_story(story, "Walking again", added, None)
        assert refused.value.field == "text"
    with pytest.raises(services.ShortenRefused) as refused:
        services.shortlist_story(story, "Running again", story.text, None)
    assert refused.value.field == "title"
    with pytest.raises(services.ShortenRefused):
        services.shortlist_story(story, "Walking again", "[…]", None)


def test_the_shortlist_holds_up_to_six(ctx):
    cycle = make_open_cycle()
    stories = shortlisted(cycle, 6)
    seventh, _ = write(cycle.id)
    with pytest.raises(services.StoryError):
        services.shortlist_story(seventh, seventh.title, seventh.text, None)
    # Changing the words of one already shortlisted is still fine.
    services.shortlist_story(stories[0], stories[0].title, stories[0].text, None)


def test_one_choice_per_person_which_they_may_change(ctx):
    cycle = make_open_cycle()
    a, b, _c = shortlisted(cycle)
    services.choose_story(cycle.id, "me", a.id)
    services.choose_story(cycle.id, "me", b.id)
    services.choose_story(cycle.id, "you", b.id)
    assert count_choices(cycle.id) == {b.id: 2}
    with pytest.raises(IntegrityError):  # the database keeps one per person too
        db.session.add(StoryChoice(cycle_id=cycle.id, story_id=a.id, voter_digest="me"))
        db.session.flush()
    db.session.rollback()


def test_a_story_not_shortlisted_or_of_another_cycle_cannot_be_chosen(ctx):
    cycle, other = make_open_cycle(), make_open_cycle()
    shortlisted(cycle)
    (theirs,) = shortlisted(other, 1)
    not_listed, _ = write(cycle.id)
    for story in (theirs, not_listed):
        with pytest.raises(services.StoryError):
            services.choose_story(cycle.id, "me", story.id)


def test_choosing_stays_open_after_closing_until_the_choice_is_done(ctx):
    from inquiry.cycles.services import close_cycle

    cycle = make_open_cycle()
    a, b, _c = shortlisted(cycle)
    close_cycle(cycle)
    assert may_choose(cycle)
    services.choose_story(cycle.id, "me", a.id)
    services.record_choice(cycle.id, b.id, "It showed us what the walks are for.", None)
    assert not may_choose(cycle)
    with pytest.raises(services.StoryError):
        services.choose_story(cycle.id, "you", a.id)
    with pytest.raises(services.StoryError):  # the shortlist is fixed now
        services.take_off_shortlist(a, None)
    with pytest.raises(services.StoryError):  # and a story can no longer be taken back
        services.withdraw_story(a)
    chosen = get_chosen_story(cycle.id)
    assert (chosen.title, chosen.reasons) == (b.shown_title, "It showed us what the walks are for.")


def test_taking_a_story_back_takes_its_choices_with_it(ctx):
    cycle = make_open_cycle()
    a, _b, _c = shortlisted(cycle)
    votes(cycle.id, a, 2)
    services.withdraw_story(db.session.get(Story, a.id))
    db.session.commit()
    assert count_choices(cycle.id) == {}


def test_counts_are_shown_whole_only_once_done_and_from_k_people():
    ids = [1, 2, 3]
    assert choice_counts(ids, {1: 3, 2: 2}, 5, done=False).by_story is None
    assert choice_counts(ids, {1: 3, 2: 1}, 5, done=True).by_story is None  # 4 < k
    shown = choice_counts(ids, {1: 3, 2: 2}, 5, done=True)
    assert shown.by_story == {1: 3, 2: 2, 3: 0} and shown.choosers == 5
    # A choice of a story no longer shortlisted counts for nobody.
    assert choice_counts([1], {1: 4, 9: 1}, 5, done=True).by_story is None


def test_the_network_sees_each_groups_chosen_story_with_reasons(ctx):
    cycle = make_open_cycle()
    a, _b, _c = shortlisted(cycle)
    other_network = make_open_cycle()
    (theirs,) = shortlisted(other_network, 1)
    services.record_choice(cycle.id, a.id, "Because it is hopeful.", None)
    services.record_choice(other_network.id, theirs.id, "Theirs.", None)
    found = list_network_chosen_stories(cycle.group.network_id)
    assert [(s.group_name, s.title, s.reasons) for s in found] == [
        (cycle.group.name, "Story 1", "Because it is hopeful.")
    ]
