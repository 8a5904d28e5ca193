"""The facilitator approves people's words for the summary in the workspace: only their own
words (shortened, never added to), and a note on each quote the summary cannot show."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.reports.privacy import quote_audience_shown
from inquiry.responses.models import QuoteApproval

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, error_summary, parse

MEMBER_QUESTION = "Is there anything else you would like to tell us?"
PEER_QUESTION = "What is the biggest change you have seen in the group or its members?"
PEER_QUESTION_PL = "Jaka jest największa zmiana, którą widzisz w grupie albo u jej uczestników?"
PEERS_NOTE = (
    "This will not be in the summary: fewer than 5 peer support workers answered anonymously."
)


def _cycle_with_words(app, consent: list[bool], peers=(), closed: bool = False) -> int:
    """A cycle of the signed-in facilitator's group; one member's response per entry in
    consent, each with its own words to the open question; and one peer support worker's per
    entry in peers, (may quote, shares openly), with words to their own open question."""
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.cycles.services import close_cycle
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
        peer_questions = list_cycle_questions(cycle.id, "peer_worker")
        for i, (may_quote, shares_openly) in enumerate(peers):
            response = record_response(
                peer_questions,
                audience="peer_worker",
                language="en_GB",
                answers={"open.pw_most_significant_change": f"Peer words {i}, more confident"},
                may_quote=may_quote,
            )
            response.shares_openly = shares_openly
        if closed:
            close_cycle(cycle)
        db.session.commit()
        return cycle.id


def _approvals(app) -> dict[str, str]:
    """The approved words, by the answer they come from."""
    from inquiry.responses.models import Answer

    with app.app_context():
        return dict(
            db.session.execute(
                sa.select(Answer.text, QuoteApproval.text).join(
                    QuoteApproval, QuoteApproval.answer_id == Answer.id
                )
            ).all()
        )


def _summary_quotes(client, cycle_id: int) -> list[str]:
    """The quotes' words in the summary, without the line that says who they are from."""
    summary = parse(client.get(f"/workspace/cycles/{cycle_id}/summary"))
    return [
        "".join(b.find_all(string=True, recursive=False)).strip()
        for b in summary.select("blockquote")
    ]


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
    cycle_id = _cycle_with_words(app, [True, True, False, True, True], closed=True)
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
        url, data={**data, text_field: "Words of person 1, […]", "do": "approve"}
    )
    assert approved.status_code == 302
    page = check_page(client.get(url))
    assert "Approved. The quote will be in the summary." in page.get_text()
    assert _summary_quotes(client, cycle_id) == ["Words of person 1, […]"]

    with app.app_context():
        from inquiry.printing.services import request_pdf

        request_pdf("<p>Words of person 1, […]</p>", "s.pdf", cycle_id=cycle_id)
        db.session.commit()
    data = _form_for(page, "person 1")
    assert data[text_field] == "Words of person 1, […]"  # the approved words, to edit again
    removed = client.post(url, data={**data, "do": "remove"})
    assert removed.status_code == 302
    assert _summary_quotes(client, cycle_id) == []
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


def _refused(response) -> list[str]:
    """A refused approval: the page again, with the problem in its summary and title."""
    assert response.status_code == 400
    page = check_page(response)
    assert page.title.string.startswith("Error: ")
    assert page.find(class_="error-summary").find("h2").get_text() == "There is a problem"
    return error_summary(page)


THEIR_OWN_WORDS = (
    "Use only the person's own words, in their order. To leave words out, delete them or put "
    "[…] in their place."
)


