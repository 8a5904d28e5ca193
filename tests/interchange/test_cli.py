"""The commands on the demo's cycles: inquiry xlsform, import-xlsform, import-odk and
research-export, with their plain refusals."""

from __future__ import annotations

import csv
import io
import json

import pyreadstat
import pytest
from pyxform.xls2xform import convert

from .kobo import kobo_csv, submissions


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args, ok=True):
        result = runner.invoke(args=[str(a) for a in args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    invoke("demo")
    cycles = json.loads(invoke("cycles", "--json"))
    return invoke, {(c["group"], c["title"]): c["id"] for c in cycles}


def test_a_demo_cycle_goes_out_and_comes_back_in(cli, tmp_path):
    run, cycles = cli
    summer = cycles[("Riverside Walking Group", "Summer 2026")]
    autumn = cycles[("Riverside Walking Group", "Autumn 2026")]
    form = tmp_path / "form.xlsx"
    assert "Wrote" in run("xlsform", summer, "--audience", "peer_worker", "-o", form)
    warnings: list[str] = []
    convert(xlsform=form.read_bytes(), warnings=warnings, file_type=".xlsx")
    assert warnings == []
    # The open cycle already has answers: its questions stay.
    refused = run("import-xlsform", autumn, form, "--audience", "peer_worker", ok=False)
    assert "Answers have arrived, so this cycle's questions are fixed" in refused
    assert "Nothing was imported." in refused


def test_offline_answers_and_the_research_files(cli, tmp_path):
    run, cycles = cli
    autumn = cycles[("Craft Café", "Autumn 2026")]
    form = tmp_path / "form.xlsx"
    run("xlsform", autumn, "-o", form)
    answers = tmp_path / "kobo.csv"
    answers.write_bytes(kobo_csv(form.read_bytes(), submissions(form.read_bytes(), 20)))
    assert "Imported 20 submissions for member." in run("import-odk", autumn, answers)
    again = run("import-odk", autumn, answers, ok=False)
    assert "imported into this cycle before, so nothing was imported" in again
    assert "Fix what is listed" not in again
    # Research files only once the cycle is closed.
    assert "only from closed cycles" in run(
        "research-export", autumn, "--format", "sav", "-o", tmp_path / "a.sav", ok=False
    )
    run("cycle", "close", autumn)
    for kind in ("sav", "dta"):
        path = tmp_path / f"a.{kind}"
        run("research-export", autumn, "--format", kind, "-o", path)
        read = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
        data, meta = read(str(path), output_format="dict")
        # The demo's first few answers and the 20 from the phones, but not its one peer
        # support worker: fewer than k.
        assert len(data["person"]) == 23
        assert set(data["audience"]) == {1}
    wide = tmp_path / "a.csv"
    run("research-export", autumn, "--format", "csv", "-o", wide)
    rows = list(csv.DictReader(io.StringIO(wide.read_text())))
    assert len(rows) == 23 and {r["audience"] for r in rows} == {"member"}
    codebook = list(csv.DictReader(io.StringIO((tmp_path / "a.codebook.csv").read_text())))
    assert [r["variable"] for r in codebook][5:] == [
        c for c in rows[0] if c not in ("person", "audience", "language", "source", "cycle_period")
    ]


def test_commands_name_what_is_wrong(cli, tmp_path):
    run, cycles = cli
    assert "There is no cycle 999." in run("xlsform", 999, "-o", tmp_path / "x.xlsx", ok=False)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    spring = cycles[("Craft Café", "Spring 2026")]
    closed = run("import-xlsform", spring, bad, ok=False)
    assert "This cycle is closed, so its questions stay as they were asked." in closed
    autumn = cycles[("Craft Café", "Autumn 2026")]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("shared_aims.know_aims,_uuid\nAgree,abc\n")
    output = run("import-odk", autumn, wrong, ok=False)
    assert "Row 2, shared_aims.know_aims: 'Agree' is not an answer to this question" in output
    assert "Fix what is listed above" in output
