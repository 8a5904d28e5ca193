"""Removing a group's own question: each audience the cycle asks keeps at least one question,
whatever the other audience is asked."""

from __future__ import annotations

from datetime import date

import pytest

from inquiry.cycles.models import CycleQuestion
from inquiry.extensions import db
from inquiry.questions.queries import list_builtin_questions

from ..pages import check_page
from .test_corrections import _own_question, _post, _signed_in


def _cycle_asking(app, group_id: int, audience: str) -> int:
    """A draft cycle asking only `audience` the built-in bank."""
    from inquiry.cycles.services import create_cycle

    with app.app_context():
        bank = {audience: list_builtin_questions(audience)}
        cycle = create_cycle(
            group_id, "Small", date(2027, 1, 1), date(2027, 1, 9), bank, strict=True
        )
        db.session.commit()
        return cycle.id


def _remove_link(client, cycle_id: int, cq_id: int) -> str:
    """The question's Remove link, as the facilitator finds it on the cycle's questions."""
    listing = check_page(client.get(f"/workspace/cycles/{cycle_id}/questions"))
    url = f"/workspace/cycles/{cycle_id}/questions/{cq_id}/remove"
    link = listing.find("a", href=url)
    assert link is not None and link.get_text(" ", strip=True).startswith("Remove")
    return url


def _refusal(page) -> str:
    return page.find("p", class_="inset").get_text(" ", strip=True)


@pytest.mark.parametrize(
    "asked, own, words",
    [
        ("peer_worker", "member", "group members"),
        ("member", "peer_worker", "peer support workers"),
    ],
)
def test_an_audiences_only_question_stays_while_the_other_audience_has_theirs(
    app, client, asked, own, words
):
    group_id = _signed_in(app, client)
    cycle_id = _cycle_asking(app, group_id, asked)
    only = _own_question(app, cycle_id, audience=own)
    url = _remove_link(client, cycle_id, only)
    page = check_page(client.get(url))
    assert page.h1.get_text() == "This question cannot be removed"
    assert _refusal(page) == (
        f"This is the only question this cycle asks {words}. "
        "Add another one for them before you remove it."
    )
    assert "cycle's only question" not in page.get_text()
    assert page.find("form", action=url) is None
    assert _post(client, url, page_url=f"/workspace/cycles/{cycle_id}").status_code == 409
    with app.app_context():
        assert db.session.get(CycleQuestion, only) is not None


def test_an_audiences_second_question_goes_and_then_its_last_one_stays(app, client):
    group_id = _signed_in(app, client)
    cycle_id = _cycle_asking(app, group_id, "peer_worker")
    first = _own_question(app, cycle_id, audience="member")
    second = _own_question(app, cycle_id, "choice", audience="member")
    url = _remove_link(client, cycle_id, second)
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Remove this question?"
    removed = _post(client, url)
    assert removed.status_code == 302
    assert "Question removed." in client.get(removed.location).get_data(as_text=True)
    last = _remove_link(client, cycle_id, first)
    page = check_page(client.get(last))
    assert page.h1.get_text() == "This question cannot be removed"
    assert "the only question this cycle asks group members" in _refusal(page)
    assert _post(client, last, page_url=f"/workspace/cycles/{cycle_id}").status_code == 409
    with app.app_context():
        assert db.session.get(CycleQuestion, second) is None
        assert db.session.get(CycleQuestion, first) is not None
