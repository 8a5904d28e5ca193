"""After closing, a reflection started before the close may still be sent until the grace
period the facilitator chose ends; the join code itself starts nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from inquiry.core.models import utcnow
from inquiry.cycles.models import Cycle, takes_answers
from inquiry.extensions import db
from inquiry.responses.models import Draft, Response

from ..pages import check_page, form_fields, parse
from ..reflection import answer_page, send, start, step_count


def _close(app, cycle_id: int, hours: float) -> None:
    from inquiry.cycles.services import close_and_start_summary

    with app.app_context():
        close_and_start_summary(db.session.get(Cycle, cycle_id), ("en_GB",), timedelta(hours=hours))
        db.session.commit()


def _end_grace(app, cycle_id: int) -> None:
    """Move the close back a day, so that its grace period is over."""
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        length = cycle.grace_until - cycle.closed_at
        cycle.closed_at = utcnow() - timedelta(days=1)
        cycle.grace_until = cycle.closed_at + length
        # The draft was started before the close, as it was in real time.
        for draft in db.session.scalars(sa.select(Draft).filter_by(cycle_id=cycle_id)):
            draft.created_at = cycle.closed_at - timedelta(minutes=5)
        db.session.commit()


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def test_a_reflection_started_before_closing_is_sent_within_the_grace_period(app, client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    _close(app, cycle.id, 1)
    # Pages and the check still work, and the answers go in.
    assert answer_page(client, 1, {"q-shared_aims-know_aims": "5"}).status_code == 302
    assert check_page(client.get(f"/reflect/{step_count(client)}")).h1 is not None
    sent = send(client)
    assert sent.headers["Location"].endswith("/reflect/done")
    assert _responses(app) == 1
    with app.app_context():
        from inquiry.reports.queries import count_responses

        assert count_responses(cycle.id) == {"member": 1}  # it counts in the summary


def test_the_code_of_a_closed_cycle_starts_nothing_even_in_grace(app, client, cycle):
    _close(app, cycle.id, 24)
    joined = client.get(f"/j/{cycle.active_code('member')}")
    assert joined.status_code == 410
    page = check_page(joined)
    assert page.h1.get_text() == "This reflection has closed"
    assert "Carry on" not in page.get_text()
    assert client.get("/reflect").headers["Location"] == "/"  # nothing to start
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_someone_part_way_through_who_uses_the_code_again_is_told_until_when(app, client, cycle):
    start(client, cycle.active_code("member"))
    _close(app, cycle.id, 24)
    page = check_page(client.get(f"/j/{cycle.active_code('member')}"))
    text = page.get_text(" ", strip=True)
    assert "you can still send them until" in text
    carry_on = page.find("a", string="Carry on with your answers")
    assert carry_on["href"] == "/reflect"
    assert client.get("/reflect").status_code == 200


def test_after_the_grace_period_nothing_more_is_sent_and_the_answers_stay(app, client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    page = check_page(client.get(f"/reflect/{step_count(client)}"))
    _close(app, cycle.id, 1)
    _end_grace(app, cycle.id)
    refused = client.post("/reflect/send", data=form_fields(page, "/reflect/send"))
    assert refused.status_code == 410
    assert parse(refused).h1.get_text() == "This reflection has closed"
    assert client.get("/reflect/1").status_code == 410
    assert _responses(app) == 0
    with app.app_context():
        [draft] = db.session.scalars(sa.select(Draft))
        assert draft.answers == {"shared_aims.know_aims": "4"}


def test_closing_without_grace_ends_sending_at_once(app, client, cycle):
    start(client, cycle.active_code("member"))
    page = check_page(client.get(f"/reflect/{step_count(client)}"))
    _close(app, cycle.id, 0)
    assert client.get("/reflect/1").status_code == 410
    assert client.post("/reflect/send", data=form_fields(page, "/reflect/send")).status_code == 410
    assert _responses(app) == 0


def test_a_late_answer_drops_the_cycles_stored_pdfs(app, client, cycle):
    from inquiry.printing.models import PdfDocument
    from inquiry.printing.services import request_pdf

    start(client, cycle.active_code("member"))
    _close(app, cycle.id, 1)
    with app.app_context():
        request_pdf("<p>made during the grace period</p>", "x.pdf", cycle_id=cycle.id)
        db.session.commit()
    assert send(client).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PdfDocument)) == 0


def test_only_a_reflection_started_before_the_close_is_taken_and_only_in_time():
    closed = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    grace = closed + timedelta(hours=24)
    before, after = closed - timedelta(minutes=1), closed + timedelta(minutes=1)
    assert takes_answers("open", None, None, after, after)
    assert takes_answers("closed", closed, grace, before, grace - timedelta(seconds=1))
    assert not takes_answers("closed", closed, grace, before, grace)
    assert not takes_answers("closed", closed, grace, after, after)
    assert not takes_answers("closed", closed, None, before, after)
    assert not takes_answers("draft", None, None, before, after)


def test_no_figures_anywhere_until_the_grace_period_ends(app, cycle):
    """A figure shown at closing and again after a late answer would tell that answer."""
    from inquiry.core.access import may_export_answers
    from inquiry.reports.queries import get_previous_closed_cycle
    from inquiry.reports.summary import build_summary

    from ..factories import make_open_cycle, make_user

    _close(app, cycle.id, 24)
    with app.app_context():
        closed = db.session.get(Cycle, cycle.id)
        later = make_open_cycle(closed.group, title="Spring", starts_on=closed.ends_on)
        admin = make_user("admin", closed.group.network)
        later_id, admin_id = later.id, admin.id
        assert closed.in_grace() and not closed.figures_ready()
        assert build_summary(closed, "en_GB", "k").figures is False
        assert get_previous_closed_cycle(db.session.get(Cycle, later_id)) is None
        assert not may_export_answers(admin, closed)
    _end_grace(app, cycle.id)
    with app.app_context():
        closed = db.session.get(Cycle, cycle.id)
        assert closed.figures_ready()
        assert build_summary(closed, "en_GB", "k").figures is True
        assert get_previous_closed_cycle(db.session.get(Cycle, later_id)).id == cycle.id
        assert may_export_answers(db.session.get(type(admin), admin_id), closed)
