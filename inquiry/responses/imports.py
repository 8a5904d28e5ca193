"""Importing answers from a CSV file (paper batches, other tools): all or nothing.

The columns are those of `inquiry export`. Every line is checked before anything is written;
every problem is reported with its line number. Only an open cycle takes answers.

Each response is recognised by what it says, not by the file's bytes: its fingerprint is a
digest of the cycle, audience, language, source, day, sharing choice and every answer (values
as stored, text with its spacing evened out), so a file saved again with a byte-order mark,
other line endings, columns in another order, cells with spaces around them, renumbered
response ids or an empty theme column is the same batch and imports nothing twice. Two people
who gave the very same answers on the same day are both kept when they come in one file: the
second of a kind gets a fingerprint of its own (its place among the identical ones). Importing
that file again skips both; a later file with one such sheet skips it as already here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..cycles.models import Cycle
from ..cycles.queries import list_cycle_questions
from ..extensions import db
from ..questions.types import get_type
from ..reports.exports import ANSWER_COLUMNS as COLUMNS
from .models import SOURCES, Response
from .services import record_response

MAX_BYTES = 20 * 1024 * 1024
_IMPORT_NAMESPACE = uuid.UUID("6f1c2b0e-3c4d-4f5e-9a8b-7c6d5e4f3a2b")
# Fingerprints looked up per statement: well under every database's limit on parameters.
_LOOKUP_CHUNK = 500


@dataclass
class _Pending:
    audience: str
    language: str
    source: str
    submitted_on: date
    first_line: int
    shares_openly: bool = False
    answers: dict[str, str] = field(default_factory=dict)
    # The answers as they are stored (the question type's reading), for the fingerprint.
    stored: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    errors: list[str]
    responses: int = 0
    answers: int = 0
    # Responses in the file already imported into this cycle, left as they were.
    skipped: int = 0


def import_detail(result: ImportResult, kind: str) -> str:
    """What the audit log keeps of an import: how many, never what."""
    return (
        f"{kind}: {result.responses} responses, {result.answers} answers, "
        f"{result.skipped} already imported, skipped"
    )


def import_refusal(cycle: Cycle) -> str | None:
    """Why answers cannot be imported into this cycle now, or None."""
    if cycle.state == "closed":
        return _(
            "This cycle is closed: answers can no longer be added, so its summary stays as "
            "the group saw it."
        )
    if cycle.state != "open":
        return _("Open the cycle first: answers arrive only while it is open.")
    return None


def _unneutralise(value: str) -> str:
    # Our exports put a quote before cells a spreadsheet would run as a formula.
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def _check_value(question, raw: str) -> tuple[dict | None, str | None]:
    """(the answer as stored, problem) for one cell, as its question type reads it."""
    value = _unneutralise(raw.strip())
    qtype = get_type(question.qtype)
    stored = qtype.parse(value, question.options)
    if stored is None:
        return None, qtype.problem(value, question.options)
    return stored, None


def read_responses(cycle: Cycle, data: bytes) -> tuple[list[str], dict[str, _Pending]]:
    """Check a whole file; returns (problems, responses by their id in the file)."""
    if len(data) > MAX_BYTES:
        return [_("The file is larger than 20 MB. Split it into smaller files.")], {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")], {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader, [])]
    except csv.Error:
        return [_("The file cannot be read as CSV.")], {}
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [
            _("Line %(line)d", line=1)
            + ": "
            + _("missing column(s): %(columns)s", columns=", ".join(missing))
        ], {}
    twice = [c for c in (*COLUMNS, "shares_openly") if header.count(c) > 1]
    if twice:
        return [
            _("Line %(line)d", line=1)
            + ": "
            + _("column(s) there twice: %(columns)s", columns=", ".join(twice))
        ], {}
    questions = {
        audience: {cq.question.key: cq.question for cq in list_cycle_questions(cycle.id, audience)}
        for audience in ("member", "peer_worker")
    }
    errors: list[str] = []
    pending: dict[str, _Pending] = {}
    # Lines as a text editor counts them: a record starts on the line after the last one.
    number = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) != len(header):
                    problems = [_("it does not have the same number of cells as the header")]
                else:
                    row = dict(zip(header, cells, strict=True))
                    problems = _check_row(row, questions, pending, number)
                errors.extend(_("Line %(line)d", line=number) + ": " + p for p in problems)
            number = reader.line_num + 1
    except csv.Error:
        errors.append(_("Line %(line)d", line=number) + ": " + _("the CSV cannot be read there."))
    if not pending and not errors:
        errors.append(_("The file has no answers."))
    return errors, pending


# The optional shares_openly column: a peer support worker's choice to share openly.
_SHARES_OPENLY = {"yes": True, "1": True, "true": True, "no": False, "0": False, "false": False}


def _check_sharing(row, audience: str) -> tuple[bool, str | None]:
    """(shares openly, problem) for the optional shares_openly cell; empty or absent is no."""
    raw = (row.get("shares_openly") or "").strip()
    if not raw:
        return False, None
    shares_openly = _SHARES_OPENLY.get(raw.casefold())
    if shares_openly is None:
        return False, _(
            "shares_openly must be yes or no (or empty), not %(value)s", value=repr(raw[:20])
        )
    if shares_openly and audience == "member":
        return False, _("only a peer_worker can share openly: set shares_openly to no for a member")
    return shares_openly, None


def _check_row(row, questions, pending, number) -> list[str]:
    problems = []
    rid = row["response_id"].strip()
    audience = row["audience"].strip()
    if not rid:
        problems.append(_("response_id is empty"))
    if audience not in questions:
        problems.append(
            _("audience must be member or peer_worker, not %(value)s", value=repr(audience[:20]))
        )
    source = row["source"].strip() or "paper"
    if source not in SOURCES:
        problems.append(
            _("source must be web, paper or odk, not %(value)s", value=repr(source[:20]))
        )
    language = row["language"].strip() or "en_GB"
    if len(language) > 16:
        problems.append(_("language is too long"))
    shares_openly, problem = _check_sharing(row, audience)
    if problem:
        problems.append(problem)
    try:
        submitted_on = date.fromisoformat(row["submitted_on"].strip())
    except ValueError:
        problems.append(_("submitted_on must be a date like 2026-11-24"))
        submitted_on = None
    key = row["question_key"].strip()
    question = questions.get(audience, {}).get(key) if audience in questions else None
    if audience in questions and question is None:
        problems.append(
            _(
                "%(key)s is not a question for %(audience)s in this cycle",
                key=repr(key[:60]),
                audience=audience,
            )
        )
    if question is not None and row["theme"].strip() not in ("", question.theme):
        problems.append(
            _("theme should be %(theme)s for %(key)s", theme=repr(question.theme), key=key)
        )
    # An empty value is a question left unanswered on the sheet (as the template has them).
    answered = bool(_unneutralise(row["value"].strip()))
    stored = None
    if question is not None and answered:
        stored, problem = _check_value(question, row["value"])
        if problem:
            problems.append(problem)
    if problems:
        return problems
    response = pending.get(rid)
    if response is None:
        if not answered:
            return []
        response = pending[rid] = _Pending(
            audience, language, source, submitted_on, number, shares_openly
        )
    elif (
        response.audience,
        response.language,
        response.source,
        response.submitted_on,
        response.shares_openly,
    ) != (audience, language, source, submitted_on, shares_openly):
        return [
            _(
                "response %(id)s has different details from its line %(line)d",
                id=rid[:20],
                line=response.first_line,
            )
        ]
    if not answered:
        return []
    if key in response.answers:
        return [_("response %(id)s answers %(key)s twice", id=rid[:20], key=key)]
    response.answers[key] = _unneutralise(row["value"].strip())
    response.stored[key] = stored
    return []


TEMPLATE_COLUMNS = (*COLUMNS, "shares_openly", "question", "allowed_values")


def template_csv(cycle: Cycle, today: date) -> str:
    """A sheet to type paper answers into: one line per question for one member and one
    peer support worker, values left empty (the question and allowed_values columns are for
    the typist only: the import leaves them out).
    Copy the lines for each further sheet, with a response_id of its own."""
    from ..core.csvsafe import write_csv

    language = cycle.group.default_language
    rows = []
    for audience, rid in (("member", "m1"), ("peer_worker", "p1")):
        for cq in list_cycle_questions(cycle.id, audience):
            question = cq.question
            rows.append(
                (
                    rid,
                    audience,
                    language,
                    "paper",
                    today.isoformat(),
                    question.key,
                    question.theme,
                    "",
                    "",
                    question.text_in(language).text,
                    get_type(cq.qtype).codebook_values(question.options),
                )
            )
    return write_csv(TEMPLATE_COLUMNS, rows)


def _content(cycle_id: int, response: _Pending) -> str:
    """What the response says, in one canonical form: the same sheet gives the same text."""
    answers = {}
    for key, stored in response.stored.items():
        value = dict(stored)
        if value.get("text") is not None:
            value["text"] = re.sub(r"\s+", " ", value["text"]).strip()
        answers[key] = value
    return json.dumps(
        {
            "cycle": cycle_id,
            "audience": response.audience,
            "language": response.language,
            "source": response.source,
            "day": response.submitted_on.isoformat(),
            "shares_openly": response.shares_openly,
            "answers": answers,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def fingerprints(cycle_id: int, responses: list[_Pending]) -> list[str]:
    """One fingerprint per response, in file order. Identical responses within the file get
    their place among the identical ones, so both are kept, and a second import skips both."""
    seen: dict[str, int] = {}
    found = []
    for response in responses:
        content = hashlib.sha256(_content(cycle_id, response).encode()).hexdigest()
        place = seen.get(content, 0)
        seen[content] = place + 1
        found.append(hashlib.sha256(f"{content}:{place}".encode()).hexdigest())
    return found


def _already_imported(cycle_id: int, prints: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(prints), _LOOKUP_CHUNK):
        chunk = prints[start : start + _LOOKUP_CHUNK]
        found.update(
            db.session.scalars(
                sa.select(Response.import_fingerprint).where(
                    Response.cycle_id == cycle_id, Response.import_fingerprint.in_(chunk)
                )
            )
        )
    return found


def import_responses(cycle: Cycle, data: bytes) -> ImportResult:
    """Check the whole file, then store every response in it not imported before, or nothing.
    The caller commits. A file whose every response is here already imports nothing and says
    so (with the number skipped)."""
    refusal = import_refusal(cycle)
    if refusal:
        return ImportResult([refusal])
    errors, pending = read_responses(cycle, data)
    if errors:
        return ImportResult(errors)
    responses = list(pending.values())
    prints = fingerprints(cycle.id, responses)
    here = _already_imported(cycle.id, prints)
    new = [(r, p) for r, p in zip(responses, prints, strict=True) if p not in here]
    skipped = len(responses) - len(new)
    if not new:
        return ImportResult(
            [
                _(
                    "Nothing was imported: every response in this file has been imported into "
                    "this cycle before (%(count)d already imported, skipped).",
                    count=skipped,
                )
            ],
            skipped=skipped,
        )
    lists = {a: list_cycle_questions(cycle.id, a) for a in ("member", "peer_worker")}
    answers = 0
    for response, fingerprint in new:
        stored = record_response(
            lists[response.audience],
            audience=response.audience,
            language=response.language,
            answers=response.answers,
            source=response.source,
            shares_openly=response.shares_openly,
            submission_token=str(uuid.uuid5(_IMPORT_NAMESPACE, fingerprint)),
            submitted_at=datetime.combine(response.submitted_on, datetime.min.time(), UTC),
        )
        stored.import_fingerprint = fingerprint
        answers += len(response.answers)
    db.session.flush()
    return ImportResult([], len(new), answers, skipped)
