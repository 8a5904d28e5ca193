"""The member's reflection, end to end, through the test client and a real database."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Answer, Draft, LinkKey, Response

from ..pages import check_page, error_summary, form_fields, parse
from ..reflection import answer_page, join, send, start, step_count


def _stored() -> list[Response]:
    return list(db.session.scalars(sa.select(Response)))


def test_start_page_explains_the_reflection(client, cycle):
    page = check_page(join(client, cycle.active_code("member")))
    text = page.get_text(" ", strip=True)
    assert "How is the group going for you?" in text
    assert "You do not give your name" in text
    assert "You can skip any question" in text
    assert "There are 8 short steps" in text
    assert cycle.group_name in text


def test_peer_worker_code_starts_the_peer_worker_reflection(client, cycle):
    page = check_page(join(client, cycle.active_code("peer_worker")))
    assert "A reflection for peer support workers" in page.h1.get_text()
    data = {**form_fields(page), "shares_openly": "anonymous"}
    first = check_page(client.post("/reflect", data=data, follow_redirects=True))
    assert first.h1.get_text() == "Your role"


def test_a_whole_reflection_is_stored_once_with_its_answers(client, cycle):
    first = check_page(start(client, cycle.active_code("member")))
    assert first.h1.get_text() == "What the group is for"
    assert "Step 1 of 8" in first.get_text()
    assert (
        answer_page(
            client, 1, {"q-shared_aims-know_aims": "5", "q-negotiated_agenda-have_a_say": "pns"}
        ).status_code
        == 302
    )
    for number in range(2, 6):
        assert answer_page(client, number, {}).status_code == 302
    response = answer_page(client, 6, {"q-open-most_significant_change": "  I made friends.  "})
    assert response.status_code == 302
    assert answer_page(client, 7, {"may_quote": "yes"}).status_code == 302

    check = check_page(client.get("/reflect/8"))
    assert check.h1.get_text() == "Check your answers"
    rows = {
        row.dt.get_text(): row.find("dd").get_text(strip=True)
        for row in check.select(".summary .row")
    }
    assert rows["I know what our group is for."] == "Strongly agree"
    assert rows["I have a say in what the group does."] == "I'd rather not say"
    assert rows["What has changed for you since coming to the group?"] == "I made friends."
    assert rows["I feel good about myself."] == "Skipped"
    assert rows["May we quote your words?"] == "Yes"

    sent = send(client)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/reflect/done")
    done = check_page(client.get("/reflect/done"))
    assert "Thank you" in done.h1.get_text()
    receipt = done.find(class_="receipt").get_text()
    assert len(receipt) == 9 and receipt[4] == "-"

    with client.application.app_context():
        [stored] = _stored()
        assert (stored.audience, stored.source, stored.may_quote) == ("member", "web", True)
        values = {a.qtype: a for a in stored.answers}
        assert len(stored.answers) == 3
        assert values["text"].text == "I made friends."
        likert = {(a.likert, a.prefer_not_to_say) for a in stored.answers if a.qtype == "likert"}
        assert likert == {(None, True), (5, False)}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_sending_again_gives_the_same_confirmation_and_stores_one_response(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    total = step_count(client)
    page = check_page(client.get(f"/reflect/{total}"))
    data = form_fields(page, "/reflect/send")
    first = client.post("/reflect/send", data=data)
    receipt = parse(client.get("/reflect/done")).find(class_="receipt").get_text()
    again = client.post("/reflect/send", data=data)
    assert first.status_code == again.status_code == 302
    assert parse(client.get("/reflect/done")).find(class_="receipt").get_text() == receipt
    with client.application.app_context():
        assert len(_stored()) == 1


def test_back_keeps_what_was_typed_on_the_page(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "2"})
    back = answer_page(client, 2, {"q-communication-listened_to": "4"}, go="back")
    assert back.headers["Location"].endswith("/reflect/1")
    page = parse(client.get("/reflect/1"))
    assert (
        page.find("input", attrs={"name": "q-shared_aims-know_aims", "checked": True})["value"]
        == "2"
    )
    page2 = parse(client.get("/reflect/2"))
    assert (
        page2.find("input", attrs={"name": "q-communication-listened_to", "checked": True})["value"]
        == "4"
    )


def test_a_closed_tab_resumes_where_it_was(app, client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-aims_matter": "3"})
    resume = client.get_cookie("inquiry_resume")
    assert resume is not None and resume.http_only
    other = app.test_client()  # a new browser session: only the long-lived cookie survives
    other.set_cookie("inquiry_resume", resume.value)
    page = parse(other.get("/reflect/1"))
    assert page.find("input", attrs={"name": "q-shared_aims-aims_matter", "checked": True})


def test_an_expired_form_token_keeps_the_typed_answers(app, client, cycle):
    start(client, cycle.active_code("member"))
    data = form_fields(parse(client.get("/reflect/6")))
    data["q-open-anything_else"] = "Please keep the tea."
    data["csrf_token"] = "expired"
    refused = client.post("/reflect/6", data=data)
    assert refused.status_code == 400
    page = check_page(refused)
    assert page.find("textarea", attrs={"name": "q-open-anything_else"}).get_text() == (
        "Please keep the tea."
    )
    assert "Please press the button again" in page.get_text()
    # Pressing the button again, with the fresh token on the page, saves it.
    saved = client.post("/reflect/6", data=form_fields(page))
    assert saved.status_code == 302


def test_a_lost_session_cookie_keeps_the_typed_answers(app, client, cycle):
    start(client, cycle.active_code("member"))
    data = form_fields(parse(client.get("/reflect/1")))
    data["q-shared_aims-know_aims"] = "5"
    client.delete_cookie("session")  # the browser was closed: the CSRF session is gone
    refused = client.post("/reflect/1", data=data)
    assert refused.status_code == 400
    page = check_page(refused)
    assert (
        page.find("input", attrs={"name": "q-shared_aims-know_aims", "checked": True})["value"]
        == "5"
    )
    saved_so_far = parse(client.get("/reflect/1"))
    assert (
        saved_so_far.find("input", attrs={"name": "q-shared_aims-know_aims", "checked": True})
        is None
    )
    assert client.post("/reflect/1", data=form_fields(page)).status_code == 302
    saved = parse(client.get("/reflect/1"))
    assert (
        saved.find("input", attrs={"name": "q-shared_aims-know_aims", "checked": True})["value"]
        == "5"
    )


def test_an_unknown_answer_value_is_refused_and_nothing_changes(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "3"})
    refused = answer_page(client, 1, {"q-shared_aims-know_aims": "9"})
    assert refused.status_code == 400
    page = check_page(refused)
    assert page.title.string.startswith("Error:")
    assert error_summary(page) == ["Choose one of the answers shown"]
    assert page.select_one(".error-summary a")["href"] == "#q-shared_aims-know_aims"
    again = parse(client.get("/reflect/1"))
    assert (
        again.find("input", attrs={"name": "q-shared_aims-know_aims", "checked": True})["value"]
        == "3"
    )


def test_a_very_long_answer_is_refused_with_a_clear_message(client, cycle):
    start(client, cycle.active_code("member"))
    refused = answer_page(client, 6, {"q-open-anything_else": "x" * 5001})
    page = check_page(refused)
    assert error_summary(page) == ["Your answer must be 5,000 characters or fewer"]
    assert page.find("textarea", attrs={"name": "q-open-anything_else"}).get_text() == "x" * 5001


def test_a_partial_code_asks_for_all_four_parts(client, cycle):
    start(client, cycle.active_code("member"))
    refused = answer_page(client, 7, {"initial": "M", "day": "12"})
    page = check_page(refused)
    assert error_summary(page) == ["Fill in all 4 parts of your code, or leave them all empty"]
    assert page.select_one(".error-summary a")["href"] == "#siblings"
    bad = check_page(
        answer_page(client, 7, {"initial": "MM", "day": "40", "siblings": "x", "town": "L"})
    )
    assert error_summary(bad) == [
        "Enter one letter",
        "Enter a day from 1 to 31",
        "Enter a number from 0 to 30",
    ]


def test_the_self_chosen_code_is_kept_only_as_keyed_hashes(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 7, {"initial": "m", "day": "12", "siblings": "2", "town": "L"})
    assert "Added" in parse(client.get("/reflect/8")).get_text()
    send(client)
    with client.application.app_context():
        keys = list(db.session.scalars(sa.select(LinkKey).order_by(LinkKey.variant)))
        assert [k.variant for k in keys] == [0, 1, 2, 3, 4]
        assert all(len(k.digest) == 64 and "12" not in k.digest[:2] for k in keys)
        dump = " ".join(str(row) for row in db.session.execute(sa.select(Response.__table__)))
        assert "m|12" not in dump.lower()


def test_withdrawal_deletes_the_response_while_the_cycle_is_open(client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    send(client)
    receipt = parse(client.get("/reflect/done")).find(class_="receipt").get_text()
    page = check_page(client.get("/withdraw"))
    wrong = client.post("/withdraw", data={**form_fields(page), "receipt": "AAAA-AAAA"})
    assert wrong.status_code == 404
    assert error_summary(parse(wrong))
    done = client.post("/withdraw", data={**form_fields(page), "receipt": receipt.lower()})
    assert done.status_code == 200
    assert "deleted" in check_page(done).h1.get_text()
    with client.application.app_context():
        assert _stored() == []
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_a_closed_cycle_stops_the_reflection_kindly(client, cycle):
    start(client, cycle.active_code("member"))
    with client.application.app_context():
        from inquiry.cycles.models import Cycle
        from inquiry.cycles.services import close_cycle

        close_cycle(db.session.get(Cycle, cycle.id))
        db.session.commit()
    page = client.get("/reflect/1")
    assert page.status_code == 410
    assert "This reflection has closed" in parse(page).h1.get_text()


def test_a_change_from_the_check_page_returns_to_it(client, cycle):
    start(client, cycle.active_code("member"))
    total = step_count(client)
    check = check_page(client.get(f"/reflect/{total}"))
    change = check.find("a", href=lambda h: h and h.startswith("/reflect/4?from=check"))
    assert change is not None
    path = change["href"].split("#")[0]
    page = check_page(client.get(path))
    assert page.find("form")["action"] == path
    data = {**form_fields(page), "q-hope-gives_hope": "4"}
    changed = client.post(path, data=data)
    assert changed.headers["Location"].endswith(f"/reflect/{total}")
    rows = {
        row.dt.get_text(): row.find("dd").get_text(strip=True)
        for row in parse(client.get(f"/reflect/{total}")).select(".summary .row")
    }
    assert rows["Coming to the group gives me hope."] == "Agree"


def test_wrong_receipt_codes_are_rate_limited(client):
    data = form_fields(check_page(client.get("/withdraw")))
    statuses = [
        client.post("/withdraw", data={**data, "receipt": f"AAAA-AAA{i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [404] * 5 + [429]
