"""Phones and tablets passed round the room: the next person finds nothing of the last one.

"Not you? Start fresh" whenever answers are carried on; the receipt shown once; "Finish, and
hand over the phone"; "Carry on" back to the step reached; the browser's Back after sending;
and a group tablet (kiosk) set up from the workspace with a one-time code.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import textstat

from inquiry.agenda.models import AgendaTopic, AgendaVote
from inquiry.core.models import utcnow
from inquiry.extensions import db
from inquiry.groups.models import Group
from inquiry.responses.models import Draft, KioskCode, Response

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields, parse
from ..reflection import (
    answer_page,
    has_start_fresh,
    join,
    send,
    start,
    start_fresh,
    step_count,
)

TOPICS = ("A trip to the seaside", "Cooking on a budget", "More time to chat")


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _add_topics(app, cycle_id: int) -> None:
    with app.app_context():
        for title in TOPICS:
            db.session.add(AgendaTopic(cycle_id=cycle_id, title=title))
        db.session.commit()


def _choose(client, titles) -> None:
    page = check_page(client.get("/topics"))
    boxes = {label.get_text(): label["for"] for label in page.select(".check label")}
    values = [page.find("input", id=boxes[title])["value"] for title in titles]
    chosen = client.post("/topics", data={**form_fields(page), "topics": values})
    assert chosen.status_code == 302


def _chosen(client) -> list[str]:
    page = check_page(client.get("/topics"))
    return [
        page.find("label", attrs={"for": box["id"]}).get_text()
        for box in page.select("input[type=checkbox][checked]")
    ]


def _ticked(page) -> list[str]:
    return [r["name"] for r in page.select("input[type=radio][checked]")]


def _main_button(page) -> str:
    return page.find("main").find("form").find("button").get_text()


# Not you? Start fresh -------------------------------------------------------------------


def test_not_you_start_fresh_throws_the_draft_away_and_starts_clean(app, client, cycle):
    _add_topics(app, cycle.id)
    code = cycle.active_code("member")
    start(client, code)
    answer_page(client, 1, {"q-shared_aims-know_aims": "5"})
    _choose(client, TOPICS[:2])
    client.set_cookie("inquiry_lang", "en_GB")  # as if they had chosen a language
    # The next person opens the group's link on the same phone.
    again = check_page(join(client, code))
    assert _main_button(again) == "Carry on"
    assert has_start_fresh(again)
    fresh = start_fresh(client, again)
    assert fresh.status_code == 302 and fresh.headers["Location"].endswith("/reflect")
    for name in ("inquiry_resume", "inquiry_voter", "inquiry_lang"):
        assert client.get_cookie(name) is None, name
    page = check_page(client.get("/reflect"))
    assert _main_button(page) == "Start now"
    assert not has_start_fresh(page)
    with app.app_context():
        assert _count(Draft) == 0  # thrown away, not sent
        assert _count(Response) == 0
        assert _count(AgendaVote) == 2  # the first person's choices still count
    start(client, code)
    assert _ticked(check_page(client.get("/reflect/1"))) == []
    assert _chosen(client) == []


def test_start_fresh_is_offered_on_a_step_reached_by_resume(app, client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "5"})
    # Carrying on in the same browser session: nothing to offer.
    assert not has_start_fresh(check_page(client.get("/reflect/2")))
    # The browser was closed and opened again (only the long-lived cookie is left).
    other = app.test_client()
    other.set_cookie("inquiry_resume", client.get_cookie("inquiry_resume").value)
    resumed = check_page(other.get("/reflect/1"))
    assert has_start_fresh(resumed)
    assert _ticked(resumed) == ["q-shared_aims-know_aims"]
    assert not has_start_fresh(check_page(other.get("/reflect/1")))
    # A draft left untouched a while, in the same session (a phone passed on).
    with app.app_context():
        db.session.execute(sa.update(Draft).values(updated_at=utcnow() - timedelta(minutes=30)))
        db.session.commit()
    idle = check_page(other.get("/reflect/3"))
    assert has_start_fresh(idle)
    assert start_fresh(other, idle).headers["Location"].endswith("/reflect")
    assert other.get("/reflect/1").status_code == 410  # nothing left to carry on
    with app.app_context():
        assert _count(Draft) == 0


def test_start_fresh_needs_the_pages_own_token_and_changes_nothing_without_it(app, client, cycle):
    start(client, cycle.active_code("member"))
    refused = client.post("/reflect/fresh", data={"csrf_token": "forged"})
    assert refused.status_code == 400
    assert "Go back and try again" in check_page(refused).get_text()
    assert client.get_cookie("inquiry_resume") is not None
    with app.app_context():
        assert _count(Draft) == 1
    assert _main_button(check_page(client.get("/reflect"))) == "Carry on"


# Carry on, and Back after sending -------------------------------------------------------


def test_carry_on_returns_to_the_step_reached(app, client, cycle):
    code = cycle.active_code("member")
    start(client, code)
    for number in (1, 2, 3):
        assert (
            answer_page(client, number, {}).headers["Location"].endswith(f"/reflect/{number + 1}")
        )
    # Back to step 2 to change something, then away: the place is not lost.
    answer_page(client, 4, {}, go="back")
    answer_page(client, 3, {}, go="back")
    carry_on = check_page(join(client, code))
    assert _main_button(carry_on) == "Carry on"
    assert has_start_fresh(carry_on)
    went = client.post("/reflect", data=form_fields(carry_on))
    assert went.headers["Location"].endswith("/reflect/4")
    # The step reached offers a fresh start too (it was reached by carrying on).
    assert has_start_fresh(check_page(client.get("/reflect/4")))
    total = step_count(client)
    answer_page(client, total - 1, {})  # "Before you send" leads to "Check your answers"
    went = client.post("/reflect", data=form_fields(check_page(join(client, code))))
    assert went.headers["Location"].endswith(f"/reflect/{total}")


def test_the_receipt_is_shown_once_and_back_after_sending_shows_the_confirmation(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    total = step_count(client)
    sent = send(client)
    assert sent.headers["Location"].endswith("/reflect/done")
    first = check_page(client.get("/reflect/done"))
    assert first.find(class_="receipt") is not None
    again = check_page(client.get("/reflect/done"))
    assert again.find(class_="receipt") is None
    assert "Thank you, your answers have been sent" in again.h1.get_text()
    assert "We showed the receipt code only once" in again.get_text()
    # The browser's Back: the check page and any step lead to the confirmation.
    for number in (total, 3):
        back = client.get(f"/reflect/{number}")
        assert back.status_code == 302 and back.headers["Location"].endswith("/reflect/done")
    back = client.post("/reflect/send", data={"csrf_token": "old", "submission_token": "x" * 36})
    assert back.headers["Location"].endswith("/reflect/done")


def test_finish_and_hand_over_the_phone_leaves_nothing_of_the_first_person(app, client, cycle):
    _add_topics(app, cycle.id)
    code = cycle.active_code("member")
    start(client, code)
    answer_page(client, 1, {"q-shared_aims-know_aims": "5"})
    _choose(client, TOPICS[:1])
    send(client)
    done = check_page(client.get("/reflect/done"))
    button = done.find("form", action="/reflect/finish").find("button")
    assert button.get_text() == "Finish, and hand over the phone"
    finished = client.post("/reflect/finish", data=form_fields(done, "/reflect/finish"))
    assert finished.headers["Location"].endswith("/reflect")  # the group's fresh start page
    for name in ("inquiry_resume", "inquiry_voter", "inquiry_lang"):
        assert client.get_cookie(name) is None, name
    page = check_page(client.get("/reflect"))
    assert _main_button(page) == "Start now" and not has_start_fresh(page)
    # No receipt to open again, and Back no longer shows the first person's confirmation.
    assert client.get("/reflect/done").headers["Location"].endswith("/")
    assert client.get("/reflect/3").status_code == 410
    assert _chosen(client) == []
    start(client, code)
    assert _ticked(check_page(client.get("/reflect/1"))) == []


def test_finish_needs_the_pages_own_token(client, cycle):
    start(client, cycle.active_code("member"))
    send(client)
    client.get("/reflect/done")
    client.set_cookie("inquiry_lang", "en_GB")
    refused = client.post("/reflect/finish", data={"csrf_token": "forged"})
    assert refused.status_code == 400
    assert client.get_cookie("inquiry_lang") is not None
    assert client.get("/reflect/done").status_code == 200  # still this person's confirmation


# A group tablet (kiosk) -----------------------------------------------------------------


def _facilitator(app, cycle) -> None:
    with app.app_context():
        group = db.session.get(Group, cycle.group_id)
        make_user("facilitator", group.network, [group], email="tablet@example.org")


def _make_tablet_code(client, cycle_id: int, audience: str = "member"):
    show = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    form = show.find("form", action=f"/workspace/cycles/{cycle_id}/kiosk")
    data = {**form_fields(show, form["action"])}
    data["audience"] = audience
    return client.post(form["action"], data=data)


def _csrf(page) -> str:
    return page.find("input", attrs={"name": "csrf_token"})["value"]


def _tablet_code(page) -> str:
    return page.find("strong", class_="code").get_text()


def test_a_facilitator_makes_a_one_time_tablet_code(app, client, cycle):
    _facilitator(app, cycle)
    assert sign_in(client, "tablet@example.org").status_code == 302
    made = _make_tablet_code(client, cycle.id)
    assert made.status_code == 200
    page = check_page(made)
    assert page.h1.get_text() == "Set up a group tablet"
    code = _tablet_code(page)
    assert len(code) == 9 and code[4] == "-"
    assert f"/k/{code.replace('-', '')}" in page.find("span", class_="link-text").get_text()
    assert page.find("img", alt="QR code of the tablet link")["src"].startswith("data:image/svg")
    with app.app_context():
        [stored] = db.session.scalars(sa.select(KioskCode))
        assert code.replace("-", "") not in stored.code_digest  # only a keyed hash is kept
        assert stored.used_at is None and stored.audience == "member"
    # The tablet opens the link: nothing is used up until its button is pressed.
    tablet = app.test_client()
    link = check_page(tablet.get(f"/k/{code.replace('-', '')}"))
    assert link.find("input", attrs={"name": "code"})["value"] == code.replace("-", "")
    used = tablet.post("/kiosk", data=form_fields(link))
    assert used.headers["Location"].endswith("/reflect")
    # Once only.
    again = app.test_client()
    page = check_page(again.get("/kiosk"))
    refused = again.post("/kiosk", data={**form_fields(page), "code": code})
    assert refused.status_code == 404
    assert error_summary(check_page(refused))[0].startswith("This tablet code does not work.")


def test_a_tablet_code_expires_and_is_only_for_open_cycles(app, client, cycle):
    _facilitator(app, cycle)
    sign_in(client, "tablet@example.org")
    code = _tablet_code(check_page(_make_tablet_code(client, cycle.id)))
    with app.app_context():
        db.session.execute(sa.update(KioskCode).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    tablet = app.test_client()
    page = check_page(tablet.get("/kiosk"))
    assert tablet.post("/kiosk", data={**form_fields(page), "code": code}).status_code == 404
    with app.app_context():
        group = db.session.get(Group, cycle.group_id)
        closed = make_closed_cycle(group).id
    show = check_page(client.get(f"/workspace/cycles/{closed}"))
    assert show.find("form", action=f"/workspace/cycles/{closed}/kiosk") is None
    forced = client.post(
        f"/workspace/cycles/{closed}/kiosk", data={"csrf_token": _csrf(show), "audience": "member"}
    )
    assert forced.status_code == 409


def test_only_the_groups_own_staff_make_tablet_codes(app, client, cycle):
    token = {"csrf_token": _csrf(check_page(client.get("/"))), "audience": "member"}
    signed_out = client.post(f"/workspace/cycles/{cycle.id}/kiosk", data=token)
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]
    with app.app_context():
        other = make_open_cycle()
        make_user("facilitator", other.group.network, [other.group], email="else@example.org")
    sign_in(client, "else@example.org")
    show = check_page(client.get("/workspace/"))
    data = {"csrf_token": _csrf(show), "audience": "member"}
    assert client.post(f"/workspace/cycles/{cycle.id}/kiosk", data=data).status_code == 404
    with app.app_context():
        assert _count(KioskCode) == 0


def test_wrong_tablet_codes_are_rate_limited(client):
    data = form_fields(check_page(client.get("/kiosk")))
    statuses = [
        client.post("/kiosk", data={**data, "code": f"AAAA-AAA{i}"}).status_code for i in range(6)
    ]
    assert statuses == [404] * 5 + [429]


def _tablet(app, client, cycle):
    """A facilitator sets up the tablet on the tablet itself; returns the tablet's client."""
    _facilitator(app, cycle)
    sign_in(client, "tablet@example.org")
    page = check_page(_make_tablet_code(client, cycle.id))
    used = client.post("/kiosk", data=form_fields(page, "/kiosk"))
    assert used.headers["Location"].endswith("/reflect")
    return client


