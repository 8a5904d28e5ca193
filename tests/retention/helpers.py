"""A closed cycle with answers of every kind the retention period deletes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from inquiry.agenda.models import AgendaTopic, AgendaVote
from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.responses.models import Answer, Draft
from inquiry.responses.services import approve_quote, record_response

from ..factories import make_group, make_network, make_open_cycle

WORDS = "The walk on Tuesdays keeps me going"


def cycle_with_answers(months: int | None = 24, closed: datetime | None = None, network=None):
    """Six members (hope answered 5,4 / 4,4 / ...), one quote approved, a draft, two agenda
    votes; closed on 15 January 2026 unless told otherwise. Returns the cycle."""
    network = network or make_network(name="Riverside", retention_months=months)
    group = make_group(network, name="Walking group")
    cycle = make_open_cycle(
        group, title="Spring", starts_on=date(2025, 12, 1), ends_on=date(2026, 1, 10)
    )
    questions = list_cycle_questions(cycle.id, "member")
    text_key = next(q.question.key for q in questions if q.qtype == "text")
    for number, (a, b) in enumerate([(5, 4), (4, 4), (3, 2), (5, 5), (2, 3), (4, 5)]):
        answers = {"hope.gives_hope": str(a), "hope.others_show_way": str(b)}
        if number == 0:
            answers[text_key] = WORDS
        record_response(
            questions, audience="member", language="en_GB", answers=answers, may_quote=True
        )
    quoted = db.session.query(Answer).filter(Answer.text == WORDS).one()
    approve_quote(quoted.id)
    db.session.add(
        Draft(
            token_digest="d" * 64,
            cycle_id=cycle.id,
            audience="member",
            language="en_GB",
            submission_token="t" * 36,
            answers={"hope.gives_hope": "3"},
            expires_at=datetime(2027, 1, 1, tzinfo=UTC),
        )
    )
    topic = AgendaTopic(cycle_id=cycle.id, title="A longer walk")
    db.session.add(topic)
    db.session.flush()
    db.session.add_all([AgendaVote(topic_id=topic.id, voter_digest=c * 64) for c in "ab"])
    close_cycle(cycle)
    cycle.closed_at = closed or datetime(2026, 1, 15, 18, 0, tzinfo=UTC)
    db.session.commit()
    return cycle
