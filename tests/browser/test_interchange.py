"""The import pages in a real browser, at a laptop's and a phone's width: axe-core finds
nothing, the page fits, a file with problems gets the error summary with each problem listed,
and a good file lands back on the cycle's page saying what was imported."""

from __future__ import annotations

from datetime import date

import pytest

from ..factories import PASSWORD, make_group, make_open_cycle, make_user
from ..interchange.kobo import kobo_csv, submissions
from .test_walk import assert_no_axe_violations, expect_error_summary

NOTHING_IMPORTED = "Nothing was imported: the file has problems. Fix them and choose the file again"


def _sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide}px wide on a {width}px screen"


@pytest.fixture
def offline_group(app, tmp_path):
    from inquiry.cycles.services import create_cycle
    from inquiry.extensions import db
    from inquiry.interchange.xlsform import cycle_xlsform

    with app.app_context():
        group = make_group(name="Allotment Group")
        cycle = make_open_cycle(group, title="Autumn 2026")
        create_cycle(group.id, "Winter 2027", date(2027, 1, 4), date(2027, 1, 29))
        db.session.commit()
        make_user("facilitator", group.network, [group], email="plot@example.org")
        form = cycle_xlsform(cycle, "member")
    made = submissions(form, 20, seed=5)
    good = tmp_path / "answers.csv"
    good.write_bytes(kobo_csv(form, made))
    bad_rows = [dict(m) for m in made]
    bad_rows[3]["hope.gives_hope"] = "Agree"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(kobo_csv(form, bad_rows))
    xlsx = tmp_path / "form.xlsx"
    xlsx.write_bytes(form)
    return {"good": good, "bad": bad, "xlsx": xlsx}


@pytest.mark.parametrize("viewport", [(1280, 800), (360, 740)], ids=["wide", "phone"])
def test_bringing_in_offline_answers_and_a_form(
    offline_group,
    open_page,
    axe_source,
    artifacts,
    viewport,
):
    width, height = viewport
    page = open_page(viewport={"width": width, "height": height}, bypass_csp=True)
    _sign_in(page, "plot@example.org")
    page.get_by_role("link", name="Autumn 2026").click()
    page.get_by_role(
        "link", name="Bring in answers collected offline with ODK Collect or KoboToolbox"
    ).click()
    assert_no_axe_violations(page, axe_source, "offline answers")
    _fits(page, width)
    page.get_by_label("The answers (.csv)").set_input_files(str(offline_group["bad"]))
    page.get_by_role("button", name="Import the answers").click()
    expect_error_summary(page, [NOTHING_IMPORTED])
    assert page.get_by_text("Row 5, hope.gives_hope: 'Agree' is not an answer").is_visible()
    assert_no_axe_violations(page, axe_source, "offline answers with problems")
    _fits(page, width)
    page.screenshot(path=artifacts / f"{width}-odk-problems.png", full_page=True)
    page.get_by_label("The answers (.csv)").set_input_files(str(offline_group["good"]))
    page.get_by_role("button", name="Import the answers").click()
    assert page.get_by_text("Imported 20 answers from ODK or KoboToolbox.").is_visible()
    assert page.get_by_role("heading", name="Autumn 2026").is_visible()
    # The next cycle takes its questions from the form.
    page.get_by_role("link", name="Your groups").click()
    page.get_by_role("link", name="Winter 2027").click()
    page.get_by_role("link", name="Take the questions from an XLSForm (KoboToolbox or ODK)").click()
    assert_no_axe_violations(page, axe_source, "questions from an XLSForm")
    _fits(page, width)
    page.get_by_label("Group members").check()
    page.get_by_label("The XLSForm (.xlsx)").set_input_files(str(offline_group["xlsx"]))
    page.get_by_role("button", name="Import the questions").click()
    assert page.get_by_text("Imported 28 questions: 0 of them new questions").is_visible()
