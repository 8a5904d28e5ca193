"""XLSForm, the spreadsheet ODK Collect and KoboToolbox share: a cycle's questions go out as
one, and a form comes back in as a cycle's questions.

The export has `survey`, `choices` and `settings` sheets, labels in every language of the
installation (`label::Polish (pl)`), Likert items as `select_one` with one shared list (with
"I'd rather not say"), and names that are our question keys, so answers collected with it
come back under the same keys (see odk.py).

Reading a form made anywhere is in xlsform_read.py.
"""

from __future__ import annotations

import hashlib
import io
import re

from babel import Locale
from flask_babel import force_locale
from flask_babel import gettext as _

from ..questions.types import LIKERT_CHOICES

LIKERT_LIST = "inquiry_agree"
YES_NO_LIST = "inquiry_yes_no"
SHARING_LIST = "inquiry_sharing"
# Our own rows, around the questions: read back by odk.py, skipped when a form is imported.
INTRO = "inquiry_intro"
MAY_QUOTE = "inquiry_may_quote"
SHARES_OPENLY = "inquiry_shares_openly"
OWN_ROWS = frozenset({INTRO, MAY_QUOTE, SHARES_OPENLY})
SHARE_OPENLY, STAY_ANONYMOUS = "open", "anonymous"
FALLBACK = "en_GB"


def language_column(code: str) -> str:
    """How XLSForm names a language: its English name and its code, e.g. "Polish (pl)"."""
    subtag = code.split("_")[0]
    return f"{Locale.parse(subtag).english_name} ({subtag})"


# --- Export -------------------------------------------------------------------------------


def cycle_xlsform(cycle, audience: str) -> bytes:
    """The XLSForm of a cycle's questions for one audience, in every language we have."""
    from flask import current_app

    from ..cycles.queries import list_cycle_questions

    languages = [FALLBACK] + [c for c in current_app.config["LANGUAGES"] if c != FALLBACK]
    questions = list_cycle_questions(cycle.id, audience)
    return build_xlsform(cycle, audience, questions, languages, cycle.group.network.min_responses)


def build_xlsform(cycle, audience: str, questions, languages: list[str], k: int) -> bytes:
    """The XLSForm of one audience's questions in a cycle, as .xlsx bytes."""
    survey, choices = _sheets(audience, questions, languages, k)
    digest = hashlib.sha256(repr((survey, choices)).encode()).hexdigest()
    settings = [
        {
            "form_title": f"{cycle.group.name}: {cycle.title} ({_audience_words(audience)})",
            "form_id": f"inquiry_cycle{cycle.id}_{audience}",
            # A new version whenever the questions or their words change.
            "version": str(int(digest[:12], 16) % 10**10).zfill(10),
            "default_language": language_column(languages[0]),
        }
    ]
    return _workbook({"survey": survey, "choices": choices, "settings": settings})


def _audience_words(audience: str) -> str:
    return "group members" if audience == "member" else "peer support workers"


def _each_language(languages, words):
    """{column suffix: words()} with words() said in each language."""
    said = {}
    for code in languages:
        with force_locale(code):
            said[language_column(code)] = words(code)
    return said


def _sheets(audience, questions, languages, k):
    survey: list[dict] = []
    choices: list[dict] = []

    def add(row_type, name, labels, hints=None, **extra):
        row = {"type": row_type, "name": name}
        for column, words in labels.items():
            row[f"label::{column}"] = words
        for column in labels:
            row[f"hint::{column}"] = (hints or {}).get(column, "")
        row.update(extra)
        survey.append(row)

    def add_choices(list_name, values, labels_by_language):
        for index, value in enumerate(values):
            row = {"list_name": list_name, "name": value}
            for column, labels in labels_by_language.items():
                row[f"label::{column}"] = labels[index]
            choices.append(row)

    if audience == "member":
        add("note", INTRO, _each_language(languages, lambda c: _member_intro()))
    else:
        add("note", INTRO, _each_language(languages, lambda c: _peer_intro()))
        add(
            f"select_one {SHARING_LIST}",
            SHARES_OPENLY,
            _each_language(languages, lambda c: _("How should your answers be shown?")),
            _each_language(
                languages,
                lambda c: _(
                    "If you share, the group sees the peer support team's answers even if "
                    "you are the only one who answers."
                ),
            ),
        )
        add_choices(
            SHARING_LIST,
            [SHARE_OPENLY, STAY_ANONYMOUS],
            _each_language(languages, lambda c: _sharing_labels(k)),
        )
    for cq in questions:
        question = cq.question
        labels = _each_language(languages, lambda c, q=question: q.text_in(c).text)
        hints = _each_language(languages, lambda c, q=question: q.text_in(c).hint or "")
        if cq.qtype == "likert":
            add(f"select_one {LIKERT_LIST}", question.key, labels, hints)
        elif cq.qtype == "choice":
            list_name = "options_" + re.sub(r"[^A-Za-z0-9_]", "_", question.key)
            add(f"select_one {list_name}", question.key, labels, hints)
            options = list(question.options or [])

            def option_labels(code, q=question, options=options):
                given = q.text_in(code).option_labels or q.text_in(FALLBACK).option_labels
                given = list(given or [])
                return [given[i] if i < len(given) else v for i, v in enumerate(options)]

            add_choices(list_name, options, _each_language(languages, option_labels))
        else:
            add("text", question.key, labels, hints, appearance="multiline")
    if any(cq.qtype == "text" for cq in questions):
        add(
            f"select_one {YES_NO_LIST}",
            MAY_QUOTE,
            _each_language(languages, lambda c: _("May we quote your words?")),
            _each_language(
                languages,
                lambda c: _(
                    "If you say yes, the group may see some of your words in its summary, "
                    "without your name."
                ),
            ),
        )
        add_choices(
            YES_NO_LIST,
            ["yes", "no"],
            _each_language(
                languages,
                lambda c: [
                    _("Yes, you may quote my words. Do not use my name."),
                    _("No, do not quote my words"),
                ],
            ),
        )
    if any(cq.qtype == "likert" for cq in questions):
        add_choices(
            LIKERT_LIST,
            [c.value for c in LIKERT_CHOICES],
            _each_language(languages, lambda c: [str(choice.label) for choice in LIKERT_CHOICES]),
        )
    return survey, choices


def _member_intro() -> str:
    return " ".join(
        (
            _(
                "You do not give your name. Your answers are added to other people's: the "
                "group sees how many people chose each answer, never who chose what."
            ),
            _("You can skip any question."),
        )
    )


def _peer_intro() -> str:
    return " ".join((_("You do not give your name."), _("You can skip any question.")))


def _sharing_labels(k: int) -> list[str]:
    return [
        _(
            "Share my answers with the group as part of the peer support team's view "
            "(the team will know they include mine)"
        ),
        _(
            "Keep my answers anonymous (they count only when %(k)d or more peer "
            "support workers answer, and in the network's figures)",
            k=k,
        ),
    ]


def _workbook(sheets: dict[str, list[dict]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = list(dict.fromkeys(column for row in rows for column in row))
        sheet.append(columns)
        for number, row in enumerate(rows, start=2):
            for index, column in enumerate(columns, start=1):
                value = row.get(column)
                if value in (None, ""):
                    continue
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # a workbook cannot hold them
                cell = sheet.cell(row=number, column=index, value=value)
                # Always a text cell: words starting with "=" stay words, never a formula.
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
