"""The database itself keeps the rules, whatever the code above it does."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from inquiry.cycles.models import CycleQuestion, JoinCode
from inquiry.extensions import db
from inquiry.groups.models import Network
from inquiry.responses.models import Answer, Response

from ..factories import make_open_cycle


def _response(cycle, audience="member", token=None) -> Response:
    response = Response(
        cycle_id=cycle.id,
        audience=audience,
        language="en_GB",
        source="web",
        submission_token=token or str(uuid.uuid4()),
    )
    db.session.add(response)
    db.session.flush()
    return response


def _question(cycle, audience="member", qtype="likert") -> CycleQuestion:
    return next(q for q in cycle.questions if q.audience == audience and q.qtype == qtype)


def _answer(response, cq, **values) -> Answer:
    fields = {"likert": None, "text": None, "choice": None, "prefer_not_to_say": False}
    fields.update(values)
    return Answer(
        response_id=response.id,
        cycle_id=response.cycle_id,
        audience=response.audience,
        cycle_question_id=cq.id,
        qtype=cq.qtype,
        **fields,
    )


def _refused(obj) -> None:
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_response_per_submission_token(ctx):
    cycle = make_open_cycle()
    token = str(uuid.uuid4())
    _response(cycle, token=token)
    db.session.commit()
    _refused(
        Response(
            cycle_id=cycle.id,
            audience="member",
            language="en_GB",
            source="web",
            submission_token=token,
        )
    )


def test_answers_only_to_that_cycles_questions(ctx):
    cycle, other = make_open_cycle(), make_open_cycle()
    response = _response(cycle)
    foreign = _question(other)
    answer = _answer(response, foreign, likert=3)
    answer.cycle_id = cycle.id  # claims to be this cycle's, but the question is not
    _refused(answer)


def test_answers_only_to_questions_of_the_responses_audience(ctx):
    cycle = make_open_cycle()
    response = _response(cycle, audience="member")
    peer_question = _question(cycle, audience="peer_worker")
    answer = _answer(response, peer_question, likert=3)
    answer.audience = "member"
    _refused(answer)


@pytest.mark.parametrize(
    "values",
    [
        {"likert": 0},
        {"likert": 6},
        {},
        {"likert": 3, "prefer_not_to_say": True},
        {"likert": 3, "text": "also text"},
    ],
)
def test_likert_answers_are_1_to_5_or_prefer_not_to_say(ctx, values):
    cycle = make_open_cycle()
    response = _response(cycle)
    _refused(_answer(response, _question(cycle), **values))


def test_a_likert_answer_of_each_allowed_kind_is_stored(ctx):
    cycle = make_open_cycle()
    response = _response(cycle)
    likert = [q for q in cycle.questions if q.audience == "member" and q.qtype == "likert"]
    db.session.add(_answer(response, likert[0], likert=1))
    db.session.add(_answer(response, likert[1], likert=5))
    db.session.add(_answer(response, likert[2], prefer_not_to_say=True))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 3


def test_a_text_question_takes_only_text(ctx):
    cycle = make_open_cycle()
    response = _response(cycle)
    _refused(_answer(response, _question(cycle, qtype="text"), likert=4))


@pytest.mark.parametrize("k", [2, 11])
def test_the_small_numbers_threshold_stays_from_3_to_10(ctx, k):
    _refused(Network(name="Out of range", min_responses=k))


def test_a_peer_worker_may_share_openly_and_a_member_may_not(ctx):
    cycle = make_open_cycle()
    peer = _response(cycle, audience="peer_worker")
    peer.shares_openly = True
    db.session.commit()
    member = _response(cycle)
    member.shares_openly = True
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_active_join_code_per_audience(ctx):
    cycle = make_open_cycle()
    _refused(JoinCode(cycle_id=cycle.id, audience="member", code="XXXXXX", is_active=True))


def test_replacing_a_code_stops_the_old_one(ctx, client):
    from inquiry.cycles.services import issue_code

    cycle = make_open_cycle()
    old = cycle.active_code("member")
    issue_code(cycle, "member")
    db.session.commit()
    new = cycle.active_code("member")
    assert new != old
    assert client.get(f"/j/{old}").status_code == 404
    assert client.get(f"/j/{new}").status_code == 302
