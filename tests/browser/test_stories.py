"""A member's story round in headless Chromium at 360 px, with and without JavaScript:
write a story (its error first), its receipt, then choose at the meeting after the cycle
closed; axe-core on every page, and screenshots in tests/.artifacts/."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.stories.models import Story, StoryChoice

from ..factories import make_open_cycle
from ..stories.helpers import shortlisted, story_round
from .test_walk import PHONE, assert_no_axe_violations, expect_error_summary

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails, and says why
    expect = None


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_member_writes_a_story_and_later_chooses_one_on_a_phone(
    app, open_page, axe_source, artifacts, javascript
):
    with app.app_context():
        cycle = make_open_cycle()
        story_round(cycle)
        shortlisted(cycle, 2)
        cycle_id, code = cycle.id, cycle.active_code("member")
        db.session.remove()
    page = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
    name = "js" if javascript else "nojs"

    def look(where: str) -> None:
        if javascript:
            assert_no_axe_violations(page, axe_source, f"{where} at 360 px")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=artifacts / f"360-story-{where}-{name}.png", full_page=True)

    page.goto("/story/code")
    look("code")
    page.get_by_label("Enter your group's code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/story$"))  # while the cycle is open: writing
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell a story of change")
    look("write")
    page.get_by_label("A short title for your story").fill("Walking again")
    page.get_by_label("Your story", exact=True).fill("Before, I stayed in. Now I walk every week.")
    page.get_by_role("button", name="Send my story").click()
    expect_error_summary(page, ["Choose whether we may share your story"])
    look("write-error")
    page.get_by_role("radio", name=re.compile("^Yes, you may read it out")).check()
    page.get_by_role("button", name="Send my story").click()
    expect(page).to_have_url(re.compile(r"/story/thanks$"))
    expect(page.locator(".receipt")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    look("thanks")

    with app.app_context():
        from inquiry.cycles.models import Cycle
        from inquiry.cycles.services import close_cycle

        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
        assert db.session.scalar(sa.select(Story.text).filter_by(title="Walking again"))
        db.session.remove()
    page.goto(f"/s/{code}")
    expect(page).to_have_url(re.compile(r"/story/choose$"))
    look("choose")
    page.get_by_role("button", name="Save my choice").click()
    expect_error_summary(page, ["Choose one story"])
    look("choose-error")
    page.get_by_role("radio", name="Story 2").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("status")).to_contain_text("your choice is saved")
    expect(page.get_by_role("radio", name="Story 2")).to_be_checked()
    look("chosen")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoryChoice)) == 1
        db.session.remove()
