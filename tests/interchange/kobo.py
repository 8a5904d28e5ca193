"""Answers as KoboToolbox and ODK Central export them, made from the XLSForm Inquiry gives:
what a group that met without signal brings back."""

from __future__ import annotations

import csv
import io
import random
import uuid

from openpyxl import load_workbook

KOBO_TAIL = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
)


def read_form(xlsx: bytes) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The survey's (type, name) rows and each choice list's names, as a phone would use."""
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    survey = [
        (str(row[0]), str(row[1]))
        for row in book["survey"].iter_rows(min_row=2, values_only=True)
        if row[0]
    ]
    lists: dict[str, list[str]] = {}
    for row in book["choices"].iter_rows(min_row=2, values_only=True):
        if row[0]:
            lists.setdefault(str(row[0]), []).append(str(row[1]))
    return survey, lists


def submissions(xlsx: bytes, count: int, seed: int = 1) -> list[dict[str, str]]:
    """count submissions of the form with answers chosen at random (some skipped)."""
    rng = random.Random(seed)
    survey, lists = read_form(xlsx)
    made = []
    for i in range(count):
        answers = {}
        for row_type, name in survey:
            if row_type == "note":
                continue
            if rng.random() < 0.1:
                answers[name] = ""
            elif row_type.startswith("select_one "):
                answers[name] = rng.choice(lists[row_type.split()[1]])
            else:
                answers[name] = rng.choice(["We walked by the river; it was good.", "Más tiempo"])
        answers["instance"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        answers["day"] = f"2026-11-{10 + i % 15:02d}"
        made.append(answers)
    return made


def kobo_csv(xlsx: bytes, made: list[dict[str, str]], delimiter: str = ";") -> bytes:
    """Kobo's CSV export with "XML values and headers" (semicolons, its own columns)."""
    survey, _lists = read_form(xlsx)
    names = [name for row_type, name in survey if row_type != "note"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["start", "end", *names, "meta/instanceID", *KOBO_TAIL])
    for i, answers in enumerate(made):
        writer.writerow(
            [
                f"{answers['day']}T10:00:00.000+00:00",
                f"{answers['day']}T10:07:00.000+00:00",
                *(answers[n] for n in names),
                f"uuid:{answers['instance']}",
                str(4000 + i),
                answers["instance"],
                f"{answers['day']}T18:30:12",
                "",
                "[]",
                "submitted_via_web",
                "",
                "vQk2a",
                "[]",
                str(i + 1),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def central_csv(xlsx: bytes, made: list[dict[str, str]]) -> bytes:
    """ODK Central's CSV export: commas, SubmissionDate first, meta-instanceID and KEY."""
    survey, _lists = read_form(xlsx)
    names = [name for row_type, name in survey if row_type != "note"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "SubmissionDate",
            *names,
            "meta-instanceID",
            "KEY",
            "SubmitterID",
            "SubmitterName",
            "AttachmentsPresent",
            "AttachmentsExpected",
            "Status",
            "ReviewState",
            "DeviceID",
            "Edits",
            "FormVersion",
        ]
    )
    for answers in made:
        writer.writerow(
            [
                f"{answers['day']}T18:30:12.345Z",
                *(answers[n] for n in names),
                f"uuid:{answers['instance']}",
                f"uuid:{answers['instance']}",
                "7",
                "tablet 1",
                "0",
                "0",
                "",
                "",
                "collect:abc123",
                "0",
                "1",
            ]
        )
    return out.getvalue().encode()
