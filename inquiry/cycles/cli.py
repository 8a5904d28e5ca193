"""Commands for cycles."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..core.models import AUDIENCES
from .queries import list_cycles_with_counts


@click.command("cycles")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cycles_command(as_json: bool) -> None:
    """List every cycle with its join codes and response counts."""
    rows = [
        {
            "id": cycle.id,
            "group": cycle.group.name,
            "title": cycle.title,
            "state": cycle.state,
            "codes": {a: cycle.active_code(a) for a in AUDIENCES},
            "responses": {a: counts.get(a, 0) for a in AUDIENCES},
        }
        for cycle, counts in list_cycles_with_counts()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        codes = " ".join(f"{a}={c}" for a, c in row["codes"].items() if c)
        click.echo(f"{row['id']:>4}  {row['state']:<6} {row['group']} / {row['title']}  {codes}")


COMMANDS = (cycles_command,)
