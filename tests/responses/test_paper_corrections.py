"""Typed paper sheets: listed by when and who typed them (never their answers), opened,
corrected and deleted while the cycle is open or closed with its summary not yet printed."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.extensions import db
from inquiry.groups.models import Group
from inquiry.responses.models import Answer, QuoteApproval, Response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields, parse

SHEET = {
    "q-shared_aims-know_aims": "5",
    "q-hope-gives_hope": "0",
    "q-open-anything_else": "More tea, says Jo",
    "may_quote": "y",
}


def _typed_in(app, client) -> tuple[int, int]:
    """A facilitator signed in who has typed one member's sheet into an open cycle."""
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle_id = make_open_cycle(db.session.get(Group, group.id)).id
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/cycles/{cycle_id}/paper/member"
    page = check_page(client.get(url))
    assert client.post(url, data={**form_fields(page), **SHEET}).status_code == 302
    with app.app_context():
        return cycle_id, db.session.scalar(sa.select(Response.id))


def _answers(app, response_id: int) -> dict:
    with app.app_context():
        rows = db.session.scalars(sa.select(Answer).filter_by(response_id=response_id))
        return {
            a.cycle_question_id: (a.likert, a.prefer_not_to_say, a.text, a.choice) for a in rows
        }


def test_the_list_shows_when_and_who_never_the_answers(app, client):
    cycle_id, sheet_id = _typed_in(app, client)
    show = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    listing_url = f"/workspace/cycles/{cycle_id}/paper"
    assert show.find("a", href=listing_url) is not None
    listing = check_page(client.get(listing_url))
    [row] = listing.select("tbody tr")
    cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
    assert cells[0] == f"Sheet {sheet_id} Group members"
    assert cells[1].endswith("by f@example.org")
    text = listing.get_text()
    assert "More tea" not in text and "Strongly" not in text
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent)).all()
        typed = [(e.action, e.object_type, e.object_id) for e in events]
        assert ("created", "response", sheet_id) in typed
        assert not any("tea" in e.detail.lower() for e in events)


def test_a_sheet_is_opened_and_corrected(app, client):
    cycle_id, sheet_id = _typed_in(app, client)
    before = _answers(app, sheet_id)
    with app.app_context():
        text_answer = db.session.scalar(
            sa.select(Answer.id).filter_by(response_id=sheet_id, qtype="text")
        )
        db.session.add(QuoteApproval(answer_id=text_answer, text="More tea"))
        db.session.commit()
    url = f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}"
    page = check_page(client.get(url))
    assert page.h1.get_text() == f"Correct sheet {sheet_id}"
    # The sheet comes back as it was typed.
    assert page.find("input", attrs={"name": "q-shared_aims-know_aims"})["value"] == "5"
    assert page.find("input", attrs={"name": "q-hope-gives_hope"})["value"] == "0"
    assert page.find("textarea", attrs={"name": "q-open-anything_else"}).get_text() == (
        "More tea, says Jo"
    )
    assert page.find("input", attrs={"name": "may_quote"}).has_attr("checked")
    assert page.find("input", attrs={"name": "submission_token"}) is None
    fields = form_fields(page, url)

    bad = client.post(url, data={**fields, "q-shared_aims-know_aims": "9"})
    assert bad.status_code == 400
    assert error_summary(check_page(bad)) == [
        "Type a number from 1 to 5, 0 for “rather not say”, or leave it empty"
    ]
    assert _answers(app, sheet_id) == before  # a refused correction changes nothing

    same = client.post(url, data=fields)
    assert "Nothing changed." in client.get(same.location).get_data(as_text=True)

    fixed = {**fields, "q-shared_aims-know_aims": "4", "q-hope-gives_hope": ""}
    fixed.pop("may_quote")  # they had not ticked "you may quote me" after all
    saved = client.post(url, data=fixed)
    assert saved.status_code == 302
    listing = check_page(client.get(saved.location))
    assert "Sheet corrected." in listing.get_text() and "corrected" in listing.select_one(
        "tbody tr"
    ).get_text(" ")
    with app.app_context():
        response = db.session.get(Response, sheet_id)
        assert response.may_quote is False and response.corrected_at is not None
        assert response.submission_token  # still the one sheet, never a second
        values = {(a.qtype, a.likert, a.prefer_not_to_say, a.text) for a in response.answers}
        assert values == {("likert", 4, False, None), ("text", None, False, "More tea, says Jo")}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
        # No longer allowed as a quote, so no longer approved as one.
        assert db.session.get(QuoteApproval, text_answer) is None
        events = db.session.scalars(sa.select(AuditEvent).filter_by(action="edited")).all()
        assert [(e.object_type, e.object_id) for e in events] == [("response", sheet_id)]
        assert events[0].detail == f"paper sheet, cycle {cycle_id}"


