"""The demo network as real life is: small groups (6 to 14 members, 1 to 3 peer support
workers) and one larger drop-in, two closed cycles each with answers, approved quotes,
agenda topics people chose, actions agreed and reviewed, and an open cycle with a few answers."""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from .accounts.models import User
from .cycles.queries import list_cycle_questions
from .cycles.services import close_cycle, create_cycle, open_cycle
from .extensions import db
from .groups.models import Group, Network
from .questions.services import sync_bank
from .questions.types import PREFER_NOT_TO_SAY
from .responses.linking import link_digests
from .responses.services import record_response

NETWORK = "Riverside Community Network"
# (name, description, members per closed cycle, peer support workers and whether each
# shares their answers openly with the group).
GROUPS = (
    (
        "Riverside Walking Group",
        "A gentle walk by the river every Tuesday, then tea.",
        (8, 10),
        (True, True),
    ),
    (
        "Craft Café",
        "Making things together on Thursday afternoons at the community centre.",
        (6, 8),
        (False,),
    ),
    (
        "Hearing Voices Group",
        "A peer-led group for people who hear voices or see visions.",
        (11, 14),
        (True, True, False),
    ),
    (
        "Riverside Drop-in",
        "An open drop-in with lunch on Fridays: anyone can come.",
        (28, 32),
        (False, False, False),
    ),
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


def _answers(rng: random.Random, questions, lift: float, skips: float = 0.06) -> dict[str, str]:
    answers = {}
    for cq in questions:
        key = cq.question.key
        if rng.random() < skips:
            continue  # skipped
        if cq.qtype == "likert":
            answers[key] = _likert(rng, lift)
        elif key in PHRASES and rng.random() < 0.45:
            answers[key] = rng.choice(PHRASES[key])
    return answers


def _fill(
    cycle, rng: random.Random, lift: float, people: list[dict], members: int, peers: tuple
) -> None:
    """Generate responses: `members` of them, and one per peer support worker in `peers`
    (True for one who shares their answers openly)."""
    link_key = current_app.config["LINK_KEY"]
    start = datetime.combine(cycle.starts_on, datetime.min.time(), tzinfo=UTC)
    for audience, who in (("member", [False] * members), ("peer_worker", list(peers))):
        questions = list_cycle_questions(cycle.id, audience)
        for i, shares in enumerate(who):
            # Most members come back and use the same self-chosen code.
            code = people[i] if audience == "member" and i < len(people) else None
            record_response(
                questions,
                audience=audience,
                language="en_GB",
                # Peer support workers, reflecting on their own work, skip nothing here, so
                # every demo summary can show the gap on the questions asked of both.
                answers=_answers(rng, questions, lift, 0.06 if audience == "member" else 0.0),
                source="paper" if rng.random() < 0.2 else "web",
                may_quote=rng.random() < 0.6,
                shares_openly=shares,
                link_digests=link_digests(link_key, code) if code else None,
                submitted_at=start
                + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600)),
            )


ACTIONS = (
    (
        "Ask members each month what the group does next",
        "negotiated_agenda",
        "done",
        "Members now choose the next month's plan at the last session.",
    ),
    # Linked to the agenda topic members chose most ("topic:" and its place in TOPICS).
    (
        "Plan a day trip to the seaside",
        "topic:0",
        "in_progress",
        "Booked for August with the council's community bus.",
    ),
)
# How group members answer "Did this happen?" about each of ACTIONS in the next reflection.
ACTION_CHECKS = (
    ("yes", "yes", "yes", "partly", "dont_know"),
    ("yes", "partly", "partly", "no", "dont_know"),
)
TOPICS = (
    "A trip to the seaside",
    "Cooking on a budget",
    "More time to just chat",
    "How to deal with benefits letters",
)


def _close_the_loop(cycle, next_cycle, rng: random.Random, user_id: int) -> None:
    """What a facilitator does around a closed cycle: approve a few quotes, shortlist the
    topics people suggested (members then choose), agree actions, review them next time."""
    from .actions.services import add_action, review_action
    from .agenda.services import add_topic, choose_topics
    from .responses.models import Answer, Response
    from .responses.services import approve_quote

    quotable = db.session.scalars(
        sa.select(Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.cycle_id == cycle.id, Answer.qtype == "text", Response.may_quote)
        .order_by(Answer.id)
    ).all()
    for answer_id in quotable[:3]:
        approve_quote(answer_id, user_id=user_id)
    topics = [add_topic(cycle, title, user_id) for title in TOPICS]
    for _ in range(rng.randint(6, 9)):
        chosen = rng.sample(topics, rng.randint(1, 3))
        choose_topics(cycle.id, secrets.token_hex(32), [t.id for t in chosen])
    if cycle.state == "closed":
        cycle.meeting_held_at = cycle.closed_at  # the group chose at its meeting
    for what, finding, status, note in ACTIONS:
        if finding.startswith("topic:"):
            finding = f"topic:{topics[int(finding[6:])].id}"
        action = add_action(cycle, user_id, what, "", None, finding)
        if next_cycle is not None and next_cycle.state == "closed":
            review_action(action, user_id, status, note)


