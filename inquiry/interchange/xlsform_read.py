"""Reading an XLSForm made anywhere (KoboToolbox, ODK, ours): every problem named with its
sheet and row, nothing written (services.py writes once nothing is wrong).

Supported: `select_one` (a list of 5 from "strongly disagree" to "strongly agree", with or
without "rather not say", becomes Likert; any other list of 2 to 8 a single choice), `text`
and `note` (left out). Everything else is refused with a reason, as are skip logic and
calculations: in Inquiry everyone is asked every question. Translations come from the
`label::Language (code)` columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from babel import Locale
from flask_babel import gettext as _

from ..questions.types import PREFER_NOT_TO_SAY
from .xlsform import FALLBACK, OWN_ROWS, language_column

MAX_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: a small file may unpack to gigabytes, so the unpacked size is checked
# before anything is read (openpyxl reads XML through defusedxml, a dependency, too).
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 2000
MAX_QUESTIONS = 100
TEXT_LIMIT = 300  # as for a question added in the workspace
HINT_LIMIT = 500
OPTION_LIMIT = 100
OPTIONS_RANGE = (2, 8)


@dataclass(frozen=True)
class FormQuestion:
    """One question read from a form, before it is matched with our questions."""

    row: int
    name: str
    qtype: str
    texts: dict[str, str]
    hints: dict[str, str] = field(default_factory=dict)
    options: tuple[str, ...] = ()
    option_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FormRead:
    problems: list[str]
    questions: list[FormQuestion]
    notes: list[str] = field(default_factory=list)


# Types a form may use and why the others are refused, in words for the person importing.
_DATES = ("date", "time", "datetime", "start", "end", "today")
_DEVICE = ("deviceid", "subscriberid", "simserial", "phonenumber", "username", "email", "audit")
_LOCATIONS = ("geopoint", "geotrace", "geoshape", "start-geopoint")
_MEDIA = ("image", "audio", "video", "file", "barcode", "background-audio")
_GROUPS = ("begin group", "end group", "begin_group", "end_group")
_REPEATS = ("begin repeat", "end repeat", "begin_repeat", "end_repeat")
_LOGIC = ("relevant", "constraint", "calculation", "choice_filter", "repeat_count", "trigger")
_SELECT_ONE = re.compile(r"^select[_ ]one\s+(\S+)\s*(or_other)?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_MIDDLE = {"not sure", "neither agree nor disagree", "neither agree or disagree", "neutral"}
_MIDDLE |= {"unsure", "undecided"}
_DECLINE = re.compile(r"rather not say|prefer not to (say|answer)")


def _type_problem(row_type: str) -> str:
    base = row_type.split()[0] if row_type.split() else row_type
    if row_type in _GROUPS:
        return _(
            "Groups of questions are not supported: take out the begin group and end group "
            "rows (the questions inside can stay)."
        )
    if row_type in _REPEATS:
        return _("Repeated questions are not supported: take this row out.")
    if base in _DATES:
        return _("Inquiry keeps no dates or times of answers: take this row out.")
    if base in _DEVICE:
        return _("Inquiry keeps nothing about the phone or the person: take this row out.")
    if base in _LOCATIONS:
        return _("Inquiry does not ask where people are: take this row out.")
    if base in _MEDIA:
        return _("Inquiry does not take photos, sound or files: take this row out.")
    if base.startswith("select_multiple") or base.startswith("select multiple"):
        return _(
            "Questions with several answers are not supported: make it a select_one, or "
            "take this row out."
        )
    return _(
        "%(type)s is not a kind of question Inquiry can ask: use select_one, text or note.",
        type=row_type[:40],
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unpacked_size(data: bytes) -> int | None:
    """How large the workbook's zip unpacks, from its directory; None if it is not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return None


