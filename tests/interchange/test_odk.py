"""Answers a group gave offline in ODK Collect or KoboToolbox, brought in from the CSV those
tools export: checked whole first, each submission stored once, marked 'odk', only while the
cycle is open, and counted in the summary like any other answer."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from flask import current_app

from inquiry.cycles.services import close_cycle, create_cycle
from inquiry.extensions import db
from inquiry.interchange.odk import token_for
from inquiry.interchange.services import import_odk_answers
from inquiry.interchange.xlsform import cycle_xlsform
from inquiry.responses.models import Answer, Response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, form_fields
from .kobo import central_csv, kobo_csv, submissions


def _stored(cycle_id: int) -> list[Response]:
    return list(
        db.session.scalars(sa.select(Response).filter_by(cycle_id=cycle_id).order_by(Response.id))
    )


@pytest.fixture
def offline(ctx):
    """An open cycle of a group that meets without signal, its member form and 20 answers."""
    group = make_group(default_language="pl")
    cycle = make_open_cycle(group)
    form = cycle_xlsform(cycle, "member")
    return cycle, form, submissions(form, 20)


def test_twenty_offline_answers_import_once(offline):
    cycle, form, made = offline
    result = import_odk_answers(cycle, kobo_csv(form, made))
    db.session.commit()
    assert (result.problems, result.audience, result.added, result.skipped) == ([], "member", 20, 0)
    stored = _stored(cycle.id)
    assert {r.submission_token for r in stored} == {token_for(m["instance"]) for m in made}
    assert {(r.source, r.audience, r.language) for r in stored} == {("odk", "member", "pl")}
    # Only the day is kept, as for paper: never the time the phone or the server gave.
    assert {r.submitted_at.time().isoformat() for r in stored} == {"00:00:00"}
    assert sorted(r.submitted_at.date().isoformat() for r in stored) == sorted(
        m["day"] for m in made
    )
    # Every answer as given, under our question keys.
    by_token = {token_for(m["instance"]): m for m in made}
    for response in stored:
        given = by_token[response.submission_token]
        assert response.may_quote == (given["inquiry_may_quote"] == "yes")
        for answer in response.answers:
            key = next(
                cq.question.key for cq in cycle.questions if cq.id == answer.cycle_question_id
            )
            value = given[key]
            if answer.qtype == "likert":
                expected = "prefer_not_to_say" if answer.prefer_not_to_say else str(answer.likert)
                assert value == expected
            else:
                assert answer.text == value
        answered = {k for k, v in given.items() if v and "." in k}
        assert len(response.answers) == len(answered)
    # The same file again: refused, and nothing is added.
    again = import_odk_answers(cycle, kobo_csv(form, made))
    assert again.problems == [
        "Every submission in this file has been imported into this cycle before, so nothing "
        "was imported."
    ]
    assert again.skipped == 20
    db.session.rollback()
    assert len(_stored(cycle.id)) == 20


def test_a_later_export_brings_only_the_new_answers(offline):
    cycle, form, made = offline
    import_odk_answers(cycle, kobo_csv(form, made[:12]))
    db.session.commit()
    # Kobo's export holds every submission so far: 12 already here, 8 new.
    result = import_odk_answers(cycle, kobo_csv(form, made))
    db.session.commit()
    assert (result.problems, result.added, result.skipped) == ([], 8, 12)
    assert len(_stored(cycle.id)) == 20


def test_odk_centrals_export_is_read_too_and_is_the_same_submissions(offline):
    cycle, form, made = offline
    assert import_odk_answers(cycle, central_csv(form, made[:5])).added == 5
    db.session.commit()
    # Kobo's _uuid and ODK's "uuid:..." instanceID are the same submission.
    result = import_odk_answers(cycle, kobo_csv(form, made[:6]))
    assert (result.added, result.skipped) == (1, 5)


def test_every_bad_row_is_named_and_nothing_is_stored(offline):
    cycle, form, made = offline
    made[2]["shared_aims.know_aims"] = "Agree"  # exported as labels, not values
    made[5]["inquiry_may_quote"] = "maybe"
    made[7]["instance"] = ""
    made[9]["open.anything_else"] = "x" * 5001
    made[11]["instance"] = made[3]["instance"]
    result = import_odk_answers(cycle, kobo_csv(form, made))
    assert result.problems == [
        "Row 4, shared_aims.know_aims: 'Agree' is not an answer to this question: use 1 to 5, or "
        "prefer_not_to_say (export with XML values, not labels).",
        "Row 7, inquiry_may_quote: 'maybe' is not yes or no.",
        "Row 9: its instanceID (or _uuid) is empty.",
        "Row 11, open.anything_else: the answer is longer than 5,000 characters.",
        "Row 13: it is the same submission as row 5 (the same instanceID).",
    ]
    db.session.rollback()
    assert _stored(cycle.id) == []


def test_files_that_do_not_fit_the_cycle_are_refused_whole(offline):
    cycle, form, made = offline
    old = create_cycle(cycle.group_id, "Other", cycle.starts_on, cycle.ends_on)
    db.session.commit()
    # Columns named by label (Kobo's default "Labels" export) match none of our questions.
    by_labels = b"start;end;I know what our group is for.;_uuid\n2026;2026;4;abc\n"
    assert import_odk_answers(cycle, by_labels).problems == [
        "None of the columns is named after one of this cycle's questions. Collect the answers "
        "with the form Inquiry made for this cycle, and in KoboToolbox export them with “XML "
        "values and headers”."
    ]
    no_ids = b"shared_aims.know_aims,hope.gives_hope\n4,5\n"
    assert import_odk_answers(cycle, no_ids).problems == [
        "The file has no instanceID or _uuid column, so each submission cannot be told apart. "
        "Export it again with its meta columns."
    ]
    both = b"shared_aims.know_aims,shared_aims.pw_know_aims,_uuid\n4,5,a\n"
    assert import_odk_answers(cycle, both).problems == [
        "The file has questions for group members and for peer support workers. Import each "
        "form's answers in a file of its own."
    ]
    stray = b"shared_aims.know_aims,favourite_colour,_uuid\n4,red,a\n"
    assert import_odk_answers(cycle, stray).problems == [
        "The column favourite_colour is not one of this cycle's questions for group members. "
        "Use the form Inquiry made for this cycle."
    ]
    # Answers for a draft or a closed cycle never arrive.
    assert import_odk_answers(old, kobo_csv(form, made)).problems == [
        "Open the cycle first: answers arrive only while it is open."
    ]
    close_cycle(cycle)
    assert import_odk_answers(cycle, kobo_csv(form, made)).problems == [
        "This cycle is closed: answers can no longer be added, so its summary stays as the "
        "group saw it."
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_an_audience_asked_nothing_gets_nothing(ctx):
    from inquiry.cycles.services import open_cycle

    group = make_group()
    cycle = create_cycle(group.id, "Members only", date(2026, 11, 1), date(2026, 12, 1))
    for cq in [cq for cq in cycle.questions if cq.audience == "peer_worker"]:
        cycle.questions.remove(cq)
    open_cycle(cycle)
    db.session.commit()
    body = b"inquiry_shares_openly,_uuid\nopen,abc\n"
    assert import_odk_answers(cycle, body).problems == [
        "This cycle asks peer support workers no questions, so there is nothing to import."
    ]


def test_a_submission_is_never_counted_in_two_cycles(offline):
    cycle, form, made = offline
    import_odk_answers(cycle, kobo_csv(form, made[:3]))
    db.session.commit()
    other = make_open_cycle(make_group())
    result = import_odk_answers(other, kobo_csv(form, made[:3]))
    assert result.problems == [
        f"Row {n}: this submission was imported into another cycle." for n in (2, 3, 4)
    ]


def test_peer_support_workers_choice_to_share_comes_with_their_answers(ctx):
    cycle = make_open_cycle(make_group())
    form = cycle_xlsform(cycle, "peer_worker")
    made = submissions(form, 4, seed=3)
    for answers, choice in zip(made, ["open", "anonymous", "", "open"], strict=True):
        answers["inquiry_shares_openly"] = choice
    result = import_odk_answers(cycle, kobo_csv(form, made))
    db.session.commit()
    assert (result.problems, result.audience) == ([], "peer_worker")
    shares = {r.submission_token: r.shares_openly for r in _stored(cycle.id)}
    assert [shares[token_for(m["instance"])] for m in made] == [True, False, False, True]


def test_the_imported_answers_are_in_the_summary(offline):
    from inquiry.reports.formats import summary_json
    from inquiry.reports.summary import build_summary

    cycle, form, made = offline
    import_odk_answers(cycle, kobo_csv(form, made))
    close_cycle(cycle)
    db.session.commit()
    summary = summary_json(build_summary(cycle, "en_GB", current_app.config["LINK_KEY"]))
    assert summary["responses"]["member"] == 20
    assert summary["figures"]
    knows = [m["shared_aims.know_aims"] for m in made if m["shared_aims.know_aims"]]
    stored = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.cycle_id == cycle.id, Response.source == "odk")
    )
    assert stored > len(knows)


def test_the_workspace_upload(app):
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        form = cycle_xlsform(cycle, "member")
        make_user("facilitator", group.network, [group], email="fac@example.org")
        cycle_id = cycle.id
    made = submissions(form, 20, seed=9)
    client = app.test_client()
    sign_in(client, "fac@example.org")
    show = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    link = show.find("a", href=f"/workspace/cycles/{cycle_id}/odk")
    assert link is not None
    page = check_page(client.get(link["href"]))
    fields = form_fields(page)

    def send(body: bytes):
        return client.post(
            link["href"],
            data={**fields, "file": (io.BytesIO(body), "answers.csv")},
            content_type="multipart/form-data",
        )

    bad = [dict(m) for m in made]
    bad[0]["hope.gives_hope"] = "7"
    refused = send(kobo_csv(form, bad))
    assert refused.status_code == 400
    shown = check_page(refused)
    assert shown.title.string.startswith("Error:")
    assert "Row 2, hope.gives_hope: '7' is not an answer" in shown.get_text()
    done = send(kobo_csv(form, made))
    assert done.status_code == 302
    flashed = check_page(client.get(done.headers["Location"])).get_text()
    assert "Imported 20 answers from ODK or KoboToolbox." in flashed
    twice = send(kobo_csv(form, made))
    assert twice.status_code == 400
    assert "imported into this cycle before" in check_page(twice).get_text()
    with app.app_context():
        assert len(_stored(cycle_id)) == 20
        assert str(uuid.UUID(_stored(cycle_id)[0].submission_token))
