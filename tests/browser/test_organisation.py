"""A real organisation starts from an empty database, without the demo, in a real browser:
`inquiry setup`, the admin signs in, adds a group, invites its facilitator, who accepts; the
admin resets the facilitator's password, sets up their own second step, and deactivates the
facilitator, whose open session ends. axe-core on every page on the way."""

from __future__ import annotations

import pyotp
import sqlalchemy as sa

from inquiry.accounts.models import User
from inquiry.extensions import db

from ..factories import PASSWORD
from .test_walk import assert_no_axe_violations, expect_error_summary

NEW_PASSWORD = "copper kettle meadow softly 42"


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        too_wide = page.evaluate(
            """w => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > w)
                .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 30))""",
            width,
        )
        raise AssertionError(f"{page.url} is {wide}px wide on a {width}px screen: {too_wide}")


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_organisation_starts_from_nothing_and_looks_after_its_people(
    app, open_page, axe_source, artifacts
):
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    result = app.test_cli_runner().invoke(
        args=["setup", "--network", "Northfield Mind", "--admin", "lead@northfield.example"],
        env={"INQUIRY_SETUP_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output

    admin = open_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    _sign_in(admin, "lead@northfield.example", PASSWORD)
    admin.wait_for_url("**/workspace/")
    assert admin.get_by_text("You have not been given any groups yet").is_visible()
    assert_no_axe_violations(admin, axe_source, "an empty workspace")

    admin.get_by_role("link", name="Add a group").click()
    assert_no_axe_violations(admin, axe_source, "add a group, as an admin")
    admin.get_by_label("Name of the group").fill("Tuesday Walkers")
    admin.get_by_role("button", name="Add the group").click()
    assert admin.get_by_role("heading", name="Tuesday Walkers").is_visible()

    admin.get_by_role("link", name="People").click()
    assert_no_axe_violations(admin, axe_source, "people")
    admin.get_by_role("button", name="Make an invitation link").click()
    expect_error_summary(admin, ["Enter their email address"])
    assert_no_axe_violations(admin, axe_source, "people with an error")
    admin.get_by_label("Their email address").fill("sam@northfield.example")
    admin.get_by_label("Facilitator").check()
    admin.get_by_label("Tuesday Walkers").check()
    admin.get_by_role("button", name="Make an invitation link").click()
    invitation = admin.locator(".panel-done .link-text").inner_text().strip()
    assert_no_axe_violations(admin, axe_source, "people with an invitation")
    admin.screenshot(path=artifacts / "1280-people-invitation.png", full_page=True)

    sam = open_page(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    sam.goto(invitation)
    assert_no_axe_violations(sam, axe_source, "accept an invitation")
    sam.get_by_label("Choose a password").fill(PASSWORD)
    sam.get_by_label("Type the password again").fill(PASSWORD)
    sam.get_by_role("button", name="Create my account").click()
    sam.wait_for_url("**/sign-in")
    _sign_in(sam, "sam@northfield.example", PASSWORD)
    sam.wait_for_url("**/workspace/")
    assert sam.get_by_role("heading", name="Tuesday Walkers").is_visible()

    # Sam forgets the password: the admin makes a reset link and hands it over.
    admin.get_by_role("link", name="People").click()
    admin.get_by_role("link", name="sam@northfield.example").click()
    assert_no_axe_violations(admin, axe_source, "a person's page")
    _fits(admin, 1280)
    admin.get_by_role("button", name="Make a password reset link").click()
    reset = admin.locator(".panel-done .link-text").inner_text().strip()
    assert_no_axe_violations(admin, axe_source, "a person's page with a reset link")
    admin.screenshot(path=artifacts / "1280-person-reset.png", full_page=True)

    sam.goto(reset)
    assert_no_axe_violations(sam, axe_source, "choose a new password")
    _fits(sam, 360)
    sam.get_by_label("Choose a password").fill("short")
    sam.get_by_label("Type the password again").fill("short")
    sam.get_by_role("button", name="Set my new password").click()
    expect_error_summary(sam, ["Your password must be at least 12 characters long"])
    sam.get_by_label("Choose a password").fill(NEW_PASSWORD)
    sam.get_by_label("Type the password again").fill(NEW_PASSWORD)
    sam.get_by_role("button", name="Set my new password").click()
    sam.wait_for_url("**/sign-in")
    assert sam.get_by_text("Your new password is set").is_visible()
    sam.goto(reset)
    assert sam.get_by_role("heading", name="This link cannot be used").is_visible()
    _sign_in(sam, "sam@northfield.example", NEW_PASSWORD)
    sam.wait_for_url("**/workspace/")

    # The admin, who sees members' words, turns on their own second step.
    admin.get_by_role("link", name="lead@northfield.example").click()
    assert_no_axe_violations(admin, axe_source, "your account")
    admin.get_by_role("link", name="Set up a second step").click()
    assert_no_axe_violations(admin, axe_source, "set up a second step")
    assert admin.get_by_role("img", name="QR code to add Inquiry").is_visible()
    totp = pyotp.TOTP(admin.locator("#key").inner_text().replace(" ", ""))
    admin.get_by_label("The 6 numbers your app shows").fill(totp.now())
    admin.get_by_role("button", name="Turn on the second step").click()
    assert admin.get_by_role("heading", name="Your recovery codes").is_visible()
    assert admin.locator("li.code").count() == 10
    assert_no_axe_violations(admin, axe_source, "recovery codes")
    admin.get_by_role("link", name="I have kept my codes").click()

    # Sam leaves: deactivated, and the session open on Sam's phone ends at once.
    admin.get_by_role("link", name="People").click()
    admin.get_by_role("link", name="sam@northfield.example").click()
    admin.get_by_role("button", name="Deactivate their account").click()
    assert admin.get_by_text("can no longer sign in").is_visible()
    assert admin.get_by_text("Deactivated: cannot sign in").is_visible()
    assert_no_axe_violations(admin, axe_source, "a deactivated person's page")
    sam.reload()
    sam.wait_for_url("**/sign-in*")
    _sign_in(sam, "sam@northfield.example", NEW_PASSWORD)
    expect_error_summary(sam, ["The email address or password is not right"])

    admin.get_by_role("link", name="Audit log").click()
    log = admin.locator("table").inner_text()
    for action in (
        "signed in",
        "made a password reset link",
        "reset the password",
        "turned on the second step",
        "deactivated",
        "failed to sign in",
    ):
        assert action in log, action
    for secret in (PASSWORD, NEW_PASSWORD, reset.rsplit("/", 1)[1]):
        assert secret not in log


def test_the_people_and_account_pages_on_a_phone(app, open_page, axe_source, artifacts):
    from ..factories import make_group, make_network, make_user

    with app.app_context():
        network = make_network(name="Northfield Mind")
        group = make_group(network, name="Tuesday Walkers")
        make_user("coordinator", network, email="coordinator.of.a.long.name@northfield.example")
        sam = make_user("facilitator", network, [group], email="sam@northfield.example")
        sam_id = sam.id
    page = open_page(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    _sign_in(page, "coordinator.of.a.long.name@northfield.example", PASSWORD)
    page.wait_for_url("**/workspace/")
    for path, where in (
        ("/workspace/people", "people"),
        (f"/workspace/people/{sam_id}", "a person's page"),
        ("/workspace/account", "your account"),
        ("/workspace/account/password", "change your password"),
        ("/workspace/account/two-step", "set up a second step"),
    ):
        page.goto(path)
        assert_no_axe_violations(page, axe_source, f"{where} on a phone")
        _fits(page, 360)
        page.screenshot(
            path=artifacts / f"360-{path.strip('/').replace('/', '-')}.png", full_page=True
        )
    page.goto("/workspace/account/password")
    page.get_by_label("Your current password").fill("not my password at all")
    page.get_by_label("Your new password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect_error_summary(page, ["Your current password is not right"])
    assert_no_axe_violations(page, axe_source, "change your password with an error")
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("Your new password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/workspace/account")
    assert page.get_by_text("Your password is changed.").is_visible()
