"""Reports and exports on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..cycles.queries import get_cycle
from .exports import codebook_csv, every_answer_csv
from .formats import summary_csv, summary_json
from .render import render_rollup, render_summary
from .summary import stored_or_built


def _cycle_or_fail(cycle_id: int):
    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    return cycle


def _write(output: str | None, data: str | bytes) -> None:
    if output is None or output == "-":
        click.echo(data, nl=False)
        return
    Path(output).write_bytes(data if isinstance(data, bytes) else data.encode())
    click.echo(f"Wrote {output}", err=True)


def _audited(action: str, object_type: str, object_id: int, what: str) -> None:
    """Downloads on the command line are in the audit log too (marked as from it)."""
    from ..core import audit
    from ..extensions import db

    audit.record_on(action, object_type, object_id, None, what)
    db.session.commit()


@click.command("report")
@click.argument("cycle_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "html", "pdf", "csv"]), default="json")
@click.option("--lang", default="en_GB", help="Language of the report.")
@click.option("--large-print", is_flag=True, help="Body text at 18 pt (html and pdf).")
@click.option("--easy-read", is_flag=True, help="One page for the wall (html and pdf).")
@click.option("-o", "--output", help="File to write (standard output by default).")
@with_appcontext
def report_command(cycle_id, fmt, lang, large_print, easy_read, output) -> None:
    """The cycle summary, with every figure from too few responses withheld."""
    cycle = _cycle_or_fail(cycle_id)
    summary = stored_or_built(cycle, lang, current_app.config["LINK_KEY"])
    if summary is None:
        raise click.ClickException("This cycle's answers and its summary have been deleted.")
    if fmt == "json":
        data = json.dumps(summary_json(summary), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        data = summary_csv(summary)
    elif fmt == "html":
        data = render_summary(
            summary, lang, large_print=large_print, easy_read=easy_read, standalone=True
        )
    else:
        from .pdf import render_pdf

        if output is None:
            raise click.ClickException("Give a file for the PDF with -o FILE.pdf")
        data = render_pdf(
            render_summary(summary, lang, large_print=large_print, easy_read=easy_read)
        )
    _write(output, data)
    variant = "easy-read" if easy_read else "large-print" if large_print else "standard"
    _audited(
        "printed" if fmt == "pdf" else "exported",
        "cycle",
        cycle.id,
        f"summary {fmt} {variant} {lang}",
    )


@click.command("export")
@click.argument("cycle_id", type=int)
@click.option("-o", "--output", required=True, help="CSV file; the codebook goes beside it.")
@with_appcontext
def export_command(cycle_id, output) -> None:
    """Every answer of a cycle, one row each, with response ids and dates, and a codebook.

    For the operator only: the file is not under the small-numbers rule (the web download
    for coordinators is). Keep it where only the operator can read it."""
    cycle = _cycle_or_fail(cycle_id)
    path = Path(output)
    codebook = path.with_name(path.stem + ".codebook.csv")
    _write(str(path), every_answer_csv(cycle.id))
    _write(str(codebook), codebook_csv(cycle))
    _audited("exported", "cycle", cycle.id, "every answer csv, one row each (operator)")


@click.command("rollup")
@click.argument("network_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "html", "pdf"]), default="csv")
@click.option("--round", "rounded", is_flag=True, help="Round counts to the nearest 5.")
@click.option("-o", "--output", help="File to write (standard output by default).")
@with_appcontext
def rollup_command(network_id, fmt, rounded, output) -> None:
    """Every group's latest closed cycle side by side, and the network overall."""
    from ..extensions import db
    from ..groups.models import Network
    from .rollup import build_rollup, rollup_csv

    network = db.session.get(Network, network_id)
    if network is None:
        raise click.ClickException(f"There is no network {network_id}.")
    rollup = build_rollup(network, rounded=rounded)
    if fmt == "csv":
        _write(output, rollup_csv(rollup))
    else:
        html = render_rollup(rollup, standalone=fmt == "html")
        if fmt == "html":
            _write(output, html)
        else:
            from .pdf import render_pdf

            if output is None:
                raise click.ClickException("Give a file for the PDF with -o FILE.pdf")
            _write(output, render_pdf(html))
    _audited("exported", "network", network.id, f"rollup {fmt}{' rounded' if rounded else ''}")


COMMANDS = (report_command, export_command, rollup_command)
