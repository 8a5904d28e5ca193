"""The paper questionnaire, read back from its PDF: in each language a facilitator can print
it in, under theme headings, with the self-chosen code's four parts, answers at 11 pt or
more, the closing part never alone on a page, and in large print."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pikepdf
import pytest

from inquiry.extensions import db

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pdfs import make_waiting_pdfs
from .reading import pages_text, pdf_text, reads_back, structure, word_sizes

LANGUAGES = ("en_GB", "pl", "so", "ar", "ro")
# The words of the answers to tick, in English.
ANSWER_WORDS = {"Strongly", "agree", "Agree", "Not", "sure", "Disagree", "disagree", "rather"}


@pytest.fixture
def cycle_id(app, client):
    """An open cycle of the bank's questions, for a signed-in facilitator of its group."""
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="paper@example.org")
        cycle_id = make_open_cycle(group).id
    assert sign_in(client, "paper@example.org").status_code == 302
    return cycle_id


def _print(app, client, cycle_id, audience="member", **query):
    """The finished PDF's response, as the facilitator downloads it."""
    url = f"/workspace/cycles/{cycle_id}/paper/{audience}.pdf"
    asked = client.get(url + ("?" + urlencode(query) if query else ""))
    assert asked.status_code == 303, asked.status_code
    assert make_waiting_pdfs(app) == 1
    ready = client.get(asked.headers["Location"])
    assert ready.mimetype == "application/pdf"
    return ready


def _questions(app, cycle_id, audience="member", language="en_GB"):
    """(theme heading, question text, type) of each question, in the cycle's order."""
    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.reports.render import theme_title

    with app.app_context():
        return [
            (theme_title(cq.question.theme), cq.question.text_in(language).text, cq.qtype)
            for cq in list_cycle_questions(cycle_id, audience)
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_paper_is_printed_in_the_language_the_facilitator_chooses(
    app, client, cycle_id, language
):
    from flask_babel import force_locale
    from flask_babel import gettext as translate

    response = _print(app, client, cycle_id, lang=language)
    pdf = response.data
    # The group's own language needs no tag in the file name; any other is named.
    name = f"paper-{cycle_id}-member" + ("" if language == "en_GB" else f"-{language}")
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}.pdf"
    with app.test_request_context(), force_locale(language):
        from inquiry.questions.bank import THEMES

        expected = [
            translate("How is the group going for you?"),
            translate(
                "Do not write your name. You can skip any question. Tick one box for each sentence."
            ),
            str(THEMES["shared_aims"]),
            str(THEMES["hope"]),
            translate("Strongly agree"),
            translate("May we quote your words?"),
        ]
    expected[1] = expected[1].split(".")[0]  # the first sentence of the instructions
    expected += [text for _theme, text, _type in _questions(app, cycle_id, language=language)[:3]]
    if language != "en_GB":
        assert expected[0] != "How is the group going for you?"  # really translated
    text = pdf_text(pdf)
    for phrase in expected:
        assert reads_back(phrase, text), phrase
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == language.replace("_", "-")


def test_the_paper_asks_theme_by_theme_with_the_code_and_answers_at_11_pt(app, client, cycle_id):
    pdf = _print(app, client, cycle_id).data
    text = pdf_text(pdf)
    questions = _questions(app, cycle_id)
    # One count through every theme, each theme headed where its questions begin.
    numbers = re.findall(r"^(\d+)\. ", text.replace("\f", "\n"), re.M)
    assert numbers == [str(n) for n in range(1, len(questions) + 1)]
    themes = [q[0] for i, q in enumerate(questions) if i == 0 or questions[i - 1][0] != q[0]]
    lines = [line.strip() for line in text.splitlines()]
    assert [line for line in lines if line in {q[0] for q in questions}] == themes
    assert len(themes) >= 8
    for part in (
        "Your own code (you can skip this)",
        "First letter of your mother's first name",
        "Day of the month you were born",
        "How many older brothers and sisters you have",
        "First letter of the town or village where you were born",
    ):
        assert part in text
    pages = len(pages_text(pdf))
    sizes = [
        size
        for page in range(1, pages + 1)
        for word, size in word_sizes(pdf, page, page)
        if word in ANSWER_WORDS
    ]
    likert = [q for q in questions if q[2] == "likert"]
    assert len(sizes) == 9 * len(likert) > 0  # every word of every answer to tick
    assert min(sizes) >= 11.9, min(sizes)  # 12 pt


