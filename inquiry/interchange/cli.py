"""XLSForm, offline answers and research files on the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..core.models import AUDIENCES
from ..extensions import db


def _cycle_or_fail(cycle_id: int):
    from ..cycles.queries import get_cycle

    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    return cycle


def _write(output: str, data: bytes | str) -> None:
    Path(output).write_bytes(data if isinstance(data, bytes) else data.encode())
    click.echo(f"Wrote {output}", err=True)


def _fail(problems: list[str], notes: list[str] = (), *, fixable: bool = True) -> None:
    db.session.rollback()
    for line in [*notes, *problems[:200]]:
        click.echo(line, err=True)
    if len(problems) > 200:
        click.echo(f"... and {len(problems) - 200} more problems.", err=True)
    if not fixable:
        raise click.ClickException("Nothing was imported.")
    raise click.ClickException("Nothing was imported. Fix what is listed above and try again.")


@click.command("xlsform")
@click.argument("cycle_id", type=int)
@click.option("--audience", type=click.Choice(AUDIENCES), default="member", show_default=True)
@click.option("-o", "--output", required=True, help="The .xlsx file to write.")
@with_appcontext
def xlsform_command(cycle_id: int, audience: str, output: str) -> None:
    """A cycle's questions for one audience as an XLSForm, for ODK Collect or KoboToolbox."""
    from ..core import audit
    from .xlsform import cycle_xlsform

    cycle = _cycle_or_fail(cycle_id)
    _write(output, cycle_xlsform(cycle, audience))
    audit.record("exported", cycle, None, f"xlsform {audience}")
    db.session.commit()


@click.command("import-xlsform")
@click.argument("cycle_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--audience", type=click.Choice(AUDIENCES), default="member", show_default=True)
@with_appcontext
def import_xlsform_command(cycle_id: int, file: str, audience: str) -> None:
    """Make an XLSForm's questions the cycle's questions for one audience: all or nothing."""
    from .services import import_question_set

    cycle = _cycle_or_fail(cycle_id)
    result = import_question_set(
        cycle, audience, Path(file).read_bytes(), current_app.config["LANGUAGES"]
    )
    if result.problems:
        _fail(result.problems, result.notes)
    from ..core import audit

    audit.record("edited", cycle, None, f"questions from xlsform {audience}")
    db.session.commit()
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(
        f"The cycle now asks {result.kept + result.added} questions of {audience}: "
        f"{result.kept} already known, {result.added} new questions of the group's own."
    )


@click.command("import-odk")
@click.argument("cycle_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_odk_command(cycle_id: int, file: str) -> None:
    """Import answers collected offline with ODK Collect or KoboToolbox, from their CSV
    export: checked whole first, each submission once, all or nothing."""
    from sqlalchemy.exc import IntegrityError

    from ..core import audit
    from .services import import_odk_answers

    cycle = _cycle_or_fail(cycle_id)
    try:
        result = import_odk_answers(cycle, Path(file).read_bytes())
        if not result.problems:
            audit.record(
                "imported",
                cycle,
                None,
                f"odk: {result.added} submissions, {result.skipped} already imported, skipped",
            )
            db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(
            "Nothing was imported: some of these submissions were being imported at the same "
            "time. Try again."
        ) from error
    if result.problems:
        # A file whose every submission is already here has nothing to fix.
        _fail(result.problems, fixable=not result.skipped)
    skipped = f"; {result.skipped} already imported, skipped" if result.skipped else ""
    click.echo(f"Imported {result.added} submissions for {result.audience}{skipped}.")


@click.command("research-export")
@click.argument("cycle_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "sav", "dta"]), default="csv", show_default=True
)
@click.option("--lang", default="en_GB", show_default=True, help="Language of the labels.")
@click.option("-o", "--output", required=True, help="File to write; a CSV gets its codebook.")
@with_appcontext
def research_export_command(cycle_id: int, fmt: str, lang: str, output: str) -> None:
    """A closed cycle's answers for research, one row per person, under the small-numbers
    rule: SPSS (.sav), Stata (.dta) or CSV with a codebook (for R)."""
    from ..reports.privacy import figures_exist
    from .research import (
        dta_bytes,
        file_label,
        research_table,
        sav_bytes,
        wide_codebook_csv,
        wide_csv,
    )

    cycle = _cycle_or_fail(cycle_id)
    if not figures_exist(cycle.state, cycle.grace_until):
        raise click.ClickException("Answers for research come only from closed cycles.")
    if lang not in current_app.config["LANGUAGES"]:
        known = ", ".join(current_app.config["LANGUAGES"])
        raise click.ClickException(f"{lang} is not one of {known}.")
    table = research_table(cycle, language=lang)
    # Question texts and the answers' value labels, in the language asked for.
    with force_locale(lang):
        if fmt == "sav":
            _write(output, sav_bytes(table, file_label(cycle)))
        elif fmt == "dta":
            _write(output, dta_bytes(table, file_label(cycle)))
        else:
            path = Path(output)
            _write(str(path), wide_csv(table))
            _write(str(path.with_name(path.stem + ".codebook.csv")), wide_codebook_csv(table))
    from ..core import audit

    audit.record("exported", cycle, None, f"answers {fmt} for research, one row each")
    db.session.commit()


COMMANDS = (xlsform_command, import_xlsform_command, import_odk_command, research_export_command)
