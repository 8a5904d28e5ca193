"""inquiry purge: delete answers whose network's retention period has ended."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import services


def _day(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date as YYYY-MM-DD, for example 2028-01-31") from None


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@click.option(
    "--today",
    callback=_day,
    metavar="YYYY-MM-DD",
    help="Act as if today were this day (default: today, or INQUIRY_TODAY).",
)
@with_appcontext
def purge_command(dry_run: bool, today: date | None) -> None:
    """Delete the answers of cycles closed longer than their network's retention period,
    keeping the figures of each summary. Prints counts only."""
    try:
        day = today or services.today()
    except services.RetentionError as error:
        raise click.UsageError(str(error)) from None
    done = services.purge(day, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    total = services.Deleted()
    for due, deleted in done:
        click.echo(
            f"{verb} from {due.network} / {due.group} / {due.title} (cycle {due.cycle_id}, "
            f"due {due.due_on.isoformat()}): {deleted.describe()}"
        )
        total = total + deleted
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if not done:
        click.echo(f"Nothing is due on {day.isoformat()}.")
    else:
        click.echo(f"{verb} from {len(done)} cycles in all: {total.describe()}.")


COMMANDS = [purge_command]