def test_setting_up_this_device_as_the_tablet_signs_the_facilitator_out(app, client, cycle):
    tablet = _tablet(app, client, cycle)
    assert "/sign-in" in tablet.get(f"/workspace/cycles/{cycle.id}").headers["Location"]
    assert tablet.get("/").headers["Location"].endswith("/reflect")  # stays on its reflection


def test_a_tablet_round_trip_leaves_nothing_of_each_person(app, client, cycle):
    _add_topics(app, cycle.id)
    tablet = _tablet(app, client, cycle)
    first = check_page(tablet.get("/reflect"))
    assert _main_button(first) == "Start now" and not has_start_fresh(first)
    assert "This tablet is shared." in first.get_text()
    # The first person: a language, a topic, some answers, and sends.
    tablet.get("/language/ro?next=/reflect")
    _choose(tablet, TOPICS[:1])
    started = tablet.post("/reflect", data=form_fields(check_page(tablet.get("/reflect"))))
    assert started.status_code == 302
    answer_page(tablet, 1, {"q-shared_aims-know_aims": "5"})
    total = step_count(tablet)
    check = check_page(tablet.get(f"/reflect/{total}"))
    assert has_start_fresh(check)  # a tablet always offers it
    assert check.find("html")["lang"] == "ro"
    sent = tablet.post("/reflect/send", data=form_fields(check, "/reflect/send"))
    assert sent.headers["Location"].endswith("/reflect")  # straight back to a fresh start
    for name in ("inquiry_resume", "inquiry_voter", "inquiry_lang"):
        assert tablet.get_cookie(name) is None, name
    thanks = check_page(tablet.get("/reflect"))
    assert thanks.find(class_="panel-done").get_text(" ", strip=True) == (
        "Thank you, your answers have been sent. The tablet is ready for the next person."
    )
    assert thanks.find("html")["lang"] == "en-GB"  # the group's language, not the last one's
    # The next person: no thanks left over, no receipt, no "Carry on", no topics chosen.
    second = check_page(tablet.get("/reflect"))
    assert second.find(class_="panel-done") is None
    assert _main_button(second) == "Start now" and not has_start_fresh(second)
    assert tablet.get("/reflect/done").headers["Location"].endswith("/reflect")
    assert tablet.get(f"/reflect/{total}").headers["Location"].endswith("/reflect")
    assert _chosen(tablet) == []
    _choose(tablet, TOPICS[1:3])
    tablet.post("/reflect", data=form_fields(check_page(tablet.get("/reflect"))))
    assert _ticked(check_page(tablet.get("/reflect/1"))) == []
    with app.app_context():
        assert _count(Response) == 1 and _count(Draft) == 1
        voters = db.session.scalar(sa.select(sa.func.count(sa.distinct(AgendaVote.voter_digest))))
        assert voters == 2  # per person, not per tablet
        assert _count(AgendaVote) == 3


