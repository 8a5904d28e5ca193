"""A member's story round with the test client, as a phone without JavaScript: the offer on
the reflection's pages, writing a story, its receipt, taking it back, and choosing at the
meeting after the cycle closed."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.stories.models import Story, StoryChoice

from ..factories import make_open_cycle
from ..pages import check_page, error_summary, form_fields
from ..reflection import join, send, start
from .helpers import shortlisted, story_round


def _open_round(app, with_shortlist=False):
    with app.app_context():
        cycle = make_open_cycle()
        story_round(cycle)
        if with_shortlist:
            shortlisted(cycle)
        db.session.commit()
        return cycle.id, cycle.active_code("member")


def _stories(app):
    with app.app_context():
        return list(db.session.scalars(sa.select(Story)))


def test_the_reflection_offers_a_story_only_when_the_round_is_on(app, client, cycle):
    page = check_page(join(client, cycle.active_code("member")))
    assert not page.find("a", href="/story")
    _cycle_id, code = _open_round(app)
    page = check_page(join(app.test_client(), code))
    assert page.find("a", href="/story").get_text() == "Tell a story of change"


def test_a_member_writes_a_story_and_is_shown_its_receipt_once(app, client):
    assert len(_write_a_story(app, client)) == 9


def _write_a_story(app, client) -> str:
    _cycle_id, code = _open_round(app)
    join(client, code)
    page = check_page(client.get("/story"))
    assert page.h1.get_text() == "Tell a story of change"
    data = form_fields(page, "/story")
    data.update(title="Walking again", text="I go out now.")
    refused = client.post("/story", data=data)
    assert refused.status_code == 400
    page = check_page(refused)
    assert page.title.string.startswith("Error: ")
    assert error_summary(page) == ["Choose whether we may share your story"]
    assert page.find("textarea").get_text() == "I go out now."  # nothing typed is lost
    assert _stories(app) == []
    data = form_fields(page, "/story")
    data["may_share"] = "yes"
    sent = client.post("/story", data=data)
    assert sent.status_code == 302 and sent.headers["Location"] == "/story/thanks"
    thanks = check_page(client.get("/story/thanks"))
    receipt = thanks.find(class_="receipt").get_text()
    assert len(receipt) == 9
    # Pressing Send again (a second tap) keeps one story and shows the same receipt.
    assert client.post("/story", data=data).status_code == 302
    assert check_page(client.get("/story/thanks")).find(class_="receipt").get_text() == receipt
    (story,) = _stories(app)
    assert (story.title, story.text, story.may_share) == ("Walking again", "I go out now.", True)
    # Shown once: the next person on this phone does not see it.
    assert client.get("/story/thanks").status_code == 302
    return receipt


def test_the_storys_receipt_takes_it_back(app, client):
    receipt = _write_a_story(app, client)
    page = check_page(client.get("/story/withdraw"))
    wrong = client.post(
        "/story/withdraw", data={**form_fields(page, "/story/withdraw"), "receipt": "KKKK-KKKK"}
    )
    assert wrong.status_code == 404 and len(_stories(app)) == 1
    done = client.post(
        "/story/withdraw", data={**form_fields(page, "/story/withdraw"), "receipt": receipt}
    )
    assert done.status_code == 200
    assert check_page(done).h1.get_text() == "Your story has been deleted"
    assert _stories(app) == []


def test_after_sending_the_confirmation_offers_a_story(app, client):
    _cycle_id, code = _open_round(app)
    start(client, code)
    assert send(client).status_code == 302
    page = check_page(client.get("/reflect/done"))
    assert page.find("a", href="/story").get_text() == "Tell a story of change"
    assert client.get("/story").status_code == 200


def test_without_a_code_the_story_page_asks_for_one_and_a_wrong_code_is_refused(app, client):
    assert client.get("/story").headers["Location"] == "/story/code"
    page = check_page(client.get("/story/code"))
    wrong = client.post("/story/code", data={**form_fields(page), "code": "BBB000"})
    assert wrong.status_code == 404
    assert "Check the code" in error_summary(check_page(wrong))[0]


def _choose(client, story_id=None):
    page = check_page(client.get("/story/choose"))
    data = form_fields(page, "/story/choose")
    if story_id is not None:
        data["story"] = str(story_id)
    return client.post("/story/choose", data=data)


def test_the_group_chooses_on_phones_after_the_cycle_closed(app, client):
    cycle_id, code = _open_round(app, with_shortlist=True)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
        ids = [s.id for s in db.session.scalars(sa.select(Story).order_by(Story.id))]
    # The same code, typed or from a link, reaches the choosing after closing.
    entered = client.get(f"/s/{code.lower()}")
    assert entered.headers["Location"] == "/story/choose"
    page = check_page(client.get("/story/choose"))
    assert page.h1.get_text() == "Which story matters most to you?"
    assert len(page.find_all("input", type="radio")) == 3
    refused = _choose(client)
    assert refused.status_code == 400
    assert error_summary(check_page(refused)) == ["Choose one story"]
    assert _choose(client, ids[0]).status_code == 302
    assert _choose(client, ids[1]).status_code == 302  # changed, not added
    page = check_page(client.get("/story/choose?saved=1"))
    assert page.find("input", value=str(ids[1])).has_attr("checked")
    other = app.test_client()
    other.get(f"/s/{code}")
    assert _choose(other, ids[1]).status_code == 302
    hostile = _choose(other, 999999)
    assert hostile.status_code == 400
    with app.app_context():
        choices = db.session.scalars(sa.select(StoryChoice.story_id)).all()
    assert sorted(choices) == [ids[1], ids[1]]


def test_once_the_choice_is_done_phones_are_told_so(app, client):
    cycle_id, code = _open_round(app, with_shortlist=True)
    client.get(f"/s/{code}")
    with app.app_context():
        from inquiry.stories.services import mark_done

        mark_done(cycle_id, None)
        db.session.commit()
    finished = client.get("/story/choose")
    assert finished.status_code == 410
    assert check_page(finished).h1.get_text() == "No stories are being collected now"
    assert client.get("/story").status_code == 410


def test_hostile_or_too_long_stories_are_refused_and_nothing_is_kept(app, client):
    _cycle_id, code = _open_round(app)
    join(client, code)
    page = check_page(client.get("/story"))
    base = {**form_fields(page, "/story"), "may_share": "maybe"}
    too_long = client.post("/story", data={**base, "title": "T" * 81, "text": "x" * 5000})
    assert too_long.status_code == 400
    page = check_page(too_long)
    assert error_summary(page) == [
        "Keep the title to 80 characters or fewer",
        "Keep your story to 2000 characters or fewer",
        "Choose whether we may share your story",
    ]
    assert len(page.find("textarea").get_text()) == 4000  # never echoed past twice the limit
    nul = client.post("/story", data={**base, "title": "\x00", "text": "<script>x</script>\x00"})
    assert nul.status_code == 400 and "<script>x" not in nul.get_data(as_text=True)
    assert _stories(app) == []


def test_on_a_group_tablet_each_person_chooses_once_and_leaves_nothing_behind(app, client):
    import time

    cycle_id, _code = _open_round(app, with_shortlist=True)
    with client.session_transaction() as kept:
        kept["kiosk"] = [cycle_id, "member", int(time.time()) + 3600]
    with app.app_context():
        ids = [s.id for s in db.session.scalars(sa.select(Story).order_by(Story.id))]
    # A story written on the tablet shows no receipt to the next person.
    page = check_page(client.get("/story"))
    data = {**form_fields(page, "/story"), "title": "T", "text": "Words", "may_share": "no"}
    assert client.post("/story", data=data).headers["Location"] == "/story/thanks"
    thanks = check_page(client.get("/story/thanks"))
    assert thanks.find(class_="receipt") is None
    assert "ready for the next person" in thanks.get_text()
    for person, story_id in enumerate((ids[0], ids[0], ids[2])):
        page = check_page(client.get("/story/choose"))
        assert not page.find("input", checked=True), person  # nothing of the one before
        assert _choose(client, story_id).status_code == 302
    with app.app_context():
        choices = sorted(db.session.scalars(sa.select(StoryChoice.story_id)))
    assert choices == [ids[0], ids[0], ids[2]]


def test_the_member_pages_are_in_plain_words(app, client):
    import textstat

    receipt_client = app.test_client()
    _write_a_story(app, receipt_client)
    _cycle_id, code = _open_round(app, with_shortlist=True)
    client.get(f"/s/{code}")
    pages = [client.get(url) for url in ("/story", "/story/choose", "/story/withdraw")]
    pages.append(client.get("/story/code"))
    texts = []
    for response in pages:
        main = check_page(response).find("main")
        texts += [
            p.get_text(" ", strip=True) for p in main.find_all(["p", "h1", "legend", "label"])
        ]
    texts = [t for t in texts if len(t.split()) >= 6]
    assert len(texts) >= 8, texts
    for text in texts:
        assert textstat.flesch_reading_ease(text) >= 70, text


def test_a_story_sent_without_its_token_is_still_kept_once(app, client):
    _cycle_id, code = _open_round(app)
    join(client, code)
    data = {**form_fields(check_page(client.get("/story")), "/story"), "may_share": "no"}
    data.update(title="T", text="Words", submission_token="not-a-token")
    assert client.post("/story", data=data).status_code == 302
    assert len(_stories(app)) == 1


def test_the_reflections_closed_page_leads_to_choosing_a_story(app, client):
    """Someone who types the group's code on the home page after closing is told it closed,
    and one button takes them to the story choosing that is still open."""
    cycle_id, code = _open_round(app, with_shortlist=True)
    with app.app_context():
        from inquiry.cycles.models import Cycle

        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
    closed = client.get(f"/j/{code}")
    assert closed.status_code == 410
    page = check_page(closed)
    assert page.h1.get_text() == "This reflection has closed"
    button = page.find("a", string="Choose the story that matters most")
    assert button is not None
    assert client.get(button["href"]).headers["Location"] == "/story/choose"


def test_the_closed_page_offers_no_story_when_there_is_no_round(app, client):
    with app.app_context():
        cycle = make_open_cycle()
        close_cycle(cycle)
        db.session.commit()
        code = cycle.codes[0].code
    page = check_page(client.get(f"/j/{code}"))
    assert page.find("a", string="Choose the story that matters most") is None
