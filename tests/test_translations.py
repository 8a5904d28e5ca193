"""The launch languages are complete: every interface string and every built-in question."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from inquiry.config import Defaults
from inquiry.questions.bank import BANK

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = [code for code in Defaults.LANGUAGES if code != "en_GB"]


def test_the_launch_languages_are_the_agreed_five():
    assert Defaults.LANGUAGES == ["en_GB", "pl", "so", "ar", "ro"]


@pytest.mark.parametrize("language", LAUNCH)
def test_the_catalog_is_complete_and_matches_the_template(language):
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    messages = {m.id: m for m in catalog if m.id}
    assert set(messages) >= template, sorted(template - set(messages))[:10]
    missing = [
        m.id
        for m in messages.values()
        if m.id in template
        and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not missing, missing[:10]
    fuzzy = [m.id for m in messages.values() if m.fuzzy and m.id in template]
    assert not fuzzy, fuzzy[:10]
    # Every placeholder of the English survives in the translation.
    import re

    for message in messages.values():
        if message.id not in template:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\([a-z_]+\)[sd]", ids[-1]))
        for string in strings:
            got = set(re.findall(r"%\([a-z_]+\)[sd]", string))
            # A plural form may drop the number ("one ..."), never add or rename one.
            assert got <= wanted | {"%(num)d"}, (message.id, string)


@pytest.mark.parametrize("language", LAUNCH)
def test_the_catalog_compiles_without_errors(language, tmp_path):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "compile",
            "-d",
            str(ROOT / "translations"),
            "-l",
            language,
            "-o",
            str(tmp_path / "messages.mo"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("language", LAUNCH)
def test_every_built_in_question_has_its_text(language):
    path = ROOT / "inquiry" / "questions" / "bank_texts" / f"{language}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keys = [row["key"] for row in rows]
    assert sorted(keys) == sorted(item.key for item in BANK)
    assert all(row["text"].strip() for row in rows)


def test_question_texts_round_trip_through_a_spreadsheet(app, tmp_path):
    from inquiry.extensions import db
    from inquiry.questions.models import Question

    out = tmp_path / "pl.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["texts-export", "pl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"key", "audience", "english", "text"} <= set(rows[0])
    row = next(r for r in rows if r["key"] == "hope.gives_hope")
    assert row["english"] == "Coming to the group gives me hope." and row["text"]
    row["text"] = "Grupa daje mi nadzieję (sprawdzone)."
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(args=["texts-import", "pl", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        question = db.session.query(Question).filter_by(key="hope.gives_hope").one()
        assert question.texts["pl"].text == "Grupa daje mi nadzieję (sprawdzone)."
    bad = tmp_path / "bad.csv"
    bad.write_text("key,text\nno.such_key,Coś\nhope.gives_hope,Inaczej\n", encoding="utf-8")
    result = runner.invoke(args=["texts-import", "pl", str(bad)])
    assert result.exit_code != 0 and "Line 2: there is no question" in result.output
    with app.app_context():
        question = db.session.query(Question).filter_by(key="hope.gives_hope").one()
        assert question.texts["pl"].text == "Grupa daje mi nadzieję (sprawdzone)."
        from inquiry.questions.services import sync_bank

        sync_bank()  # the reviewed file is the source for the built-in bank: put it back
        db.session.commit()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "Nieprawidłowa liczba całkowita"), ("en_GB", "Not a valid integer value.")],
)
def test_wtforms_own_messages_are_in_the_readers_language(app, language, expected):
    from flask import g
    from wtforms import IntegerField

    from inquiry.core.forms import BaseForm

    class Form(BaseForm):
        number = IntegerField()

    with app.test_request_context(method="POST", data={"number": "many"}):
        g.language = language
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert form.number.errors == [expected]
