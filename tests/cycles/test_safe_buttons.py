"""Closing a cycle, replacing a code and reopening go through a page that says what will
happen; reopening is allowed until the summary is printed, or within 7 days of closing."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.core.models import utcnow
from inquiry.cycles.models import Cycle
from inquiry.extensions import db

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields, parse
from ..reflection import answer_page, send, start


def _facilitator_with(app, client, closed: bool = False) -> tuple[int, str]:
    """A signed-in facilitator of a group with one cycle; returns its id and member code."""
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle = make_closed_cycle(group) if closed else make_open_cycle(group)
        found = cycle.id, cycle.active_code("member")
    assert sign_in(client, "f@example.org").status_code == 302
    return found


def _cycle(app, cycle_id: int) -> SimpleNamespace:
    """The cycle as stored now, as plain values."""
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        return SimpleNamespace(
            state=cycle.state,
            closed_at=cycle.closed_at,
            grace_until=cycle.grace_until,
            first_printed_at=cycle.first_printed_at,
            member_code=cycle.active_code("member"),
        )


def _audit(app, cycle_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                sa.select(AuditEvent.action, AuditEvent.detail)
                .where(AuditEvent.object_type == "cycle", AuditEvent.object_id == cycle_id)
                .order_by(AuditEvent.id)
            )
        ]


def _set_times(app, cycle_id: int, **fields) -> None:
    """Move a cycle's stored times (the clock the rules are read against is the real one)."""
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        for name, value in fields.items():
            setattr(cycle, name, value)
        db.session.commit()


def test_the_cycle_page_has_no_one_click_close_or_replace(app, client):
    cycle_id, _code = _facilitator_with(app, client)
    url = f"/workspace/cycles/{cycle_id}"
    page = check_page(client.get(url))
    actions = [form["action"] for form in page.select("main form")]
    assert f"{url}/close" not in actions and f"{url}/codes/member/replace" not in actions
    main = page.find("main")
    close = main.find("a", string="Close this cycle")
    assert close.find_previous("table") is not None  # the codes come first
    assert close["href"] == f"{url}/close"
    # It comes after everything else the page offers, under its own heading.
    assert close.find_previous("h2").get_text() == "Closing the reflection"
    assert close.find_previous("h2").find_previous("h2").get_text() == "Summary"


