"""Withdrawal by receipt code works after closing, until the summary is first printed; then
the page says why it cannot, and whom to ask."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from inquiry.core.models import utcnow
from inquiry.cycles.models import Cycle
from inquiry.extensions import db
from inquiry.responses.models import Response

from ..accounts.test_login import sign_in
from ..factories import make_user
from ..pages import check_page, error_summary, form_fields, parse
from ..reflection import answer_page, send, start


def _sent(app, client, cycle) -> str:
    """Send one member's answers; returns their receipt code."""
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    send(client)
    return parse(client.get("/reflect/done")).find(class_="receipt").get_text()


def _withdraw(client, receipt: str):
    page = check_page(client.get("/withdraw"))
    return client.post("/withdraw", data={**form_fields(page, "/withdraw"), "receipt": receipt})


def _close(app, cycle_id: int, hours: int = 0) -> None:
    from inquiry.cycles.services import close_and_start_summary

    with app.app_context():
        close_and_start_summary(db.session.get(Cycle, cycle_id), ("en_GB",), timedelta(hours=hours))
        db.session.commit()


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def _facilitator(app, cycle) -> object:
    from inquiry.groups.models import Group

    with app.app_context():
        group = db.session.get(Group, cycle.group_id)
        make_user("facilitator", group.network, [group], email="f@example.org")
    staff = app.test_client()
    assert sign_in(staff, "f@example.org").status_code == 302
    return staff


def test_answers_can_be_taken_back_after_closing_until_the_summary_is_printed(app, client, cycle):
    receipt = _sent(app, client, cycle)
    _close(app, cycle.id)
    staff = _facilitator(app, cycle)
    staff.get(f"/workspace/cycles/{cycle.id}/summary")  # reading the summary is not printing
    taken = _withdraw(app.test_client(), receipt)
    assert taken.status_code == 200
    assert parse(taken).h1.get_text() == "Your answers have been deleted"
    assert _responses(app) == 0


def test_once_the_summary_is_printed_the_withdraw_page_says_why_not_and_whom_to_ask(
    app, client, cycle
):
    receipt = _sent(app, client, cycle)
    _close(app, cycle.id)
    staff = _facilitator(app, cycle)
    assert staff.get(f"/workspace/cycles/{cycle.id}/summary.pdf?variant=easy-read").status_code in (
        200,
        303,
    )
    with app.app_context():
        assert db.session.get(Cycle, cycle.id).first_printed_at is not None
    refused = _withdraw(app.test_client(), receipt)
    assert refused.status_code == 400
    [message] = error_summary(check_page(refused))
    assert "summary has been printed" in message
    assert "talk to the person who runs your group" in message
    assert _responses(app) == 1


def test_printing_while_late_answers_may_still_arrive_does_not_end_withdrawal(app, client, cycle):
    receipt = _sent(app, client, cycle)
    _close(app, cycle.id, hours=24)
    staff = _facilitator(app, cycle)
    staff.get(f"/workspace/cycles/{cycle.id}/summary.pdf")
    with app.app_context():
        assert db.session.get(Cycle, cycle.id).first_printed_at is None
    assert _withdraw(app.test_client(), receipt).status_code == 200
    assert _responses(app) == 0


def test_the_withdraw_page_says_until_when(client):
    text = check_page(client.get("/withdraw")).get_text(" ", strip=True)
    assert "until the group's summary has been printed" in text


def test_a_reopened_cycle_takes_withdrawals_again(app, client, cycle):
    from inquiry.cycles.services import reopen_cycle

    receipt = _sent(app, client, cycle)
    _close(app, cycle.id)
    with app.app_context():
        found = db.session.get(Cycle, cycle.id)
        found.first_printed_at = utcnow()
        reopen_cycle(found)
        db.session.commit()
    assert _withdraw(app.test_client(), receipt).status_code == 200
