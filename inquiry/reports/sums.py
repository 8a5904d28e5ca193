"""Each closed cycle's theme sums, kept: what the network roll-up reads instead of answers.

The design, and why it is always right:
- Made lazily, the first time a roll-up reads a cycle whose figures are final (closed, grace
  period over), in one short transaction of their own that holds the cycle (its row locked
  on PostgreSQL, SQLite's write lock), so no change to its answers can slip in between the
  reading of the answers and the writing of the sums.
- Dropped (`forget`) by every change to a final cycle's answers, under the same lock:
  a withdrawal or a deleted paper sheet, a paper correction, a late send, a reopening. The
  next roll-up makes them again from the answers as they are.
- Kept (`keep`) when the answers are deleted under the retention period or on request, so
  the roll-up counts that cycle exactly as before; they go only with the summary's figures.
- They hold sums, not figures: the small-numbers rule (privacy.py) is applied on reading,
  with the network's threshold as it is then.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import UTCDateTime, enum_check, utcnow
from ..cycles.models import Cycle
from ..extensions import db
from . import queries
from .aggregate import MEMBER, PEER_ANONYMOUS, PEER_TEAM, VIEWS

# A late send that read the cycle as still in its grace period may commit just after the
# period ends: sums are kept only once it ended this long ago (before, they are worked out
# from the answers for each read, as for a cycle not yet kept).
SETTLE = timedelta(minutes=1)


class KeptSums(db.Model):
    """A cycle whose sums are kept, with how many of each view took part and the
    (audience, theme) pairs it asks Likert questions under, in its order (a closed cycle's
    questions no longer change)."""

    __tablename__ = "kept_sums"
    __table_args__ = (
        sa.CheckConstraint(
            "members >= 0 AND peer_team >= 0 AND peer_anonymous >= 0",
            name="took_part_not_negative",
        ),
    )

    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True
    )
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    members: Mapped[int] = mapped_column(sa.Integer)
    peer_team: Mapped[int] = mapped_column(sa.Integer)
    peer_anonymous: Mapped[int] = mapped_column(sa.Integer)
    themes: Mapped[list] = mapped_column(sa.JSON)


class KeptThemeSum(db.Model):
    """A view's theme scores in a cycle among the responses that answered `answered` of the
    theme's Likert items: how many responses, their totals added up, how many agree."""

    __tablename__ = "kept_theme_sum"
    __table_args__ = (
        enum_check("view", VIEWS),
        sa.CheckConstraint("answered > 0 AND responses > 0", name="counts_positive"),
        sa.CheckConstraint("agree BETWEEN 0 AND responses", name="agree_within_responses"),
        sa.CheckConstraint(
            "total BETWEEN answered * responses AND 5 * answered * responses",
            name="total_on_the_scale",
        ),
    )

    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kept_sums.cycle_id", ondelete="CASCADE"), primary_key=True
    )
    view: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    theme: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    answered: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    total: Mapped[int] = mapped_column(sa.Integer)
    responses: Mapped[int] = mapped_column(sa.Integer)
    agree: Mapped[int] = mapped_column(sa.Integer)


_COLUMN_OF_VIEW = {MEMBER: "members", PEER_TEAM: "peer_team", PEER_ANONYMOUS: "peer_anonymous"}


def _answers_deleted():
    from ..retention.models import SummarySnapshot

    return sa.exists().where(SummarySnapshot.cycle_id == Cycle.id)


def _lock(connection, cycle_ids) -> list[int]:
    """Hold these cycles against changes to their answers until the transaction ends (a row
    lock on PostgreSQL; SQLite has one write lock, taken with the transaction)."""
    return list(
        connection.execute(
            sa.select(Cycle.id).where(Cycle.id.in_(cycle_ids)).with_for_update()
        ).scalars()
    )


def _insert(connection, worked_out: tuple[dict, dict, dict], cycle_ids) -> None:
    theme_sums, views, layouts = worked_out
    now = utcnow()
    connection.execute(
        sa.insert(KeptSums),
        [
            {"cycle_id": c, "made_at": now, "themes": [list(t) for t in layouts.get(c, ())]}
            | {column: views.get(c, {}).get(view, 0) for view, column in _COLUMN_OF_VIEW.items()}
            for c in cycle_ids
        ],
    )
    rows = [row._asdict() | {"cycle_id": c} for c in cycle_ids for row in theme_sums.get(c, ())]
    if rows:
        connection.execute(sa.insert(KeptThemeSum), rows)


