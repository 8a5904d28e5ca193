"""A facilitator tries to remove the members' only question while peer support workers still
have theirs, in headless Chromium on a phone-sized screen: the page says why not, in words
that name the audience, and offers no button."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from inquiry.cycles.services import add_own_question, create_cycle
from inquiry.extensions import db
from inquiry.questions.queries import list_builtin_questions

from ..factories import make_group, make_user
from .test_staff_pages import sign_in
from .test_walk import PHONE, assert_no_axe_violations


def test_the_members_only_question_cannot_be_removed(app, open_page, axe_source):
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="sam@example.org")
        peer_bank = {"peer_worker": list_builtin_questions("peer_worker")}
        cycle = create_cycle(
            group.id, "Spring", date(2027, 3, 1), date(2027, 3, 26), peer_bank, strict=True
        )
        add_own_question(cycle, "member", "likert", "We meet outdoors.", "own", [])
        db.session.commit()
        cycle_id = cycle.id
    page = open_page(**PHONE, bypass_csp=True)
    sign_in(page, "sam@example.org")
    page.goto(f"/workspace/cycles/{cycle_id}/questions")
    page.get_by_role("link", name="Remove We meet outdoors.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This question cannot be removed")
    expect(page.locator("main .inset")).to_have_text(
        "This is the only question this cycle asks group members. "
        "Add another one for them before you remove it."
    )
    expect(page.get_by_role("button", name="Yes, remove the question")).to_have_count(0)
    assert_no_axe_violations(page, axe_source, "own question that cannot be removed")
    page.set_viewport_size({"width": 320, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("link", name="Back to the questions").click()
    expect(page.get_by_role("link", name="Remove We meet outdoors.")).to_be_visible()
