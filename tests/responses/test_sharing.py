"""A peer support worker chooses to share their answers openly or to stay anonymous; the start
pages and the confirmation say what will be shown, with the network's real threshold."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import textstat

from inquiry.extensions import db
from inquiry.responses.models import Draft, Response

from ..accounts.test_login import sign_in
from ..factories import CycleInfo, make_group, make_network, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields
from ..reflection import answer_page, join, send, start, step_count

CHOOSE = "Choose whether to share your answers with the group or keep them anonymous"
OPEN_LABEL = (
    "Share my answers with the group as part of the peer support team's view "
    "(the team will know they include mine)"
)


def anonymous_label(k: int) -> str:
    return (
        f"Keep my answers anonymous (they count only when {k} or more peer support workers "
        "answer, and in the network's figures)"
    )


@pytest.fixture
def cycle4(app):
    """An open cycle in a network whose threshold is 4, so the pages must say 4, not 5."""
    with app.app_context():
        info = CycleInfo.of(make_open_cycle(make_group(make_network(min_responses=4))))
        db.session.remove()
    return info


def _drafts() -> list[Draft]:
    return list(db.session.scalars(sa.select(Draft)))


def _responses() -> list[Response]:
    return list(db.session.scalars(sa.select(Response)))


def _labels(fieldset) -> dict[str, str]:
    return {
        radio["value"]: fieldset.find("label", attrs={"for": radio["id"]}).get_text()
        for radio in fieldset.find_all("input", type="radio")
    }


def _checked(page) -> str | None:
    radio = page.find("input", attrs={"name": "shares_openly", "checked": True})
    return radio["value"] if radio else None


def _words(page) -> str:
    main = page.find("main")
    for caption in main.find_all(class_="caption"):
        caption.decompose()  # the group's name is not our wording
    return main.get_text(" ", strip=True)


# The start page -------------------------------------------------------------------------


def test_a_peer_worker_is_asked_how_their_answers_are_shown_with_the_real_threshold(client, cycle4):
    page = check_page(join(client, cycle4.active_code("peer_worker")))
    form = page.find("form", action="/reflect")
    fieldset = form.find("fieldset")
    assert fieldset.legend.get_text() == "How should your answers be shown?"
    assert _labels(fieldset) == {"open": OPEN_LABEL, "anonymous": anonymous_label(4)}
    assert _checked(page) is None  # nothing chosen for them
    # The choice comes before the button that starts the reflection.
    assert fieldset.find_next("button").get_text() == "Start now"
    text = _words(page)
    assert "Nobody can tell" not in text and "fewer than 5" not in text
    assert "We show it only once the reflection has closed." in text


def test_a_member_is_not_asked_and_is_told_the_promise_with_the_real_threshold(client, cycle4):
    page = check_page(join(client, cycle4.active_code("member")))
    assert page.find("input", type="radio") is None
    text = _words(page)
    assert "You do not give your name." in text
    assert "the group sees how many people chose each answer, never who chose what" in text
    assert (
        "We only show the group's answers once 4 or more members have answered. "
        "We show them only after the reflection closes."
    ) in text
    assert "Nobody can tell which answers are yours" not in text
    assert "fewer than 5" not in text


@pytest.mark.parametrize("sent", [None, "", "maybe"], ids=["missing", "empty", "unknown"])
def test_a_peer_worker_must_choose_to_start_and_nothing_is_stored_until_they_do(
    app, client, cycle, sent
):
    page = check_page(join(client, cycle.active_code("peer_worker")))
    data = form_fields(page)
    if sent is not None:
        data["shares_openly"] = sent
    refused = client.post("/reflect", data=data)
    assert refused.status_code == 400
    again = check_page(refused)
    assert again.title.string.startswith("Error: ")
    assert again.select_one(".error-summary h2").get_text() == "There is a problem"
    assert error_summary(again) == [CHOOSE]
    assert again.select_one(".error-summary a")["href"] == "#shares_openly"
    assert again.find(id="shares_openly") is not None
    assert again.find(id="shares_openly-error").get_text(" ", strip=True) == f"Error: {CHOOSE}"
    fieldset = again.find("fieldset")
    assert "shares_openly-error" in fieldset["aria-describedby"]
    assert again.find("button").get_text() == "Start now"
    with app.app_context():
        assert _drafts() == []
    # Choosing, with the same page's fields, starts the reflection.
    started = client.post("/reflect", data={**form_fields(again), "shares_openly": "anonymous"})
    assert started.status_code == 302 and started.headers["Location"].endswith("/reflect/1")


@pytest.mark.parametrize("choice, stored", [("open", True), ("anonymous", False)])
def test_the_choice_is_stored_on_the_draft_and_carried_to_the_response_once(
    app, client, cycle, choice, stored
):
    first = check_page(start(client, cycle.active_code("peer_worker"), sharing=choice))
    assert first.h1.get_text() == "Your role"
    with app.app_context():
        [draft] = _drafts()
        assert (draft.audience, draft.shares_openly) == ("peer_worker", stored)
    total = step_count(client)
    data = form_fields(check_page(client.get(f"/reflect/{total}")), "/reflect/send")
    sent = client.post("/reflect/send", data=data)
    assert sent.headers["Location"].endswith("/reflect/done")
    again = client.post("/reflect/send", data=data)  # a double tap, or a retry
    assert again.status_code == 302 and again.headers["Location"].endswith("/reflect/done")
    with app.app_context():
        [response] = _responses()
        assert (response.audience, response.shares_openly) == ("peer_worker", stored)
        assert _drafts() == []


def test_a_peer_worker_carrying_on_sees_their_choice_and_may_change_it(app, client, cycle):
    start(client, cycle.active_code("peer_worker"), sharing="open")
    answer_page(client, 1, {})
    page = check_page(client.get("/reflect"))
    assert page.find("button").get_text() == "Carry on"
    assert _checked(page) == "open"
    changed = client.post("/reflect", data={**form_fields(page), "shares_openly": "anonymous"})
    # Carrying on goes back to the step reached: step 1 was answered.
    assert changed.headers["Location"].endswith("/reflect/2")
    with app.app_context():
        [draft] = _drafts()  # the same draft, not a new one
        assert draft.shares_openly is False
    assert _checked(check_page(client.get("/reflect"))) == "anonymous"


def test_the_check_page_shows_the_choice_and_its_change_link_returns_there(app, client, cycle):
    start(client, cycle.active_code("peer_worker"), sharing="anonymous")
    total = step_count(client)
    check = check_page(client.get(f"/reflect/{total}"))
    rows = {
        row.dt.get_text(): row.find("dd").get_text(strip=True)
        for row in check.select(".summary .row")
    }
    assert rows["How should your answers be shown?"] == "Kept anonymous"
    [link] = [a for a in check.select(".change a") if "how your answers are shown" in a.get_text()]
    assert link["href"] == "/reflect?from=check#shares_openly"
    page = check_page(client.get(link["href"].split("#")[0]))
    form = page.find("form", action="/reflect?from=check")
    assert form is not None and _checked(page) == "anonymous"
    back = client.post("/reflect?from=check", data={**form_fields(page), "shares_openly": "open"})
    assert back.headers["Location"].endswith(f"/reflect/{total}")
    again = check_page(client.get(f"/reflect/{total}"))
    rows = {row.dt.get_text(): row.find("dd").get_text(strip=True) for row in again.select(".row")}
    assert rows["How should your answers be shown?"] == (
        "Shared with the group as part of the peer support team's view"
    )
    assert send(client).headers["Location"].endswith("/reflect/done")
    with app.app_context():
        [response] = _responses()
        assert response.shares_openly is True


def test_a_members_answers_are_never_shared_openly_whatever_is_posted(app, client, cycle):
    page = check_page(join(client, cycle.active_code("member")))
    started = client.post("/reflect", data={**form_fields(page), "shares_openly": "open"})
    assert started.status_code == 302
    total = step_count(client)
    check = check_page(client.get(f"/reflect/{total}"))
    assert "How should your answers be shown?" not in check.get_text()
    assert send(client).status_code == 302
    with app.app_context():
        [response] = _responses()
        assert (response.audience, response.shares_openly) == ("member", False)


def test_the_services_refuse_to_share_a_members_answers_openly(app, cycle):
    from inquiry.cycles.models import Cycle
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.responses.services import record_response, set_draft_sharing, start_draft

    with app.app_context():
        found = db.session.get(Cycle, cycle.id)
        with pytest.raises(ValueError):
            start_draft(found, "member", "en_GB", 7, shares_openly=True)
        draft, _token = start_draft(found, "member", "en_GB", 7)
        with pytest.raises(ValueError):
            set_draft_sharing(draft, True)
        with pytest.raises(ValueError):
            record_response(
                list_cycle_questions(cycle.id, "member"),
                audience="member",
                language="en_GB",
                answers={},
                shares_openly=True,
            )
        db.session.rollback()
        assert _drafts() == [] and _responses() == []


# The confirmation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "audience, sharing, promise",
    [
        (
            "member",
            None,
            "The group sees how many people chose each answer, never who chose what. We only "
            "show the group's answers once 4 or more members have answered. We show them only "
            "after the reflection closes.",
        ),
        (
            "peer_worker",
            "open",
            "You chose to share your answers with the group as part of the peer support "
            "team's view. The group sees them after the reflection closes.",
        ),
        (
            "peer_worker",
            "anonymous",
            "You chose to keep your answers anonymous. They count only when 4 or more peer "
            "support workers answer, and in the network's figures. Nothing is shown before "
            "the reflection closes.",
        ),
    ],
)
def test_the_confirmation_says_what_will_be_shown(client, cycle4, audience, sharing, promise):
    start(client, cycle4.active_code(audience), sharing=sharing)
    send(client)
    done = check_page(client.get("/reflect/done"))
    assert promise in done.get_text(" ", strip=True)
    assert done.find(class_="receipt") is not None


# Plain words ----------------------------------------------------------------------------


def test_the_promise_is_in_plain_words(client, cycle):
    member = check_page(join(client, cycle.active_code("member")))
    peer = check_page(join(client, cycle.active_code("peer_worker")))
    for name, page in (("member start", member), ("peer worker start", peer)):
        text = _words(page)
        assert textstat.flesch_reading_ease(text) >= 70, (name, text)
        # Each paragraph that says who sees what, on its own too.
        for block in page.find("main").find_all(["p", "li"]):
            words = block.get_text(" ", strip=True)
            if "answers" in words:
                assert textstat.flesch_reading_ease(words) >= 70, (name, words)
    for audience, sharing in (
        ("member", None),
        ("peer_worker", "open"),
        ("peer_worker", "anonymous"),
    ):
        other = client.application.test_client()
        start(other, cycle.active_code(audience), sharing=sharing)
        send(other)
        done = check_page(other.get("/reflect/done"))
        promise = done.find("h2").find_next("p").get_text(" ", strip=True)
        assert textstat.flesch_reading_ease(promise) >= 70, (audience, sharing, promise)


# Paper answers --------------------------------------------------------------------------


def _facilitator(app, k: int = 5) -> int:
    with app.app_context():
        group = make_group(make_network(min_responses=k))
        make_user("facilitator", group.network, [group], email="f@example.org")
        return make_open_cycle(group).id


def test_a_peer_workers_paper_is_anonymous_unless_they_chose_to_share(app, client):
    cycle_id = _facilitator(app, k=6)
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/cycles/{cycle_id}/paper/peer_worker"
    page = check_page(client.get(url))
    fieldset = page.find("input", attrs={"name": "shares_openly"}).find_parent("fieldset")
    assert fieldset.legend.get_text() == "How did they choose to show their answers?"
    assert _labels(fieldset) == {
        "anonymous": "Anonymous: they count only when 6 or more peer support workers answer, "
        "and in the network's figures",
        "open": "Shared with the group as part of the peer support team's view",
    }
    assert _checked(page) == "anonymous"
    plain = client.post(url, data=form_fields(page))
    assert plain.status_code == 302
    page = check_page(client.get(url))
    bad = client.post(url, data={**form_fields(page), "shares_openly": "everyone"})
    assert bad.status_code == 400
    assert error_summary(check_page(bad)) == ["Choose how they chose to show their answers"]
    shared = client.post(url, data={**form_fields(page), "shares_openly": "open"})
    assert shared.status_code == 302
    with app.app_context():
        stored = sorted(
            (r.audience, r.source, r.shares_openly) for r in db.session.scalars(sa.select(Response))
        )
    assert stored == [("peer_worker", "paper", False), ("peer_worker", "paper", True)]


def test_a_members_paper_has_no_such_choice(app, client):
    cycle_id = _facilitator(app)
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/cycles/{cycle_id}/paper/member"
    page = check_page(client.get(url))
    assert page.find("input", attrs={"name": "shares_openly"}) is None
    saved = client.post(url, data={**form_fields(page), "shares_openly": "open"})
    assert saved.status_code == 302
    with app.app_context():
        [response] = _responses()
        assert (response.audience, response.shares_openly) == ("member", False)
