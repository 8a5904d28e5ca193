"""Retention's pages in a real browser at a phone's width: axe-core finds nothing, nothing
scrolls sideways, and a screenshot of each is kept in tests/.artifacts."""

from __future__ import annotations

from ..factories import PASSWORD, make_user
from ..retention.helpers import WORDS, cycle_with_answers
from .test_walk import assert_no_axe_violations, expect_error_summary

WIDTH = 360


def _look(page, axe_source, artifacts, name: str) -> None:
    assert_no_axe_violations(page, axe_source, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name
    page.screenshot(path=artifacts / f"{WIDTH}-retention-{name}.png", full_page=True)


def test_retention_pages_on_a_phone(app, open_page, axe_source, artifacts):
    with app.app_context():
        cycle = cycle_with_answers(months=None)
        make_user("admin", email="admin@example.org")
        cycle_id, network_id = cycle.id, cycle.group.network_id
    page = open_page(viewport={"width": WIDTH, "height": 740}, is_mobile=True, bypass_csp=True)
    page.goto("/")
    page.get_by_role("link", name="Privacy").click()
    page.wait_for_url("**/privacy")
    _look(page, axe_source, artifacts, "privacy")
    page.goto("/accessibility")
    _look(page, axe_source, artifacts, "accessibility")

    page.get_by_role("link", name="Sign in (staff)").click()
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")
    page.goto(f"/workspace/networks/{network_id}/settings")
    months = page.get_by_label("Delete answers this many months after a cycle closes (optional)")
    months.fill("two years")
    page.get_by_role("button", name="Save the threshold and these settings").click()
    expect_error_summary(page, ["Enter a whole number of months from 1 to 240, or leave it empty"])
    _look(page, axe_source, artifacts, "settings-error")
    months.fill("24")
    page.get_by_label("Organisation name (optional)").fill("Riverside Mind")
    page.get_by_label("Contact email (optional)").fill("privacy@riverside.example")
    page.get_by_role("button", name="Save the threshold and these settings").click()
    page.wait_for_url("**/workspace/#network-*")
    assert "Changes saved." in page.locator(".notice").inner_text()

    page.goto(f"/workspace/networks/{network_id}/retention")
    assert "15 January 2028" in page.locator("tbody").inner_text()
    _look(page, axe_source, artifacts, "plan")
    page.get_by_role("link", name="Delete now for Walking group, Spring").click()
    page.wait_for_url(f"**/cycles/{cycle_id}/erase")
    _look(page, axe_source, artifacts, "erase")
    page.get_by_label("Keep the summary's figures").check()
    page.get_by_role("button", name="Delete the answers").click()
    page.wait_for_url(f"**/cycles/{cycle_id}/erase")
    assert "The answers are deleted." in page.locator(".notice").inner_text()
    _look(page, axe_source, artifacts, "erased")
    page.goto(f"/workspace/cycles/{cycle_id}/summary")
    text = page.locator("main").inner_text()
    assert "on request" in text and WORDS not in text
    _look(page, axe_source, artifacts, "summary-after")
