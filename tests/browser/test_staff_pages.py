"""Every workspace page, as each staff role sees it, in a real browser: English and Arabic,
at 320 px (400% zoom) and 1280 px, and in forced colours (Windows high contrast).

The pages come from the app's url_map, so a page added later is checked without anyone
listing it here. On each page, axe-core runs with the WCAG 2.2 AA tags and best practice,
the page must not scroll sideways (also at 640 px, 200% zoom), and in forced colours every
button must keep a visible boundary. One browser page is reused and every check on a page
runs in the one visit, so the module stays quick.

Skipped, and why:
- downloads (.pdf, .csv, .xlsx, .json, .sav, .dta and `answers.<fmt>`): files, not pages;
- routes without GET (closing a cycle, replacing a code, signing out...): they are buttons
  on the pages checked here, which change things when pressed;
- printing.status: the JSON the PDF waiting page asks for.
"""

from __future__ import annotations

import json
import re

import pytest

from ..factories import PASSWORD, make_user
from .test_walk import AXE_TAGS

CHECK_TAGS = [*AXE_TAGS, "best-practice"]
DOWNLOAD = re.compile(r"\.(pdf|csv|xlsx|json|sav|dta|<fmt>)$")
NOT_PAGES = {"printing.status": "the JSON the PDF waiting page polls"}
ROLES = ("admin", "coordinator", "facilitator")
# The admin sees every page, and checks each in English and Arabic; the coordinator and the
# facilitator check theirs (the same templates, with their own links) in one language each,
# which keeps the module quick.
LANGUAGES_FOR = {"admin": ("en_GB", "ar"), "coordinator": ("ar",), "facilitator": ("en_GB",)}

# Buttons drawn as boxes: in forced colours their background goes, so a border must stay.
BOUNDARY_JS = """() => {
  const bad = [];
  const controls = 'button, input[type=submit], a.button, a.button-secondary, select, '
    + 'input:not([type=hidden]), textarea';
  for (const el of document.querySelectorAll(controls)) {
    if (!el.getClientRects().length) continue;
    if (el.matches('.link-button, .link-dark, [type=radio], [type=checkbox]')) continue;
    const s = getComputedStyle(el);
    const sides = ['Top', 'Right', 'Bottom', 'Left'];
    const visible = sides.every(side =>
      s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) >= 1);
    if (!visible) bad.push(el.outerHTML.slice(0, 120));
  }
  return bad;
}"""

AXE_JS = """({tags, colours}) => axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    rules: colours ? {} : {'color-contrast': {enabled: false}}})"""
FORCED = {"name": "forced-colors", "value": "active"}


