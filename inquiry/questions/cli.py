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
        }
        for cq in sorted(cycle.questions, key=lambda cq: (cq.audience, cq.position))
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['audience']:<12} {row['type']:<7} {row['key']}")


def _options(question) -> list[str]:
    if question.qtype == "likert":
        return ["1", "2", "3", "4", "5", "prefer_not_to_say"]
    return list(question.options or [])


COMMANDS = (bank_command, questions_command)
