"""The facilitator's whole path in a real browser, as issue "workspace" describes it:
invited by a coordinator, a facilitator creates a group, sets up a cycle with a question of
the group's own, prints the poster, types in two paper responses, closes the cycle, records
two actions and sees them on the next cycle's start page. Another facilitator sees none of it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..factories import PASSWORD, make_group, make_network, make_user
from .test_walk import assert_no_axe_violations


def _sign_in(page, email):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")


def test_the_facilitators_whole_path(app, open_page, axe_source, artifacts, pdf_worker):
    with app.app_context():
        network = make_network(name="Riverside")
        make_user("coordinator", network, email="coord@example.org")
        other_group = make_group(network, name="Someone else's group")
        make_user("facilitator", network, [other_group], email="other@example.org")
    wide = {"viewport": {"width": 1280, "height": 800}, "bypass_csp": True}

    # A coordinator invites a facilitator.
    coord = open_page(**wide)
    _sign_in(coord, "coord@example.org")
    coord.get_by_role("link", name="People").click()
    assert_no_axe_violations(coord, axe_source, "people")
    coord.get_by_label("Their email address").fill("sam@example.org")
    coord.get_by_role("button", name="Make an invitation link").click()
    link = coord.locator(".panel-done .link-text").inner_text()

    # The facilitator sets a password through the link, then signs in.
    sam = open_page(**wide)
    sam.goto(link)
    assert_no_axe_violations(sam, axe_source, "accept invitation")
    sam.get_by_label("Choose a password").fill(PASSWORD)
    sam.get_by_label("Type the password again").fill(PASSWORD)
    sam.get_by_role("button", name="Create my account").click()
    _sign_in(sam, "sam@example.org")

    # ... creates a group and a cycle with a question of the group's own.
    sam.get_by_role("link", name="Add a group").click()
    assert_no_axe_violations(sam, axe_source, "add a group")
    sam.get_by_label("Name of the group").fill("Allotment")
    sam.get_by_role("button", name="Add the group").click()
    sam.get_by_role("link", name="New cycle for Allotment").click()
    assert_no_axe_violations(sam, axe_source, "new cycle")
    sam.get_by_label("Name of the cycle").fill("Spring 2027")
    sam.get_by_label("First day").fill("2027-03-01")
    sam.get_by_label("Last day").fill("2027-03-26")
    sam.get_by_role("button", name="Create the cycle").click()
    cycle_url = sam.url
    sam.get_by_role("link", name=re.compile("See the .* questions")).click()
    assert_no_axe_violations(sam, axe_source, "questions")
    sam.get_by_label("The question").fill("I feel welcome at the allotment.")
    sam.get_by_role("button", name="Add the question").click()
    added = sam.locator("li", has_text="I feel welcome at the allotment.")
    assert added.is_visible() and "your own" in added.inner_text()
    sam.goto(cycle_url)
    sam.get_by_role("button", name="Open this cycle").click()
    assert_no_axe_violations(sam, axe_source, "open cycle")
    sam.screenshot(path=artifacts / "path-cycle.png", full_page=True)

    # ... prints the poster: a page waits while the render worker makes it, then it downloads.
    with sam.expect_download() as download:
        sam.get_by_role("link", name="Poster (PDF)").first.click()
        sam.wait_for_url("**/workspace/pdfs/*")
        assert sam.get_by_role("heading", name="Making your PDF").is_visible()
        assert_no_axe_violations(sam, axe_source, "making your PDF")
    assert download.value.suggested_filename == "poster-{}-member.pdf".format(
        cycle_url.rstrip("/").rsplit("/", 1)[-1]
    )
    ready = sam.get_by_role("status").filter(has_text="Your PDF is ready")
    ready.wait_for()
    assert sam.get_by_role("heading", name="Your PDF is ready").is_visible()
    assert sam.title().startswith("Your PDF is ready")
    sam.goto(cycle_url)

    # ... types in two paper responses, with the keyboard only.
    sam.get_by_role("link", name="Type in paper answers for Group members").click()
    assert_no_axe_violations(sam, axe_source, "paper entry")
    for first, own in (("5", "4"), ("3", "0")):
        sam.get_by_label("I know what our group is for.").focus()
        sam.keyboard.type(first)
        sam.get_by_label("I feel welcome at the allotment.").focus()
        sam.keyboard.type(own)
        sam.keyboard.press("Enter")
        sam.get_by_text("Paper response saved").wait_for()
    assert sam.get_by_text("Responses so far: 2").is_visible()

    # ... closes the cycle through the page that says what closing does, and records two
    # actions.
    sam.goto(cycle_url)
    sam.get_by_role("link", name="Close this cycle").click()
    assert sam.get_by_label("24 hours").is_checked()
    assert_no_axe_violations(sam, axe_source, "close the reflection")
    sam.get_by_label("No extra time: answers not sent yet are not kept").check()
    sam.get_by_role("button", name="Close the reflection").click()
    sam.get_by_text("The reflection is closed.").wait_for()
    sam.get_by_role("link", name="What the group agreed after this cycle").click()
    assert_no_axe_violations(sam, axe_source, "actions")
    for what in ("Meet in the greenhouse when it rains", "Share the tools list"):
        sam.get_by_label("What the group agreed to do").fill(what)
        sam.get_by_role("button", name="Add the action").click()
    sam.goto("/workspace/")

    # ... and the next cycle's start page shows them to members.
    sam.get_by_role("link", name="New cycle for Allotment").click()
    sam.get_by_label("Name of the cycle").fill("Summer 2027")
    sam.get_by_label("First day").fill("2027-06-01")
    sam.get_by_label("Last day").fill("2027-06-25")
    sam.get_by_role("button", name="Create the cycle").click()
    next_url = sam.url
    sam.get_by_role("button", name="Open this cycle").click()
    code = sam.locator(".code").first.inner_text()
    member = open_page(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    member.goto(f"/j/{code}")
    assert member.get_by_role("heading", name="You said, we did").is_visible()
    assert member.get_by_text("Meet in the greenhouse when it rains").is_visible()
    assert member.get_by_text("Share the tools list").is_visible()
    assert_no_axe_violations(member, axe_source, "start page with actions")

    # Another facilitator cannot reach any of it.
    other = open_page(**wide)
    _sign_in(other, "other@example.org")
    assert other.get_by_role("heading", name="Allotment").count() == 0
    for url in (
        cycle_url,
        next_url,
        cycle_url + "/actions",
        cycle_url + "/poster.pdf",
        cycle_url + "/paper/member",
        cycle_url + "/summary",
    ):
        response = other.request.get(url)
        assert response.status == 404, url

    with app.app_context():
        from inquiry.extensions import db
        from inquiry.responses.models import Answer, Response

        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(Response).filter_by(source="paper")
            )
            == 2
        )
        own = db.session.scalars(sa.select(Answer).where(Answer.qtype == "likert")).all()
        assert sorted((a.likert, a.prefer_not_to_say) for a in own if a.likert is not None) == [
            (3, False),
            (4, False),
            (5, False),
        ]
