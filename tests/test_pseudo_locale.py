"""Pseudo-localisation: every catalog string wrapped in ⟦ ⟧; any visible English word left
outside them on any page did not go through translation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from inquiry import create_app
from inquiry.extensions import db

from .accounts.test_login import sign_in
from .factories import make_closed_cycle, make_open_cycle, make_user
from .reflection import answer_page, send, start, step_count

ROOT = Path(__file__).resolve().parent.parent
PSEUDO = "eo"  # a real locale that Inquiry does not ship, standing in for pseudo-text
PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sd]|<[^>]+>)")


def _pseudo(text: str) -> str:
    # Wrap the words but leave placeholders and markup exactly as they are.
    return (
        "⟦"
        + "".join(part if PLACEHOLDER.fullmatch(part) else part for part in PLACEHOLDER.split(text))
        + "⟧"
    )


@pytest.fixture(scope="module")
def pseudo_dir(tmp_path_factory):
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        catalog = read_po(fh, locale=PSEUDO)
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            message.string = tuple(_pseudo(i) for i in message.id)
        else:
            message.string = _pseudo(message.id)
    folder = tmp_path_factory.mktemp("pseudo") / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as fh:
        write_mo(fh, catalog)
    return str(folder.parent.parent)


def _visible_text(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    for tag in page(["script", "style"]):
        tag.decompose()
    texts = [page.title.get_text()] if page.title else []
    texts += [t for t in page.body.find_all(string=True)]
    texts += [
        el[attr]
        for attr in ("aria-label", "alt", "placeholder")
        for el in page.find_all(attrs={attr: True})
    ]
    return [t.strip() for t in texts if t.strip()]


def _untranslated(texts: list[str], data: list[str]) -> list[str]:
    """English words outside ⟦ ⟧ once the page's data (names, questions, codes) is taken out.
    The page is read as one text, so markup inside a message does not split it."""
    rest = re.sub(r"⟦.*?⟧", " ", "\n".join(texts), flags=re.S)
    for value in sorted(data, key=len, reverse=True):
        rest = rest.replace(value, " ")
    return [line for line in rest.splitlines() if re.search(r"[A-Za-z]{2,}", line)]


def test_every_page_speaks_only_through_the_catalog(app, pseudo_dir):
    config = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "LINK_KEY")}
    pseudo = create_app(
        {
            **config,
            "TESTING": True,
            "LANGUAGES": ["en_GB", PSEUDO],
            "BABEL_TRANSLATION_DIRECTORIES": pseudo_dir,
        }
    )
    from datetime import date

    with pseudo.app_context():
        before = make_closed_cycle(
            starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 30), title="Winter"
        )
        cycle = make_open_cycle(before.group, title="Spring")
        user = make_user("coordinator", cycle.group.network, email="pseudo@example.org")
        from inquiry.actions.models import Action
        from inquiry.agenda.models import AgendaTopic
        from inquiry.cycles.queries import list_cycle_questions
        from inquiry.questions.models import QuestionText
        from inquiry.responses.services import record_response

        record_response(  # words someone agreed to share, for the quotes page
            list_cycle_questions(before.id, "member"),
            audience="member",
            language="en_GB",
            answers={"open.anything_else": "Tea together"},
            may_quote=True,
        )
        db.session.add(Action(cycle_id=before.id, what="Walk on Sundays"))
        db.session.add(AgendaTopic(cycle_id=cycle.id, title="Trips"))
        db.session.commit()
        data = [q.text for q in db.session.query(QuestionText).filter_by(language="en_GB")]
        from inquiry.questions.models import Question

        data += [q.key for q in db.session.query(Question)]
        data += ["http://localhost/j/", "http://localhost/"]  # addresses are not words
        data += [
            cycle.group.name,
            cycle.group.network.name,
            "Winter",
            "Spring",
            user.email,
            "Walk on Sundays",
            "Trips",
            "Tea together",
            cycle.active_code("member"),
            cycle.active_code("peer_worker"),
        ]
        data += [
            format_date(d, f, locale=PSEUDO)
            for d in (before.starts_on, before.ends_on, cycle.starts_on, cycle.ends_on)
            for f in ("long", "medium")
        ]
        ids = {"cycle": cycle.id, "before": before.id, "group": cycle.group_id}
        code = cycle.active_code("member")
    from babel import Locale

    data += [Locale.parse(c).display_name for c in ("en_GB", PSEUDO)]

    member = pseudo.test_client()
    member.set_cookie("inquiry_lang", PSEUDO)
    pages = {"/": member.get("/").get_data(as_text=True)}
    start(member, code)
    pages["/reflect"] = member.get("/reflect").get_data(as_text=True)
    steps = step_count(member)  # the questions, "did this happen?", the code, the check
    for number in range(1, steps + 1):
        pages[f"/reflect/{number}"] = member.get(f"/reflect/{number}").get_data(as_text=True)
    code_step = next(n for n in range(1, steps + 1) if 'name="initial"' in pages[f"/reflect/{n}"])
    pages["error"] = answer_page(member, code_step, {"initial": "MM"}).get_data(as_text=True)
    pages["/topics"] = member.get("/topics").get_data(as_text=True)
    send(member)
    pages["/reflect/done"] = member.get("/reflect/done").get_data(as_text=True)
    data.append(
        BeautifulSoup(pages["/reflect/done"], "html.parser").find(class_="receipt").get_text()
    )
    pages["/withdraw"] = member.get("/withdraw").get_data(as_text=True)
    pages["404"] = member.get("/no/such/page").get_data(as_text=True)

    staff = pseudo.test_client()
    staff.set_cookie("inquiry_lang", PSEUDO)
    sign_in(staff, "pseudo@example.org")
    for path in (
        "/workspace/",
        "/workspace/cycles/{cycle}",
        "/workspace/cycles/{cycle}/summary",
        "/workspace/cycles/{cycle}/questions",
        "/workspace/cycles/{cycle}/agenda",
        "/workspace/cycles/{before}/actions",
        "/workspace/cycles/{cycle}/room",
        "/workspace/groups/{group}/cycles/new",
        "/workspace/groups/new",
        "/workspace/people",
        "/workspace/rollup",
        "/workspace/audit",
        "/workspace/cycles/{cycle}/paper/member",
        "/workspace/cycles/{cycle}/quotes",
        "/workspace/cycles/{before}/quotes",
    ):
        url = path.format(**ids)
        response = staff.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    # The page that waits for a PDF: waiting, waiting too long, and failed.
    waiting = staff.get("/workspace/cycles/{cycle}/poster.pdf".format(**ids)).headers["Location"]
    for state, change in (
        ("waiting", {}),
        ("slow", {"requested_at": datetime.now(UTC) - timedelta(minutes=5)}),
        ("failed", {"status": "failed"}),
    ):
        if change:
            with pseudo.app_context():
                from inquiry.printing.models import PdfDocument

                db.session.execute(sa.update(PdfDocument).values(**change))
                db.session.commit()
        pages[f"PDF {state}"] = staff.get(waiting).get_data(as_text=True)

    problems = {url: _untranslated(_visible_text(html), data) for url, html in pages.items()}
    problems = {url: found for url, found in problems.items() if found}
    assert not problems, problems
    with pseudo.app_context():
        db.engine.dispose()
