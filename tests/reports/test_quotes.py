"""The facilitator approves members' words for the summary in the workspace."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.responses.models import QuoteApproval

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, parse


def _cycle_with_words(app, consent: list[bool]) -> int:
    """A cycle of the signed-in facilitator's group; one response per entry in consent, each
    with its own words to the open question."""
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.responses.services import record_response

    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle = make_open_cycle(group)
        questions = list_cycle_questions(cycle.id, "member")
        for i, may_quote in enumerate(consent):
            record_response(
                questions,
                audience="member",
                language="en_GB",
                answers={"open.anything_else": f"Words of person {i}, Alex"},
                may_quote=may_quote,
            )
        db.session.commit()
        return cycle.id


def _form_for(page, text: str) -> dict:
    """The fields of the form under the quote that says `text`."""
    section = next(s for s in page.select(".quote-item") if text in s.blockquote.get_text())
    form = section.form
    return {
        field["name"]: field.get("value", field.get_text())
        for field in form.find_all(["input", "textarea"])
    }


def _five_signed_in(app, client):
    """Five people who agreed to be quoted; the facilitator signed in on their quotes page.
    Returns the cycle id, the page, the first quote's form and the name of its text field."""
    cycle_id = _cycle_with_words(app, [True] * 5)
    sign_in(client, "f@example.org")
    url = f"/workspace/cycles/{cycle_id}/quotes"
    data = _form_for(parse(client.get(url)), "person 0")
    return cycle_id, url, data, next(name for name in data if name.endswith("-text"))


def test_a_facilitator_approves_shortened_words_and_can_take_them_out(app, client):
    cycle_id = _cycle_with_words(app, [True, True, False, True, True])
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/cycles/{cycle_id}/quotes"
    page = check_page(client.get(url))
    shown = [b.get_text() for b in page.select(".quote-item blockquote")]
    assert sorted(shown) == [f"Words of person {i}, Alex" for i in (0, 1, 3, 4)]
    assert "person 2" not in page.get_text()  # did not agree to be quoted
    assert all(
        s.find("strong").get_text() == "Not in the summary" for s in page.select(".quote-item")
    )

    data = _form_for(page, "person 1")
    text_field = next(name for name in data if name.endswith("-text"))
    approved = client.post(
        url, data={**data, text_field: "Words of person 1, [name]", "do": "approve"}
    )
    assert approved.status_code == 302
    page = check_page(client.get(url))
    assert "Approved. The quote will be in the summary." in page.get_text()
    summary = parse(client.get(f"/workspace/cycles/{cycle_id}/summary"))
    quotes = [b.get_text() for b in summary.select("blockquote")]
    assert quotes == ["Words of person 1, [name]"]

    with app.app_context():
        from inquiry.printing.services import request_pdf

        request_pdf("<p>Words of person 1, [name]</p>", "s.pdf", cycle_id=cycle_id)
        db.session.commit()
    data = _form_for(page, "person 1")
    assert data[text_field] == "Words of person 1, [name]"  # the approved words, to edit again
    removed = client.post(url, data={**data, "do": "remove"})
    assert removed.status_code == 302
    summary = parse(client.get(f"/workspace/cycles/{cycle_id}/summary"))
    assert summary.select("blockquote") == []
    with app.app_context():
        from inquiry.printing.models import PdfDocument

        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuoteApproval)) == 0
        # A stored PDF with the quote in it is gone once the quote is taken out.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PdfDocument)) == 0
        details = list(db.session.scalars(sa.select(AuditEvent.detail)))
    assert any("approved" in d for d in details) and any("taken out" in d for d in details)
    assert not any("Alex" in d or "person" in d for d in details)  # never what members said


def test_empty_words_are_refused_and_nothing_changes(app, client):
    cycle_id, url, data, text_field = _five_signed_in(app, client)
    refused = client.post(url, data={**data, text_field: "  ", "do": "approve"})
    assert refused.status_code == 400
    page = check_page(refused)
    assert error_summary(page) == ["Enter the words to show, or take the quote out of the summary"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuoteApproval)) == 0


def test_only_this_cycles_quotable_answers_by_the_people_who_may_see_them(app, client):
    cycle_id = _cycle_with_words(app, [True, False])
    sign_in(client, "f@example.org")
    url = f"/workspace/cycles/{cycle_id}/quotes"
    data = _form_for(parse(client.get(url)), "person 0")
    with app.app_context():
        from inquiry.responses.models import Answer

        not_agreed = db.session.scalar(
            sa.select(Answer.id).where(Answer.text == "Words of person 1, Alex")
        )
        other = make_group(name="Choir")
        make_user("facilitator", other.network, [other], email="o@example.org")
        db.session.commit()
    assert (
        client.post(url, data={**data, "answer": str(not_agreed), "do": "approve"}).status_code
        == 404
    )
    outsider = app.test_client()
    sign_in(outsider, "o@example.org")
    assert outsider.get(url).status_code == 404
    own_token = parse(outsider.get("/workspace/")).find("input", attrs={"name": "csrf_token"})
    token_field = next(name for name in data if name.endswith("csrf_token"))
    posted = {**data, token_field: own_token["value"], "do": "approve"}
    assert outsider.post(url, data=posted).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuoteApproval)) == 0


def test_with_no_words_yet_the_page_says_so(app, client):
    cycle_id = _cycle_with_words(app, [])
    sign_in(client, "f@example.org")
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/quotes"))
    assert "No one who agreed to be quoted has written anything yet." in page.get_text()


def test_hostile_words_never_break_the_page_or_the_summary(app, client):
    from hypothesis import HealthCheck, given, settings

    from ..test_hostile import OK, _escaped, values

    cycle_id, url, data, text_field = _five_signed_in(app, client)

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(text=values, answer=values, do=values)
    def attempt(text, answer, do):
        for posted in (
            {**data, text_field: text, "do": "approve"},
            {**data, "answer": answer, "do": do},
        ):
            response = client.post(url, data=posted)
            assert response.status_code in OK, response.status_code
            _escaped(response.get_data(as_text=True))
        _escaped(client.get(url).get_data(as_text=True))
        _escaped(client.get(f"/workspace/cycles/{cycle_id}/summary").get_data(as_text=True))

    attempt()
