"""Answers collected offline with ODK Collect or KoboToolbox, read from their CSV export.

The form is the one Inquiry made for the cycle (xlsform.py), so the columns are named after
our question keys. Kobo's CSV ("XML values and headers"), ODK Central's and ODK Briefcase's
all work: their own columns are recognised and left out (we keep no times, devices or
submitters). The whole file is checked before anything is stored; every problem is named with
its row as a spreadsheet shows it (the header is row 1).

Each submission is stored once: its instanceID (Kobo's `_uuid`) becomes our submission
token, so a second import of the same submission finds it already there; it is also part of
the fingerprint kept with the response (as for every import), so two people who gave the
same answers are two submissions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ..questions.types import LIKERT_VALUES, PREFER_NOT_TO_SAY, get_type
from .xlsform import MAY_QUOTE, SHARE_OPENLY, SHARES_OPENLY, STAY_ANONYMOUS

MAX_BYTES = 20 * 1024 * 1024
# Submission tokens are made from the instanceID under this namespace: the same submission
# gets the same token whichever export it comes from, and can be stored only once.
ODK_NAMESPACE = uuid.UUID("0c6f3c1e-8f2b-4d6a-9b51-3e2f7a9d4c10")
_INSTANCE_COLUMNS = ("meta/instanceID", "meta-instanceID", "meta:instanceID", "instanceID", "KEY")
_UUID_COLUMN = "_uuid"
_DATE_COLUMNS = ("_submission_time", "SubmissionDate")
# The columns read besides the questions.
_OURS = {MAY_QUOTE, SHARES_OPENLY, _UUID_COLUMN, *_INSTANCE_COLUMNS, *_DATE_COLUMNS}
# Columns the tools add about a submission: never stored.
_THEIRS = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "inquiry_intro",
}


def token_for(instance_id: str) -> str:
    """Our submission token for an ODK instanceID ("uuid:" or not, the same token)."""
    return str(uuid.uuid5(ODK_NAMESPACE, _bare(instance_id)))


def _bare(instance_id: str) -> str:
    value = instance_id.strip()
    return value[5:] if value.lower().startswith("uuid:") else value


def _is_theirs(column: str) -> bool:
    return (
        column in _THEIRS
        or column in _INSTANCE_COLUMNS
        or column in _DATE_COLUMNS
        or column.startswith("_")
        or column.startswith(("meta/", "meta-", "meta:", "formhub/", "formhub-"))
    )


@dataclass
class Submission:
    row: int
    token: str
    submitted_on: date | None
    may_quote: bool = False
    shares_openly: bool = False
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class SubmissionsRead:
    problems: list[str]
    audience: str | None = None
    submissions: list[Submission] = field(default_factory=list)


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def read_submissions(data: bytes, questions: dict[str, dict[str, object]]) -> SubmissionsRead:
    """Check a whole CSV export against a cycle's questions ({audience: {key: Question}})."""
    if len(data) > MAX_BYTES:
        return SubmissionsRead([_("The file is larger than 20 MB. Split it into smaller files.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return SubmissionsRead(
            [_("The file is not UTF-8 text. Export it again as CSV and try again.")]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    try:
        header = [c.strip() for c in next(reader, [])]
    except csv.Error:
        return SubmissionsRead([_("The file cannot be read as CSV.")])
    audience, columns, problems = _columns(header, questions)
    if problems:
        return SubmissionsRead(problems)
    found = SubmissionsRead([], audience)
    seen: dict[str, int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            submission, row_problems = _row(number, header, cells, columns, questions[audience])
            found.problems.extend(row_problems)
            if submission is None:
                continue
            if submission.token in seen:
                found.problems.append(
                    _("Row %(row)d", row=number)
                    + ": "
                    + _(
                        "it is the same submission as row %(other)d (the same instanceID).",
                        other=seen[submission.token],
                    )
                )
                continue
            seen[submission.token] = number
            found.submissions.append(submission)
    except csv.Error:
        found.problems.append(
            _("Row %(row)d", row=reader.line_num) + ": " + _("the CSV cannot be read there.")
        )
    if not found.submissions and not found.problems:
        found.problems.append(_("The file has no answers."))
    return found


def _columns(header, questions):
    """(audience, {column index: question key or one of ours}, problems)."""
    keys = {key: audience for audience, by_key in questions.items() for key in by_key}
    audiences = {keys[c] for c in header if c in keys}
    if SHARES_OPENLY in header:
        audiences.add("peer_worker")
    if not audiences:
        return (
            None,
            {},
            [
                _(
                    "None of the columns is named after one of this cycle's questions. Collect "
                    "the answers with the form Inquiry made for this cycle, and in KoboToolbox "
                    "export them with “XML values and headers”."
                )
            ],
        )
    if len(audiences) > 1:
        return (
            None,
            {},
            [
                _(
                    "The file has questions for group members and for peer support workers. "
                    "Import each form's answers in a file of its own."
                )
            ],
        )
    (audience,) = audiences
    columns: dict[int, str] = {}
    problems = []
    duplicates = {c for c in header if c and header.count(c) > 1 and not _is_theirs(c)}
    for column in sorted(duplicates):
        problems.append(_("The column %(column)s is there twice.", column=column[:60]))
    for index, column in enumerate(header):
        if column in questions[audience] or column in _OURS:
            columns[index] = column
        elif column and not _is_theirs(column):
            problems.append(
                _(
                    "The column %(column)s is not one of this cycle's questions for "
                    "%(audience)s. Use the form Inquiry made for this cycle.",
                    column=column[:60],
                    audience=_audience_words(audience),
                )
            )
    if not any(c in _INSTANCE_COLUMNS or c == _UUID_COLUMN for c in columns.values()):
        problems.append(
            _(
                "The file has no instanceID or _uuid column, so each submission cannot be "
                "told apart. Export it again with its meta columns."
            )
        )
    return audience, columns, problems


def _audience_words(audience: str) -> str:
    return _("group members") if audience == "member" else _("peer support workers")


_YES_NO = {"yes": True, "no": False, "1": True, "0": False, "true": True, "false": False}
_SHARING = {SHARE_OPENLY: True, STAY_ANONYMOUS: False}
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _row(number, header, cells, columns, questions):
    where = _("Row %(row)d", row=number)
    if len(cells) != len(header):
        return None, [f"{where}: " + _("it does not have as many cells as the header.")]
    instance = uuid_cell = ""
    submitted_on = None
    problems = []
    submission = Submission(number, "", None)
    for index, column in columns.items():
        value = cells[index].strip()
        if column in _INSTANCE_COLUMNS:
            instance = instance or _bare(value)
        elif column == _UUID_COLUMN:
            uuid_cell = uuid_cell or _bare(value)
        elif column in _DATE_COLUMNS:
            found = _ISO_DATE.match(value)
            if found and submitted_on is None:
                try:
                    submitted_on = date.fromisoformat(found.group(1))
                except ValueError:
                    submitted_on = None
        elif column == MAY_QUOTE:
            if value and value.casefold() not in _YES_NO:
                problems.append(
                    f"{where}, {MAY_QUOTE}: "
                    + _("%(value)s is not yes or no.", value=repr(value[:20]))
                )
            submission.may_quote = _YES_NO.get(value.casefold(), False)
        elif column == SHARES_OPENLY:
            if value and value not in _SHARING:
                problems.append(
                    f"{where}, {SHARES_OPENLY}: "
                    + _(
                        "%(value)s is not %(open)s or %(anonymous)s.",
                        value=repr(value[:20]),
                        open=SHARE_OPENLY,
                        anonymous=STAY_ANONYMOUS,
                    )
                )
            submission.shares_openly = _SHARING.get(value, False)
        elif value:
            question = questions[column]
            if get_type(question.qtype).parse(value, question.options) is None:
                problems.append(f"{where}, {column}: {_value_problem(question, value)}")
            else:
                submission.answers[column] = value
    token_source = instance or uuid_cell
    if not token_source:
        problems.append(f"{where}: " + _("its instanceID (or _uuid) is empty."))
    if problems:
        return None, problems
    submission.token = token_for(token_source)
    submission.submitted_on = submitted_on
    return submission, []


def fingerprint(
    cycle_id: int, audience: str, language: str, submission: Submission, questions
) -> str:
    """A digest of what a submission says and which submission it is (its instanceID): the
    same submission in any later export is the same fingerprint, while two people who gave
    the same answers on their phones are two submissions, each kept."""
    answers = {}
    for key, value in submission.answers.items():
        question = questions[key]
        stored = dict(get_type(question.qtype).parse(value, question.options) or {})
        if stored.get("text") is not None:
            stored["text"] = re.sub(r"\s+", " ", stored["text"]).strip()
        answers[key] = stored
    content = {
        "cycle": cycle_id,
        "audience": audience,
        "language": language,
        "source": "odk",
        "submission": submission.token,
        "day": submission.submitted_on.isoformat() if submission.submitted_on else None,
        "may_quote": submission.may_quote,
        "shares_openly": submission.shares_openly,
        "answers": answers,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _value_problem(question, value: str) -> str:
    shown = repr(value[:20])
    if question.qtype == "likert":
        return _(
            "%(value)s is not an answer to this question: use %(low)s to %(high)s, or "
            "%(decline)s (export with XML values, not labels).",
            value=shown,
            low=LIKERT_VALUES[0],
            high=LIKERT_VALUES[-1],
            decline=PREFER_NOT_TO_SAY,
        )
    if question.qtype == "choice":
        return _(
            "%(value)s is not one of this question's choices: use one of %(choices)s.",
            value=shown,
            choices=", ".join(question.options or []),
        )
    return _("the answer is longer than 5,000 characters.")
