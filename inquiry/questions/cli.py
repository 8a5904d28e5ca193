"""Commands for questions."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..cycles.queries import get_cycle
from ..extensions import db
from .services import sync_bank


@click.command("bank")
@with_appcontext
def bank_command() -> None:
    """Add the built-in question bank (safe to run again)."""
    added = sync_bank()
    db.session.commit()
    click.echo(f"Question bank ready ({added} questions added).")


@click.command("questions")
@with_appcontext
@click.argument("cycle_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def questions_command(cycle_id: int, as_json: bool) -> None:
    """List a cycle's questions in the order they are asked."""
    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    rows = [
        {
            "key": cq.question.key,
            "theme": cq.question.theme,
            "audience": cq.audience,
            "type": cq.qtype,
            "options": _options(cq.question),
            # Asked of both audiences in parallel words; the report's gap compares these.
            "pair_key": cq.question.pair_key,
        }
        for cq in sorted(cycle.questions, key=lambda cq: (cq.audience, cq.position))
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        pair = f"  (pair {row['pair_key']})" if row["pair_key"] else ""
        click.echo(f"{row['audience']:<12} {row['type']:<7} {row['key']}{pair}")


def _options(question) -> list[str]:
    from .types import LIKERT_VALUES, PREFER_NOT_TO_SAY

    if question.qtype == "likert":
        return [*LIKERT_VALUES, PREFER_NOT_TO_SAY]
    return list(question.options or [])


@click.command("texts-export")
@click.argument("language")
@click.option("-o", "--output", required=True, help="CSV file for the translator.")
@with_appcontext
def texts_export_command(language: str, output: str) -> None:
    """Question texts in one language beside the English, for a community translator."""
    import sqlalchemy as sa

    from ..core.csvsafe import write_csv
    from .models import Question

    rows = []
    for question in db.session.scalars(
        sa.select(Question).order_by(Question.audience, Question.position)
    ):
        english = question.texts.get("en_GB")
        mine = question.texts.get(language)
        rows.append(
            (
                question.key,
                question.audience,
                english.text if english else "",
                mine.text if mine else "",
            )
        )
    with open(output, "w", encoding="utf-8", newline="") as out:
        out.write(write_csv(("key", "audience", "english", "text"), rows))
    click.echo(f"Wrote {len(rows)} questions to {output}.")


@click.command("texts-import")
@click.argument("language")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def texts_import_command(language: str, file: str) -> None:
    """Read reviewed question texts (columns key and text) for one language: all or nothing."""
    import csv

    from flask import current_app

    from .services import TextsError, import_texts

    if language not in current_app.config["LANGUAGES"]:
        raise click.ClickException(f"{language} is not one of this installation's languages.")
    try:
        with open(file, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as error:
        raise click.ClickException("The file is not a UTF-8 CSV file.") from error
    try:
        written = import_texts(language, rows)
    except TextsError as error:
        db.session.rollback()
        for problem in error.args[0]:
            click.echo(problem, err=True)
        raise click.ClickException("Nothing was imported.") from error
    db.session.commit()
    click.echo(f"Imported {written} texts in {language}.")


COMMANDS = (bank_command, questions_command, texts_export_command, texts_import_command)