def _read_sheets(data: bytes) -> dict[str, list[tuple[int, dict[str, str]]]] | None:
    """Each sheet's rows as (row number, {lower-cased header: cell}); None if not a workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any file that is not a workbook gets the same answer
        return None
    sheets = {}
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1, max_col=200)
            header = [_cell(c) for c in next(rows, ())]
            found = []
            for number, values in enumerate(rows, start=2):
                cells = {
                    header[i].lower() if "::" not in header[i] else _lower_prefix(header[i]): (
                        _cell(v)
                    )
                    for i, v in enumerate(values)
                    if i < len(header) and header[i]
                }
                if any(cells.values()):
                    found.append((number, cells))
            sheets[sheet.title.strip().lower()] = found
    except Exception:  # noqa: BLE001 - a damaged workbook
        return None
    finally:
        book.close()
    return sheets


def _lower_prefix(header: str) -> str:
    """`Label::Polish (pl)` -> `label::Polish (pl)`: the column kind is case-blind."""
    kind, _sep, language = header.partition("::")
    return f"{kind.strip().lower()}::{language.strip()}"


def language_code(name: str, languages: list[str]) -> str | None:
    """Our language for an XLSForm language name like "Polish (pl)", "pl" or "Polish"."""
    found = re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$", name)
    candidates = [found.group(1)] if found else []
    candidates.append(re.sub(r"\s*\(.*\)\s*$", "", name).strip())
    for candidate in candidates:
        wanted = candidate.replace("-", "_").lower()
        for code in languages:
            if code.lower() == wanted:
                return code
        for code in languages:
            subtag = code.split("_")[0]
            if wanted == subtag or wanted == Locale.parse(subtag).english_name.lower():
                return code
    return None


def read_xlsform(data: bytes, languages: list[str]) -> FormRead:
    """Read an XLSForm's questions; every problem named with its sheet and row."""
    if len(data) > MAX_BYTES:
        return FormRead([_("The file is larger than 5 MB.")], [])
    unpacked = _unpacked_size(data)
    if unpacked is not None and unpacked > MAX_UNPACKED:
        return FormRead([_("The workbook is too large once unpacked: save it again as .xlsx.")], [])
    sheets = None if unpacked is None else _read_sheets(data)
    if sheets is None:
        return FormRead(
            [_("The file is not an Excel workbook. Save the XLSForm as .xlsx and try again.")],
            [],
        )
    if "survey" not in sheets:
        return FormRead([_("The workbook has no sheet called survey.")], [])
    if any(len(rows) >= MAX_ROWS for rows in sheets.values()):
        return FormRead([_("The workbook has more than 2,000 rows on one sheet.")], [])
    problems: list[str] = []
    notes: list[str] = []
    default = _default_language(sheets.get("settings", []), languages)
    columns = {c for _n, row in sheets["survey"] + sheets.get("choices", []) for c in row}
    labels = _language_columns(columns, "label", default, languages, notes)
    hints = _language_columns(columns, "hint", default, languages, [])
    lists = _choice_lists(sheets.get("choices", []), labels, problems)
    questions: list[FormQuestion] = []
    names: dict[str, int] = {}
    for number, row in sheets["survey"]:
        where = _("survey sheet, row %(row)d", row=number)
        row_type = re.sub(r"\s+", " ", row.get("type", "")).strip()
        name = row.get("name", "")
        if row_type == "note" or name in OWN_ROWS:
            continue
        if not row_type:
            problems.append(f"{where}: " + _("the type column is empty."))
            continue
        found = _SELECT_ONE.match(row_type)
        if row_type != "text" and not found:
            problems.append(f"{where}: {_type_problem(row_type)}")
            continue
        if found and found.group(2):
            problems.append(
                f"{where}: "
                + _("“or other” answers are not supported: take or_other out of the type.")
            )
            continue
        logic = [c for c in _LOGIC if row.get(c)]
        if logic:
            problems.append(
                f"{where}: "
                + _(
                    "%(column)s is not supported: everyone is asked every question. Empty "
                    "that cell.",
                    column=logic[0],
                )
            )
            continue
        if not name or not _NAME.match(name):
            problems.append(
                f"{where}: "
                + _(
                    "give the question a name of letters, numbers and underscores, starting "
                    "with a letter."
                )
            )
            continue
        if name in names:
            problems.append(
                f"{where}: "
                + _("the name %(name)s is also used in row %(row)d.", name=name, row=names[name])
            )
            continue
        names[name] = number
        texts = {code: row.get(column, "") for column, code in labels.items()}
        texts = _translations(texts)
        if FALLBACK not in texts:
            problems.append(
                f"{where}: "
                + _(
                    "the question has no words in English: fill in the label::%(column)s column.",
                    column=language_column(FALLBACK),
                )
            )
            continue
        too_long = [code for code, text in texts.items() if len(text) > TEXT_LIMIT]
        if too_long:
            problems.append(f"{where}: " + _("keep the question to 300 characters or fewer."))
            continue
        row_hints = _translations({code: row.get(column, "") for column, code in hints.items()})
        if any(len(hint) > HINT_LIMIT for hint in row_hints.values()):
            problems.append(f"{where}: " + _("keep the hint to 500 characters or fewer."))
            continue
        if row_type == "text":
            questions.append(FormQuestion(number, name, "text", texts, row_hints))
            continue
        list_name = found.group(1)
        choices = lists.get(list_name)
        if choices is None:
            problems.append(
                f"{where}: "
                + _("there is no list called %(list)s on the choices sheet.", list=list_name[:40])
            )
            continue
        question = _select_one(number, name, texts, row_hints, list_name, choices, problems)
        if question is not None:
            questions.append(question)
    if not questions and not problems:
        problems.append(_("The form has no questions Inquiry can ask."))
    if len(questions) > MAX_QUESTIONS:
        problems.append(_("The form has more than 100 questions."))
    return FormRead(problems, questions, notes)


