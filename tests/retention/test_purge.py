"""The retention period: `inquiry purge` deletes a cycle's answers once it has been closed
that long, keeps the figures its summary showed, and the summary comes from them after."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from inquiry.agenda.models import AgendaVote
from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.extensions import db
from inquiry.reports.formats import summary_csv, summary_json
from inquiry.reports.summary import build_summary, stored_or_built
from inquiry.responses.models import Answer, Draft, LinkKey, QuoteApproval, Response
from inquiry.retention.models import SummarySnapshot
from inquiry.retention.services import add_months, due_on

from ..accounts.test_login import sign_in
from ..factories import make_user
from ..pages import check_page
from .helpers import WORDS, cycle_with_answers

KEY = "test-link-key"


def _left(cycle_id: int) -> dict[str, int]:
    def count(model, condition):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(condition))

    answers = sa.select(Answer.id).where(Answer.cycle_id == cycle_id)
    return {
        "responses": count(Response, Response.cycle_id == cycle_id),
        "answers": count(Answer, Answer.cycle_id == cycle_id),
        "drafts": count(Draft, Draft.cycle_id == cycle_id),
        "quotes": count(QuoteApproval, QuoteApproval.answer_id.in_(answers)),
        "votes": db.session.scalar(sa.select(sa.func.count()).select_from(AgendaVote)),
        "link_keys": db.session.scalar(sa.select(sa.func.count()).select_from(LinkKey)),
    }


def _purge(app, *args):
    result = app.test_cli_runner().invoke(args=["purge", *args])
    db.session.expire_all()
    return result


def test_months_are_added_as_a_calendar_does():
    assert add_months(date(2026, 1, 15), 24) == date(2028, 1, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 14) == date(2028, 1, 30)


def test_purge_deletes_the_answers_on_the_day_and_keeps_the_summary(app, ctx):
    cycle = cycle_with_answers(months=24)
    cycle_id = cycle.id
    assert due_on(cycle, 24) == date(2028, 1, 15)
    before = summary_json(build_summary(cycle, "en_GB", KEY))
    csv_before = summary_csv(build_summary(cycle, "en_GB", KEY))
    assert [q["text"] for q in before["quotes"]] == [WORDS]
    assert _left(cycle_id)["responses"] == 6

    # The day before: nothing is due.
    result = _purge(app, "--today", "2028-01-14")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Nothing is due on 2028-01-14."
    assert _left(cycle_id)["responses"] == 6

    # A dry run on the day says what would go and deletes nothing.
    result = _purge(app, "--dry-run", "--today", "2028-01-15")
    assert result.exit_code == 0, result.output
    assert "Would delete from Riverside / Walking group / Spring" in result.output
    assert (
        "responses: 6, answers: 13, drafts: 1, quotes: 1, stories: 0, every agenda and story choice"
        in result.output
    )
    assert _left(cycle_id)["responses"] == 6
    assert db.session.get(SummarySnapshot, cycle_id) is None

    result = _purge(app, "--today", "2028-01-15")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Deleted from Riverside / Walking group / Spring")
    assert "responses: 6" in first and "quotes: 1" in first and "drafts: 1" in first
    assert "every agenda and story choice" in first
    assert WORDS not in result.output
    assert _left(cycle_id) == {
        "responses": 0,
        "answers": 0,
        "drafts": 0,
        "quotes": 0,
        "votes": 0,
        "link_keys": 0,
    }
    # The cycle, its questions and its agenda topics stay.
    cycle = db.session.get(Cycle, cycle_id)
    assert cycle is not None and cycle.questions

    snapshot = db.session.get(SummarySnapshot, cycle_id)
    assert snapshot.reason == "retention" and snapshot.summary_deleted_at is None
    assert WORDS not in json.dumps(snapshot.summary)

    # The summary now comes from the figures kept: the same, without the quotes.
    after = stored_or_built(cycle, "en_GB", KEY)
    assert after.answers_deleted_on is not None and after.deleted_because == "retention"
    deleted = {"on": after.answers_deleted_on.isoformat(), "because": "retention"}
    expected = {**before, "quotes": [], "answers_deleted": deleted}
    assert summary_json(after) == expected
    assert summary_csv(after) == csv_before
    hope = next(t for t in summary_json(after)["themes"] if t["theme"] == "hope")
    assert hope["n"] == 6 and hope["items"][0]["counts"]["5"] == 2

    # Audited with counts only.
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "deleted", AuditEvent.object_id == cycle_id
        )
    )
    assert event.object_type == "cycle" and event.user_id is None
    assert "under the retention period" in event.detail and "responses: 6" in event.detail
    assert WORDS not in event.detail

    # Run again: nothing more to do, and the snapshot is not taken again from nothing.
    assert _purge(app, "--today", "2028-06-01").output.startswith("Nothing is due")
    assert summary_json(stored_or_built(cycle, "en_GB", KEY)) == expected


def test_the_summary_page_json_and_pdf_of_a_purged_cycle(app, ctx):
    from ..pdfs import fetch_pdf
    from ..printing.reading import pdf_text

    cycle = cycle_with_answers(months=12)
    facilitator = make_user("facilitator", cycle.group.network, [cycle.group])
    cycle_id = cycle.id
    client = app.test_client()
    sign_in(client, facilitator.email)
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/summary"))
    assert WORDS in page.get_text()
    assert _purge(app, "--today", "2027-01-15").exit_code == 0

    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/summary"))
    text = " ".join(page.get_text().split())
    assert "The answers were deleted on" in text and "under the network's retention period" in text
    assert WORDS not in text
    assert "6 group members" in text
    data = json.loads(client.get(f"/workspace/cycles/{cycle_id}/summary.json").data)
    assert data["answers_deleted"]["because"] == "retention"
    assert data["responses"]["member"] == 6 and data["quotes"] == []

    pdf = pdf_text(fetch_pdf(app, client, f"/workspace/cycles/{cycle_id}/summary.pdf"))
    assert "under the network’s retention period" in pdf or "retention period" in pdf
    assert WORDS not in pdf
    # The easy-read sheet for the wall says it too (its HTML; the PDF is the same page).
    from inquiry.reports.render import summary_document

    with app.test_request_context():
        easy, _name = summary_document(db.session.get(Cycle, cycle_id), "en_GB", "easy-read")
    assert "under the network&#39;s retention period" in easy or "retention period" in easy
    assert WORDS not in easy


def test_a_network_without_a_period_keeps_everything(app, ctx):
    cycle = cycle_with_answers(months=None)
    result = _purge(app, "--today", "2099-01-01")
    assert result.output.strip() == "Nothing is due on 2099-01-01."
    assert _left(cycle.id)["responses"] == 6


def test_the_clock_can_be_set_in_config(app, ctx):
    cycle = cycle_with_answers(months=1)
    app.config["TODAY"] = "2026-02-14"
    try:
        assert _purge(app).output.strip() == "Nothing is due on 2026-02-14."
        app.config["TODAY"] = "2026-02-15"
        assert _purge(app).output.startswith("Deleted from Riverside")
    finally:
        app.config.pop("TODAY")
    assert _left(cycle.id)["responses"] == 0
    app.config["TODAY"] = "2028"
    try:
        result = _purge(app)
    finally:
        app.config.pop("TODAY")
    assert result.exit_code == 2 and "INQUIRY_TODAY must be a date as YYYY-MM-DD" in result.output


def test_stories_of_change_go_with_the_answers(app, ctx):
    from inquiry.stories.models import Story, StoryChoice

    cycle = cycle_with_answers(months=6)
    story = Story(
        cycle_id=cycle.id,
        title="Out of the house",
        text="I leave the house on Tuesdays now",
        may_share=True,
        submission_token="s" * 36,
        receipt_digest="r" * 64,
    )
    db.session.add(story)
    db.session.flush()
    db.session.add(StoryChoice(cycle_id=cycle.id, story_id=story.id, voter_digest="v" * 64))
    db.session.commit()
    result = _purge(app, "--today", "2026-07-15")
    assert "stories: 1, every agenda and story choice" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Story)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoryChoice)) == 0


@pytest.mark.parametrize("day", ["15/01/2028", "2028-13-01", "tomorrow"])
def test_a_wrong_date_is_refused_in_words_and_changes_nothing(app, ctx, day):
    cycle = cycle_with_answers(months=1)
    result = _purge(app, "--today", day)
    assert result.exit_code == 2
    assert "give a date as YYYY-MM-DD" in result.output
    assert _left(cycle.id)["responses"] == 6


def test_the_next_cycles_summary_after_the_last_ones_answers_went(app, ctx):
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.cycles.services import close_cycle
    from inquiry.responses.services import record_response

    from ..factories import make_open_cycle

    first = cycle_with_answers(months=None)
    later = make_open_cycle(
        first.group, title="Summer", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)
    )
    questions = list_cycle_questions(later.id, "member")
    for value in "54433":
        record_response(
            questions, audience="member", language="en_GB", answers={"hope.gives_hope": value}
        )
    close_cycle(later)
    db.session.commit()
    hope = next(t for t in build_summary(later, "en_GB", KEY).themes if t.theme == "hope")
    assert hope.change is not None  # compared with Spring while its answers are kept

    from inquiry.retention.services import delete_answers

    delete_answers(first, "request", None)
    db.session.commit()
    summary = build_summary(later, "en_GB", KEY)
    hope = next(t for t in summary.themes if t.theme == "hope" and t.view == "member")
    # Spring's answers are gone: no change can be worked out, and nothing breaks.
    assert (hope.n, hope.change) == (5, None) and summary.previous_title == "Spring"
    assert summary_json(stored_or_built(first, "en_GB", KEY))["responses"]["member"] == 6


def test_a_purged_cycle_cannot_reopen_and_the_command_line_report_keeps_its_figures(app, ctx):
    from inquiry.cycles.services import may_change, why_not_reopen

    cycle = cycle_with_answers(months=12)
    cycle_id = cycle.id
    assert why_not_reopen(cycle) is None
    assert _purge(app, "--today", "2027-01-15").exit_code == 0
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle_id)
    assert why_not_reopen(cycle) == "answers_deleted"
    assert not may_change(cycle, "reopened")
    result = app.test_cli_runner().invoke(args=["report", str(cycle_id), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["responses"]["member"] == 6
    assert data["answers_deleted"]["because"] == "retention"
