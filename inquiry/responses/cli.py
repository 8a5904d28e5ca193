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


@click.command("import-responses")
@click.argument("cycle_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_responses_command(cycle_id: int, file: str) -> None:
    """Import answers from a CSV with the columns of `inquiry export` into an open cycle: all
    or nothing, each response once (a file imported before adds nothing)."""
    from pathlib import Path

    from sqlalchemy.exc import IntegrityError

    from ..core import audit
    from ..cycles.queries import get_cycle
    from .imports import import_detail, import_responses

    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    try:
        result = import_responses(cycle, Path(file).read_bytes())
        if not result.errors:
            audit.record("imported", cycle, None, import_detail(result, "csv"))
            db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(
            "Nothing was imported: some of these responses were being imported at the same "
            "time. Try again."
        ) from error
    if result.errors:
        db.session.rollback()
        for line in result.errors[:200]:
            click.echo(line, err=True)
        if len(result.errors) > 200:
            click.echo(f"... and {len(result.errors) - 200} more problems.", err=True)
        if result.skipped:
            # Everything in the file is here already: there is nothing to fix.
            raise click.ClickException("Nothing new to import.")
        raise click.ClickException("Nothing was imported. Fix the lines above and try again.")
    skipped = f"; {result.skipped} already imported, skipped" if result.skipped else ""
    responses = f"{result.responses} response{'' if result.responses == 1 else 's'}"
    click.echo(f"Imported {responses} with {result.answers} answers{skipped}.")


@click.command("quotes")
@click.argument("cycle_id", type=int)
@with_appcontext
def quotes_command(cycle_id: int) -> None:
    """Free-text answers from people who agreed to be quoted, for approval."""
    from ..core import audit
    from ..cycles.queries import get_cycle
    from ..reports.privacy import quote_audience_shown
    from .queries import list_quotable_answers

    cycle = get_cycle(cycle_id)
    if cycle is None:
        raise click.ClickException(f"There is no cycle {cycle_id}.")
    k = cycle.group.network.min_responses
    # The words people agreed to share are shown here: who looked is in the log.
    audit.record("exported", cycle, None, "quotes for approval")
    db.session.commit()
    for a in list_quotable_answers(cycle_id):
        mark = "approved" if a.approved is not None else "waiting"
        click.echo(
            f"{a.id:>6}  {mark:<8}  {a.audience:<11}  {a.question_key}: {a.approved or a.text}"
        )
        if not quote_audience_shown(
            a.audience, a.shares_openly, a.members_n, a.anonymous_peers_n, k
        ):
            who = "group members" if a.audience == "member" else "peer support workers"
            how = "" if a.audience == "member" else " anonymously"
            click.echo(f"{'':>6}  not in the summary: fewer than {k} {who} answered{how}")


@click.command("approve-quote")
@click.argument("answer_id", type=int)
@click.option(
    "--text",
    help="The words to show, if they should be shortened: only the person's own words, in "
    "their order, with words left out or put as [...].",
)
@with_appcontext
def approve_quote_command(answer_id: int, text: str | None) -> None:
    """Approve one answer for the summary's quotes (whole, or shortened)."""
    from ..core import audit
    from .models import Answer
    from .quoting import NotTheirWords, NoWords
    from .services import NotQuotable, approve_quote

    try:
        approve_quote(answer_id, text)
    except NotQuotable as error:
        raise click.ClickException(
            f"Answer {answer_id} is not free text from someone who agreed to be quoted."
        ) from error
    except NoWords as error:
        raise click.ClickException(
            "Nothing was approved. Give the words to quote with --text, or leave --text out "
            "to approve the whole answer."
        ) from error
    except NotTheirWords as error:
        raise click.ClickException(
            "Nothing was approved. Use only the person's own words, in their order. To leave "
            "words out, delete them or put [...] in their place."
        ) from error
    cycle_id = db.session.get(Answer, answer_id).cycle_id
    audit.record_on("edited", "cycle", cycle_id, None, f"quote {answer_id} approved")
    db.session.commit()
    click.echo(f"Approved answer {answer_id}.")


COMMANDS = (
    purge_drafts_command,
    import_responses_command,
    quotes_command,
    approve_quote_command,
)