def _work_out(connection, cycle_ids) -> tuple[dict, dict, dict]:
    ids = sa.select(Cycle.id).where(Cycle.id.in_(cycle_ids))
    return (
        queries.list_theme_sums_by_cycle(ids, connection),
        queries.count_views_by_cycle(ids, connection),
        queries.list_likert_themes(ids, connection),
    )


def _may_keep(connection, cycle_ids) -> list[int]:
    """Those of these cycles whose sums may be kept now: figures final for a while, answers
    not deleted, sums not kept already."""
    return list(
        connection.execute(
            sa.select(Cycle.id).where(
                Cycle.id.in_(cycle_ids),
                queries.figures_final(settled_for=SETTLE),
                ~_answers_deleted(),
                ~sa.exists().where(KeptSums.cycle_id == Cycle.id),
            )
        ).scalars()
    )


def _make(cycle_ids: list[int]) -> tuple[tuple[dict, dict, dict], set[int]]:
    """Work out and keep the sums of those cycles whose figures are final, in a transaction
    of its own; returns what it worked out and for which cycles. A failure (another request
    keeping the same sums first, a lock not given in time) keeps nothing."""
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            _lock(connection, cycle_ids)
            ready = _may_keep(connection, cycle_ids)  # again, now that nothing can change
            if not ready:
                connection.rollback()
                return ({}, {}, {}), set()
            worked_out = _work_out(connection, ready)
            _insert(connection, worked_out, ready)
            connection.commit()
            return worked_out, set(ready)
    except DBAPIError as error:
        logging.getLogger(__name__).warning(
            "theme sums not kept this time (%s)", type(error.orig).__name__
        )
        return ({}, {}, {}), set()


def theme_sums_by_cycle(cycle_ids: sa.Select, wanted: list[int]) -> tuple[dict, dict, dict]:
    """(cycle id -> its queries.ThemeSums rows, cycle id -> responses per view, cycle id ->
    its (audience, theme) pairs in order) for the cycles of `cycle_ids` (whose figures are
    final), from the kept sums; the sums of those in `wanted` not kept yet are made now (and
    kept where they may be). Two statements once kept."""
    connection = db.session.connection()
    views: dict[int, dict[str, int]] = {}
    layouts: dict[int, list[tuple[str, str]]] = {}
    k = KeptSums
    kept = sa.select(k.cycle_id, k.themes, k.members, k.peer_team, k.peer_anonymous)
    for cycle_id, themes, *counts in connection.execute(kept.where(k.cycle_id.in_(cycle_ids))):
        views[cycle_id] = {v: n for v, n in zip(_COLUMN_OF_VIEW, counts, strict=True) if n}
        layouts[cycle_id] = [(audience, theme) for audience, theme in themes]
    theme_sums: dict[int, list[queries.ThemeSums]] = {}
    t = KeptThemeSum
    rows = connection.execute(
        sa.select(t.cycle_id, t.view, t.theme, t.answered, t.total, t.responses, t.agree).where(
            t.cycle_id.in_(cycle_ids)
        )
    )
    for cycle_id, *values in rows:
        theme_sums.setdefault(cycle_id, []).append(queries.ThemeSums(*values))
    missing = [c for c in wanted if c not in layouts]
    if missing:
        # Asked first without the write lock: a cycle that can never be kept (its summary's
        # figures deleted) would otherwise take it on every read of the roll-up.
        keepable = _may_keep(connection, missing)
        worked_out, made = _make(keepable) if keepable else (({}, {}, {}), set())
        rest = [c for c in missing if c not in made]
        # Not final long enough, or not kept this time: from the answers, as they are read.
        more = _work_out(connection, rest) if rest else ({}, {}, {})
        for out, new, more_new in zip((theme_sums, views, layouts), worked_out, more, strict=True):
            out.update(new)
            out.update(more_new)
    return theme_sums, views, layouts


def forget(cycle_id: int) -> None:
    """The cycle's answers change (or its figures go): drop its kept sums, under the lock
    the making of them takes, so the next roll-up works them out again. Flushes."""
    _lock(db.session.connection(), [cycle_id])
    db.session.execute(sa.delete(KeptThemeSum).where(KeptThemeSum.cycle_id == cycle_id))
    db.session.execute(sa.delete(KeptSums).where(KeptSums.cycle_id == cycle_id))


def keep(cycle_id: int) -> None:
    """Before the cycle's answers are deleted: make sure its sums are kept (they stay right
    once made: every change to the answers drops them). Flushes."""
    connection = db.session.connection()
    _lock(connection, [cycle_id])
    if db.session.scalar(sa.select(KeptSums.cycle_id).where(KeptSums.cycle_id == cycle_id)):
        return
    _insert(connection, _work_out(connection, [cycle_id]), [cycle_id])
