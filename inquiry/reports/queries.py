"""Rows for reports, aggregated in the database: nothing here loads every answer."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa

from ..core.models import utcnow
from ..cycles.models import Cycle, CycleQuestion
from ..extensions import db
from ..questions.bank import paired_keys
from ..questions.models import Question
from ..responses.models import Answer, LinkKey, QuoteApproval, Response
from .aggregate import AGREE_FROM, PEER_TEAM, ItemRow, ScoreRow

# Who a figure is about: members, the peer support team (peer support workers who shared
# their answers openly) or anonymous peer support workers (see aggregate.VIEWS).
# Literal SQL, not bound values: PostgreSQL must see the same expression in SELECT and GROUP BY.
VIEW = sa.case(
    (
        sa.and_(Response.audience == "peer_worker", Response.shares_openly),
        sa.literal_column(f"'{PEER_TEAM}'"),
    ),
    else_=Response.audience,
).label("view")


# The theme a question is reported under: a group's own questions have their own section,
# never mixed into the research themes, whatever theme they were filed under.
THEME = sa.case((Question.is_builtin, Question.theme), else_=sa.literal_column("'own'")).label(
    "theme"
)


def figures_final(settled_for: timedelta = timedelta(0)):
    """The SQL form of privacy.figures_exist: closed, and no grace period still running (nor
    ended less than `settled_for` ago)."""
    return sa.and_(
        Cycle.state == "closed",
        sa.or_(Cycle.grace_until.is_(None), Cycle.grace_until <= utcnow() - settled_for),
    )


def get_previous_closed_cycle(cycle: Cycle) -> Cycle | None:
    """The group's closed cycle that started most recently before this one."""
    return db.session.scalar(
        sa.select(Cycle)
        .where(
            Cycle.group_id == cycle.group_id,
            figures_final(),
            Cycle.starts_on < cycle.starts_on,
            Cycle.id != cycle.id,
        )
        .order_by(Cycle.starts_on.desc(), Cycle.id.desc())
        .limit(1)
    )


def count_responses(cycle_id: int) -> dict[str, int]:
    """Responses per audience."""
    rows = db.session.execute(
        sa.select(Response.audience, sa.func.count())
        .where(Response.cycle_id == cycle_id)
        .group_by(Response.audience)
    )
    return {audience: n for audience, n in rows}


def count_views(cycle_id: int) -> dict[str, int]:
    """Responses per view (members, the peer support team, anonymous peer support workers)."""
    rows = db.session.execute(
        sa.select(VIEW, sa.func.count()).where(Response.cycle_id == cycle_id).group_by(VIEW)
    )
    return {view: n for view, n in rows}


def list_likert_layout(cycle_id: int) -> dict[tuple[str, str], list[str]]:
    """(audience, theme) -> the Likert question keys in the cycle's order."""
    rows = db.session.execute(
        sa.select(CycleQuestion.audience, THEME, Question.key)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(CycleQuestion.cycle_id == cycle_id, CycleQuestion.qtype == "likert")
        .order_by(CycleQuestion.audience, CycleQuestion.position)
    )
    layout: dict[tuple[str, str], list[str]] = {}
    for audience, theme, key in rows:
        layout.setdefault((audience, theme), []).append(key)
    return layout


