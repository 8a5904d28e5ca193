"""Sending a reflection: what is stored, and what happens when the cycle changed meanwhile."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.cycles.models import Cycle, CycleQuestion
from inquiry.extensions import db
from inquiry.responses.models import Answer, Draft, Response

from ..pages import check_page, form_fields, parse
from ..reflection import answer_page, send, start, step_count


def _add_own_questions(app, cycle) -> dict[str, str]:
    """One own question of each type for members; returns field name by type."""
    from inquiry.cycles.services import add_own_question

    with app.app_context():
        found = db.session.get(Cycle, cycle.id)
        fields = {}
        for qtype, options in (("likert", []), ("text", []), ("choice", ["Mornings", "Evenings"])):
            cq = add_own_question(found, "member", qtype, f"Our {qtype} question", "hope", options)
            fields[qtype] = "q-" + cq.question.key.replace(".", "-")
        db.session.commit()
    return fields


def _step_with(client, field: str) -> int:
    for number in range(1, step_count(client) + 1):
        if parse(client.get(f"/reflect/{number}")).find(attrs={"name": field}):
            return number
    raise AssertionError(f"no step asks {field}")


def test_a_groups_own_questions_of_every_type_are_stored(app, client, cycle):
    fields = _add_own_questions(app, cycle)
    start(client, cycle.active_code("member"))
    number = _step_with(client, fields["choice"])
    answer_page(
        client,
        number,
        {fields["likert"]: "2", fields["text"]: "More tea", fields["choice"]: "evenings"},
    )
    assert send(client).headers["Location"].endswith("/reflect/done")
    with app.app_context():
        [response] = db.session.scalars(sa.select(Response))
        stored = {
            a.qtype: (a.likert, a.text, a.choice)
            for a in response.answers
            if a.cycle_question_id
            in set(
                db.session.scalars(
                    sa.select(CycleQuestion.id)
                    .join(CycleQuestion.question)
                    .where(
                        CycleQuestion.cycle_id == cycle.id,
                        CycleQuestion.question.has(is_builtin=False),
                    )
                )
            )
        }
    assert stored == {
        "likert": (2, None, None),
        "text": (None, "More tea", None),
        "choice": (None, None, "evenings"),
    }


def test_an_answer_to_a_question_taken_out_meanwhile_is_left_out(app, client, cycle):
    fields = _add_own_questions(app, cycle)
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    answer_page(client, _step_with(client, fields["text"]), {fields["text"]: "More tea"})
    with app.app_context():
        db.session.execute(
            sa.delete(CycleQuestion).where(
                CycleQuestion.cycle_id == cycle.id,
                CycleQuestion.qtype == "text",
                CycleQuestion.question.has(is_builtin=False),
            )
        )
        db.session.commit()
    assert send(client).status_code == 302
    with app.app_context():
        texts = list(db.session.scalars(sa.select(Answer.text).where(Answer.qtype == "text")))
        likert = list(db.session.scalars(sa.select(Answer.likert).where(Answer.qtype == "likert")))
    assert texts == [] and likert == [4]


def test_a_cycle_closed_before_sending_stores_nothing_and_keeps_the_answers(app, client, cycle):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    page = check_page(client.get(f"/reflect/{step_count(client)}"))
    with app.app_context():
        from inquiry.cycles.services import close_cycle

        close_cycle(db.session.get(Cycle, cycle.id))
        db.session.commit()
    refused = client.post("/reflect/send", data=form_fields(page, "/reflect/send"))
    assert refused.status_code == 410
    assert "This reflection has closed" in parse(refused).h1.get_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
        [draft] = db.session.scalars(sa.select(Draft))
        assert draft.answers == {"shared_aims.know_aims": "4"}


def test_a_send_with_a_token_that_is_not_this_drafts_stores_nothing(app, client, cycle):
    start(client, cycle.active_code("member"))
    page = check_page(client.get(f"/reflect/{step_count(client)}"))
    data = form_fields(page, "/reflect/send")
    data["submission_token"] = "0" * 36  # not this draft's token
    lost = client.post("/reflect/send", data=data)
    assert lost.status_code == 410
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