def workspace_rules(app):
    """(rule, endpoint) of every workspace page, and what is skipped with why."""
    pages, skipped = [], {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/workspace"):
            continue
        if "GET" not in rule.methods:
            skipped[rule.rule] = "no GET: a button on a page checked here"
        elif DOWNLOAD.search(rule.rule):
            skipped[rule.rule] = "a download"
        elif rule.endpoint in NOT_PAGES:
            skipped[rule.rule] = NOT_PAGES[rule.endpoint]
        else:
            pages.append(rule)
    return sorted(pages, key=lambda r: r.rule), skipped


# An argument's rows, where its name does not say the table.
ARGUMENT_TABLES = {"cq_id": "cycle_question", "user_id": "user_account", "topic_id": "agenda_topic"}
# Rows a page is for: a paper sheet is a response typed in from paper.
ARGUMENT_ROWS = {"response_id": lambda table: table.c.source == "paper"}


def rows_for(argument: str, cycle_ids: list[int]) -> list[int]:
    """One row per cycle of the table an <x_id> argument names (the first row when the table
    has no cycle), so a new page with an id of its own is visited without listing it here."""
    import sqlalchemy as sa

    from inquiry.extensions import db

    name = ARGUMENT_TABLES.get(argument, argument.removesuffix("_id"))
    table = db.metadata.tables.get(name)
    if table is None:
        return []
    first = sa.select(sa.func.min(table.c.id))
    if argument in ARGUMENT_ROWS:
        first = first.where(ARGUMENT_ROWS[argument](table))
    if "cycle_id" not in table.c:
        return [found] if (found := db.session.scalar(first)) else []
    return [
        found
        for cycle_id in cycle_ids
        if (found := db.session.scalar(first.where(table.c.cycle_id == cycle_id)))
    ]


def urls_for(app, rules, values: dict[str, list]) -> tuple[list[str], list[str]]:
    """Each rule built with every value its arguments take (a cycle: closed and open), and
    the rules the data set has nothing for."""
    urls, missing = [], []
    with app.test_request_context():
        from flask import url_for

        for rule in rules:
            combos = [{}]
            for argument in sorted(rule.arguments):
                found = values.get(argument) or rows_for(argument, values["cycle_id"])
                combos = [{**c, argument: v} for c in combos for v in found]
            if not combos:
                missing.append(rule.rule)
            urls.extend(url_for(rule.endpoint, **c) for c in combos)
    return urls, missing


@pytest.fixture
def world(app, live_server):
    """The demo network (groups of 6 to 30 members with 1 to 3 peer support workers, two
    closed cycles and an open one each), an admin of it, and one facilitator of the Riverside
    Walking Group (8 to 10 members, 2 peer support workers)."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cycles = json.loads(runner.invoke(args=["cycles", "--json"]).output)
    with app.app_context():
        import sqlalchemy as sa

        from inquiry.accounts.models import User
        from inquiry.extensions import db
        from inquiry.groups.models import Group

        group = db.session.scalars(sa.select(Group).filter_by(name="Riverside Walking Group")).one()
        network = group.network
        users = {
            "admin": make_user("admin", network, email="admin@example.org"),
            "coordinator": make_user("coordinator", network, email="coord@example.org"),
            "facilitator": make_user("facilitator", network, [group], email="fac@example.org"),
        }
        emails = {role: u.email for role, u in users.items()}
        other = db.session.scalars(sa.select(User).filter_by(role="facilitator")).first()
        values = {
            "group_id": [group.id],
            "network_id": [network.id],
            "user_id": [other.id],
            "audience": ["member"],
            "cycle_id": [
                c["id"] for c in cycles if c["group"] == group.name and c["state"] != "draft"
            ][-2:],
        }
    titles = [c["title"] for c in cycles if c["id"] in values["cycle_id"]]
    return values, emails, titles


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")


def reflow_problems(page, where: str, widths=(1280, 640, 320)) -> list[str]:
    """The page is no wider than the screen at 1280 px, 640 px (200% zoom) and 320 px (400%);
    the page is left at the last width."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{where} at {width}px: {wide}px wide, it scrolls sideways")
    return problems


def axe_problems(page, where: str, *, colours: bool = True) -> list[str]:
    options = {"tags": CHECK_TAGS, "colours": colours}
    found = page.evaluate(AXE_JS, options)["violations"]
    return [
        f"{where}: {v['id']}: {v['help']} ["
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
        + "]"
        for v in found
    ]


def check_page(page, cdp, axe_source: str, where: str) -> list[str]:
    """Every check on the page in one visit: no sideways scrolling at 1280, 640 and 320 px;
    axe at 320 px in the page's own colours; then in forced colours, buttons keep a boundary
    and the page still fits at 320 px, and axe runs again at 1280 px (colour contrast is the
    system's there, so that rule is off)."""
    page.add_script_tag(content=axe_source)
    problems = reflow_problems(page, where)
    problems += axe_problems(page, f"{where} at 320px")
    forced = f"{where} in forced colours"
    cdp.send("Emulation.setEmulatedMedia", {"features": [FORCED]})
    try:
        problems += [f"{forced}: no boundary: {b}" for b in page.evaluate(BOUNDARY_JS)]
        problems += reflow_problems(page, forced, widths=(320,))
        page.set_viewport_size({"width": 1280, "height": 800})
        problems += axe_problems(page, f"{forced} at 1280px", colours=False)
    finally:
        cdp.send("Emulation.setEmulatedMedia", {"features": []})
    return problems


# What has been checked already in this run: (language, the page's main content without its
# CSRF tokens). Another role's copy of the same content is not checked again: its header was
# checked on that role's first page, and the header does not change the content's layout.
CHECKED: set[tuple[str, str]] = set()


def same_shape(html: str, titles: list[str]) -> str:
    """The content with the cycle's title and id taken out: a page the open and the closed
    cycle show alike is checked once."""
    for title in titles:
        html = html.replace(title, "TITLE")
    return re.sub(r"/cycles/\d+", "/cycles/N", html)