def test_each_quote_says_who_it_is_from_and_which_question_in_the_pages_language(app, client):
    cycle_id = _cycle_with_words(app, [True], peers=[(True, False)])
    sign_in(client, "f@example.org")
    url = f"/workspace/cycles/{cycle_id}/quotes"
    page = check_page(client.get(url))
    items = {
        s.blockquote.get_text(): (
            s.select_one(".quote-audience").get_text(),
            s.h2.get_text(),
            s["aria-labelledby"] == s.h2["id"],
        )
        for s in page.select(".quote-item")
    }
    assert items == {
        "Words of person 0, Alex": ("A group member", MEMBER_QUESTION, True),
        "Peer words 0, more confident": ("A peer support worker", PEER_QUESTION, True),
    }
    client.get("/language/pl")
    page = check_page(client.get(url))
    headings = [h.get_text() for h in page.select(".quote-item h2")]
    assert PEER_QUESTION_PL in headings and PEER_QUESTION not in headings


def test_added_words_are_refused_and_nothing_is_saved(app, client):
    cycle_id, url, data, text_field = _five_signed_in(app, client)
    added = "Words of person 0, Alex, who is lovely"
    refused = client.post(url, data={**data, text_field: added, "do": "approve"})
    assert _refused(refused) == [THEIR_OWN_WORDS]
    page = parse(refused)
    field = page.find("textarea", attrs={"name": text_field})
    assert field.get_text() == added  # what was typed stays, to be put right
    assert "group-error" in field.find_parent(class_="group")["class"]
    assert _approvals(app) == {}

    # An approval already made stays as it was when a later change is refused.
    client.post(url, data={**data, text_field: "Words of person 0", "do": "approve"})
    refused = client.post(url, data={**data, text_field: "Kind words of person 0", "do": "approve"})
    assert _refused(refused) == [THEIR_OWN_WORDS]
    assert _approvals(app) == {"Words of person 0, Alex": "Words of person 0"}


def test_moved_words_are_refused(app, client):
    cycle_id, url, data, text_field = _five_signed_in(app, client)
    moved = client.post(url, data={**data, text_field: "Alex, words of person 0", "do": "approve"})
    assert _refused(moved) == [THEIR_OWN_WORDS]
    assert _approvals(app) == {}


def test_words_left_out_with_the_sign_are_accepted_and_three_dots_become_one_sign(app, client):
    cycle_id, url, data, text_field = _five_signed_in(app, client)
    shortened = client.post(url, data={**data, text_field: "Words […] 0", "do": "approve"})
    assert shortened.status_code == 302
    assert _approvals(app) == {"Words of person 0, Alex": "Words […] 0"}
    typed = client.post(url, data={**data, text_field: "[...] person 0, [...]", "do": "approve"})
    assert typed.status_code == 302
    assert _approvals(app) == {"Words of person 0, Alex": "[…] person 0, […]"}
    page = check_page(client.get(url))
    field = page.find("textarea", attrs={"name": text_field})
    assert field.get_text() == "[…] person 0, […]"


def test_only_the_sign_is_no_words_at_all(app, client):
    cycle_id, url, data, text_field = _five_signed_in(app, client)
    refused = client.post(url, data={**data, text_field: "[…]", "do": "approve"})
    assert _refused(refused) == ["Enter the words to show, or take the quote out of the summary"]
    assert _approvals(app) == {}


def test_the_approve_quote_command_takes_only_the_persons_own_words(app):
    from inquiry.responses.models import Answer

    _cycle_with_words(app, [True] * 5)
    with app.app_context():
        answer_id = db.session.scalar(
            sa.select(Answer.id).where(Answer.text == "Words of person 0, Alex")
        )
    runner = app.test_cli_runner()

    def approve(*text):
        return runner.invoke(args=["approve-quote", str(answer_id), *text])

    for words in ("Words of person 0, Alex and friends", "Alex, words of person 0"):
        result = approve("--text", words)
        assert result.exit_code != 0
        assert "Nothing was approved. Use only the person's own words, in their order." in (
            result.output
        )
        assert _approvals(app) == {}
    result = approve("--text", "  ")
    assert result.exit_code != 0 and "Give the words to quote with --text" in result.output
    assert _approvals(app) == {}

    result = approve("--text", "Words of [...] 0")
    assert result.exit_code == 0, result.output
    assert _approvals(app) == {"Words of person 0, Alex": "Words of […] 0"}
    result = approve()  # the whole answer
    assert result.exit_code == 0, result.output
    assert _approvals(app) == {"Words of person 0, Alex": "Words of person 0, Alex"}