def test_on_a_tablet_the_last_persons_topics_alone_are_offered_a_fresh_start(app, client, cycle):
    _add_topics(app, cycle.id)
    tablet = _tablet(app, client, cycle)
    _choose(tablet, TOPICS[:1])  # chose topics, then walked away without starting
    page = check_page(tablet.get("/reflect"))
    assert has_start_fresh(page)
    start_fresh(tablet, page)
    assert _chosen(tablet) == []
    with app.app_context():
        assert _count(AgendaVote) == 1


def test_stopping_tablet_mode(app, client, cycle):
    tablet = _tablet(app, client, cycle)
    page = check_page(tablet.get("/reflect"))
    stop = page.find("form", action="/kiosk/stop")
    assert stop.find("button").get_text() == "Stop using this tablet for the group"
    stopped = tablet.post("/kiosk/stop", data=form_fields(page, "/kiosk/stop"))
    assert stopped.headers["Location"].endswith("/")
    assert tablet.get("/").status_code == 200
    assert tablet.get("/reflect").headers["Location"].endswith("/")


# Plain words ----------------------------------------------------------------------------


def test_the_new_words_for_members_are_plain(app, client, cycle):
    code = cycle.active_code("member")
    start(client, code)
    answer_page(client, 1, {})
    carry_on = check_page(join(client, code))
    texts = [carry_on.find("form", action="/reflect/fresh").find_previous("p").get_text()]
    send(client)
    check_page(client.get("/reflect/done"))
    again = check_page(client.get("/reflect/done"))
    texts.append(again.find("div", class_="panel-done").find_next("p").get_text())
    texts.append(again.find("form", action="/reflect/finish").find_previous("p").get_text())
    with app.app_context():
        closed = make_closed_cycle().active_code("member")
    texts += [
        p.get_text(" ", strip=True) for p in check_page(client.get(f"/j/{closed}")).select("main p")
    ]
    other = app.test_client()
    for _ in range(11):
        limited = other.get("/j/WRONG1")
    texts += error_summary(check_page(limited))
    kiosk_form = check_page(other.get("/kiosk"))
    texts += [li.get_text() for li in kiosk_form.select("main li")]
    tablet = _tablet(app, app.test_client(), cycle)
    texts += [li.get_text() for li in check_page(tablet.get("/reflect")).select("main li")]
    start(tablet, code)
    total = step_count(tablet)
    check = parse(tablet.get(f"/reflect/{total}"))
    [promise] = check.select("form[action='/reflect/send'] p")
    assert "you will not get a receipt code" in promise.get_text()
    texts.append(promise.get_text())
    tablet.post("/reflect/send", data=form_fields(check, "/reflect/send"))
    texts.append(
        check_page(tablet.get("/reflect")).find(class_="panel-done").get_text(" ", strip=True)
    )
    assert len(texts) >= 12, texts
    for text in texts:
        assert textstat.flesch_reading_ease(text) >= 70, text
