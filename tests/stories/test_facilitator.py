"""The story round in the workspace: switching it on, shortening a story without adding
words, the counts under the small-numbers rule, and the group's choice with its reasons,
which the next summary (web and easy read) shows."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.stories.models import Story
from inquiry.stories.queries import get_round

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields
from .helpers import shortlisted, story_round, votes, write


def _facilitator(app, k=5):
    """A signed-in facilitator's client and their group's open cycle id."""
    with app.app_context():
        group = make_group()
        group.network.min_responses = k
        cycle = make_open_cycle(group)
        user = make_user("facilitator", group.network, [group])
        return cycle.id, group.id, user.email


def _client(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def _post(client, page_url, action, **data):
    page = check_page(client.get(page_url))
    return client.post(action, data={**form_fields(page, action), **data})


def test_the_facilitator_switches_the_round_on_from_the_cycle_page(app):
    cycle_id, _group, email = _facilitator(app)
    client = _client(app, email)
    cycle_page = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    assert cycle_page.find("a", href=f"/workspace/cycles/{cycle_id}/stories")
    url = f"/workspace/cycles/{cycle_id}/stories"
    page = check_page(client.get(url))
    assert "The story round is off" in page.get_text()
    switched = _post(client, url, f"{url}/switch")
    assert switched.status_code == 302
    page = check_page(client.get(url))
    assert "The story round is on." in page.get_text()
    with app.app_context():
        assert get_round(cycle_id).is_on
        from inquiry.core.audit import AuditEvent

        event = db.session.scalar(sa.select(AuditEvent).filter_by(object_type="story_round"))
        assert (event.action, event.object_id) == ("opened", cycle_id)


def test_shortening_keeps_the_writers_words_and_names_can_be_left_out(app):
    cycle_id, _group, email = _facilitator(app)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        story_round(db.session.get(Cycle, cycle_id))
        story, _ = write(cycle_id, text="Before I stayed in. Now, with Alex, I walk.")
        private, _ = write(cycle_id, title="Mine", share=False)
        db.session.commit()
        story_id, private_id = story.id, private.id
    client = _client(app, email)
    round_page = check_page(client.get(f"/workspace/cycles/{cycle_id}/stories"))
    assert round_page.find("a", href=f"/workspace/stories/{story_id}/shortlist")
    assert not round_page.find("a", href=f"/workspace/stories/{private_id}/shortlist")
    assert client.get(f"/workspace/stories/{private_id}/shortlist").status_code == 404
    url = f"/workspace/stories/{story_id}/shortlist"
    added = _post(client, url, url, text="Before I stayed in. Now I walk with my friend Alex.")
    assert added.status_code == 400
    page = check_page(added)
    assert error_summary(page) == [
        "Only leave words out: keep the person's own words in their order, "
        "without adding or changing any"
    ]
    with app.app_context():
        assert db.session.get(Story, story_id).shortlisted_at is None
    kept = _post(client, url, url, text="Before I stayed in. Now [...] I walk.")
    assert kept.status_code == 302
    with app.app_context():
        story = db.session.get(Story, story_id)
        assert story.shown_text == "Before I stayed in. Now […] I walk."
        assert story.text == "Before I stayed in. Now, with Alex, I walk."


def test_counts_wait_for_the_choice_to_be_done_and_for_k_people(app):
    cycle_id, _group, email = _facilitator(app, k=3)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        cycle = db.session.get(Cycle, cycle_id)
        a, b, _c = shortlisted(cycle)
        votes(cycle_id, a, 2)
        votes(cycle_id, b, 1)
    client = _client(app, email)
    url = f"/workspace/cycles/{cycle_id}/stories"
    text = check_page(client.get(url)).get_text()
    assert "3 people have chosen on their phones so far." in text
    assert "Chosen by" not in text
    room = check_page(client.get(f"{url}/room")).get_text()
    assert "chosen by" not in room and "Type the code" in room
    assert _post(client, url, f"{url}/done").status_code == 302
    page = check_page(client.get(url))
    counts = [td.get_text() for td in page.select("table td.num")]
    assert counts == ["2", "1", "0"]  # shown whole, zeros too


def test_fewer_than_k_choices_are_never_shown(app):
    cycle_id, _group, email = _facilitator(app, k=5)
    with app.app_context():
        from inquiry.cycles.models import Cycle
        from inquiry.stories.services import mark_done

        a, _b, _c = shortlisted(db.session.get(Cycle, cycle_id))
        votes(cycle_id, a, 4)
        mark_done(cycle_id, None)
        db.session.commit()
    client = _client(app, email)
    for url in ("stories", "stories/room", "stories/choice"):
        page = check_page(client.get(f"/workspace/cycles/{cycle_id}/{url}"))
        assert not page.select("td.num") and "chosen by" not in page.get_text().lower()
        assert "fewer than 5" in page.get_text()


def test_the_groups_choice_needs_its_reasons_and_reaches_the_next_summary(app):
    cycle_id, group_id, email = _facilitator(app)
    with app.app_context():
        from inquiry.cycles.models import Cycle
        from inquiry.cycles.services import close_cycle

        cycle = db.session.get(Cycle, cycle_id)
        _a, b, _c = shortlisted(cycle)
        close_cycle(cycle)
        db.session.commit()
        chosen_id = b.id
    client = _client(app, email)
    url = f"/workspace/cycles/{cycle_id}/stories/choice"
    refused = _post(client, url, url, story=str(chosen_id), reasons="  ")
    assert refused.status_code == 400
    assert error_summary(check_page(refused)) == ["Write why the group chose this story"]
    with app.app_context():
        assert get_round(cycle_id).chosen_story_id is None
    reasons = "It showed that the walks give people a reason to go out."
    assert _post(client, url, url, story=str(chosen_id), reasons=reasons).status_code == 302
    with app.app_context():
        from inquiry.groups.models import Group

        group = db.session.get(Group, group_id)
        after = make_closed_cycle(
            group, title="Winter", starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 29)
        )
        after_id = after.id
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/stories")).get_text()
    assert "The group's choice" in page and reasons in page
    with app.app_context():
        from bs4 import BeautifulSoup

        from inquiry.cycles.models import Cycle
        from inquiry.reports.render import summary_document

        after = db.session.get(Cycle, after_id)
        summary, _name = summary_document(after, "en_GB")
        easy, _name = summary_document(after, "en_GB", "easy-read")
    summary = BeautifulSoup(summary, "html.parser").get_text()
    assert "The story of change the group chose" in summary
    assert "Story 2" in summary and reasons in summary
    easy = BeautifulSoup(easy, "html.parser").get_text()
    assert "The story we chose" in easy and reasons in easy
    data = client.get(f"/workspace/cycles/{after_id}/summary.json").get_json()
    assert data["story"]["title"] == "Story 2" and data["story"]["reasons"] == reasons
    with app.app_context():
        from inquiry.cycles.models import Cycle

        assert data["story"]["chosen_after"] == db.session.get(Cycle, cycle_id).title


def test_another_groups_facilitator_cannot_see_or_change_its_stories(app):
    cycle_id, _group, _email = _facilitator(app)
    _other_cycle, _other_group, other_email = _facilitator(app)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        (story,) = shortlisted(db.session.get(Cycle, cycle_id), 1)
        story_id = story.id
    client = _client(app, other_email)
    assert client.get(f"/workspace/stories/{story_id}/shortlist").status_code == 404
    token = form_fields(check_page(client.get(f"/workspace/cycles/{_other_cycle}/stories")))
    for url in (
        f"/workspace/stories/{story_id}/shortlist",
        f"/workspace/stories/{story_id}/take-off",
    ):
        assert client.post(url, data={**token, "title": "x", "text": "x"}).status_code == 404
    with app.app_context():
        assert db.session.get(Story, story_id).shown_title == "Story 1"


def test_the_printed_summary_and_easy_read_sheet_carry_the_story_and_its_reasons(app):
    from inquiry.reports.pdf import render_pdf
    from inquiry.reports.render import summary_document

    from ..printing.reading import pdf_text

    reasons = "It gave us hope that things can change."
    with app.app_context():
        before = make_closed_cycle(title="Spring")
        _a, b, _c = shortlisted(before)
        from inquiry.stories.services import record_choice

        record_choice(before.id, b.id, reasons, None)
        db.session.commit()
        after = make_closed_cycle(
            before.group, title="Summer", starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 30)
        )
        for variant in ("", "easy-read"):
            html, _name = summary_document(after, "en_GB", variant)
            read = " ".join(pdf_text(render_pdf(html)).split())
            assert "Story 2" in read and reasons in read, variant
            assert "Things changed for me, part 2." in read, variant
