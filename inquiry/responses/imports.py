"""Importing answers from a CSV file (paper batches, other tools): all or nothing.

The columns are those of `inquiry export`. Every line is checked before anything is written;
every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..cycles.models import Cycle
from ..cycles.queries import list_cycle_questions
from ..questions.types import get_type
from ..reports.exports import ANSWER_COLUMNS as COLUMNS
from .services import record_response

MAX_BYTES = 20 * 1024 * 1024
_IMPORT_NAMESPACE = uuid.UUID("6f1c2b0e-3c4d-4f5e-9a8b-7c6d5e4f3a2b")


@dataclass
class _Pending:
    audience: str
    language: str
    source: str
    submitted_on: date
    first_line: int
    shares_openly: bool = False
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    errors: list[str]
    responses: int = 0
    answers: int = 0


def _unneutralise(value: str) -> str:
    # Our exports put a quote before cells a spreadsheet would run as a formula.
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def _check_value(question, raw: str) -> tuple[str | None, str | None]:
    """(stored value, problem) for one cell, as its question type reads it."""
    value = _unneutralise(raw)
    qtype = get_type(question.qtype)
    if qtype.parse(value, question.options) is None:
        return None, qtype.problem(value, question.options)
    return value, None


def read_responses(cycle: Cycle, data: bytes) -> tuple[list[str], dict[str, _Pending]]:
    """Check a whole file; returns (problems, responses by their id in the file)."""
    if len(data) > MAX_BYTES:
        return ["The file is larger than 20 MB. Split it into smaller files."], {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ["The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."], {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [f"Line 1: missing column(s): {', '.join(missing)}"], {}
    questions = {
        audience: {cq.question.key: cq.question for cq in list_cycle_questions(cycle.id, audience)}
        for audience in ("member", "peer_worker")
    }
    errors: list[str] = []
    pending: dict[str, _Pending] = {}
    try:
        for number, row in enumerate(reader, start=2):
            problems = _check_row(row, questions, pending, number)
            errors.extend(f"Line {number}: {p}" for p in problems)
    except csv.Error as error:
        errors.append(f"Line {reader.line_num}: the CSV cannot be read ({error})")
    if not pending and not errors:
        errors.append("The file has no answers.")
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
        return False, f"shares_openly must be yes or no (or empty), not {raw[:20]!r}"
    if shares_openly and audience == "member":
        return False, "only a peer_worker can share openly: set shares_openly to no for a member"
    return shares_openly, None


def _check_row(row, questions, pending, number) -> list[str]:
    if None in row or any(v is None for v in row.values()):
        return ["it does not have the same number of cells as the header"]
    problems = []
    rid = row["response_id"].strip()
    audience = row["audience"].strip()
    if not rid:
        problems.append("response_id is empty")
    if audience not in questions:
        problems.append(f"audience must be member or peer_worker, not {audience[:20]!r}")
    source = row["source"].strip() or "paper"
    if source not in ("web", "paper"):
        problems.append(f"source must be web or paper, not {source[:20]!r}")
    language = row["language"].strip() or "en_GB"
    if len(language) > 16:
        problems.append("language is too long")
    shares_openly, problem = _check_sharing(row, audience)
    if problem:
        problems.append(problem)
    try:
        submitted_on = date.fromisoformat(row["submitted_on"].strip())
    except ValueError:
        problems.append("submitted_on must be a date like 2026-11-24")
        submitted_on = None
    key = row["question_key"].strip()
    question = questions.get(audience, {}).get(key) if audience in questions else None
    if audience in questions and question is None:
        problems.append(f"{key[:60]!r} is not a question for {audience} in this cycle")
    if question is not None and row["theme"].strip() not in ("", question.theme):
        problems.append(f"theme should be {question.theme!r} for {key}")
    value = None
    if question is not None:
        value, problem = _check_value(question, row["value"])
        if problem:
            problems.append(problem)
    if problems:
        return problems
    response = pending.get(rid)
    if response is None:
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
        return [f"response {rid[:20]} has different details from its line {response.first_line}"]
    if key in response.answers:
        return [f"response {rid[:20]} answers {key} twice"]
    response.answers[key] = value
    return []


def import_responses(cycle: Cycle, data: bytes) -> ImportResult:
    """Check the whole file, then store every response in it, or nothing. The caller commits.
    Importing the same file again is refused by the submission tokens."""
    errors, pending = read_responses(cycle, data)
    if errors:
        return ImportResult(errors)
    digest = hashlib.sha256(data).hexdigest()
    lists = {a: list_cycle_questions(cycle.id, a) for a in ("member", "peer_worker")}
    answers = 0
    for rid, response in pending.items():
        record_response(
            lists[response.audience],
            audience=response.audience,
            language=response.language,
            answers=response.answers,
            source=response.source,
            shares_openly=response.shares_openly,
            submission_token=str(uuid.uuid5(_IMPORT_NAMESPACE, f"{cycle.id}:{digest}:{rid}")),
            submitted_at=datetime.combine(response.submitted_on, datetime.min.time(), UTC),
        )
        answers += len(response.answers)
    return ImportResult([], len(pending), answers)
