"""A question not yet translated into a member's language shows its English words, marked
as English (lang="en-GB") so that a screen reader does not read them with, say, Polish
pronunciation; words in the member's own language stay under the page's language."""

from __future__ import annotations

from inquiry.cycles.services import add_own_question
from inquiry.extensions import db

from ..factories import make_group, make_open_cycle
from ..pages import check_page
from ..reflection import answer_page, start, step_count

OWN_LIKERT = "We share the tools fairly."
OWN_CHOICE = "Which day suits you best?"
DAYS = ["Mondays", "Saturdays"]


def language_of(node) -> str | None:
    """The language a screen reader reads a piece of the page in: the nearest lang
    attribute on it or around it."""
    while node is not None:
        if getattr(node, "get", None) and node.get("lang"):
            return node["lang"]
        node = node.parent
    return None


def _own_questions_in_english(app) -> str:
    """An open cycle with two of the group's own questions, written in English only."""
    with app.app_context():
        cycle = make_open_cycle(make_group(name="Allotment"))
        add_own_question(cycle, "member", "likert", OWN_LIKERT, "own", [])
        add_own_question(cycle, "member", "choice", OWN_CHOICE, "own", DAYS)
        db.session.commit()
        return cycle.active_code("member")


def _pages(client) -> dict[int, object]:
    return {n: check_page(client.get(f"/reflect/{n}")) for n in range(1, step_count(client))}


def _text(page, words: str):
    return page.find(string=lambda s: s and words in s)


def test_a_polish_member_hears_the_english_fallback_as_english(app, client):
    code = _own_questions_in_english(app)
    client.set_cookie("inquiry_lang", "pl")
    start(client, code)
    pages = _pages(client)
    assert all(page.html["lang"] == "pl" for page in pages.values())
    number, page = next((n, p) for n, p in pages.items() if _text(p, OWN_LIKERT))
    # The question (the legend a screen reader announces) and the choice's options are the
    # English words, inside an element saying so.
    likert = _text(page, OWN_LIKERT).find_parent("fieldset")
    assert likert.legend.get_text(strip=True) == OWN_LIKERT
    assert language_of(_text(likert.legend, OWN_LIKERT)) == "en-GB"
    choice = _text(page, OWN_CHOICE).find_parent("fieldset")
    assert language_of(_text(choice.legend, OWN_CHOICE)) == "en-GB"
    for day in DAYS:
        assert language_of(_text(choice, day)) == "en-GB"
    # What is in Polish stays Polish: the agree/disagree answers, and the bank's questions.
    agree = likert.find("input", value="4").find_next_sibling("label")
    assert agree.get_text(strip=True) == "Zgadzam się"
    assert language_of(agree.string) == "pl"
    first = pages[1].select("fieldset legend")[0]
    assert language_of(first.find(string=True)) == "pl"

    # The check page reads back the same: the English question, and the English option chosen.
    field = choice.find("input")["name"]
    assert answer_page(client, number, {field: choice.find("input")["value"]}).status_code == 302
    check = check_page(client.get(f"/reflect/{step_count(client)}"))
    rows = {
        " ".join(row.dt.get_text().split()): row
        for row in check.select("dl.summary .row")
        if row.dt
    }
    assert language_of(rows[OWN_LIKERT].dt.find(string=True)) == "en-GB"
    assert language_of(rows[OWN_CHOICE].dt.find(string=True)) == "en-GB"
    assert language_of(_text(rows[OWN_CHOICE], DAYS[0])) == "en-GB"
    change = rows[OWN_CHOICE].select_one(".change .vh")
    assert language_of(_text(change, OWN_CHOICE)) == "en-GB"
    bank = next(row for text, row in rows.items() if text not in (OWN_LIKERT, OWN_CHOICE))
    assert language_of(bank.dt.find(string=True)) == "pl"


def test_an_english_member_gets_no_marks(app, client):
    code = _own_questions_in_english(app)
    client.set_cookie("inquiry_lang", "en_GB")
    start(client, code)
    for page in _pages(client).values():
        main = page.find("main")
        assert not main.select("[lang]"), main.select("[lang]")
    check = check_page(client.get(f"/reflect/{step_count(client)}"))
    assert not check.find("main").select("[lang]")
