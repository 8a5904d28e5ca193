"""A peer support worker's start page in real headless Chromium on a phone: the choice to share
openly or stay anonymous, its error state, with and without JavaScript, checked with axe-core.

Screenshots land in tests/.artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Draft, Response

from .test_walk import PHONE, assert_no_axe_violations, expect_error_summary

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails, and says why
    expect = None

CHOOSE = "Choose whether to share your answers with the group or keep them anonymous"
OPEN = (
    "Share my answers with the group as part of the peer support team's view "
    "(the team will know they include mine)"
)
ANONYMOUS = (
    "Keep my answers anonymous (they count only when 5 or more peer support workers answer, "
    "and in the network's figures)"
)


def _stored(app) -> tuple[list[bool], list[bool]]:
    with app.app_context():
        drafts = list(db.session.scalars(sa.select(Draft.shares_openly)))
        responses = list(db.session.scalars(sa.select(Response.shares_openly)))
        db.session.remove()
    return drafts, responses


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_peer_worker_must_choose_how_their_answers_are_shown(
    app, cycle, open_page, axe_source, artifacts, javascript
):
    page = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
    name = "js" if javascript else "nojs"
    page.goto(f"/j/{cycle.active_code('peer_worker')}")
    expect(page).to_have_url(re.compile(r"/reflect$"))
    choice = page.get_by_role("group", name="How should your answers be shown?")
    expect(choice.get_by_role("radio", name=OPEN, exact=True)).not_to_be_checked()
    expect(choice.get_by_role("radio", name=ANONYMOUS, exact=True)).not_to_be_checked()
    if javascript:
        assert_no_axe_violations(page, axe_source, "peer worker start at 360 px")
    page.screenshot(path=artifacts / f"360-peer-start-{name}.png", full_page=True)

    # Starting without choosing is refused, in the GOV.UK pattern.
    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_url(re.compile(r"/reflect$"))
    if javascript:
        expect_error_summary(page, [CHOOSE])
        assert_no_axe_violations(page, axe_source, "peer worker start with its error at 360 px")
        # The summary's link takes you to the choice.
        page.locator(".error-summary a").click()
        expect(choice.get_by_role("radio", name=OPEN, exact=True)).to_be_focused()
    else:
        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.locator(".error-summary a")).to_have_text([CHOOSE])
        expect(page.locator("#shares_openly-error")).to_have_text(f"Error: {CHOOSE}")
    page.screenshot(path=artifacts / f"360-peer-start-error-{name}.png", full_page=True)
    assert _stored(app) == ([], [])

    # Pressing the words chooses, as people do on phones.
    words = choice.locator("label").get_by_text(ANONYMOUS, exact=True)
    if javascript:
        words.tap()
    else:
        words.click()
    expect(choice.get_by_role("radio", name=ANONYMOUS, exact=True)).to_be_checked()
    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_url(re.compile(r"/reflect/1$"))
    assert _stored(app) == ([False], [])
    check = int(page.locator(".caption").inner_text().split()[-1])  # the last step

    # Carrying on shows the choice, and it can be changed from "Check your answers".
    page.goto(f"/reflect/{check}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    row = page.locator(".summary .row").filter(has_text="How should your answers be shown?")
    expect(row.locator("dd").first).to_have_text("Kept anonymous")
    row.get_by_role("link", name=re.compile("^Change")).click()
    expect(page).to_have_url(re.compile(r"/reflect\?from=check#shares_openly$"))
    expect(choice.get_by_role("radio", name=ANONYMOUS, exact=True)).to_be_checked()
    expect(page.get_by_role("button", name="Carry on")).to_be_visible()
    choice.locator("label").get_by_text(OPEN, exact=True).click()
    page.get_by_role("button", name="Carry on").click()
    expect(page).to_have_url(re.compile(rf"/reflect/{check}$"))
    expect(row.locator("dd").first).to_have_text(
        "Shared with the group as part of the peer support team's view"
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_url(re.compile(r"/reflect/done$"))
    expect(page.locator("main")).to_contain_text(
        "You chose to share your answers with the group as part of the peer support team's view."
    )
    if javascript:
        assert_no_axe_violations(page, axe_source, "peer worker confirmation at 360 px")
    page.screenshot(path=artifacts / f"360-peer-done-{name}.png", full_page=True)
    assert _stored(app) == ([], [True])
