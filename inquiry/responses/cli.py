"""Commands for responses."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from .services import delete_expired_drafts


@click.command("purge-drafts")
@with_appcontext
def purge_drafts_command() -> None:
    """Delete half-finished reflections that have expired."""
    removed = delete_expired_drafts()
    db.session.commit()
    click.echo(f"Deleted {removed} expired drafts.")


COMMANDS = (purge_drafts_command,)