def _default_language(settings_rows, languages) -> str:
    for _number, row in settings_rows:
        if row.get("default_language"):
            return language_code(row["default_language"], languages) or FALLBACK
    return FALLBACK


def _language_columns(columns, kind, default, languages, notes) -> dict[str, str]:
    """{column: our language} for label or hint columns; a language we do not have is noted
    and left out."""
    found: dict[str, str] = {}
    explicit = set()
    for column in sorted(columns):
        if not column.startswith(f"{kind}::"):
            continue
        name = column.split("::", 1)[1]
        code = language_code(name, languages)
        if code is None:
            notes.append(
                _(
                    "The words in %(language)s were left out: it is not one of the languages "
                    "Inquiry has here.",
                    language=name[:40],
                )
            )
            continue
        found[column] = code
        explicit.add(code)
    if kind in columns and default not in explicit:
        found[kind] = default
    return found


def _translations(texts: dict[str, str]) -> dict[str, str]:
    """The non-empty texts, without those that only repeat the English (our exports fill a
    missing translation with the English words, so that the phone shows something)."""
    english = texts.get(FALLBACK, "")
    return {
        code: text for code, text in texts.items() if text and (code == FALLBACK or text != english)
    }


def _choice_lists(rows, labels, problems) -> dict[str, list[tuple[int, str, dict[str, str]]]]:
    lists: dict[str, list[tuple[int, str, dict[str, str]]]] = {}
    for number, row in rows:
        list_name = row.get("list_name", "") or row.get("list name", "")
        name = row.get("name", "") or row.get("value", "")
        if not list_name or not name:
            problems.append(
                _("choices sheet, row %(row)d", row=number)
                + ": "
                + _("fill in both list_name and name.")
            )
            continue
        texts = {code: row.get(column, "") for column, code in labels.items()}
        lists.setdefault(list_name, []).append((number, name, texts))
    return lists


def _scale_word(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.casefold()).strip()


def _is_agree_scale(english: list[str]) -> bool:
    words = [_scale_word(w) for w in english]
    if len(words) != 5:
        return False
    if words[0] == "strongly agree":
        words.reverse()
    return (
        words[:2] == ["strongly disagree", "disagree"]
        and words[2] in _MIDDLE
        and words[3:] == ["agree", "strongly agree"]
    )


def _select_one(number, name, texts, hints, list_name, choices, problems):
    where = _("choices sheet, list %(list)s", list=list_name[:40])
    english = [t.get(FALLBACK, "") for _n, _v, t in choices]
    declines = [
        i
        for i, (_n, value, t) in enumerate(choices)
        if value in (PREFER_NOT_TO_SAY, "pns") or _DECLINE.search(t.get(FALLBACK, "").casefold())
    ]
    kept = [w for i, w in enumerate(english) if i not in declines[:1]]
    if len(declines) <= 1 and _is_agree_scale(kept):
        return FormQuestion(number, name, "likert", texts, hints)
    low, high = OPTIONS_RANGE
    if not low <= len(choices) <= high:
        problems.append(
            f"{where}: "
            + _(
                "it has %(count)d choices; a question with one answer from a list can have 2 to 8.",
                count=len(choices),
            )
        )
        return None
    values = [value for _n, value, _t in choices]
    bad = False
    for row, value, labels in choices:
        at = _("choices sheet, row %(row)d", row=row)
        if values.count(value) > 1:
            problems.append(f"{at}: " + _("the name %(name)s is used twice.", name=value[:40]))
            bad = True
        elif len(value) > OPTION_LIMIT or not labels.get(FALLBACK):
            problems.append(
                f"{at}: "
                + _("each choice needs a name and English words of 100 characters or fewer.")
            )
            bad = True
        elif any(len(label) > OPTION_LIMIT for label in labels.values()):
            problems.append(f"{at}: " + _("keep each choice to 100 characters or fewer."))
            bad = True
    if bad:
        return None
    option_labels = {}
    for code in {c for _n, _v, t in choices for c in t}:
        given = [t.get(code, "") for _n, _v, t in choices]
        if code == FALLBACK or (all(given) and given != english):
            option_labels[code] = tuple(given)
    return FormQuestion(number, name, "choice", texts, hints, tuple(values), option_labels)
