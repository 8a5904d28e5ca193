"""The ``inquiry`` command: every feature registers its own commands here."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Inquiry: participatory action inquiry for peer-supported community groups."""


def init_app(app: Flask) -> None:
    from . import demo
    from .accounts import cli as accounts_cli
    from .cycles import cli as cycles_cli
    from .groups import cli as groups_cli
    from .interchange import cli as interchange_cli
    from .printing import cli as printing_cli
    from .questions import cli as questions_cli
    from .reports import cli as reports_cli
    from .responses import cli as responses_cli
    from .retention import cli as retention_cli

    for module in (
        accounts_cli,
        cycles_cli,
        groups_cli,
        questions_cli,
        responses_cli,
        reports_cli,
        interchange_cli,
        printing_cli,
        retention_cli,
        demo,
    ):
        for command in module.COMMANDS:
            app.cli.add_command(command)
