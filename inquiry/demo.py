"""The demo network: three groups, two closed cycles each with answers, one open cycle."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from .accounts.models import User
from .core.models import AUDIENCES
from .cycles.queries import list_cycle_questions
from .cycles.services import close_cycle, create_cycle, open_cycle
from .extensions import db
from .groups.models import Group, Network
from .questions.services import sync_bank
from .questions.types import PREFER_NOT_TO_SAY
from .responses.linking import link_digests
from .responses.services import record_response

NETWORK = "Riverside Community Network"
GROUPS = (
    ("Riverside Walking Group", "A gentle walk by the river every Tuesday, then tea."),
    ("Craft Café", "Making things together on Thursday afternoons at the community centre."),
    ("Hearing Voices Group", "A peer-led group for people who hear voices or see visions."),
)
CYCLES = (
    ("Spring 2026", date(2026, 3, 2), date(2026, 3, 27)),
    ("Summer 2026", date(2026, 6, 1), date(2026, 6, 26)),
    ("Autumn 2026", date(2026, 11, 2), date(2026, 12, 11)),
)
LOGINS = (
    ("facilitator@example.org", "facilitator"),
    ("coordinator@example.org", "coordinator"),
)
DEMO_PASSWORD = "riverside-demo-only"  # noqa: S105 - printed for the local demo, on purpose
PHRASES = {
    "open.most_significant_change": [
        "I leave the house more than I did.",
        "I have made two friends here.",
        "I feel less alone with the voices.",
        "I can talk in a group now without shaking.",
        "I started volunteering at the food bank.",
    ],
    "open.agenda_suggestion": [
        "A trip to the seaside",
        "Cooking on a budget",
        "More time to just chat",
        "How to deal with benefits letters",
        "Inviting the allotment group over",
    ],
    "open.anything_else": ["Thank you to the peer workers.", "The room is too cold."],
    "open.pw_most_significant_change": [
        "Members now plan the sessions themselves.",
        "People stay for tea and help each other after the walk.",
    ],
    "open.pw_agenda_suggestion": ["Training for members who want to co-facilitate"],
    "open.pw_anything_else": ["We need more supervision time."],
}


def _likert(rng: random.Random, lift: float) -> str:
    if rng.random() < 0.04:
        return PREFER_NOT_TO_SAY
    value = round(rng.gauss(3.3 + lift, 0.95))
    return str(min(5, max(1, value)))


def _answers(rng: random.Random, questions, lift: float) -> dict[str, str]:
    answers = {}
    for cq in questions:
        key = cq.question.key
        if rng.random() < 0.06:
            continue  # skipped
        if cq.qtype == "likert":
            answers[key] = _likert(rng, lift)
        elif key in PHRASES and rng.random() < 0.45:
            answers[key] = rng.choice(PHRASES[key])
    return answers


def _fill(cycle, rng: random.Random, lift: float, people: list[dict]) -> None:
    """Generate responses for a closed demo cycle."""
    link_key = current_app.config["LINK_KEY"]
    start = datetime.combine(cycle.starts_on, datetime.min.time(), tzinfo=UTC)
    for audience in AUDIENCES:
        questions = list_cycle_questions(cycle.id, audience)
        count = rng.randint(22, 48) if audience == "member" else rng.randint(3, 8)
        for i in range(count):
            # Some members come back and use the same self-chosen code.
            code = people[i] if audience == "member" and i < len(people) else None
            record_response(
                questions,
                audience=audience,
                language="en_GB",
                answers=_answers(rng, questions, lift),
                source="paper" if rng.random() < 0.2 else "web",
                may_quote=rng.random() < 0.6,
                link_digests=link_digests(link_key, code) if code else None,
                submitted_at=start
                + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600)),
            )


def seed_demo() -> bool:
    """Create the demo network once; returns False when it was already there."""
    sync_bank()
    if db.session.scalar(sa.select(Network).filter_by(name=NETWORK)) is not None:
        return False
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    network = Network(name=NETWORK)
    db.session.add(network)
    groups = []
    for name, description in GROUPS:
        group = Group(network=network, name=name, description=description)
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    people = [
        {
            "initial": rng.choice("ABDJKMPS"),
            "day": str(rng.randint(1, 28)),
            "siblings": str(rng.randint(0, 3)),
            "town": rng.choice("BGLMNS"),
        }
        for _ in range(14)
    ]
    for group in groups:
        for index, (title, starts_on, ends_on) in enumerate(CYCLES):
            cycle = create_cycle(group.id, title, starts_on, ends_on)
            open_cycle(cycle)
            if index < len(CYCLES) - 1:
                _fill(cycle, rng, lift=0.25 * index, people=people)
                close_cycle(cycle)
    for email, role in LOGINS:
        user = User(email=email, role=role, network_id=network.id)
        user.set_password(DEMO_PASSWORD)
        if role == "facilitator":
            user.groups = groups[:2]
        db.session.add(user)
    db.session.flush()
    return True


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Seed the demo network (only once) and print its logins and join codes."""
    created = seed_demo()
    db.session.commit()
    click.echo("Demo network created." if created else "Demo network already there.")
    for email, role in LOGINS:
        click.echo(f"  {role:<12} login: {email}  password: {DEMO_PASSWORD}")
    network = db.session.scalar(sa.select(Network).filter_by(name=NETWORK))
    for group in network.groups:
        for cycle in group.cycles:
            if cycle.is_open:
                click.echo(
                    f"  {group.name} / {cycle.title}: member code {cycle.active_code('member')}"
                    f", peer support worker code {cycle.active_code('peer_worker')}"
                )


COMMANDS = (demo_command,)