def _per_response_theme_sums(cycle_id: int, only_keys: list[str] | None):
    query = (
        sa.select(
            Answer.response_id,
            VIEW,
            THEME,
            sa.func.count(Answer.likert).label("answered"),
            sa.func.sum(Answer.likert).label("total"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id == cycle_id, Answer.likert.is_not(None))
        .group_by(Answer.response_id, VIEW, THEME)
    )
    if only_keys is not None:
        query = query.where(Question.key.in_(only_keys))
    return query


def list_pairs(cycle_id: int) -> dict[str, tuple[str, str]]:
    """pair key -> (member question key, peer support worker question key), for the cycle's
    Likert questions asked of both audiences in parallel words."""
    rows = db.session.execute(
        sa.select(CycleQuestion.audience, Question.key, Question.pair_key)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(CycleQuestion.cycle_id == cycle_id, CycleQuestion.qtype == "likert")
        .order_by(CycleQuestion.audience, CycleQuestion.position)
    )
    return paired_keys(rows)


def list_score_rows(cycle_id: int, only_keys: list[str] | None = None) -> list[ScoreRow]:
    """Theme scores grouped by (answered, total): a few rows per theme, however many answered.
    With `only_keys`, scores over those questions only (the paired ones, for the gap)."""
    per_response = _per_response_theme_sums(cycle_id, only_keys).subquery()
    rows = db.session.execute(
        sa.select(
            per_response.c.view,
            per_response.c.theme,
            per_response.c.answered,
            per_response.c.total,
            sa.func.count(),
        ).group_by(
            per_response.c.view,
            per_response.c.theme,
            per_response.c.answered,
            per_response.c.total,
        )
    )
    return [ScoreRow(a, t, int(c), int(s), int(n)) for a, t, c, s, n in rows]


def list_item_rows(cycle_id: int) -> list[ItemRow]:
    """How many of each view gave each Likert value to each question."""
    rows = db.session.execute(
        sa.select(VIEW, THEME, Question.key, Answer.likert, sa.func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id == cycle_id, Answer.likert.is_not(None))
        .group_by(VIEW, THEME, Question.key, Answer.likert)
    )
    return [ItemRow(a, t, k, int(v), int(n)) for a, t, k, v, n in rows]


def list_other_answer_counts(cycle_id: int) -> list[tuple[str, str, str, str, int]]:
    """(view, question key, type, value, count) for single-choice answers (value: the option)
    and free text (value: empty; only how many wrote something)."""
    value = sa.func.coalesce(Answer.choice, sa.literal_column("''")).label("value")
    rows = db.session.execute(
        sa.select(VIEW, Question.key, Answer.qtype, value, sa.func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id == cycle_id, Answer.qtype.in_(("choice", "text")))
        .group_by(VIEW, Question.key, Answer.qtype, value)
    )
    return [(v, k, t, c, int(n)) for v, k, t, c, n in rows]


def list_linked_pairs(cycle_id: int, previous_id: int) -> list[tuple[int, int, str]]:
    """(response now, response before, audience) of the same audience whose self-chosen codes
    match: whole codes first, then codes with one part different; a pair is kept only when
    neither side has another candidate at that step."""
    now, before = sa.orm.aliased(LinkKey), sa.orm.aliased(LinkKey)
    r_now, r_before = sa.orm.aliased(Response), sa.orm.aliased(Response)
    rows = db.session.execute(
        sa.select(now.response_id, before.response_id, sa.func.min(now.variant), r_now.audience)
        .join(r_now, r_now.id == now.response_id)
        .join(before, sa.and_(before.variant == now.variant, before.digest == now.digest))
        .join(r_before, r_before.id == before.response_id)
        .where(
            r_now.cycle_id == cycle_id,
            r_before.cycle_id == previous_id,
            r_now.audience == r_before.audience,
        )
        .group_by(now.response_id, before.response_id, r_now.audience)
    ).all()
    audience_of = {a: audience for a, _b, _v, audience in rows}
    exact = [(a, b) for a, b, variant, _ in rows if variant == 0]
    pairs = _one_to_one(exact)
    taken_now = {a for a, _ in pairs}
    taken_before = {b for _, b in pairs}
    fuzzy = [
        (a, b)
        for a, b, variant, _ in rows
        if variant != 0 and a not in taken_now and b not in taken_before
    ]
    return [(a, b, audience_of[a]) for a, b in pairs + _one_to_one(fuzzy)]


def _one_to_one(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    partners_now: dict[int, set[int]] = {}
    partners_before: dict[int, set[int]] = {}
    for a, b in candidates:
        partners_now.setdefault(a, set()).add(b)
        partners_before.setdefault(b, set()).add(a)
    return sorted(
        (a, next(iter(bs)))
        for a, bs in partners_now.items()
        if len(bs) == 1 and len(partners_before[next(iter(bs))]) == 1
    )


def list_theme_sums_for(response_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """response id -> theme -> (answered, total), for a few linked responses."""
    out: dict[int, dict[str, tuple[int, int]]] = {}
    for chunk_start in range(0, len(response_ids), 500):
        chunk = response_ids[chunk_start : chunk_start + 500]
        rows = db.session.execute(
            sa.select(
                Answer.response_id,
                THEME,
                sa.func.count(Answer.likert),
                sa.func.sum(Answer.likert),
            )
            .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
            .join(Question, Question.id == CycleQuestion.question_id)
            .where(Answer.response_id.in_(chunk), Answer.likert.is_not(None))
            .group_by(Answer.response_id, THEME)
        )
        for response_id, theme, answered, total in rows:
            out.setdefault(response_id, {})[theme] = (int(answered), int(total))
    return out


def list_approved_quotes(cycle_id: int) -> list[tuple[int, str, str, str, bool]]:
    """(answer id, question key, approved text, audience, shared openly) from people who
    agreed to be quoted."""
    rows = db.session.execute(
        sa.select(
            Answer.id, Question.key, QuoteApproval.text, Response.audience, Response.shares_openly
        )
        .join(QuoteApproval, QuoteApproval.answer_id == Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id == cycle_id, Response.may_quote.is_(True))
    )
    return [tuple(row) for row in rows]


def get_latest_cycle(group_id: int) -> Cycle | None:
    """The group's most recent cycle, in any state."""
    return db.session.scalar(
        sa.select(Cycle)
        .filter_by(group_id=group_id)
        .order_by(Cycle.starts_on.desc(), Cycle.id.desc())
        .limit(1)
    )


# The network roll-up: every group's latest closed cycle at once, in a fixed number of
# statements however many groups the network has (grouped by cycle, never one per group).


def latest_closed_cycles(network_id: int) -> sa.Subquery:
    """(group_id, cycle_id, title) of each group's latest closed cycle in a network."""
    from ..groups.models import Group

    ranked = (
        sa.select(
            Cycle.group_id,
            Cycle.id.label("cycle_id"),
            Cycle.title,
            sa.func.row_number()
            .over(partition_by=Cycle.group_id, order_by=(Cycle.starts_on.desc(), Cycle.id.desc()))
            .label("rank"),
        )
        .join(Group, Group.id == Cycle.group_id)
        .where(Group.network_id == network_id, figures_final())
        .subquery()
    )
    return (
        sa.select(ranked.c.group_id, ranked.c.cycle_id, ranked.c.title)
        .where(ranked.c.rank == 1)
        .subquery()
    )


def list_groups_with_latest_closed(
    network_id: int,
) -> list[tuple[int, str, int | None, str | None]]:
    """(group id, name, latest closed cycle id or None, its title), by group name."""
    from ..groups.models import Group

    latest = latest_closed_cycles(network_id)
    rows = db.session.execute(
        sa.select(Group.id, Group.name, latest.c.cycle_id, latest.c.title)
        .outerjoin(latest, latest.c.group_id == Group.id)
        # An archived group stays while it has figures (leaving would change the network's
        # pooled figures between two roll-ups); one that never closed a cycle goes.
        .where(
            Group.network_id == network_id,
            sa.or_(Group.archived_at.is_(None), latest.c.cycle_id.is_not(None)),
        )
        .order_by(Group.name, Group.id)
    )
    return [tuple(row) for row in rows]


class ThemeSums(NamedTuple):
    """A view's theme scores in a cycle among responses that answered `answered` of the
    theme's items: how many (responses), their totals added up, and how many agree."""

    view: str
    theme: str
    answered: int
    total: int
    responses: int
    agree: int


def list_theme_sums_by_cycle(cycle_ids: sa.Select, connection=None) -> dict[int, list[ThemeSums]]:
    """Theme score sums for many cycles at once, grouped in SQL down to one row per cycle,
    view, theme and number of items answered: cycle id -> its rows. From the answers: the
    roll-up reads them kept (sums.py), made once from here."""
    per_response = (
        sa.select(
            Answer.cycle_id,
            Answer.response_id,
            VIEW,
            THEME,
            sa.func.count(Answer.likert).label("answered"),
            sa.func.sum(Answer.likert).label("total"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id.in_(cycle_ids), Answer.likert.is_not(None))
        .group_by(Answer.cycle_id, Answer.response_id, VIEW, THEME)
        .subquery()
    )
    r = per_response.c
    agrees = sa.case((r.total >= AGREE_FROM * r.answered, 1), else_=0)
    rows = (connection or db.session.connection()).execute(
        sa.select(
            r.cycle_id,
            r.view,
            r.theme,
            r.answered,
            sa.func.sum(r.total),
            sa.func.count(),
            sa.func.sum(agrees),
        ).group_by(r.cycle_id, r.view, r.theme, r.answered)
    )
    out: dict[int, list[ThemeSums]] = {}
    for cycle_id, view, theme, answered, total, n, agree in rows:
        out.setdefault(cycle_id, []).append(
            ThemeSums(view, theme, int(answered), int(total), int(n), int(agree))
        )
    return out


def count_views_by_cycle(cycle_ids: sa.Select, connection=None) -> dict[int, dict[str, int]]:
    """count_views for many cycles at once: cycle id -> responses per view."""
    rows = (connection or db.session.connection()).execute(
        sa.select(Response.cycle_id, VIEW, sa.func.count())
        .where(Response.cycle_id.in_(cycle_ids))
        .group_by(Response.cycle_id, VIEW)
    )
    out: dict[int, dict[str, int]] = {}
    for cycle_id, view, n in rows:
        out.setdefault(cycle_id, {})[view] = n
    return out


def list_likert_themes(cycle_ids: sa.Select, connection=None) -> dict[int, list[tuple[str, str]]]:
    """cycle id -> the (audience, theme) pairs it asks Likert questions under, in the
    cycle's order (a theme's place is that of its first question), for many cycles at once."""
    first = sa.func.min(CycleQuestion.position)
    rows = (connection or db.session.connection()).execute(
        sa.select(CycleQuestion.cycle_id, CycleQuestion.audience, THEME)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(CycleQuestion.cycle_id.in_(cycle_ids), CycleQuestion.qtype == "likert")
        .group_by(CycleQuestion.cycle_id, CycleQuestion.audience, THEME)
        .order_by(CycleQuestion.cycle_id, CycleQuestion.audience, first)
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for cycle_id, audience, theme in rows:
        out.setdefault(cycle_id, []).append((audience, theme))
    return out
