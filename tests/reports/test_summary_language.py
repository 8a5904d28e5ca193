"""A Polish summary shows a question not yet translated in its English words, marked as
English, on the web page and in the PDF made from the same HTML."""

from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup

from inquiry.cycles.models import Cycle
from inquiry.cycles.services import add_own_question, close_cycle
from inquiry.extensions import db
from inquiry.questions.models import Question
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary

from ..factories import make_group, make_open_cycle
from ..responses.test_question_language import (
    DAYS,
    OWN_CHOICE,
    OWN_LIKERT,
    _text,
    language_of,
)
from .test_report import KEY, _respond


def _summary_html(language: str) -> BeautifulSoup:
    cycle = make_open_cycle(make_group(name="Allotment"))
    likert = add_own_question(cycle, "member", "likert", OWN_LIKERT, "own", []).question.key
    choice = add_own_question(cycle, "member", "choice", OWN_CHOICE, "own", DAYS).question.key
    db.session.commit()
    for _n in range(6):
        _respond(cycle, "member", {likert: "4", choice: "mondays", "hope.gives_hope": "5"})
    close_cycle(cycle)
    db.session.commit()
    summary = build_summary(db.session.get(Cycle, cycle.id), language, KEY)
    return BeautifulSoup(render_summary(summary, language), "html.parser")


def test_a_polish_summary_marks_the_english_fallback(ctx):
    page = _summary_html("pl")
    assert page.html["lang"] == "pl"
    assert language_of(_text(page, OWN_LIKERT)) == "en-GB"
    caption = _text(page, OWN_CHOICE)
    assert caption.find_parent("caption") is not None
    assert language_of(caption) == "en-GB"
    option = _text(caption.find_parent("table"), DAYS[0])
    assert option.find_parent("th") is not None and language_of(option) == "en-GB"
    # A question of the bank, translated, is in the page's language.
    hope = db.session.scalar(sa.select(Question).filter_by(key="hope.gives_hope"))
    assert hope.text_in("pl").language == "pl"
    assert language_of(_text(page, hope.text_in("pl").text)) == "pl"


def test_an_english_summary_has_no_marks(ctx):
    page = _summary_html("en_GB")
    assert _text(page, OWN_LIKERT) is not None
    assert not [el for el in page.select("[lang]") if el.name != "html"]
