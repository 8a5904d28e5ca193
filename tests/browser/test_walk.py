"""A member's whole reflection in real headless Chromium: on a phone with and without
JavaScript, checked with axe-core on every page, reflowed at 320 px and with text at 200%.

Screenshots of every page land in tests/.artifacts/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Response

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails, and says why
    expect = None

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
NARROW = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
QUESTION_PAGES = 6
TOTAL_STEPS = QUESTION_PAGES + 2
# Never valid: B and 0 are not in the code alphabet (inquiry.core.codes.ALPHABET).
WRONG_JOIN_CODE = "bbb 000"
WRONG_RECEIPT = "BBBB-0000"
FREE_TEXT = "I made friends here, and I cook with them on Fridays."

MEMBER_PAGES = [
    "start",
    *(f"step-{n}" for n in range(1, QUESTION_PAGES + 1)),
    "about",
    "about-error",
    "check",
    "done",
    "withdraw",
    "withdraw-error",
]
HOME_PAGES = ["home", "home-error"]


# Checks ---------------------------------------------------------------------------------


def assert_no_axe_violations(page, axe_source: str, where: str) -> None:
    """axe-core's WCAG 2.2 A/AA rules find nothing on the page as it stands."""
    # After a click the next page may be committed but not yet parsed (no <head> to add to).
    page.wait_for_load_state("domcontentloaded")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe found {len(violations)} problem(s) on {where} ({page.url}):"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"][:6]:
                target = " >> ".join(str(t) for t in node["target"])
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"    {target}: {summary}")
        raise AssertionError("\n".join(lines))