def test_the_large_print_paper(app, client, cycle_id):
    standard = _print(app, client, cycle_id).data
    response = _print(app, client, cycle_id, variant="large-print")
    large = response.data
    assert response.headers["Content-Disposition"].endswith(
        f"filename=paper-{cycle_id}-member-large-print.pdf"
    )
    assert len(pages_text(large)) > len(pages_text(standard))
    for _theme, text, _type in _questions(app, cycle_id):
        assert reads_back(text, pdf_text(large)), text
    sizes = [size for word, size in word_sizes(large, 1, 2) if word in ANSWER_WORDS]
    assert sizes and min(sizes) >= 17.9, min(sizes)  # 18 pt


@pytest.mark.parametrize(
    ("audience", "query"),
    [
        ("member", {}),
        ("peer_worker", {}),
        ("member", {"variant": "large-print"}),
        ("peer_worker", {"variant": "large-print", "lang": "so"}),
    ],
)
def test_the_closing_part_stays_together_with_the_last_question(
    app, client, cycle_id, audience, query
):
    """No sheet ends with the consent on a page of its own: the peer support workers'
    choice and the consent go with the last question, at 18 pt too (the code's parts come
    first, on page 1); a choice question's options are a list."""
    from flask_babel import force_locale
    from flask_babel import gettext as translate

    from inquiry.cycles.models import Cycle
    from inquiry.cycles.services import add_own_question

    with app.app_context():
        add_own_question(
            db.session.get(Cycle, cycle_id),
            audience,
            "choice",
            "Which day suits you best for the group?",
            "own",
            ["Monday", "Wednesday", "Saturday"],
        )
        db.session.commit()
    pdf = _print(app, client, cycle_id, audience, **query).data
    pages = [" ".join(page.split()) for page in pages_text(pdf)]
    closing = [
        "Which day suits you best for the group?",
        "May we quote your words?",
        "Yes, you may quote my words. Do not use my name.",
        "Thank you. Give this sheet back to the facilitator.",
    ]
    if audience == "peer_worker":
        closing.append("How should your answers be shown?")
    with app.test_request_context(), force_locale(query.get("lang", "en_GB")):
        closing[1:] = [translate(part) for part in closing[1:]]
        code = translate("Your own code (you can skip this)")
    assert all(part in pages[-1] for part in closing), pages[-1]
    assert "Monday Wednesday Saturday" in pages[-1]
    assert code in pages[0]
    path = Path(app.instance_path) / "paper.pdf"
    path.write_bytes(pdf)
    roles = [role for _depth, role, _marks in structure(path)]
    # Each question an item of a list, each answer an item of the question's own list.
    questions = _questions(app, cycle_id, audience)
    ticks = sum(6 if q[2] == "likert" else 3 if q[2] == "choice" else 0 for q in questions)
    closing = 2 + 4 + (2 if audience == "peer_worker" else 0)  # consent, code, sharing
    assert "/Table" not in roles
    assert roles.count("/LI") == len(questions) + ticks + closing


def test_a_language_or_variant_we_do_not_have_is_not_found(app, client, cycle_id):
    for query in ("lang=xx", "lang=../en_GB", "variant=huge"):
        url = f"/workspace/cycles/{cycle_id}/paper/member.pdf?{query}"
        assert client.get(url).status_code == 404, query
    assert client.get(f"/workspace/cycles/{cycle_id}/paper/nobody.pdf").status_code == 404