def _did_this_happen(cycle, previous, rng: random.Random) -> None:
    """Group members' answers, in this cycle's reflections, about last time's actions."""
    from .actions.models import ActionCheck
    from .actions.queries import list_actions
    from .responses.models import Response

    members = db.session.scalars(
        sa.select(Response.id).filter_by(cycle_id=cycle.id, audience="member").order_by(Response.id)
    ).all()
    for action, values in zip(list_actions(previous.id), ACTION_CHECKS, strict=False):
        for response_id in members:
            if rng.random() < 0.85:  # a few skip the question
                value = rng.choice(values)
                db.session.add(
                    ActionCheck(response_id=response_id, action_id=action.id, value=value)
                )


STORIES = (
    (
        "Out of the house again",
        "Before the group I did not leave my flat for weeks. Now I walk by the river every "
        "Tuesday, and on Thursdays I go with Sam to the shops on my own.",
    ),
    (
        "Someone to talk to",
        "I used to sit at home on my own. On the walks people ask how I am, and I ask them. "
        "Last month I helped a new member find the way.",
    ),
    (
        "Sleeping better",
        "The walks tire me out in a good way. I sleep better and I feel less low.",
    ),
    ("My own business", "This one is just for the facilitator to read.", False),
)
STORY_REASONS = (
    "It shows what the group is for: not only the walking, but getting back out into "
    "the world. Several of us felt the same and had not said it."
)


def _story_round(cycle, rng: random.Random, user_id: int) -> None:
    """A whole story round after a closed cycle: stories written (one not to be shared), a
    shortlist in the writers' words (a name left out), choices on phones, and the group's
    choice with its reasons."""
    from .stories import services as stories

    stories.switch_round(cycle, True, user_id)
    written = []
    for title, text, *share in STORIES:
        story, _receipt = stories.write_story(
            cycle.id,
            title,
            text,
            share != [False],
            str(uuid.uuid4()),
            current_app.config["LINK_KEY"],
        )
        written.append(story)
    first, second, third, _private = written
    stories.shortlist_story(first, first.title, first.text.replace(" with Sam", " […]"), user_id)
    for story in (second, third):
        stories.shortlist_story(story, story.title, story.text, user_id)
    for story, n in ((first, 4), (second, 2), (third, 1)):
        for _ in range(n):
            stories.choose_story(cycle.id, secrets.token_hex(32), story.id)
    stories.record_choice(cycle.id, first.id, STORY_REASONS, user_id)


def _answer_a_few(cycle, rng: random.Random) -> None:
    """An open cycle with its first few answers, as in the week a cycle opens."""
    for audience, count in (("member", 3), ("peer_worker", 1)):
        questions = list_cycle_questions(cycle.id, audience)
        for _ in range(count):
            record_response(
                questions,
                audience=audience,
                language="en_GB",
                answers=_answers(rng, questions, 0.5),
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
    for name, description, _members, _peers in GROUPS:
        group = Group(network=network, name=name, description=description)
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    users = []
    for email, role in LOGINS:
        user = User(email=email, role=role, network_id=network.id)
        user.set_password(DEMO_PASSWORD)
        if role == "facilitator":
            user.groups = groups[:2]
        db.session.add(user)
        users.append(user)
    db.session.flush()
    facilitator = users[0].id
    people = [
        {
            "initial": rng.choice("ABDJKMPS"),
            "day": str(rng.randint(1, 28)),
            "siblings": str(rng.randint(0, 3)),
            "town": rng.choice("BGLMNS"),
        }
        for _ in range(12)
    ]
    for group, (_name, _description, (low, high), peers) in zip(groups, GROUPS, strict=True):
        cycles = []
        for index, (title, starts_on, ends_on) in enumerate(CYCLES):
            cycle = create_cycle(group.id, title, starts_on, ends_on)
            open_cycle(cycle)
            if index < len(CYCLES) - 1:
                members = rng.randint(low, high)
                _fill(cycle, rng, 0.25 * index, people, members, peers)
                close_cycle(cycle)
            else:
                _answer_a_few(cycle, rng)
            cycles.append(cycle)
        for cycle, next_cycle in zip(cycles[:-1], cycles[1:], strict=True):
            _close_the_loop(cycle, next_cycle, rng, facilitator)
        if group.name == GROUPS[0][0]:
            _did_this_happen(cycles[-2], cycles[-3], rng)
            from .stories.services import switch_round

            _story_round(cycles[-2], rng, facilitator)
            switch_round(cycles[-1], True, facilitator)  # the open cycle collects stories
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
