"""The render worker command."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from . import worker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)  # finish the PDF in hand, then stop


@click.command("render-worker")
@click.option("--once", is_flag=True, help="Make every waiting PDF, then stop.")
@click.option(
    "--nice",
    default=19,
    show_default=True,
    type=click.IntRange(0, 19),
    help="How far PDF making steps back from the web workers (0-19); at 19 it runs only "
    "when a CPU is otherwise idle. Members come first.",
)
@with_appcontext
def render_worker_command(once: bool, nice: int) -> None:
    """Make the PDFs asked for in the workspace. Run one alongside the web server."""
    render = worker.LowPriorityRenderer(nice, current_app.static_folder)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    click.echo("PDF worker started: waiting for PDFs to make.")
    try:
        made = worker.run(stop, once=once, render=render)
    finally:
        render.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"Made {made} PDFs.")


COMMANDS = [render_worker_command]
