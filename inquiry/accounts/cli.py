"""Commands for accounts."""

from __future__ import annotations

import os

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..core import audit
from ..extensions import db
from ..groups.models import Group, Network
from .models import ROLES, User
from .passwords import password_problem
from .services import AccountError, create_user

# Read instead of asking, for scripts.
SETUP_ENV = "INQUIRY_SETUP_PASSWORD"  # noqa: S105 - the name of a variable, not a secret


@click.command("setup")
@click.option("--network", "network_name", required=True, help="Your organisation's network.")
@click.option("--admin", "email", required=True, help="The first admin's email address.")
@with_appcontext
def setup_command(network_name: str, email: str) -> None:
    """Start Inquiry for your organisation: its network and the first admin, who then adds
    groups and invites people in the workspace. Runs once. The password is asked for twice,
    or read from INQUIRY_SETUP_PASSWORD."""
    from ..groups.services import NetworkError, create_network
    from ..questions.services import sync_bank

    if db.session.scalar(sa.select(User.id).filter_by(role="admin").limit(1)) is not None:
        raise click.ClickException(
            "Inquiry is already set up: an admin exists. Sign in as an admin to add networks "
            "and invite people, or use create-user."
        )
    name = " ".join(network_name.split())
    if not name or len(name) > 200:
        raise click.ClickException("Give the network a name of 1 to 200 characters.")
    password = os.environ.get(SETUP_ENV)
    if password is None:
        password = click.prompt(
            "Choose the admin's password (at least 12 characters)",
            hide_input=True,
            confirmation_prompt="Type the password again",
        )
    problem = password_problem(password, (email.strip().lower(),), email=email, network_name=name)
    if problem:
        raise click.ClickException(problem)
    try:
        network = db.session.scalar(sa.select(Network).filter_by(name=name))
        if network is None:
            network = create_network(None, name)
        user = create_user(email, password, "admin", network.id)
    except (AccountError, NetworkError) as error:
        raise click.ClickException(str(error)) from error
    audit.record("created", user, None, "setup (command line)")
    sync_bank()  # the built-in questions every cycle starts from (safe to repeat)
    db.session.commit()
    click.echo(
        f"Set up {network.name} with the admin {user.email}. Start the web server and sign in "
        "at /sign-in to add groups and invite coordinators and facilitators."
    )


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
        user = create_user(email, password, role, network.id if network else None, groups)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    audit.record("created", user, None, "command line")
    db.session.commit()
    click.echo(f"Created {role} {email.strip().lower()}.")


COMMANDS = (setup_command, create_user_command)
