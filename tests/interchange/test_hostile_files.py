"""Whatever arrives as a file, the readers answer in words and never fail: random bytes,
random CSV text, workbooks with random cells."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from inquiry.interchange.odk import read_submissions
from inquiry.interchange.xlsform_read import read_xlsform

LANGUAGES = ["en_GB", "pl", "so", "ar", "ro"]
CHECKS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# What a spreadsheet can hold: no control characters (openpyxl refuses them).
words = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30)
cells = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), words)


class _Question:
    def __init__(self, qtype, options=None):
        self.qtype, self.options = qtype, options


QUESTIONS = {
    "member": {
        "shared_aims.know_aims": _Question("likert"),
        "open.anything_else": _Question("text"),
        "group1.q1": _Question("choice", ["tue", "fri"]),
    },
    "peer_worker": {"peer_role.clear_role": _Question("likert")},
}


@CHECKS
@given(st.binary(max_size=2000))
def test_any_bytes_as_an_xlsform(ctx, data):
    assert read_xlsform(data, LANGUAGES).problems


@CHECKS
@given(st.lists(st.lists(cells, max_size=8), max_size=12), st.sampled_from(["survey", "choices"]))
def test_any_cells_in_a_workbook(ctx, rows, sheet):
    book = Workbook()
    book.active.title = sheet
    book.active.append(["type", "name", "label::English (en)", "list_name", "relevant"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    found = read_xlsform(out.getvalue(), LANGUAGES)
    assert found.problems or found.questions


@CHECKS
@given(st.binary(max_size=2000))
def test_any_bytes_as_answers(ctx, data):
    found = read_submissions(data, QUESTIONS)
    assert found.problems or found.submissions


header = st.lists(
    st.sampled_from(
        [
            "shared_aims.know_aims",
            "open.anything_else",
            "group1.q1",
            "peer_role.clear_role",
            "inquiry_may_quote",
            "inquiry_shares_openly",
            "_uuid",
            "meta/instanceID",
            "_submission_time",
            "start",
            "other",
        ]
    ),
    min_size=1,
    max_size=8,
)


@CHECKS
@given(
    header,
    st.lists(st.lists(st.text(max_size=12), max_size=9), max_size=6),
    st.sampled_from(",;\t"),
)
def test_any_csv_of_answers(ctx, columns, rows, delimiter):
    text = "\n".join(delimiter.join(r) for r in [columns, *rows])
    found = read_submissions(text.encode(), QUESTIONS)
    assert found.problems or found.submissions
    assert all(len(s.token) == 36 for s in found.submissions)
