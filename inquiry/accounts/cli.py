"""Commands for accounts."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import db
from ..groups.models import Group, Network
from .models import ROLES
from .services import AccountError, create_user


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--group", "group_names", multiple=True, help="A group a facilitator runs.")
@click.option("--network", "network_name", help="The network (default: the only one).")
@click.password_option(help="At least 12 characters; you will be asked when not given.")
@with_appcontext
def create_user_command(email, role, group_names, network_name, password) -> None:
    """Create an account (the first one, usually an admin or coordinator)."""
    networks = list(db.session.scalars(sa.select(Network)))
    network = None
    if network_name:
        network = next((n for n in networks if n.name == network_name), None)
        if network is None:
            raise click.ClickException(f"There is no network called {network_name!r}.")
    elif len(networks) == 1:
        network = networks[0]
    if role != "admin" and network is None:
        raise click.ClickException("Say which network with --network NAME.")
    groups = []
    for name in group_names:
        group = db.session.scalar(
            sa.select(Group).filter_by(name=name, network_id=network.id if network else None)
        )
        if group is None:
            raise click.ClickException(f"There is no group called {name!r}.")
        groups.append(group)
    try:
        create_user(email, password, role, network.id if network else None, groups)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {role} {email.strip().lower()}.")


COMMANDS = (create_user_command,)
