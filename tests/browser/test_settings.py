"""An admin sets a network's threshold in a real browser: axe-core at 1280x800 and 360x740,
the error summary as GOV.UK has it, and the page reflowing to the phone's width."""

from __future__ import annotations

import pytest

from ..factories import PASSWORD, make_group, make_network, make_user
from .test_walk import assert_no_axe_violations, expect_error_summary


@pytest.mark.parametrize("viewport", [(1280, 800), (360, 740)], ids=["wide", "phone"])
def test_an_admin_sets_the_threshold(app, open_page, axe_source, artifacts, viewport):
    with app.app_context():
        network = make_network(name="Riverside Community Network")
        make_group(network, name="Craft Café")
        make_user("admin", email="admin@example.org")
        network_id = network.id
    width, height = viewport
    page = open_page(viewport={"width": width, "height": height}, bypass_csp=True)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")
    assert_no_axe_violations(page, axe_source, "workspace home of an admin")
    page.get_by_role("link", name="Change the threshold of Riverside Community Network").click()
    page.wait_for_url("**/settings")
    assert_no_axe_violations(page, axe_source, "threshold")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"{width}-workspace-threshold.png", full_page=True)

    field = page.get_by_label("Smallest number of people whose answers we show together")
    field.fill("11")
    page.get_by_role("button", name="Save the threshold").click()
    expect_error_summary(page, ["Enter a whole number from 3 to 10"])
    assert_no_axe_violations(page, axe_source, "threshold with an error")
    page.screenshot(path=artifacts / f"{width}-workspace-threshold-error.png", full_page=True)

    field.fill("4")
    page.get_by_role("button", name="Save the threshold").click()
    page.wait_for_url("**/workspace/#network-*")
    notice = page.locator(".notice")
    assert "at least 4 people" in notice.inner_text()
    row = page.locator(f"#network-{network_id}")
    assert row.locator("td.num").inner_text() == "4"
    assert_no_axe_violations(page, axe_source, "workspace home after saving")