def expect_error_summary(page, messages: list[str]) -> None:
    """GOV.UK pattern: 'Error:' title, 'There is a problem' summary focused on load, whose
    links go to each field and say the same as the message beside it."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text(messages)
    for link in links.all():
        target = link.get_attribute("href")
        assert target and target.startswith("#"), target
        expect(page.locator(f"{target}-error")).to_have_text(f"Error: {link.inner_text()}")


# The walk -------------------------------------------------------------------------------


@dataclass
class Walked:
    receipt: str = ""
    # Question text -> the answer shown for it on "Check your answers".
    answers: dict[str, str] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)


def _choose(page, fieldset_index: int, label: str, walked: Walked, *, tap: bool = False):
    """Answer a question by pressing the words of an answer, as people do on phones."""
    fieldset = page.locator("fieldset").nth(fieldset_index)
    words = fieldset.locator("label").get_by_text(label, exact=True)
    if tap:
        words.tap()
    else:
        words.click()
    expect(fieldset.get_by_role("radio", name=label, exact=True)).to_be_checked()
    walked.answers[fieldset.locator("legend").inner_text().strip()] = label


def _continue(page, number: int | None = None) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()
    if number is not None:
        expect(page).to_have_url(re.compile(rf"/reflect/{number}$"))


def walk(page, code: str, visit: Callable[[str], None], *, via_home: bool) -> Walked:
    """Join, answer some questions, skip others, go back once, add a code (getting it wrong
    first), check, send, then try a wrong receipt on the withdrawal page.
    `visit(name)` runs on every page reached, error pages included."""
    walked = Walked()

    def reached(name: str) -> None:
        walked.visited.append(name)
        visit(name)

    if via_home:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("How is the group going for you?")
        reached("home")
        code_box = page.get_by_label("Enter your group's code")
        code_box.fill(WRONG_JOIN_CODE)
        page.get_by_role("button", name="Start", exact=True).click()
        expect_error_summary(
            page,
            ["We could not find an open reflection with that code. Check the code and try again."],
        )
        reached("home-error")
        code_box.fill(f"{code[:3].lower()} {code[3:].lower()}")
        page.get_by_role("button", name="Start", exact=True).click()
    else:
        page.goto(f"/j/{code}")
    expect(page).to_have_url(re.compile(r"/reflect$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How is the group going for you?")
    reached("start")
    page.get_by_role("button", name="Start now").click()

    for number in range(1, QUESTION_PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/reflect/{number}$"))
        expect(page.locator(".caption")).to_have_text(f"Step {number} of {TOTAL_STEPS}")
        reached(f"step-{number}")
        if number == 1:
            _choose(page, 0, "Strongly agree", walked)
            _choose(page, 1, "I'd rather not say", walked, tap=True)
        elif number == 2:
            _choose(page, 0, "Agree", walked)
        elif number == 3:
            # Back keeps what was chosen, on this page and the one before.
            _choose(page, 1, "Disagree", walked, tap=True)
            page.get_by_role("button", name="Back", exact=True).click()
            expect(page).to_have_url(re.compile(r"/reflect/2$"))
            expect(page.locator("fieldset").first.get_by_label("Agree", exact=True)).to_be_checked()
            _continue(page, 3)
            radio = page.locator("fieldset").nth(1).get_by_label("Disagree", exact=True)
            expect(radio).to_be_checked()
        elif number == QUESTION_PAGES:
            box = page.locator("textarea").first
            box.fill(FREE_TEXT)
            question = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
            walked.answers[question.strip()] = FREE_TEXT
        _continue(page)

    expect(page).to_have_url(re.compile(rf"/reflect/{QUESTION_PAGES + 1}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you send")
    reached("about")
    page.get_by_text("Yes, you may quote my words. Do not use my name.").click()
    page.get_by_label("First letter of your mother's first name").fill("m")
    _continue(page, QUESTION_PAGES + 1)
    expect_error_summary(page, ["Fill in all 4 parts of your code, or leave them all empty"])
    expect(page.get_by_label("First letter of your mother's first name")).to_have_value("m")
    expect(page.get_by_role("radio", name="Yes, you may quote my words.")).to_be_checked()
    reached("about-error")
    # The summary's first link takes you to the first empty part.
    page.locator(".error-summary a").first.click()
    day = page.get_by_label("Day of the month you were born")
    expect(day).to_be_focused()
    day.fill("14")
    page.get_by_label("How many older brothers and sisters you have").fill("0")
    page.get_by_label("First letter of the town or village where you were born").fill("l")
    _continue(page, TOTAL_STEPS)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    reached("check")
    walked.answers["May we quote your words?"] = "Yes"
    walked.answers["Your own code"] = "Added"
    for question, answer in walked.answers.items():
        row = page.locator(".summary .row").filter(has=page.locator("dt").get_by_text(question))
        expect(row.locator("dd").first).to_have_text(answer)
    page.get_by_role("button", name="Send my answers").click()

    expect(page).to_have_url(re.compile(r"/reflect/done$"))
    reached("done")
    walked.receipt = page.locator(".receipt").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", walked.receipt), walked.receipt

    page.get_by_role("link", name="Take back your answers", exact=True).click()
    expect(page).to_have_url(re.compile(r"/withdraw$"))
    reached("withdraw")
    page.get_by_label("Your receipt code").fill(WRONG_RECEIPT)
    page.get_by_role("button", name="Delete my answers").click()
    expect_error_summary(
        page, ["We could not find answers with that receipt code. Check it and try again."]
    )
    reached("withdraw-error")
    return walked


def assert_stored_once(app, walked: Walked) -> None:
    with app.app_context():
        responses = db.session.scalars(sa.select(Response)).all()
        assert len(responses) == 1, f"expected 1 stored response, found {len(responses)}"
        [stored] = responses
        assert (stored.audience, stored.may_quote) == ("member", True)
        # Four radios and one text; the skipped questions store nothing.
        assert len(stored.answers) == 5, [(a.qtype, a.likert, a.text) for a in stored.answers]
        assert [a.text for a in stored.answers if a.qtype == "text"] == [FREE_TEXT]
        assert stored.link_keys, "the member's own code was not stored"
        db.session.remove()


# Tests ----------------------------------------------------------------------------------


def test_a_member_walks_the_reflection_on_a_phone_and_axe_finds_nothing(
    app, cycle, open_page, axe_source, artifacts
):
    page = open_page(**PHONE, bypass_csp=True)  # bypass only so that axe can be injected

    def visit(name: str) -> None:
        assert_no_axe_violations(page, axe_source, f"{name} at 360 px")
        page.screenshot(path=artifacts / f"360-{name}.png", full_page=True)

    walked = walk(page, cycle.active_code("member"), visit, via_home=True)
    assert walked.visited == HOME_PAGES + MEMBER_PAGES
    assert_stored_once(app, walked)


def test_a_member_walks_the_reflection_without_javascript(app, cycle, open_page):
    page = open_page(**PHONE, java_script_enabled=False)
    walked = walk(page, cycle.active_code("member"), lambda name: None, via_home=False)
    assert walked.visited == MEMBER_PAGES
    assert_stored_once(app, walked)


WIDER_THAN_VIEWPORT = """() => {
    const width = document.documentElement.clientWidth;
    const name = el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
    const all = [...document.body.querySelectorAll('*')];
    // Boxes reaching past either edge (hidden ones such as the skip link are not counted),
    // and the innermost boxes whose own text spills out of them.
    const past = all.filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.right > 0 && box.left < width
            && (box.right > width + 0.5 || box.left < -0.5);
    });
    const spilling = all.filter(el => el.clientWidth && el.scrollWidth > el.clientWidth + 1);
    const widthOf = el => Math.round(el.getBoundingClientRect().width);
    return {
        scrollWidth: document.documentElement.scrollWidth,
        rootFontPx: parseFloat(getComputedStyle(document.documentElement).fontSize),
        wide: past.slice(0, 5).map(el => `${name(el)} ${widthOf(el)}px`)
            .concat(spilling.slice(-3).map(el => `${name(el)} text ${el.scrollWidth}px`)),
    };
}"""


DOUBLE_ROOT_FONT = """() => {
    const html = document.documentElement;
    html.style.fontSize = 2 * parseFloat(getComputedStyle(html).fontSize) + 'px';
}"""


def test_member_pages_reflow_at_320px_and_with_text_at_200_percent(cycle, open_page, artifacts):
    # The app's own strict CSP stays on here: any inline style or script would be refused.
    page = open_page(**NARROW)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # The browser's own text size setting (as on a phone set to large text), doubled.
    cdp = page.context.new_cdp_session(page)
    problems = []

    def text_size(percent: int) -> None:
        sizes = {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}
        cdp.send("Page.setFontSizes", {"fontSizes": sizes})
        # Let the page take the new size and lay itself out again before anything is
        # measured (on a loaded machine two animation frames were not always enough).
        from playwright.sync_api import TimeoutError as NeverCame

        with contextlib.suppress(NeverCame):  # then measured, and reported, below
            page.wait_for_function(
                "px => parseFloat(getComputedStyle(document.documentElement).fontSize) === px",
                arg=sizes["standard"],
                timeout=1000,
            )
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )

    def measure(where: str) -> dict:
        found = page.evaluate(WIDER_THAN_VIEWPORT)
        if found["scrollWidth"] > 320:
            problems.append(
                f"{where}: scrollWidth {found['scrollWidth']} > 320; too wide: {found['wide']}"
            )
        return found

    def visit(name: str) -> None:
        normal = measure(f"{name} at 320 px")["rootFontPx"]
        text_size(200)
        doubled = measure(f"{name} with the browser's text size at 200%")["rootFontPx"]
        assert doubled == 2 * normal, f"text did not double on {name}: {normal} -> {doubled}"
        text_size(100)
        # A full-page screenshot resets the browser's text size, so for the picture the
        # page's own root size is doubled instead (the same thing, as the CSS is in rem).
        page.evaluate(DOUBLE_ROOT_FONT)
        found = measure(f"{name} with its root font size doubled")
        # A full-page shot of a page wider than the screen leaves Chromium's phone viewport
        # zoomed out (and later taps miss), so then only the screen's worth is saved.
        page.screenshot(
            path=artifacts / f"320-text200-{name}.png", full_page=found["scrollWidth"] <= 320
        )
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")

    walked = walk(page, cycle.active_code("member"), visit, via_home=True)
    assert walked.visited == HOME_PAGES + MEMBER_PAGES
    assert not problems, "content wider than a 320 px screen:\n" + "\n".join(problems)
    assert not refused, refused


def test_axe_finds_nothing_on_a_wide_screen(cycle, open_page, axe_source, artifacts):
    page = open_page(**DESKTOP, bypass_csp=True)
    page.goto(f"/j/{cycle.active_code('member')}")
    expect(page).to_have_url(re.compile(r"/reflect$"))
    assert_no_axe_violations(page, axe_source, "start at 1280 px")
    page.screenshot(path=artifacts / "1280-start.png", full_page=True)
    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_url(re.compile(r"/reflect/1$"))
    assert_no_axe_violations(page, axe_source, "step 1 at 1280 px")
    page.screenshot(path=artifacts / "1280-step-1.png", full_page=True)
