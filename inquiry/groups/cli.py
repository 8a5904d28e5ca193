"""Commands for networks."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..reports.privacy import K_MAX, K_MIN
from .models import Network
from .services import ThresholdError, set_threshold


class Refused(click.ClickException):
    """A value the command does not accept: exit code 2, as for any bad argument."""

    exit_code = 2


@click.group("network")
def network_group() -> None:
    """Networks' settings."""


@network_group.command("threshold")
@click.argument("network_id", type=int)
@click.argument("k", type=int)
@with_appcontext
def threshold_command(network_id: int, k: int) -> None:
    """Set NETWORK_ID's threshold to K: the smallest number of people whose answers a
    summary shows together (3 to 10)."""
    network = db.session.get(Network, network_id)
    if network is None:
        raise click.ClickException(f"There is no network {network_id}.")
    old = network.min_responses
    try:
        changed = set_threshold(network, k, None, " (command line)")
    except ThresholdError:
        raise Refused(
            f"The threshold must be a whole number from {K_MIN} to {K_MAX}, not {k}."
        ) from None
    if not changed:
        click.echo(f"The threshold of {network.name} already is {k}. Nothing changed.")
        return
    db.session.commit()
    click.echo(
        f"The threshold of {network.name} is now {k} (it was {old}). "
        "Its stored summary and roll-up PDFs were deleted; they are made again when asked for."
    )


COMMANDS = (network_group,)
