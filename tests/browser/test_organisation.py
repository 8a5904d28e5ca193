"""A real organisation starts from an empty database, without the demo, in a real browser.

First on the test server: `inquiry setup`, the admin signs in, adds a group, invites its
facilitator, who accepts; the admin resets the facilitator's password, sets up their own second
step, and deactivates the facilitator, whose open session ends. axe-core on every page.

Then issue 12's "Done means" as one walk, following only README.md's "Running it for your
organisation" on a database and a gunicorn of its own: setup, a coordinator, a facilitator, a
group, a cycle, two people on one group tablet, closing with confirmation, printing, a password
reset, deactivation, and `inquiry purge` with its clock set past the retention period."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from inquiry.accounts.models import User
from inquiry.extensions import db
from inquiry.retention.services import add_months

from ..factories import PASSWORD
from ..servers import free_port as _free_port
from ..servers import serve_database
from .test_walk import PHONE, QUESTION_PAGES, assert_no_axe_violations, expect_error_summary

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails, and says why
    expect = None

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
    assert admin.get_by_text("There are no groups yet. Add a group to start.").is_visible()
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


# The README's whole walk ------------------------------------------------------------------
# Issue 12's "Done means", as a new organisation would go through it, following only the
# README's "Running it for your organisation": its own empty database migrated with
# `inquiry db upgrade`, `inquiry setup`, gunicorn with make run's settings and a render
# worker beside it, then people in their own browsers. Every page is at a phone's width.

INQUIRY = Path(sys.executable).parent / "inquiry"
ADMIN, COORDINATOR, FACILITATOR = (
    "lead@northfield.example",
    "priya@northfield.example",
    "sam@northfield.example",
)


@dataclass
class Organisation:
    """An installation of its own, as an operator's shell would run it."""

    url: str
    env: dict
    database: Path

    def inquiry(self, *args: str, **env: str) -> str:
        """Run an `inquiry` command as the README does; its output, once it has succeeded."""
        done = subprocess.run(
            [str(INQUIRY), *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"inquiry {' '.join(args)}: {output}"
        return output

    def count(self, table: str) -> int:
        with closing(sqlite3.connect(self.database)) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.fixture
def organisation(tmp_path):
    database = tmp_path / "inquiry.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        # instance/ of this checkout is someone's own: keys and PDFs of this one go elsewhere.
        "INQUIRY_SECRET_KEY": "organisation-walk-secret",
        "INQUIRY_LINK_KEY": "organisation-walk-link-key",
        "INQUIRY_PDF_FOLDER": str(tmp_path / "pdfs"),
    }
    org = Organisation("", env, database)
    org.inquiry("db", "upgrade")
    with (tmp_path / "worker.log").open("ab") as log:
        worker = subprocess.Popen(
            [str(INQUIRY), "render-worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    port = _free_port()
    try:
        server = serve_database(env, port, tmp_path / "gunicorn.log")
    except RuntimeError:
        worker.kill()
        worker.wait()
        raise
    org.url = f"http://127.0.0.1:{port}"
    try:
        yield org
    finally:
        for process in (worker, server):
            process.send_signal(signal.SIGTERM)
        for process in (worker, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _see(page, artifacts, name: str) -> None:
    """What a person on a phone sees: nothing scrolls sideways, and a screenshot to look at."""
    page.wait_for_load_state("load")  # measured with its stylesheet, not before it arrives
    _fits(page, 360)
    page.screenshot(path=artifacts / f"360-organisation-{name}.png", full_page=True)


def _signed_in(page, email: str, password: str = PASSWORD) -> None:
    _sign_in(page, email, password)
    page.wait_for_url("**/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your groups")


def _people(page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def _link_made(page) -> str:
    return page.locator(".panel-done .link-text").inner_text().strip()


def _invite(page, email: str, choice: str) -> str:
    """The People page's invitation form filled in for one person; the link it makes."""
    _people(page)
    page.get_by_label("Their email address").fill(email)
    page.get_by_label(choice).check()
    page.get_by_role("button", name="Make an invitation link").click()
    return _link_made(page)


def _accept(page, link: str, email: str) -> None:
    page.goto(link)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/sign-in")
    _signed_in(page, email)


def _answer_on_the_tablet(tablet, first_answer: str) -> None:
    """One person's reflection on the group tablet: an answer on the first page, the rest
    passed over, sent from the check page; the tablet is back at a fresh start."""
    tablet.get_by_role("button", name="Start now").click()
    expect(tablet).to_have_url(re.compile(r"/reflect/1$"))
    expect(tablet.locator("input[type=radio]:checked")).to_have_count(0)
    tablet.locator("fieldset").first.locator("label").get_by_text(first_answer, exact=True).click()
    for _ in range(QUESTION_PAGES + 1):
        tablet.get_by_role("button", name="Continue", exact=True).click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Check your answers")
    tablet.get_by_role("button", name="Send my answers").click()
    expect(tablet).to_have_url(re.compile(r"/reflect$"))


def _nothing_of_anyone(tablet) -> None:
    expect(tablet.get_by_role("button", name="Start now")).to_be_visible()
    expect(tablet.get_by_role("button", name="Carry on")).to_have_count(0)
    expect(tablet.get_by_role("button", name="Not you? Start fresh")).to_have_count(0)
    expect(tablet.locator(".receipt")).to_have_count(0)


def test_the_readme_walk_from_an_empty_database_to_a_purge(browser, organisation, artifacts):
    org = organisation
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(base_url=org.url, java_script_enabled=javascript, **PHONE)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        _walk(org, open_page, artifacts)
    finally:
        for context in contexts:
            context.close()


def _walk(org, open_page, artifacts) -> None:
    # The README: `inquiry setup` makes the network and its admin.
    assert org.count("user_account") == 0 and org.count("network") == 0
    said = org.inquiry(
        "setup", "--network", "Northfield Mind", "--admin", ADMIN, INQUIRY_SETUP_PASSWORD=PASSWORD
    )
    assert "Northfield Mind" in said, said
    assert org.count("network") == 1

    # The admin signs in, sets the threshold to 3 and invites a coordinator.
    admin = open_page()
    _signed_in(admin, ADMIN)
    expect(admin.get_by_text("There are no groups yet. Add a group to start.")).to_be_visible()
    _see(admin, artifacts, "admin-home")
    admin.get_by_role("link", name="Change the threshold of Northfield Mind").click()
    admin.get_by_label("Smallest number of people whose answers we show together").fill("3")
    admin.get_by_role("button", name="Save the threshold and these settings").click()
    expect(admin.locator(".notice")).to_have_text(
        "Saved. A summary now shows a figure when at least 3 people gave it."
    )
    threshold = admin.get_by_role("row", name=re.compile("Northfield Mind")).locator("td.num")
    expect(threshold).to_have_text("3")
    coordinator_invitation = _invite(admin, COORDINATOR, "Coordinator")
    _see(admin, artifacts, "admin-invitation")

    # The coordinator accepts, adds the group and invites its facilitator.
    coordinator = open_page()
    _accept(coordinator, coordinator_invitation, COORDINATOR)
    coordinator.get_by_role("link", name="Add a group").click()
    coordinator.get_by_label("Name of the group").fill("Tuesday Walkers")
    coordinator.get_by_role("button", name="Add the group").click()
    expect(coordinator.get_by_role("heading", name="Tuesday Walkers")).to_be_visible()
    facilitator_invitation = _invite(coordinator, FACILITATOR, "Tuesday Walkers")
    _see(coordinator, artifacts, "coordinator-invitation")

    # The facilitator accepts, creates and opens a cycle, and sets up the group tablet.
    sam = open_page()
    _accept(sam, facilitator_invitation, FACILITATOR)
    expect(sam.get_by_role("heading", name="Tuesday Walkers")).to_be_visible()
    sam.get_by_role("link", name="New cycle for Tuesday Walkers").click()
    first_day = date.today()
    sam.get_by_label("Name of the cycle").fill("Winter walks")
    sam.get_by_label("First day").fill(first_day.isoformat())
    sam.get_by_label("Last day").fill((first_day + timedelta(days=27)).isoformat())
    sam.get_by_role("button", name="Create the cycle").click()
    sam.get_by_role("button", name="Open this cycle").click()
    cycle_url = sam.url
    expect(sam.get_by_text("The cycle is open. Share its codes.")).to_be_visible()
    _see(sam, artifacts, "cycle-open")
    sam.get_by_role("button", name="Set up a group tablet for Group members").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Set up a group tablet")
    tablet_link = sam.locator("span.link-text").inner_text().strip()
    _see(sam, artifacts, "tablet-code")

    # The group tablet, without JavaScript: two people, one after the other.
    tablet = open_page(javascript=False)
    tablet.goto(tablet_link)
    expect(tablet.get_by_role("heading", level=1)).to_have_text(
        "Use this device as the group tablet"
    )
    tablet.get_by_role("button", name="Start tablet mode").click()
    expect(tablet.get_by_text("This tablet is shared.")).to_be_visible()
    _nothing_of_anyone(tablet)
    _see(tablet, artifacts, "tablet-start")
    _answer_on_the_tablet(tablet, "Strongly agree")
    expect(tablet.locator(".panel-done")).to_contain_text("Thank you, your answers have been sent.")
    _nothing_of_anyone(tablet)
    _see(tablet, artifacts, "tablet-thanks")
    # The second person finds nothing of the first: no receipt to open, no answers ticked.
    tablet.goto("/reflect/done")
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    expect(tablet.locator(".panel-done")).to_have_count(0)
    _nothing_of_anyone(tablet)
    _answer_on_the_tablet(tablet, "Agree")
    assert org.count("response") == 2
    assert not {c["name"] for c in tablet.context.cookies()} & {"inquiry_resume", "inquiry_voter"}

    # A third member answered on paper, so the group's figures reach the threshold of 3.
    sam.goto(cycle_url)
    sam.get_by_role("link", name="Type in paper answers for Group members").click()
    sam.get_by_label("I know what our group is for.").focus()
    sam.keyboard.type("4")
    sam.keyboard.press("Enter")
    expect(sam.get_by_text("Paper response saved")).to_be_visible()
    expect(sam.get_by_text("Responses so far: 3")).to_be_visible()

    # Closing goes through the page that says what it does; no extra time.
    sam.goto(cycle_url)
    sam.get_by_role("link", name="Close this cycle").click()
    expect(sam.get_by_role("heading", level=1)).to_contain_text("Close")
    _see(sam, artifacts, "close-confirm")
    sam.get_by_label("No extra time: answers not sent yet are not kept").check()
    sam.get_by_role("button", name="Close the reflection").click()
    expect(sam.get_by_text("The reflection is closed.")).to_be_visible()

    # Print: the page waits while the render worker makes the PDF, then it downloads.
    with sam.expect_download(timeout=90_000) as download:
        sam.get_by_role("link", name="Summary to print (PDF, A4)").click()
        expect(sam.get_by_role("heading", name="Making your PDF")).to_be_visible()
    pdf = artifacts / "organisation-summary.pdf"
    download.value.save_as(pdf)
    printed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tuesday Walkers: Winter walks" in printed
    # Strongly agree and Agree on the tablet, 4 on paper: 4.33 on average, all three agree.
    assert "Who answered: 3 group members · 0 peer support workers" in printed
    assert "Shared aims n = 3 Average 4.33 Agree 100%" in printed
    assert re.search(r"Q1 I know what our group is for\.\s+0\s+0\s+0\s+2\s+1\s", printed), printed

    # Sam forgets the password: the coordinator makes a reset link, Sam sets a new one.
    _people(coordinator)
    coordinator.get_by_role("link", name=FACILITATOR).click()
    coordinator.get_by_role("button", name="Make a password reset link").click()
    reset = _link_made(coordinator)
    _see(coordinator, artifacts, "reset-link")
    sam.get_by_role("button", name="Sign out").click()
    sam.goto(reset)
    sam.get_by_label("Choose a password").fill(NEW_PASSWORD)
    sam.get_by_label("Type the password again").fill(NEW_PASSWORD)
    sam.get_by_role("button", name="Set my new password").click()
    sam.wait_for_url("**/sign-in")
    expect(sam.get_by_text("Your new password is set")).to_be_visible()
    _signed_in(sam, FACILITATOR, NEW_PASSWORD)

    # Sam leaves: deactivated, and the session open on Sam's phone ends at once.
    _people(coordinator)
    coordinator.get_by_role("link", name=FACILITATOR).click()
    coordinator.get_by_role("button", name="Deactivate their account").click()
    expect(coordinator.get_by_text("Deactivated: cannot sign in")).to_be_visible()
    _see(coordinator, artifacts, "deactivated")
    sam.goto(cycle_url)
    sam.wait_for_url("**/sign-in*")
    expect(sam.get_by_role("heading", level=1)).to_have_text("Sign in")

    # Retention: the admin sets a month; `inquiry purge` with its clock set deletes the
    # answers only once that month has passed, and the summary keeps its figures.
    admin.goto("/workspace/")
    admin.get_by_role("link", name="Change the threshold of Northfield Mind").click()
    admin.get_by_label("Delete answers this many months after a cycle closes (optional)").fill("1")
    admin.get_by_role("button", name="Save the threshold and these settings").click()
    expect(admin.locator(".notice")).to_contain_text("Changes saved.")
    due = add_months(date.today(), 1)
    early = org.inquiry("purge", "--today", (due - timedelta(days=2)).isoformat())
    assert "Nothing is due" in early, early
    assert org.count("response") == 3
    done = org.inquiry("purge", INQUIRY_TODAY=(due + timedelta(days=2)).isoformat())
    assert "Deleted from Northfield Mind / Tuesday Walkers / Winter walks" in done, done
    assert "responses: 3, answers: " in done, done
    assert org.count("response") == 0 and org.count("answer") == 0
    coordinator.goto(cycle_url + "/summary")
    summary = coordinator.locator("main")
    expect(summary).to_contain_text("Tuesday Walkers: Winter walks")
    expect(summary).to_contain_text("under the network's retention period")
    expect(summary).to_contain_text("3 group members")
    expect(summary.locator("tr.theme-row").first).to_contain_text("n = 3 Average 4.33 Agree 100%")
    _see(coordinator, artifacts, "summary-after-purge")

    # The audit log says what went, in numbers only, and holds no password or link.
    coordinator.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Audit log"
    ).click()
    log = coordinator.locator("table").inner_text()
    for done_there in ("deactivated", "made a password reset link", "responses: 3, answers: "):
        assert done_there in log, done_there
    for secret in (PASSWORD, NEW_PASSWORD, reset.rsplit("/", 1)[1]):
        assert secret not in log