def test_closing_says_what_will_happen_and_lets_people_part_way_through_send(app, client):
    cycle_id, code = _facilitator_with(app, client)
    url = f"/workspace/cycles/{cycle_id}/close"
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Close the reflection?"
    text = page.find("main").get_text(" ", strip=True)
    assert "posters and their QR codes stop working" in text
    assert "can still send their answers for the time you choose" in text
    choices = {
        i["value"]: page.find("label", attrs={"for": i["id"]}).get_text()
        for i in page.select("input[name=grace]")
    }
    assert choices == {
        "0": "No extra time: answers not sent yet are not kept",
        "1": "1 hour",
        "24": "24 hours",
        "72": "3 days",
    }
    assert page.select_one("input[name=grace][checked]")["value"] == "24"
    assert page.select_one("main form button.button").get_text() == "Close the reflection"
    assert _cycle(app, cycle_id).state == "open"  # looking at the page changes nothing

    fields = form_fields(page, url)
    for bad in ({"grace": ""}, {"grace": "5"}, {"grace": "-24"}):
        refused = client.post(url, data={**fields, **bad})
        assert refused.status_code == 400
        assert error_summary(check_page(refused))
        assert parse(refused).title.get_text().startswith("Error:")
        assert _cycle(app, cycle_id).state == "open"
    assert client.post(url, data={**fields, "csrf_token": "x"}).status_code == 400
    assert _cycle(app, cycle_id).state == "open"

    before = utcnow()
    closed = client.post(url, data={**fields, "grace": "1"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/cycles/{cycle_id}")
    cycle = _cycle(app, cycle_id)
    assert cycle.state == "closed" and cycle.closed_at >= before
    assert cycle.grace_until == cycle.closed_at + timedelta(hours=1)
    shown = check_page(client.get(closed.headers["Location"]))
    assert "People who had started can send their answers until" in shown.get_text()
    assert _audit(app, cycle_id)[-1] == ("closed", "grace 1h")
    # The code now says the reflection has closed; closing again is refused.
    assert app.test_client().get(f"/j/{code}").status_code == 410
    assert client.post(url, data={**fields, "grace": "1"}).status_code == 409
    assert client.get(url).status_code == 302  # a stale link goes back to the cycle


def test_replacing_a_code_is_confirmed_and_people_who_joined_keep_their_answers(app, client):
    cycle_id, old = _facilitator_with(app, client)
    member = app.test_client()
    start(member, old)
    answer_page(member, 1, {"q-shared_aims-know_aims": "4"})
    url = f"/workspace/cycles/{cycle_id}/codes/member/replace"
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Replace the code for group members?"
    text = page.find("main").get_text(" ", strip=True)
    assert f"The code {old} stops working straight away" in text
    assert "keep their answers and can still send them" in text
    assert page.select_one("main form button").get_text() == "Replace the code"
    assert _cycle(app, cycle_id).member_code == old
    assert client.post(url, data={}).status_code == 400  # no token: nothing happens
    replaced = client.post(url, data=form_fields(page, url))
    assert replaced.status_code == 302
    new = _cycle(app, cycle_id).member_code
    assert new != old
    assert app.test_client().get(f"/j/{old}").status_code == 404
    assert app.test_client().get(f"/j/{new}").status_code == 302
    assert send(member).headers["Location"].endswith("/reflect/done")
    assert _audit(app, cycle_id)[-1] == ("replaced_code", "member")
    assert client.get(f"/workspace/cycles/{cycle_id}/codes/nobody/replace").status_code == 404


def test_a_closed_cycle_reopens_until_printed_or_within_seven_days(app, client):
    cycle_id, code = _facilitator_with(app, client, closed=True)
    url = f"/workspace/cycles/{cycle_id}/reopen"
    shown = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    assert shown.find("a", string="Open the reflection again")["href"] == url
    # Closed 30 days ago, never printed: it may reopen.
    long_ago = utcnow() - timedelta(days=30)
    _set_times(app, cycle_id, closed_at=long_ago)
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Open the reflection again?"
    assert page.select_one("main form button.button").get_text() == "Open the reflection again"
    reopened = client.post(url, data=form_fields(page, url))
    assert reopened.status_code == 302
    cycle = _cycle(app, cycle_id)
    assert cycle.state == "open" and cycle.closed_at is None and cycle.grace_until is None
    assert app.test_client().get(f"/j/{code}").status_code == 302  # the posters work again
    assert _audit(app, cycle_id)[-1] == ("opened", "reopened")
    assert client.post(url, data=form_fields(page, url)).status_code == 409  # already open

    # Printed, but closed 6 days ago: it may still reopen, and the page warns.
    with app.app_context():
        from inquiry.cycles.services import close_and_start_summary

        close_and_start_summary(db.session.get(Cycle, cycle_id), ("en_GB",))
        db.session.commit()
    _set_times(app, cycle_id, closed_at=utcnow() - timedelta(days=6), first_printed_at=utcnow())
    page = check_page(client.get(url))
    assert "Its summary has already been printed" in page.get_text()
    assert page.find("form", action=url) is not None

    # Printed and closed 8 days ago: it stays closed, and the page says why.
    _set_times(app, cycle_id, closed_at=utcnow() - timedelta(days=8))
    page = check_page(client.get(url))
    assert page.h1.get_text() == "This reflection cannot be opened again"
    assert "closed more than 7 days ago" in page.get_text()
    assert page.find("form", action=url) is None
    token = page.find("input", attrs={"name": "csrf_token"})["value"]  # the sign-out form's
    assert client.post(url, data={"csrf_token": token}).status_code == 409
    assert _cycle(app, cycle_id).state == "closed"


def test_the_first_print_of_a_final_summary_is_recorded_once(app, client):
    cycle_id, _code = _facilitator_with(app, client)
    close = f"/workspace/cycles/{cycle_id}/close"
    fields = form_fields(check_page(client.get(close)), close)
    assert client.post(close, data={**fields, "grace": "24"}).status_code == 302
    pdf = f"/workspace/cycles/{cycle_id}/summary.pdf"
    client.get(pdf)  # late answers may still arrive: not the group's final figures
    assert _cycle(app, cycle_id).first_printed_at is None
    ended = utcnow() - timedelta(minutes=1)
    _set_times(app, cycle_id, closed_at=ended - timedelta(hours=24), grace_until=ended)
    client.get(pdf + "?variant=large-print")
    first = _cycle(app, cycle_id).first_printed_at
    assert first is not None
    client.get(pdf)  # printing again later leaves the first print's time
    assert _cycle(app, cycle_id).first_printed_at == first
