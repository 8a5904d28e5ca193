"""The three pages that take a group's code (the reflection, the story round, the topics)
share one gate (responses/joining.py) and one code field (core/forms.py): the same words,
the same limits, counted together for one address."""

from __future__ import annotations

import pytest

from inquiry.cycles.models import Cycle
from inquiry.extensions import db

from ..factories import make_closed_cycle, make_open_cycle
from ..pages import check_page, error_summary, form_fields
from ..stories.helpers import story_round

NOT_AN_OPEN_REFLECTION = (
    "We could not find an open reflection with that code. Check the code and try again."
)
NOT_A_GROUP = "We could not find a group with that code. Check the code and try again."
TOO_MANY = (
    "Lots of wrong codes have come from this internet connection. "
    "Wait a few minutes, then try again."
)
# (the page where the code is typed, the poster's link, what a wrong code is told)
PAGES = [
    ("/", "/j/", NOT_AN_OPEN_REFLECTION),
    ("/story/code", "/s/", NOT_A_GROUP),
    ("/topics/code", "/t/", NOT_A_GROUP),
]
PAGE_IDS = ["reflection", "story", "topics"]


def _post(client, url: str, code: str):
    return client.post(url, data={**form_fields(check_page(client.get(url))), "code": code})


def _room(app) -> str:
    """An open cycle with its story round on: every page lets its code in."""
    with app.app_context():
        cycle = make_open_cycle()
        story_round(cycle)
        db.session.commit()
        return cycle.active_code("member")


@pytest.mark.parametrize(("url", "link", "message"), PAGES, ids=PAGE_IDS)
def test_each_page_says_check_the_code_ten_times_then_wait(client, url, link, message):
    for i in range(10):
        wrong = _post(client, url, f"WRONG{i}")
        assert wrong.status_code == 404
    page = check_page(wrong)
    assert error_summary(page) == [message]
    assert page.title.string.startswith("Error:")
    assert page.find("input", attrs={"name": "code"})["value"] == "WRONG9"
    for refused in (_post(client, url, "WRONGX"), client.get(f"{link}WRONGY")):
        assert refused.status_code == 429
        page = check_page(refused)
        assert error_summary(page) == [TOO_MANY]
        assert page.title.string.startswith("Error:")
        assert page.find("input", attrs={"name": "code"})  # the same page, to try again


def test_wrong_codes_count_together_on_all_three_pages(app, client):
    code = _room(app)
    statuses = [_post(client, url, f"WRONG{i}").status_code for i in range(4) for url, *_ in PAGES]
    assert statuses == [404] * 10 + [429] * 2
    # A right code still gets in everywhere, typed or from the poster's link.
    assert _post(client, "/", code).headers["Location"] == "/reflect"
    assert client.get(f"/s/{code}").headers["Location"] == "/story"
    assert _post(client, "/topics/code", code.lower()).headers["Location"] == "/topics"


def test_past_the_guessing_limit_only_the_rooms_code_is_looked_up_on_every_page(app, client):
    rooms_code = _room(app)
    other_code = _room(app)
    assert client.get(f"/j/{rooms_code}").status_code == 302  # the room's code, used here
    statuses = [_post(client, "/", f"WRONG{i}").status_code for i in range(30)]
    assert statuses == [404] * 10 + [429] * 20
    for _url, link, _message in PAGES:
        refused = client.get(f"{link}{other_code}")
        assert refused.status_code == 429
        assert error_summary(check_page(refused)) == [TOO_MANY]
    assert client.get(f"/j/{rooms_code}").headers["Location"] == "/reflect"
    assert client.get(f"/s/{rooms_code}").headers["Location"] == "/story"
    assert client.get(f"/t/{rooms_code}").headers["Location"] == "/topics"


def test_a_real_code_a_page_cannot_use_now_is_never_counted_as_wrong(app, client):
    with app.app_context():
        no_round = make_open_cycle().active_code("member")  # no story round
        closed = make_closed_cycle().active_code("member")
    for _ in range(12):
        assert client.get(f"/s/{no_round}").status_code == 410
        assert client.get(f"/j/{closed}").status_code == 410
    assert _post(client, "/story/code", "WRONG1").status_code == 404
    assert _post(client, "/", "WRONG2").status_code == 404


def test_the_topics_code_works_for_a_closed_cycle_and_keeps_it_for_choosing(app, client):
    from inquiry.agenda.models import AgendaTopic

    with app.app_context():
        cycle = make_closed_cycle()
        db.session.add(AgendaTopic(cycle_id=cycle.id, title="Seaside"))
        db.session.commit()
        code, cycle_id = cycle.active_code("member"), cycle.id
    entered = _post(client, "/topics/code", code)
    assert entered.headers["Location"] == "/topics"
    with client.session_transaction() as session:
        assert session["topics_cycle"] == cycle_id
    choosing = check_page(client.get("/topics"))  # the closed cycle's topics, to choose from
    assert [label.get_text() for label in choosing.select(".check label")] == ["Seaside"]
    with app.app_context():
        assert db.session.get(Cycle, cycle_id).state == "closed"


@pytest.mark.parametrize(("url", "link", "_message"), PAGES, ids=PAGE_IDS)
def test_each_page_asks_for_the_code_in_the_same_words(client, url, link, _message):
    page = check_page(client.get(url))
    label = page.find("label", attrs={"for": "code"})
    assert label.get_text(strip=True) == "Enter your group's code"
    hint = page.find(id=page.find("input", attrs={"name": "code"})["aria-describedby"].split()[0])
    assert hint.get_text(strip=True) == "It has 6 letters and numbers, for example KM4TXR"
    empty = _post(client, url, "   ")
    assert empty.status_code == 400
    assert error_summary(check_page(empty)) == ["Enter your group's code"]
    too_long = _post(client, url, "K" * 21)
    assert too_long.status_code == 400
    assert error_summary(check_page(too_long)) == [
        "Enter the 6 letters and numbers of your group's code"
    ]
    # A refused form is never counted: the eleventh real try is still "check the code".
    for _ in range(10):
        assert _post(client, url, "").status_code == 400
    assert _post(client, url, "WRONG1").status_code == 404
    # A long link is shown back no longer than the field may hold.
    linked = client.get(f"{link}{'A' * 300}")
    assert linked.status_code == 404
    assert check_page(linked).find("input", attrs={"name": "code"})["value"] == "A" * 20
