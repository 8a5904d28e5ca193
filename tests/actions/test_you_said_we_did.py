"""You said, we did: an action links to the finding it answers; in the next cycle group
members are asked "Did this happen?" about each action (one optional step, no JavaScript),
and the answers appear next to the action in the summary under the small-numbers rule."""

from __future__ import annotations

import subprocess
from datetime import date

import sqlalchemy as sa
from bs4 import BeautifulSoup

from inquiry.actions.models import Action, ActionCheck
from inquiry.agenda.models import AgendaTopic
from inquiry.cycles.models import Cycle
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_network, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields
from ..reflection import answer_page, send, start, step_count
from ..reports.test_report import KEY, _respond

K = 3


def _last_time(app, *, open_next=True):
    """A group (k = 3) whose closed Spring cycle agreed two actions, one answering a
    shortlisted agenda topic, and whose Summer cycle is open."""
    with app.app_context():
        group = make_group(make_network(min_responses=K), name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        spring = make_closed_cycle(
            group, title="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)
        )
        topic = AgendaTopic(cycle_id=spring.id, title="A trip to the seaside")
        db.session.add(topic)
        db.session.flush()
        trip = Action(
            cycle_id=spring.id,
            what="Plan a seaside trip",
            finding_kind="topic",
            finding_id=topic.id,
        )
        walks = Action(cycle_id=spring.id, what="Walk on Sundays too", theme="shared_aims")
        db.session.add_all([trip, walks])
        db.session.commit()
        ids = {"spring": spring.id, "topic": topic.id, "trip": trip.id, "walks": walks.id}
        if open_next:
            summer = make_open_cycle(
                group, title="Summer", starts_on=date(2026, 6, 1), ends_on=date(2026, 7, 1)
            )
            ids["summer"], ids["code"] = summer.id, summer.active_code("member")
        return ids


def test_a_facilitator_links_an_action_to_an_agenda_topic_and_bad_links_change_nothing(app, client):
    ids = _last_time(app, open_next=False)
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/cycles/{ids['spring']}/actions"
    page = check_page(client.get(url))
    options = {o["value"]: o.get_text() for o in page.select("select#theme option")}
    assert options[f"topic:{ids['topic']}"] == "Agenda topic: A trip to the seaside"
    assert options["hope"] == "Hope"
    # The list says what each action answers.
    rows = [th.get_text(" ", strip=True) for th in page.select("tbody th")]
    assert "Plan a seaside trip Agenda topic: A trip to the seaside" in rows
    fields = form_fields(page, url)
    added = client.post(url, data={**fields, "what": "Ask the council", "theme": "hope"})
    assert added.status_code == 302
    for bad in (f"topic:{ids['topic'] + 99}", "story:1", "topic:x", "nonsense"):
        refused = client.post(url, data={**fields, "what": "Sneaky", "theme": bad})
        assert refused.status_code == 400, bad
        assert error_summary(check_page(refused)) == ["Choose what it answers from the list"]
    with app.app_context():
        actions = db.session.scalars(sa.select(Action).order_by(Action.id)).all()
        assert [(a.what, a.theme, a.finding_kind) for a in actions][-1] == (
            "Ask the council",
            "hope",
            None,
        )
        assert "Sneaky" not in [a.what for a in actions]
    # Changing the link to the topic.
    edit = f"/workspace/actions/{ids['walks']}/edit"
    fields = form_fields(check_page(client.get(edit)), edit)
    assert client.post(edit, data={**fields, "theme": f"topic:{ids['topic']}"}).status_code == 302
    with app.app_context():
        walks = db.session.get(Action, ids["walks"])
        assert (walks.theme, walks.finding_kind, walks.finding_id) == (None, "topic", ids["topic"])


def test_a_member_is_asked_did_this_happen_without_javascript_and_may_skip(app, client):
    ids = _last_time(app)
    start(client, ids["code"])
    total = step_count(client)
    actions_step = total - 2  # then "Before you send", then "Check your answers"
    page = check_page(client.get(f"/reflect/{actions_step}"))
    assert page.h1.get_text() == "Did this happen?"
    legends = [legend.get_text(strip=True) for legend in page.select("fieldset legend")]
    assert legends == ["Plan a seaside trip", "Walk on Sundays too"]
    assert not page.find("script")
    # A made-up answer is refused with a plain message, and nothing is kept.
    bad = answer_page(client, actions_step, {f"action-{ids['trip']}": "maybe"})
    assert bad.status_code == 400
    assert error_summary(check_page(bad)) == ["Choose one of the answers, or leave it empty"]
    ok = answer_page(client, actions_step, {f"action-{ids['trip']}": "partly"})
    assert ok.status_code == 302 and ok.location.endswith(f"/reflect/{actions_step + 1}")
    check = check_page(client.get(f"/reflect/{total}"))
    rows = {
        row.dt.get_text(strip=True): row.select("dd")[0].get_text(strip=True)
        for row in check.select("dl.summary .row")
    }
    assert rows["Plan a seaside trip"] == "Partly"
    assert rows["Walk on Sundays too"] == "Skipped"
    assert send(client).status_code == 302
    with app.app_context():
        checks = db.session.scalars(sa.select(ActionCheck)).all()
        assert [(c.action_id, c.value) for c in checks] == [(ids["trip"], "partly")]


def test_a_peer_support_worker_is_not_asked(app, client):
    ids = _last_time(app)
    with app.app_context():
        code = db.session.get(Cycle, ids["summer"]).active_code("peer_worker")
    start(client, code, sharing="anonymous")
    total = step_count(client)
    titles = [check_page(client.get(f"/reflect/{n}")).h1.get_text() for n in range(1, total)]
    assert "Did this happen?" not in titles


def _answers(app, ids, values):
    """Group members' reflections of Summer, each with one answer about the trip."""
    with app.app_context():
        summer = db.session.get(Cycle, ids["summer"])
        for value in values:
            response = _respond(summer, "member", {"hope.gives_hope": "4"})
            db.session.add(ActionCheck(response_id=response.id, action_id=ids["trip"], value=value))
        db.session.commit()


def _summary(app, ids):
    with app.app_context():
        summary = build_summary(db.session.get(Cycle, ids["summer"]), "en_GB", KEY)
        html = render_summary(summary, "en_GB")
        easy = render_summary(summary, "en_GB", easy_read=True)
        return summary, BeautifulSoup(html, "html.parser"), BeautifulSoup(easy, "html.parser")


def _close(app, ids):
    with app.app_context():
        close_cycle(db.session.get(Cycle, ids["summer"]))
        db.session.commit()


def test_the_answers_are_shown_only_once_closed_and_from_k_who_answered(app):
    ids = _last_time(app)
    _answers(app, ids, ["yes", "yes"])  # k - 1
    summary, page, easy = _summary(app, ids)
    assert all(a.checks is None for a in summary.actions)  # open: no figures at all
    assert "Did this happen?" not in page.get_text()
    _close(app, ids)
    summary, page, easy = _summary(app, ids)
    trip = next(a for a in summary.actions if a.what == "Plan a seaside trip")
    assert trip.checks is None and trip.finding == ("topic", "A trip to the seaside")
    item = next(li for li in page.select("ul.actions li") if "seaside trip" in li.get_text())
    text = " ".join(item.get_text().split())
    assert "Fewer than 3 group members answered, so we do not show their answers." in text
    assert "Yes 2" not in text and "It answers the agenda topic “A trip to the seaside”." in text
    assert "said yes" not in easy.get_text()


def test_at_k_every_answer_is_shown_whole_on_the_web_the_pdf_and_the_wall_sheet(
    app, client, tmp_path
):
    ids = _last_time(app)
    _answers(app, ids, ["yes", "partly", "yes"])  # k
    _close(app, ids)
    summary, page, easy = _summary(app, ids)
    trip = next(a for a in summary.actions if a.what == "Plan a seaside trip")
    assert trip.checks == {"yes": 2, "partly": 1, "no": 0, "dont_know": 0}
    walks = next(a for a in summary.actions if a.what == "Walk on Sundays too")
    assert walks.checks is None  # nobody answered about this one
    item = next(li for li in page.select("ul.actions li") if "seaside trip" in li.get_text())
    assert (
        "Did this happen? Group members said: Yes 2 · Partly 1 · No 0 · Don't know 0"
        in " ".join(item.get_text().split())
    )
    wall = " ".join(easy.get_text().split())
    assert "Did it happen? 2 said yes, 1 partly, 0 no, 0 did not know." in wall
    # The printed summary carries the same words, read back from the PDF.
    runner = app.test_cli_runner()
    path = tmp_path / "summary.pdf"
    args = ["report", str(ids["summer"]), "--format", "pdf", "-o", str(path)]
    assert runner.invoke(args=args).exit_code == 0
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Did this happen? Group members said: Yes 2 · Partly 1 · No 0 · Don't know 0" in text


def test_an_action_answers_a_shortlisted_story_and_withdrawn_answers_go_with_the_response(
    app, client
):
    from inquiry.responses.models import Response
    from inquiry.responses.services import withdraw_response
    from inquiry.stories.services import shortlist_story

    from ..stories.helpers import write

    ids = _last_time(app)
    with app.app_context():  # as the member wrote them and the facilitator shortlisted one
        story, _receipt = write(ids["spring"], "Out again", "I walk by the river now.")
        shortlist_story(story, "Out again", "I walk by the river.", None)
        unshared, _receipt = write(ids["spring"], "Private", "Just for you.", share=False)
        left_off, _receipt = write(ids["spring"], "Cooking", "We cook together.")
        db.session.commit()
        story_id, unshared_id, left_off_id = story.id, unshared.id, left_off.id
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/actions/{ids['walks']}/edit"
    page = check_page(client.get(url))
    options = {o["value"]: o.get_text() for o in page.select("select#theme option")}
    assert options[f"story:{story_id}"] == "Story: Out again"
    # Only the shortlist: not a story its writer kept private, nor one left off the shortlist.
    assert f"story:{unshared_id}" not in options
    assert f"story:{left_off_id}" not in options
    saved = client.post(url, data={**form_fields(page, url), "theme": f"story:{story_id}"})
    assert saved.status_code == 302
    _answers(app, ids, ["no", "no", "yes"])
    _close(app, ids)
    _summary_, page, _easy = _summary(app, ids)
    walks = next(li for li in page.select("ul.actions li") if "Sundays" in li.get_text())
    assert "It answers the story “Out again”." in " ".join(walks.get_text().split())
    # Withdrawing a reflection takes its answer about the action with it.
    with app.app_context():
        first = db.session.scalars(sa.select(ActionCheck).order_by(ActionCheck.id)).first()
        withdraw_response(db.session.get(Response, first.response_id))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionCheck)) == 2
    assert (
        next(a for a in _summary(app, ids)[0].actions if a.what.startswith("Plan")).checks is None
    )