@pytest.mark.parametrize(
    ("audience", "shares_openly", "members_n", "anonymous_peers_n", "shown"),
    [
        ("member", False, 5, 0, True),  # k members answered
        ("member", False, 4, 9, False),  # fewer than k members: peers do not make up for it
        ("member", False, 0, 0, False),
        ("peer_worker", True, 0, 0, True),  # shares openly: at any number
        ("peer_worker", True, 2, 1, True),
        ("peer_worker", False, 8, 2, False),  # anonymous, and only 2 answered anonymously
        ("peer_worker", False, 8, 4, False),
        ("peer_worker", False, 0, 5, True),  # k answered anonymously
    ],
)
def test_whether_a_quotes_audience_is_shown(
    audience, shares_openly, members_n, anonymous_peers_n, shown
):
    assert quote_audience_shown(audience, shares_openly, members_n, anonymous_peers_n, 5) is shown


def test_a_quote_the_summary_cannot_show_says_so(app, client):
    # 8 group members, 2 peer support workers answering anonymously and 1 sharing openly.
    cycle_id = _cycle_with_words(
        app, [True] * 3 + [False] * 5, peers=[(True, False), (True, False), (True, True)]
    )
    sign_in(client, "f@example.org")
    url = f"/workspace/cycles/{cycle_id}/quotes"
    page = check_page(client.get(url))
    notes = {
        s.blockquote.get_text(): [p.get_text() for p in s.select(".quote-note")]
        for s in page.select(".quote-item")
    }
    assert notes == {
        "Words of person 0, Alex": [],
        "Words of person 1, Alex": [],
        "Words of person 2, Alex": [],
        "Peer words 0, more confident": [PEERS_NOTE],
        "Peer words 1, more confident": [PEERS_NOTE],
        "Peer words 2, more confident": [],  # shares openly
    }

    # Approving one says at once that it will not be in the summary, and why.
    data = _form_for(page, "Peer words 0")
    approved = client.post(url, data={**data, "do": "approve"})
    assert approved.status_code == 302
    page = check_page(client.get(url))
    assert "Approved, but it will not be in the summary: the note under it says why." in (
        page.get_text()
    )
    section = next(s for s in page.select(".quote-item") if "Peer words 0" in s.blockquote.text)
    assert section.find("strong", class_="tag").get_text() == "Approved"
    assert [p.get_text() for p in section.select(".quote-note")] == [PEERS_NOTE]

    # The command line says the same.
    listed = app.test_cli_runner().invoke(args=["quotes", str(cycle_id)])
    assert listed.exit_code == 0, listed.output
    notes = [line for line in listed.output.splitlines() if "not in the summary" in line]
    assert len(notes) == 2
    assert all("fewer than 5 peer support workers answered anonymously" in n for n in notes)


def test_too_few_members_is_said_too_and_the_summary_agrees_with_the_notes(app, client):
    cycle_id = _cycle_with_words(app, [True] * 4, peers=[(True, True)], closed=True)
    sign_in(client, "f@example.org")
    url = f"/workspace/cycles/{cycle_id}/quotes"
    page = check_page(client.get(url))
    for section in page.select(".quote-item"):
        notes = [p.get_text() for p in section.select(".quote-note")]
        if "person" in section.blockquote.get_text():
            assert notes == [
                "This will not be in the summary: fewer than 5 group members answered."
            ]
        else:
            assert notes == []
        client.post(url, data={**_form_for(page, section.blockquote.get_text()), "do": "approve"})
    assert len(_approvals(app)) == 5
    assert _summary_quotes(client, cycle_id) == ["Peer words 0, more confident"]
