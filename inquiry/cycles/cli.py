"""Commands for cycles."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..core import audit
from ..core.models import AUDIENCES
from ..extensions import db
from . import services
from .queries import get_cycle, list_cycles_with_counts


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


@click.group("cycle")
def cycle_group() -> None:
    """Open or close one cycle, as its buttons in the workspace do."""


class Refused(click.ClickException):
    """The cycle is not in the state the change needs (the button's 409)."""


def _change(cycle_id: int, change, action: str):
    """One state change, with the workspace buttons' check (services.may_change)."""
    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    if not services.may_change(cycle, action):
        raise Refused(_WHY_NOT[action, cycle.state].format(id=cycle.id))
    change(cycle)
    audit.record(action, cycle, None, "command line")
    db.session.commit()
    return cycle


_WHY_NOT = {
    ("opened", "open"): "Cycle {id} is already open.",
    ("opened", "closed"): "Cycle {id} is closed: a closed cycle does not open again.",
    ("closed", "draft"): "Cycle {id} is a draft: open it before closing it.",
    ("closed", "closed"): "Cycle {id} is already closed.",
}


@cycle_group.command("open")
@click.argument("cycle_id", type=int)
@with_appcontext
def open_command(cycle_id: int) -> None:
    """Open a draft cycle for reflections and print its join codes."""
    cycle = _change(cycle_id, services.open_cycle, "opened")
    click.echo(
        f"Cycle {cycle.id} is now open. Member code: {cycle.active_code('member')}, "
        f"peer support worker code: {cycle.active_code('peer_worker')}"
    )


@cycle_group.command("close")
@click.argument("cycle_id", type=int)
@with_appcontext
def close_command(cycle_id: int) -> None:
    """Close an open cycle and start making its summary PDF."""

    def close(cycle):
        services.close_and_start_summary(cycle, (cycle.group.default_language,))

    cycle = _change(cycle_id, close, "closed")
    click.echo(f"Cycle {cycle.id} is now closed. The render worker is making its summary PDF.")


COMMANDS = (cycles_command, cycle_group)
