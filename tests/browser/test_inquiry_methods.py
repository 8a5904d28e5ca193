"""The inquiry's own methods in headless Chromium on a phone, checked with axe-core: the
"Did this happen?" step of the reflection (JavaScript off), and choosing topics in the room
after the cycle closed. Screenshots land in tests/.artifacts/."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.actions.models import ActionCheck
from inquiry.extensions import db

from ..actions.test_you_said_we_did import _last_time
from ..agenda.test_meeting import _closed_with_topics
from .test_staff_pages import sign_in
from .test_walk import PHONE, assert_no_axe_violations


def test_the_step_in_headless_chromium_at_360_px_with_javascript_off(
    app, open_page, axe_source, artifacts
):
    from playwright.sync_api import expect

    ids = _last_time(app)
    for javascript in (False, True):
        page = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
        page.goto(f"/j/{ids['code']}")
        page.get_by_role("button", name="Start now").click()
        while page.locator("h1").inner_text() != "Did this happen?":
            page.get_by_role("button", name="Continue").click()
        trip = page.get_by_role("group", name="Plan a seaside trip")
        if javascript:
            assert_no_axe_violations(page, axe_source, "did this happen at 360 px")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            page.screenshot(path=artifacts / "360-did-this-happen.png", full_page=True)
            continue
        trip.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("Check your answers")
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator("h1")).not_to_have_text("Check your answers")
    with app.app_context():
        checks = db.session.scalars(sa.select(ActionCheck)).all()
        assert [(c.action_id, c.value) for c in checks] == [(ids["trip"], "no")]


def test_the_room_and_a_phone_in_headless_chromium(app, open_page, axe_source, artifacts):
    from playwright.sync_api import expect

    cycle_id, code, (seaside, _cooking) = _closed_with_topics(app)
    # A phone with JavaScript off chooses after the cycle has closed.
    phone = open_page(**PHONE, java_script_enabled=False)
    phone.goto("/topics/code")
    phone.get_by_label("Enter your group's code").fill(code)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Seaside").check()
    phone.get_by_role("button", name="Save my choices").click()
    expect(phone.get_by_role("status")).to_contain_text("Your choices are saved")
    for options, name in ((PHONE, "360"), ({"viewport": {"width": 1280, "height": 800}}, "1280")):
        screen = open_page(**options, bypass_csp=True, reduced_motion="reduce")
        sign_in(screen, "f@example.org")  # waits for the workspace before moving on
        screen.goto(f"/workspace/cycles/{cycle_id}/agenda/room")
        expect(screen.get_by_role("status")).to_have_text(
            "1 person has chosen so far. How many chose each topic shows once at least 3 "
            "people have chosen."
        )
        assert_no_axe_violations(screen, axe_source, f"agenda room at {name} px")
        assert (
            screen.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        )
        screen.screenshot(path=artifacts / f"{name}-agenda-room.png", full_page=True)
        phone_code = open_page(**options, bypass_csp=True)
        phone_code.goto("/topics/code")
        assert_no_axe_violations(phone_code, axe_source, f"topics code at {name} px")
