"""Every member page in every launch language: axe-core finds nothing at 360x740, and the
Arabic pages really run right to left."""

from __future__ import annotations

import pytest

from inquiry.config import Defaults

from .test_walk import assert_no_axe_violations


@pytest.mark.parametrize("language", Defaults.LANGUAGES)
def test_member_pages_in_every_language(
    cycle, open_page, axe_source, artifacts, live_server, language
):
    page = open_page(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page.context.add_cookies([{"name": "inquiry_lang", "value": language, "url": live_server}])
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language.replace("_", "-")
    assert_no_axe_violations(page, axe_source, f"{language} home")
    page.goto(f"/j/{cycle.active_code('member')}")
    assert_no_axe_violations(page, axe_source, f"{language} start")
    page.locator("main form button[type=submit]").first.click()
    for number in range(1, 9):
        page.goto(f"/reflect/{number}")
        assert_no_axe_violations(page, axe_source, f"{language} step {number}")
    page.screenshot(path=artifacts / f"360-{language}-check.png", full_page=True)
    page.locator("form[action='/reflect/send'] button[type=submit]").click()
    page.wait_for_url("**/reflect/done")
    assert_no_axe_violations(page, axe_source, f"{language} done")
    page.goto("/withdraw")
    assert_no_axe_violations(page, axe_source, f"{language} withdraw")
    direction = page.locator("html").get_attribute("dir")
    brand = page.locator(".brand").bounding_box()
    if language == "ar":
        assert direction == "rtl"
        # Mirrored: the name sits at the right-hand edge, as Arabic readers expect.
        assert brand["x"] + brand["width"] > 360 - 40, brand
    else:
        assert direction == "ltr"
        assert brand["x"] < 40, brand
