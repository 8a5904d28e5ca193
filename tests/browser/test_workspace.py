"""The facilitator's workspace in a real browser: axe-core at 1280x800 and 360x740."""

from __future__ import annotations

import json

import pytest

from ..factories import PASSWORD, make_user
from .test_walk import assert_no_axe_violations


@pytest.fixture
def demo(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cycles = json.loads(runner.invoke(args=["cycles", "--json"]).output)
    with app.app_context():
        from inquiry.extensions import db
        from inquiry.groups.models import Group

        group = db.session.query(Group).filter_by(name="Craft Café").one()
        make_user("facilitator", group.network, [group], email="wall@example.org")
    return next(c for c in cycles if c["group"] == "Craft Café" and c["title"] == "Summer 2026")


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide}px wide on a {width}px screen"


@pytest.mark.parametrize("viewport", [(1280, 800), (360, 740)], ids=["wide", "phone"])
def test_a_facilitator_signs_in_and_reads_a_summary(
    demo, open_page, axe_source, artifacts, viewport
):
    width, height = viewport
    page = open_page(viewport={"width": width, "height": height}, bypass_csp=True)
    page.goto("/sign-in")
    assert_no_axe_violations(page, axe_source, "sign in")
    page.get_by_label("Email address").fill("wall@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")
    assert page.get_by_role("heading", name="Craft Café").is_visible()
    assert page.get_by_role("heading", name="Hearing Voices Group").count() == 0
    assert_no_axe_violations(page, axe_source, "workspace home")
    _fits(page, width)
    page.screenshot(path=artifacts / f"{width}-workspace-home.png", full_page=True)
    page.get_by_role("link", name="Summer 2026").click()
    assert_no_axe_violations(page, axe_source, "cycle page")
    _fits(page, width)
    page.screenshot(path=artifacts / f"{width}-workspace-cycle.png", full_page=True)
    page.get_by_role("link", name="Quotes for the summary").click()
    assert_no_axe_violations(page, axe_source, "quotes")
    _fits(page, width)
    first = page.locator(".quote-item").first
    words = first.locator("blockquote").inner_text()
    first.get_by_role("button", name="Approve these words").click()
    assert page.get_by_text("Approved. The quote will be in the summary.").is_visible()
    assert_no_axe_violations(page, axe_source, "quotes after approving")
    page.screenshot(path=artifacts / f"{width}-workspace-quotes.png", full_page=True)
    page.get_by_role("link", name="Craft Café: Summer 2026").click()
    page.get_by_role("link", name="Read the summary").click()
    assert page.locator("blockquote", has_text=words).count() == 1
    assert page.get_by_role("heading", name="Craft Café: Summer 2026").is_visible()
    assert_no_axe_violations(page, axe_source, "summary page")
    page.screenshot(path=artifacts / f"{width}-workspace-summary.png", full_page=True)
    _fits(page, width)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert page.get_by_text("You have signed out.").is_visible()


def test_members_choose_agenda_topics_on_a_phone(app, cycle, open_page, axe_source, artifacts):
    with app.app_context():
        from inquiry.agenda.models import AgendaTopic
        from inquiry.extensions import db

        for title in ("A trip to the seaside", "Cooking on a budget", "More time to chat"):
            db.session.add(AgendaTopic(cycle_id=cycle.id, title=title))
        db.session.commit()
    page = open_page(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page.goto(f"/j/{cycle.active_code('member')}")
    page.get_by_role("link", name="Choose the topics you most want").click()
    assert_no_axe_violations(page, axe_source, "choose topics")
    for name in ("A trip to the seaside", "Cooking on a budget", "More time to chat"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Save my choices").click()
    assert page.get_by_role("heading", name="What would you most like").is_visible()
    page.get_by_label("More time to chat").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    assert page.get_by_text("Your choices are saved").is_visible()
    assert_no_axe_violations(page, axe_source, "choices saved")
    page.screenshot(path=artifacts / "360-topics.png", full_page=True)
    _fits(page, 360)


def test_a_coordinator_reads_the_network_rollup(demo, open_page, axe_source, artifacts):
    from inquiry.demo import DEMO_PASSWORD

    page = open_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")
    page.get_by_role("link", name="Roll-up").click()
    assert page.get_by_role("heading", name="Network roll-up: Riverside Community Network")
    assert_no_axe_violations(page, axe_source, "roll-up")
    page.get_by_role("link", name="Round counts to 5").click()
    assert page.get_by_text("Counts are rounded to the nearest 5.").is_visible()
    page.get_by_role("link", name="Audit log").click()
    assert_no_axe_violations(page, axe_source, "audit log")
    page.screenshot(path=artifacts / "1280-rollup.png", full_page=True)