def test_a_sheet_typed_twice_is_deleted_after_a_confirmation(app, client):
    cycle_id, sheet_id = _typed_in(app, client)
    url = f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}/delete"
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Delete this sheet?"
    assert "More tea" not in confirm.get_text()
    assert client.post(url, data={}).status_code == 400  # no token: nothing deleted
    token = confirm.find("input", attrs={"name": "csrf_token"})["value"]
    deleted = client.post(url, data={"csrf_token": token})
    assert deleted.status_code == 302
    assert "No paper sheets have been typed in" in check_page(client.get(deleted.location)).text
    with app.app_context():
        assert db.session.get(Response, sheet_id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
        event = db.session.scalar(sa.select(AuditEvent).filter_by(action="deleted"))
        assert (event.object_type, event.object_id) == ("response", sheet_id)


def test_sheets_stay_once_the_summary_is_printed_and_web_answers_are_never_sheets(app, client):
    from inquiry.cycles.services import close_cycle
    from inquiry.responses.services import record_response

    cycle_id, sheet_id = _typed_in(app, client)
    with app.app_context():
        from inquiry.cycles.queries import list_cycle_questions

        questions = list_cycle_questions(cycle_id, "member")
        web_id = record_response(
            questions, audience="member", language="en_GB", answers={questions[0].question.key: "3"}
        ).id
        db.session.commit()
    token = parse(client.get(f"/workspace/cycles/{cycle_id}/paper")).find(
        "input", attrs={"name": "csrf_token"}
    )["value"]
    web = f"/workspace/cycles/{cycle_id}/paper/sheets/{web_id}"
    assert client.get(web).status_code == 404
    assert client.post(f"{web}/delete", data={"csrf_token": token}).status_code == 404

    # Closed, summary not printed yet: still correctable.
    with app.app_context():
        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
    url = f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}"
    assert client.get(url).status_code == 200
    # Once the summary is printed, the figures the group saw stay as they were.
    with app.app_context():
        from inquiry.cycles.services import summary_printed

        summary_printed(db.session.get(Cycle, cycle_id))
        db.session.commit()
    listing = check_page(client.get(f"/workspace/cycles/{cycle_id}/paper"))
    assert "has been printed" in listing.get_text()
    assert listing.find("a", href=url) is None
    locked = client.get(url)
    assert locked.status_code == 200
    page = check_page(locked)
    assert page.h1.get_text() == "This sheet cannot be changed"
    assert "More tea" not in page.get_text() and page.main.find("form") is None
    assert check_page(client.get(f"{url}/delete")).main.find("form") is None
    assert client.post(url, data={**SHEET, "csrf_token": token}).status_code == 409
    assert client.post(f"{url}/delete", data={"csrf_token": token}).status_code == 409
    with app.app_context():
        assert db.session.get(Response, sheet_id) is not None


def test_someone_elses_sheets_are_not_found(app, client):
    cycle_id, sheet_id = _typed_in(app, client)
    with app.app_context():
        other = make_group(name="Choir")
        make_user("facilitator", other.network, [other], email="other@example.org")
    stranger = app.test_client()
    urls = [
        f"/workspace/cycles/{cycle_id}/paper",
        f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}",
        f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}/delete",
    ]
    assert all(stranger.get(url).status_code == 302 for url in urls)  # sign in first
    assert sign_in(stranger, "other@example.org").status_code == 302
    token = parse(stranger.get("/workspace/")).find("input", attrs={"name": "csrf_token"})["value"]
    for url in urls:
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, data={**SHEET, "csrf_token": token}).status_code in (404, 405)
    with app.app_context():
        assert db.session.get(Response, sheet_id).corrected_at is None


def test_a_peer_support_workers_choice_is_corrected(app, client):
    cycle_id, _member_sheet = _typed_in(app, client)
    url = f"/workspace/cycles/{cycle_id}/paper/peer_worker"
    page = check_page(client.get(url))
    assert client.post(url, data=form_fields(page)).status_code == 302  # left as anonymous
    with app.app_context():
        sheet = db.session.scalar(sa.select(Response).filter_by(audience="peer_worker"))
        assert sheet.shares_openly is False and sheet.entered_by_id is not None
        sheet_id = sheet.id
    url = f"/workspace/cycles/{cycle_id}/paper/sheets/{sheet_id}"
    page = check_page(client.get(url))
    assert page.find("input", attrs={"name": "shares_openly", "checked": True})["value"] == (
        "anonymous"
    )
    fields = {**form_fields(page, url), "shares_openly": "open"}
    assert client.post(url, data=fields).status_code == 302
    with app.app_context():
        assert db.session.get(Response, sheet_id).shares_openly is True
