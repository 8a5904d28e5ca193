"""Correcting a cycle: its name and dates, a draft made by mistake, a group's own questions
before anyone answers. Every change is audited by kind and ids, never by what it said."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle, CycleQuestion
from inquiry.extensions import db
from inquiry.groups.models import Group
from inquiry.questions.models import Question

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields, parse


def _signed_in(app, client) -> int:
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        group_id = group.id
    assert sign_in(client, "f@example.org").status_code == 302
    return group_id


def _post(client, url, data=None, page_url=None):
    """Send a page's form as a browser would, with changes."""
    page = parse(client.get(page_url or url))
    form = page.find("form", action=url)
    fields = form_fields(page, url) if form else {}
    fields.setdefault("csrf_token", page.find("input", attrs={"name": "csrf_token"})["value"])
    return client.post(url, data={**fields, **(data or {})})


def _events(app) -> list[tuple[str, str, int | None, str]]:
    with app.app_context():
        return [
            (e.action, e.object_type, e.object_id, e.detail)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def _draft(app, group_id: int, title: str = "Sprnig") -> int:
    from inquiry.cycles.services import create_cycle

    with app.app_context():
        cycle = create_cycle(group_id, title, date(2027, 3, 1), date(2027, 3, 20))
        db.session.commit()
        return cycle.id


def test_a_cycles_name_and_dates_are_corrected_in_any_state(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        cycle_id = make_open_cycle(db.session.get(Group, group_id), title="Autum").id
    url = f"/workspace/cycles/{cycle_id}/edit"
    shown = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    assert shown.find("a", href=url).get_text() == "Change the name and dates"
    page = check_page(client.get(url))
    assert page.find("input", attrs={"name": "title"})["value"] == "Autum"
    backwards = _post(client, url, {"starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert backwards.status_code == 400
    refused = check_page(backwards)
    assert error_summary(refused) == ["The last day must be on or after the first day"]
    assert refused.title.string.startswith("Error:")
    empty = _post(client, url, {"title": "  "})
    assert error_summary(check_page(empty)) == ["Enter a name for the cycle"]
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        assert (cycle.title, cycle.ends_on) == ("Autum", date(2026, 12, 1))
    saved = _post(client, url, {"title": "Autumn", "starts_on": "2026-11-02"})
    assert saved.status_code == 302
    assert "Changes saved." in client.get(saved.location).get_data(as_text=True)
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        assert (cycle.title, cycle.starts_on, cycle.state) == ("Autumn", date(2026, 11, 2), "open")
    # The log says what kind of thing changed, never the words.
    assert ("edited", "cycle", cycle_id, "title and dates") in _events(app)
    assert not any("Autumn" in detail for *_rest, detail in _events(app))
    unchanged = _post(client, url)
    assert "Nothing changed." in client.get(unchanged.location).get_data(as_text=True)


def test_a_draft_is_deleted_after_a_confirmation_a_cycle_that_opened_never(app, client):
    group_id = _signed_in(app, client)
    draft_id = _draft(app, group_id)
    with app.app_context():
        opened_id = make_open_cycle(db.session.get(Group, group_id)).id
    url = f"/workspace/cycles/{draft_id}/delete"
    shown = check_page(client.get(f"/workspace/cycles/{draft_id}"))
    assert shown.find("a", href=url).get_text() == "Delete this draft"
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Delete this cycle?"
    assert confirm.main.find("button").get_text() == "Yes, delete the cycle"
    no_token = client.post(url, data={})
    assert no_token.status_code == 400
    deleted = _post(client, url)
    assert deleted.status_code == 302
    home = check_page(client.get(deleted.location))
    assert "Deleted the draft cycle Sprnig." in home.get_text()
    assert client.get(f"/workspace/cycles/{draft_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Cycle, draft_id) is None
        left = db.session.scalar(
            sa.select(sa.func.count()).select_from(CycleQuestion).filter_by(cycle_id=draft_id)
        )
        assert left == 0
    assert ("deleted", "cycle", draft_id, f"draft in group {group_id}") in _events(app)

    # An opened cycle: the page says why not, and a POST changes nothing.
    url = f"/workspace/cycles/{opened_id}/delete"
    shown = check_page(client.get(f"/workspace/cycles/{opened_id}"))
    assert shown.find("a", href=url) is None
    why = check_page(client.get(url))
    assert why.h1.get_text() == "This cycle cannot be deleted"
    assert why.main.find("button") is None
    token = why.find("input", attrs={"name": "csrf_token"}) or parse(
        client.get(f"/workspace/cycles/{opened_id}")
    ).find("input", attrs={"name": "csrf_token"})
    assert client.post(url, data={"csrf_token": token["value"]}).status_code == 409
    with app.app_context():
        assert db.session.get(Cycle, opened_id) is not None


def _own_question(app, cycle_id: int, qtype: str = "likert", audience: str = "member") -> int:
    from inquiry.cycles.services import add_own_question

    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        options = ["Tea", "Coffee"] if qtype == "choice" else []
        cq = add_own_question(cycle, audience, qtype, "We shoud meet outdoors.", "own", options)
        db.session.commit()
        return cq.id


def test_a_groups_own_question_is_changed_or_removed_until_the_first_answer(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        cycle_id = make_open_cycle(db.session.get(Group, group_id)).id
    likert = _own_question(app, cycle_id)
    choice = _own_question(app, cycle_id, "choice", "peer_worker")
    listing = check_page(client.get(f"/workspace/cycles/{cycle_id}/questions"))
    edit_url = f"/workspace/cycles/{cycle_id}/questions/{likert}/edit"
    assert listing.find("a", href=edit_url) is not None

    with app.app_context():
        from inquiry.questions.models import QuestionText

        # A translation of the old words no longer says the same: it goes with them.
        question = db.session.get(CycleQuestion, likert).question
        question.texts["pl"] = QuestionText(language="pl", text="Spotykajmy się na dworze.")
        db.session.commit()
    page = check_page(client.get(edit_url))
    assert page.find("input", attrs={"name": "text"})["value"] == "We shoud meet outdoors."
    assert page.find("textarea") is None  # options only for a choice
    empty = _post(client, edit_url, {"text": ""})
    assert error_summary(check_page(empty)) == ["Enter the question"]
    saved = _post(client, edit_url, {"text": "We should meet outdoors.", "theme": "own"})
    assert saved.status_code == 302
    choice_url = f"/workspace/cycles/{cycle_id}/questions/{choice}/edit"
    one = _post(client, choice_url, {"options": "Tea"})
    assert error_summary(check_page(one)) == ["Give between 2 and 8 options, one on each line"]
    assert _post(client, choice_url, {"options": "Tea\nCoffee\nJuice"}).status_code == 302
    with app.app_context():
        cq = db.session.get(CycleQuestion, likert)
        assert cq.question.text_in("en_GB").text == "We should meet outdoors."
        assert set(cq.question.texts) == {"en_GB"}
        cq = db.session.get(CycleQuestion, choice)
        assert cq.question.options == ["tea", "coffee", "juice"]
        assert cq.question.text_in("en_GB").option_labels == ["Tea", "Coffee", "Juice"]

    choice_question = _question_id(app, choice)
    remove_url = f"/workspace/cycles/{cycle_id}/questions/{choice}/remove"
    confirm = check_page(client.get(remove_url))
    assert confirm.h1.get_text() == "Remove this question?"
    assert _post(client, remove_url).status_code == 302
    with app.app_context():
        assert db.session.get(CycleQuestion, choice) is None
        assert db.session.scalar(sa.select(Question).filter_by(qtype="choice", is_builtin=False))
    events = _events(app)
    assert ("edited", "cycle", cycle_id, f"removed question {choice_question}") in events
    assert ("edited", "cycle", cycle_id, f"changed question {choice_question}") in events
    assert not any("outdoors" in e[3] or "Juice" in e[3] for e in events)

    # A built-in question is not the group's to change.
    with app.app_context():
        builtin = db.session.scalar(
            sa.select(CycleQuestion.id)
            .join(Question, Question.id == CycleQuestion.question_id)
            .where(CycleQuestion.cycle_id == cycle_id, Question.is_builtin)
        )
    assert client.get(f"/workspace/cycles/{cycle_id}/questions/{builtin}/edit").status_code == 404

    # Once someone answers, the page says why not and a POST changes nothing.
    _answer_once(app, cycle_id)
    why = check_page(client.get(edit_url))
    assert "Answers have arrived" in why.get_text() and why.find("input", type="text") is None
    refused = _post(
        client, edit_url, {"text": "Something else"}, page_url=f"/workspace/cycles/{cycle_id}"
    )
    assert refused.status_code == 409
    gone = _post(
        client,
        remove_url.replace(str(choice), str(likert)),
        page_url=f"/workspace/cycles/{cycle_id}",
    )
    assert gone.status_code == 409
    with app.app_context():
        cq = db.session.get(CycleQuestion, likert)
        assert cq.question.text_in("en_GB").text == "We should meet outdoors."


def _question_id(app, cq_id: int) -> int:
    with app.app_context():
        return db.session.get(CycleQuestion, cq_id).question_id


def _answer_once(app, cycle_id: int) -> None:
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.responses.services import record_response

    with app.app_context():
        questions = list_cycle_questions(cycle_id, "member")
        record_response(
            questions,
            audience="member",
            language="en_GB",
            answers={questions[0].question.key: "4"},
        )
        db.session.commit()


def test_an_own_question_another_cycle_has_answers_to_keeps_its_words(app, client):
    from inquiry.cycles.services import create_cycle, questions_of

    group_id = _signed_in(app, client)
    with app.app_context():
        first = make_open_cycle(db.session.get(Group, group_id))
        first_id = first.id
    cq_id = _own_question(app, first_id)
    _answer_once(app, first_id)
    with app.app_context():
        # The next cycle copies the group's own question, as "Start a new cycle" does.
        later = create_cycle(
            group_id,
            "Next",
            date(2027, 1, 1),
            date(2027, 1, 30),
            questions_of(db.session.get(Cycle, first_id)),
            strict=True,
        )
        db.session.commit()
        later_id = later.id
        question_id = db.session.get(CycleQuestion, cq_id).question_id
        copied = db.session.scalar(
            sa.select(CycleQuestion.id).filter_by(cycle_id=later_id, question_id=question_id)
        )
    edit_url = f"/workspace/cycles/{later_id}/questions/{copied}/edit"
    why = check_page(client.get(edit_url))
    assert "Another cycle asks this question and has answers" in why.get_text()
    # Taking it out of the new cycle is still fine.
    assert (
        _post(client, f"/workspace/cycles/{later_id}/questions/{copied}/remove").status_code == 302
    )


def test_an_archived_group_takes_no_new_cycle(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.core.models import utcnow

        db.session.get(Group, group_id).archived_at = utcnow()
        db.session.commit()
    refused = client.get(f"/workspace/groups/{group_id}/cycles/new")
    assert refused.status_code == 409
    page = check_page(refused)
    assert page.h1.get_text() == "Allotment is archived"
    assert page.find("form", action=f"/workspace/groups/{group_id}/unarchive") is not None
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    posted = client.post(
        f"/workspace/groups/{group_id}/cycles/new",
        data={
            "csrf_token": token,
            "title": "X",
            "starts_on": "2027-01-01",
            "ends_on": "2027-01-02",
        },
    )
    assert posted.status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(Cycle.id).filter_by(group_id=group_id)) is None


def test_someone_elses_cycle_and_questions_are_not_found(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        cycle_id = make_open_cycle(db.session.get(Group, group_id)).id
        other = make_group(name="Choir")
        make_user("facilitator", other.network, [other], email="other@example.org")
    cq_id = _own_question(app, cycle_id)
    stranger = app.test_client()
    assert sign_in(stranger, "other@example.org").status_code == 302
    token = parse(stranger.get("/workspace/")).find("input", attrs={"name": "csrf_token"})["value"]
    for url in (
        f"/workspace/cycles/{cycle_id}/edit",
        f"/workspace/cycles/{cycle_id}/delete",
        f"/workspace/cycles/{cycle_id}/questions/{cq_id}/edit",
        f"/workspace/cycles/{cycle_id}/questions/{cq_id}/remove",
        f"/workspace/groups/{group_id}/archive",
    ):
        assert stranger.get(url).status_code == 404, url
        posted = stranger.post(url, data={"csrf_token": token, "text": "Changed", "title": "X"})
        assert posted.status_code == 404, url
    with app.app_context():
        assert db.session.get(CycleQuestion, cq_id) is not None
        assert db.session.get(Cycle, cycle_id).title == "Autumn"


def test_a_cycles_only_question_stays_until_another_is_added(app, client):
    from inquiry.cycles.services import create_cycle

    group_id = _signed_in(app, client)
    with app.app_context():
        cycle = create_cycle(group_id, "Small", date(2027, 1, 1), date(2027, 1, 9), strict=True)
        db.session.commit()
        cycle_id = cycle.id
    only = _own_question(app, cycle_id)
    url = f"/workspace/cycles/{cycle_id}/questions/{only}/remove"
    page = check_page(client.get(url))
    assert page.h1.get_text() == "This question cannot be removed"
    assert "This is the cycle's only question." in page.get_text()
    assert _post(client, url, page_url=f"/workspace/cycles/{cycle_id}").status_code == 409
    with app.app_context():
        assert db.session.get(CycleQuestion, only) is not None
