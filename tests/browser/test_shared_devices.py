"""Phones and tablets passed round the room, in real headless Chromium at 360 px, with and
without JavaScript: the next person finds nothing of the last one. axe-core on every page
that changed for this; screenshots land in tests/.artifacts/.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inquiry.agenda.models import AgendaTopic, AgendaVote
from inquiry.extensions import db
from inquiry.groups.models import Group
from inquiry.responses.models import Draft, Response

from ..factories import PASSWORD, make_closed_cycle, make_user
from .test_walk import PHONE, QUESTION_PAGES, TOTAL_STEPS, assert_no_axe_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails, and says why
    expect = None

TOPICS = ("A trip to the seaside", "Cooking on a budget", "More time to chat")
JS = pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])


def _add_topics(app, cycle_id: int) -> None:
    with app.app_context():
        for title in TOPICS:
            db.session.add(AgendaTopic(cycle_id=cycle_id, title=title))
        db.session.commit()
        db.session.remove()


def _stored(app) -> dict[str, int]:
    with app.app_context():
        counts = {
            "drafts": db.session.scalar(sa.select(sa.func.count()).select_from(Draft)),
            "responses": db.session.scalar(sa.select(sa.func.count()).select_from(Response)),
            "voters": db.session.scalar(
                sa.select(sa.func.count(sa.distinct(AgendaVote.voter_digest)))
            ),
        }
        db.session.remove()
    return counts


class Checks:
    """axe-core (with JavaScript only) and a screenshot of each page reached."""

    def __init__(self, page, axe_source, artifacts, javascript: bool, prefix: str):
        self.page, self.axe, self.artifacts = page, axe_source, artifacts
        self.javascript = javascript
        self.prefix = f"360-{prefix}-{'js' if javascript else 'nojs'}"

    def __call__(self, name: str) -> None:
        if self.javascript:
            assert_no_axe_violations(self.page, self.axe, f"{name} at 360 px")
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360, f"{name} is {wide}px wide"
        self.page.screenshot(path=self.artifacts / f"{self.prefix}-{name}.png", full_page=True)


def _tick(page, label: str, nth: int = 0) -> None:
    page.locator("fieldset").nth(nth).locator("label").get_by_text(label, exact=True).click()


def _continue(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def _nothing_ticked(page) -> None:
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)


def _no_carry_on(page) -> None:
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    expect(page.get_by_role("button", name="Carry on")).to_have_count(0)
    expect(page.get_by_role("button", name="Not you? Start fresh")).to_have_count(0)


def _topics_chosen(page) -> int:
    page.goto("/topics")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What would you most like")
    chosen = page.locator("input[type=checkbox]:checked").count()
    page.get_by_role("link", name="Back", exact=True).click()
    return chosen


def _choose_topic(page, title: str) -> None:
    page.get_by_role("link", name="Choose the topics you most want").click()
    page.get_by_label(title).check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved")).to_be_visible()
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reflect$"))


@JS
def test_two_people_on_one_phone_find_nothing_of_each_other(
    app, cycle, open_page, axe_source, artifacts, javascript
):
    _add_topics(app, cycle.id)
    page = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
    check = Checks(page, axe_source, artifacts, javascript, "shared")
    code = cycle.active_code("member")

    # The first person chooses a topic, answers two pages and puts the phone down on step 3.
    page.goto(f"/j/{code}")
    _choose_topic(page, TOPICS[0])
    page.get_by_role("button", name="Start now").click()
    _tick(page, "Strongly agree")
    _continue(page)
    _tick(page, "Agree")
    _continue(page)
    expect(page).to_have_url(re.compile(r"/reflect/3$"))
    # Coming back, "Carry on" takes them to step 3, where a fresh start is offered too.
    page.goto(f"/j/{code}")
    expect(page.get_by_role("button", name="Carry on")).to_be_visible()
    page.get_by_role("button", name="Carry on").click()
    expect(page).to_have_url(re.compile(r"/reflect/3$"))
    expect(page.get_by_role("button", name="Not you? Start fresh")).to_be_visible()
    check("step-resumed")

    # The second person opens the group's link: the start page offers a fresh start.
    page.goto(f"/j/{code}")
    expect(page.get_by_role("button", name="Carry on")).to_be_visible()
    expect(page.get_by_text("If they are not yours, start fresh.")).to_be_visible()
    check("start-resumed")
    page.get_by_role("button", name="Not you? Start fresh").click()
    expect(page).to_have_url(re.compile(r"/reflect$"))
    _no_carry_on(page)
    assert _stored(app) == {"drafts": 0, "responses": 0, "voters": 1}
    assert _topics_chosen(page) == 0
    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_url(re.compile(r"/reflect/1$"))
    _nothing_ticked(page)
    expect(page.get_by_role("button", name="Not you? Start fresh")).to_have_count(0)
    _tick(page, "Disagree")
    _continue(page)
    page.goto(f"/reflect/{TOTAL_STEPS}")
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_url(re.compile(r"/reflect/done$"))
    expect(page.locator(".receipt")).to_have_count(1)
    expect(page.get_by_role("button", name="Finish, and hand over the phone")).to_be_visible()
    check("done")

    # The browser's Back after sending shows the confirmation, not "start again"; the
    # receipt is not shown a second time.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/reflect/done$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers have been sent"
    )
    expect(page.locator(".receipt")).to_have_count(0)
    expect(page.get_by_text("We showed the receipt code only once")).to_be_visible()
    check("done-again")

    # Finish, and hand over the phone: the third person finds nothing at all.
    page.get_by_role("button", name="Finish, and hand over the phone").click()
    expect(page).to_have_url(re.compile(r"/reflect$"))
    _no_carry_on(page)
    check("start-after-finish")
    assert _topics_chosen(page) == 0
    page.goto("/reflect/done")
    expect(page).to_have_url(re.compile(r"/$"))  # no receipt to open again
    page.goto(f"/j/{code}")
    page.get_by_role("button", name="Start now").click()
    _nothing_ticked(page)
    assert _stored(app) == {"drafts": 1, "responses": 1, "voters": 1}
    cookies = {c["name"] for c in page.context.cookies()}
    assert "inquiry_voter" not in cookies


def _sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")


@JS
def test_a_group_tablet_round_trip(app, cycle, open_page, axe_source, artifacts, javascript):
    _add_topics(app, cycle.id)
    with app.app_context():
        group = db.session.get(Group, cycle.group_id)
        make_user("facilitator", group.network, [group], email="tablet@example.org")
        db.session.remove()

    # The facilitator, on their phone, makes a one-time tablet code on the cycle's page.
    staff = open_page(**PHONE, bypass_csp=True)
    staff_checks = Checks(staff, axe_source, artifacts, True, "kiosk-staff")
    _sign_in(staff, "tablet@example.org")
    staff.goto(f"/workspace/cycles/{cycle.id}")
    staff_checks("cycle")
    staff.get_by_role("button", name="Set up a group tablet for Group members").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Set up a group tablet")
    expect(staff.get_by_role("img", name="QR code of the tablet link")).to_be_visible()
    staff_checks("tablet-code")
    link = staff.locator("span.link-text").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/k/[A-Z0-9]{8}", link), link

    # The tablet opens the link (as if scanned) and becomes the group's tablet.
    tablet = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
    check = Checks(tablet, axe_source, artifacts, javascript, "kiosk")
    tablet.goto(link)
    expect(tablet.get_by_role("heading", level=1)).to_have_text(
        "Use this device as the group tablet"
    )
    check("use-the-code")
    tablet.get_by_role("button", name="Start tablet mode").click()
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    expect(tablet.get_by_text("This tablet is shared.")).to_be_visible()
    _no_carry_on(tablet)
    check("start")
    # The link worked once: opened again elsewhere, it is refused.
    staff.goto(link)
    staff.get_by_role("button", name="Start tablet mode").click()
    expect(staff.locator(".error-summary")).to_contain_text("This tablet code does not work.")

    # The first person picks a language, a topic, answers, and sends.
    _choose_topic(tablet, TOPICS[0])
    tablet.goto("/language/ro?next=/reflect")
    expect(tablet.locator("html")).to_have_attribute("lang", "ro")
    tablet.locator("main form button[type=submit]").first.click()  # "Start now", in Romanian
    expect(tablet).to_have_url(re.compile(r"/reflect/1$"))
    tablet.locator("fieldset").first.locator("label").first.click()  # its first answer
    tablet.locator("form[action='/reflect/1'] button[type=submit]").first.click()
    expect(tablet).to_have_url(re.compile(r"/reflect/2$"))
    tablet.goto(f"/reflect/{TOTAL_STEPS}")
    expect(tablet.locator("form[action='/reflect/fresh']")).to_have_count(1)
    tablet.locator("form[action='/reflect/send'] button[type=submit]").click()

    # Straight back to a fresh start page, in the group's language, thanking them once.
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    expect(tablet.locator("html")).to_have_attribute("lang", "en-GB")
    expect(tablet.locator(".panel-done")).to_contain_text("Thank you, your answers have been sent.")
    _no_carry_on(tablet)
    check("thanks")

    # The next person: no thanks left over, no receipt, no answers, no topics chosen, and
    # the browser's Back leads only to a fresh start.
    tablet.go_back()
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    expect(tablet.locator(".panel-done")).to_have_count(0)
    _no_carry_on(tablet)
    tablet.goto("/reflect/done")
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    expect(tablet.locator(".receipt")).to_have_count(0)
    assert _topics_chosen(tablet) == 0
    _choose_topic(tablet, TOPICS[1])
    tablet.get_by_role("button", name="Start now").click()
    _nothing_ticked(tablet)
    # On a tablet, a fresh start is always at hand on each step.
    expect(tablet.get_by_role("button", name="Not you? Start fresh")).to_be_visible()
    check("step")
    for _ in range(QUESTION_PAGES + 1):
        _continue(tablet)
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(tablet.get_by_text("you will not get a receipt code")).to_be_visible()
    check("check")
    tablet.get_by_role("button", name="Send my answers").click()
    expect(tablet).to_have_url(re.compile(r"/reflect$"))
    assert _stored(app) == {"drafts": 0, "responses": 2, "voters": 2}
    names = {c["name"] for c in tablet.context.cookies()}
    assert not names & {"inquiry_resume", "inquiry_voter", "inquiry_lang"}, names


@JS
def test_a_closed_code_and_a_busy_connection(
    app, cycle, open_page, axe_source, artifacts, javascript
):
    with app.app_context():
        closed = make_closed_cycle().active_code("member")
        db.session.remove()
    page = open_page(**PHONE, bypass_csp=True, java_script_enabled=javascript)
    check = Checks(page, axe_source, artifacts, javascript, "limits")
    page.goto(f"/j/{closed}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This reflection has closed")
    expect(page.locator("main")).to_contain_text("closed on")
    expect(page.locator("main")).not_to_contain_text("Check the code")
    check("closed-code")
    # Ten wrong codes from this connection (a room sharing the venue's Wi-Fi) ...
    page.goto("/")
    box = page.get_by_label("Enter your group's code")
    for i in range(11):
        box.fill(f"WRONG{i}")
        page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Lots of wrong codes have come from this internet connection."
    )
    check("too-many")
    # ... and the right code, typed or from the QR link, still gets in.
    box = page.get_by_label("Enter your group's code")
    box.fill(cycle.active_code("member"))
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reflect$"))
    page.goto(f"/j/{cycle.active_code('member')}")
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
