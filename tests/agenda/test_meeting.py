"""The agenda meets the meeting: after the cycle closes, members still choose topics on
their phones (same code, no JavaScript) until the facilitator marks the meeting held; the
room page shows the shortlist, and how many chose each topic only once k or more chose."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from inquiry.agenda.models import AgendaTopic
from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.extensions import db

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields

K = 3


def _closed_with_topics(app):
    with app.app_context():
        group = make_group(make_network(min_responses=K), name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle = make_closed_cycle(group)
        topics = [AgendaTopic(cycle_id=cycle.id, title=t) for t in ("Seaside", "Cooking")]
        db.session.add_all(topics)
        db.session.commit()
        return cycle.id, cycle.active_code("member"), [t.id for t in topics]


def _choose(app, code: str, topic_ids: list[int]):
    member = app.test_client()
    entered = member.get(f"/t/{code}")
    assert entered.status_code == 302 and entered.location.endswith("/topics")
    page = check_page(member.get("/topics"))
    data = {**form_fields(page, "/topics"), "topics": [str(i) for i in topic_ids]}
    return member, member.post("/topics", data=data)


def _room(client, cycle_id):
    return check_page(client.get(f"/workspace/cycles/{cycle_id}/agenda/room"))


def _votes(app, cycle_id):
    out = app.test_cli_runner().invoke(args=["report", str(cycle_id)]).output
    return [a["votes"] for a in json.loads(out)["agenda"]]


def test_members_choose_after_closing_and_the_room_counts_from_k(app, client):
    cycle_id, code, (seaside, cooking) = _closed_with_topics(app)
    assert sign_in(client, "f@example.org").status_code == 302
    # A member who types the code on the page the room shows.
    member = app.test_client()
    page = check_page(member.get("/topics/code"))
    wrong = member.post("/topics/code", data={**form_fields(page), "code": "NOPE99"})
    assert wrong.status_code == 404
    assert error_summary(check_page(wrong)) == [
        "We could not find a group with that code. Check the code and try again."
    ]
    for chosen in ([seaside], [seaside, cooking]):  # k - 1 people
        _member, saved = _choose(app, code, chosen)
        assert saved.status_code == 302
    room = _room(client, cycle_id)
    text = " ".join(room.get_text().split())
    assert "2 people have chosen so far." in text
    assert "How many chose each topic shows once at least 3 people have chosen." in text
    assert "chosen by" not in text
    assert [li.bdi.get_text() for li in room.select("ol.room-topics li")] == ["Seaside", "Cooking"]
    assert code in room.select_one(".room-code").get_text()
    # No JavaScript needed: a link fetches the latest counts; the script only reloads.
    assert room.find("a", href=f"/workspace/cycles/{cycle_id}/agenda/room")
    assert room.find("script", src=lambda s: s and "agenda-room.js" in s)
    _member, saved = _choose(app, code, [cooking])  # the k-th
    assert saved.status_code == 302
    room = _room(client, cycle_id)
    counts = [" ".join(li.get_text(" ").split()) for li in room.select("ol.room-topics li")]
    assert counts == ["Seaside chosen by 2 people", "Cooking chosen by 2 people"]
    # The summary waits for the meeting: counts that could still change are never printed.
    assert _votes(app, cycle_id) == [None, None]


def test_marking_the_meeting_held_ends_choosing_and_the_summary_shows_the_counts(app, client):
    cycle_id, code, (seaside, cooking) = _closed_with_topics(app)
    assert sign_in(client, "f@example.org").status_code == 302
    members = [_choose(app, code, [seaside])[0] for _ in range(K)]
    url = f"/workspace/cycles/{cycle_id}/agenda/held"
    agenda = check_page(client.get(f"/workspace/cycles/{cycle_id}/agenda"))
    assert agenda.find("a", href=url).get_text() == "Mark the meeting held"
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Mark the meeting held?"
    assert client.post(url, data={}).status_code == 400  # no token: nothing changes
    with app.app_context():
        assert db.session.get(Cycle, cycle_id).meeting_held_at is None
    done = client.post(url, data=form_fields(confirm, url))
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Cycle, cycle_id).meeting_held_at is not None
        [event] = db.session.scalars(
            sa.select(AuditEvent).filter_by(object_type="cycle", detail="meeting held")
        ).all()
        assert event.action == "edited"
    # Choosing has ended: a phone is told so, and nothing it sends counts.
    ended = members[0].get("/topics")
    assert ended.status_code == 410
    assert check_page(ended).h1.get_text() == "Choosing has ended"
    sent = members[0].post("/topics", data={"topics": [str(cooking)]})
    assert sent.status_code == 410
    # The shortlist stays as it was.
    agenda_url = f"/workspace/cycles/{cycle_id}/agenda"
    agenda = check_page(client.get(agenda_url))
    assert "Choosing has ended." in agenda.get_text()
    assert agenda.find("input", attrs={"name": "title"}) is None
    refused = client.post(agenda_url, data={**form_fields(agenda), "title": "Late topic"})
    assert refused.status_code == 400
    assert _votes(app, cycle_id) == [3, 0]
    # Marking it again changes nothing.
    assert client.get(url).status_code == 302


def test_the_room_script_honours_reduced_motion():
    script = Path(__file__).parents[2] / "inquiry" / "static" / "agenda-room.js"
    text = script.read_text()
    assert "prefers-reduced-motion: reduce" in text and "location.reload" in text


def test_an_old_meetings_code_never_hides_the_next_cycles_topics(app):
    from datetime import date

    from inquiry.core.models import utcnow

    from ..factories import make_open_cycle

    cycle_id, code, _topics = _closed_with_topics(app)
    with app.app_context():
        before = db.session.get(Cycle, cycle_id)
        before.meeting_held_at = utcnow()
        after = make_open_cycle(
            before.group, title="Next", starts_on=date(2027, 1, 1), ends_on=date(2027, 2, 1)
        )
        db.session.add(AgendaTopic(cycle_id=after.id, title="Allotment open day"))
        db.session.commit()
        next_code = after.active_code("member")
    member = app.test_client()
    assert member.get(f"/t/{code}").headers["Location"] == "/topics"
    assert member.get("/topics").status_code == 410  # that meeting is over
    assert member.get(f"/j/{next_code}").headers["Location"] == "/reflect"
    page = check_page(member.get("/topics"))
    assert [label.get_text() for label in page.select(".check label")] == ["Allotment open day"]