MAIN_JS = """() => document.querySelector('main').innerHTML
    .replace(/name="csrf_token" value="[^"]*"/g, '')"""


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_page_passes_axe_reflows_and_keeps_its_buttons(
    app, world, browser, live_server, axe_source, role
):
    values, emails, titles = world
    rules, skipped = workspace_rules(app)
    assert "/workspace/cycles/<int:cycle_id>/summary.pdf" in skipped
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        sign_in(page, emails[role])
        # A PDF's waiting page needs a PDF asked for (no render worker runs here).
        page.goto(f"/workspace/cycles/{values['cycle_id'][0]}/summary.pdf")
        assert "/workspace/pdfs/" in page.url
        document = int(page.url.rsplit("/", 1)[1])
        with app.app_context():
            urls, missing = urls_for(app, rules, {**values, "document_id": [document]})
        problems, seen, checked = [], 0, 0
        for language in LANGUAGES_FOR[role]:
            page.goto(f"/language/{language}")
            for url in urls:
                response = page.goto(url)
                if response.status == 404:
                    continue  # outside this role's scope (tests/test_access.py)
                if response.status != 200:
                    problems.append(f"{language} {url}: status {response.status}")
                    continue
                assert page.locator("html").get_attribute("lang") == language.replace("_", "-")
                seen += 1
                # The first page checks this role's header; later ones, what is new.
                content = (language, same_shape(page.evaluate(MAIN_JS), titles))
                if seen > 1 and content in CHECKED:
                    continue
                CHECKED.add(content)
                checked += 1
                problems += check_page(page, cdp, axe_source, f"{language} {url}")
        assert not problems, f"{len(problems)} problem(s) for the {role}:\n" + "\n".join(problems)
        assert seen >= 15, f"only {seen} pages seen"
        print(f"{role}: {seen} pages, {checked} checked; nothing in the data set for: {missing}")
    finally:
        context.close()


def test_each_error_on_the_actions_page_is_linked_to_its_field(app, client):
    """The summary's links go to the fields, and each field names its own message (the
    due date's included), so a screen reader reads the message on the field."""
    from ..accounts.test_login import sign_in as sign_in_client
    from ..factories import make_closed_cycle
    from ..pages import check_page, error_summary, form_fields, parse

    with app.app_context():
        cycle = make_closed_cycle()
        make_user("facilitator", cycle.group.network, [cycle.group], email="due@example.org")
        url = f"/workspace/cycles/{cycle.id}/actions"
    assert sign_in_client(client, "due@example.org").status_code == 302
    data = {**form_fields(check_page(client.get(url)), url), "what": "", "due_on": "31/02/2026"}
    response = client.post(url, data=data)
    assert response.status_code == 400
    page = parse(response)
    links = page.select(".error-summary a")
    assert "#due_on" in [a["href"] for a in links], error_summary(page)
    for link in links:
        field = page.select_one(link["href"])
        message = page.select_one(f"{link['href']}-error")
        assert field is not None and message is not None, link["href"]
        assert f"{link['href'][1:]}-error" in field.get("aria-describedby", "").split()
        assert message.get_text(" ", strip=True) == f"Error: {link.get_text(strip=True)}"


def test_member_buttons_keep_their_boundary_in_forced_colours(
    app, world, browser, live_server, axe_source
):
    """Start, Continue and Back on the member's pages, in forced colours, on a phone."""
    from inquiry.cycles.models import Cycle
    from inquiry.extensions import db

    values, _emails, _titles = world
    with app.app_context():
        code = db.session.get(Cycle, values["cycle_id"][-1]).active_code("member")
    context = browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 320, "height": 740}
    )
    try:
        page = context.new_page()
        page.emulate_media(forced_colors="active")
        problems = []
        page.goto("/")
        problems += page.evaluate(BOUNDARY_JS)
        page.goto(f"/j/{code}")
        problems += page.evaluate(BOUNDARY_JS)
        page.get_by_role("button", name="Start now").click()
        page.wait_for_url("**/reflect/1")
        for name in ("Continue", "Back"):
            assert page.get_by_role("button", name=name, exact=True).is_visible()
        problems += page.evaluate(BOUNDARY_JS)
        page.add_script_tag(content=axe_source)
        problems += axe_problems(page, "step 1 in forced colours", colours=False)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
