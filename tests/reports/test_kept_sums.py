"""The roll-up reads each closed cycle's theme sums kept (reports/sums.py): the same figures
as from the answers, the same after `inquiry purge` deleted them, and following every change
to a closed cycle's answers (withdrawal, paper correction, reopening)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from inquiry.cycles.models import Cycle
from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import close_cycle, reopen_cycle
from inquiry.extensions import db
from inquiry.groups.models import Network
from inquiry.reports import queries
from inquiry.reports.rollup import build_rollup, rollup_csv
from inquiry.reports.sums import KeptSums, KeptThemeSum
from inquiry.responses.models import Answer, Response
from inquiry.responses.paper import correct_sheet
from inquiry.responses.services import record_response, withdraw_response
from inquiry.retention.services import delete_summary

from ..factories import make_group, make_open_cycle
from ..retention.helpers import cycle_with_answers


def _second_group(network) -> Cycle:
    """Members and peer support workers (one sharing openly), one sheet on paper; closed."""
    group = make_group(network, name="Allotment")
    cycle = make_open_cycle(group, title="Spring", starts_on=date(2025, 12, 1))
    for audience, scores in (("member", "3452345"), ("peer_worker", "425")):
        questions = list_cycle_questions(cycle.id, audience)
        for i, score in enumerate(scores):
            record_response(
                questions,
                audience=audience,
                language="en_GB",
                answers={"hope.gives_hope": score},
                source="paper" if i == 0 else "web",
                shares_openly=audience == "peer_worker" and i == 0,
            )
    close_cycle(cycle)
    db.session.commit()
    return cycle


def _read(network_id: int) -> tuple[str, list]:
    """Everything the roll-up says: its CSV and how many took part in each column."""
    rollup = build_rollup(db.session.get(Network, network_id))
    rounded = build_rollup(db.session.get(Network, network_id), rounded=True)
    took_part = [(c.label, c.cycle_title, c.responses) for c in rollup.columns]
    return rollup_csv(rollup) + rollup_csv(rounded), took_part


def _kept(cycle_id: int) -> tuple[dict, list]:
    kept = db.session.get(KeptSums, cycle_id)
    assert kept is not None
    rows = db.session.execute(
        sa.select(KeptThemeSum.view, KeptThemeSum.theme, KeptThemeSum.answered)
        .where(KeptThemeSum.cycle_id == cycle_id)
        .order_by(KeptThemeSum.view, KeptThemeSum.theme, KeptThemeSum.answered)
    ).all()
    took_part = {"member": kept.members, "peer_team": kept.peer_team, "peer": kept.peer_anonymous}
    return took_part, rows


def _from_answers(cycle_id: int) -> tuple[dict, list]:
    ids = sa.select(Cycle.id).where(Cycle.id == cycle_id)
    return (
        queries.list_theme_sums_by_cycle(ids).get(cycle_id, []),
        queries.count_views_by_cycle(ids).get(cycle_id, {}),
    )


def _kept_as_read(cycle_id: int) -> tuple[list, dict]:
    from inquiry.reports.sums import theme_sums_by_cycle

    ids = sa.select(Cycle.id).where(Cycle.id == cycle_id)
    sums, views, themes = theme_sums_by_cycle(ids, [cycle_id])
    # The cycle's themes kept in its order, as its questions say.
    assert themes[cycle_id] == queries.list_likert_themes(ids)[cycle_id]
    return sorted(sums.get(cycle_id, [])), views.get(cycle_id, {})


def _hope(csv_text: str, column: str) -> list[str]:
    """The members' hope row of a column in the plain CSV: n, mean, agree percent."""
    for line in csv_text.splitlines():
        cells = line.split(",")
        if cells[1] == column and cells[3] == "member" and cells[4] == "hope":
            return cells[5:8]
    raise AssertionError(f"no hope row for {column}")


@pytest.mark.parametrize("read_before", [True, False], ids=["read before", "never read"])
def test_the_rollup_is_the_same_after_the_purge_deleted_the_answers(app, ctx, read_before):
    walking = cycle_with_answers(months=24)
    network_id, walking_id = walking.group.network_id, walking.id
    allotment_id = _second_group(walking.group.network).id
    db.session.commit()
    if read_before:
        before = _read(network_id)
        # Made on the first read, and the same as from the answers.
        assert sorted(_from_answers(walking_id)[0]) == _kept_as_read(walking_id)[0]
        assert db.session.get(KeptSums, walking_id) is not None
    else:
        assert db.session.get(KeptSums, walking_id) is None
        # What the roll-up said from the answers, before anything was kept.
        ids = sa.select(Cycle.id).where(Cycle.id.in_([walking_id, allotment_id]))
        assert queries.count_views_by_cycle(ids)[walking_id] == {"member": 6}
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge", "--today", "2028-01-15"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Answer.cycle_id == walking_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.cycle_id == walking_id)) == 0
    # Kept through the purge: six members, their hope sums among those who answered both items.
    assert _kept(walking_id) == (
        {"member": 6, "peer_team": 0, "peer": 0},
        [("member", "hope", 2)],
    )

    after = _read(network_id)
    if read_before:
        assert after == before
    csv_text, took_part = after
    assert ("Walking group", "Spring", 6) in took_part
    # Six members' hope, each the average of two answers: 4.5, 4, 2.5, 5, 2.5, 4.5.
    assert _hope(csv_text, "Walking group") == ["6", "3.83", "67"]
    assert took_part[-1] == ("Riverside", None, 6 + 10)

    # The summary's figures deleted too: the roll-up's sums of that cycle go with them.
    assert delete_summary(db.session.get(Cycle, walking_id), None)
    db.session.commit()
    assert db.session.get(KeptSums, walking_id) is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(KeptThemeSum)
            .where(KeptThemeSum.cycle_id == walking_id)
        )
        == 0
    )


def test_the_kept_sums_follow_a_withdrawal_a_correction_and_a_reopening(app, ctx):
    walking = cycle_with_answers(months=None)
    network_id, cycle_id = walking.group.network_id, walking.id
    first = _read(network_id)[0]
    assert _hope(first, "Walking group") == ["6", "3.83", "67"]
    assert db.session.get(KeptSums, cycle_id) is not None

    # Withdrawn after closing (the summary not printed yet): 4.5 goes.
    response = db.session.scalars(
        sa.select(Response).where(Response.cycle_id == cycle_id).order_by(Response.id)
    ).first()
    withdraw_response(response)
    db.session.commit()
    assert db.session.get(KeptSums, cycle_id) is None  # dropped with the change
    csv_text, took_part = _read(network_id)
    assert _hope(csv_text, "Walking group") == ["5", "3.70", "60"]
    assert ("Walking group", "Spring", 5) in took_part
    assert db.session.get(KeptSums, cycle_id) is not None  # read from what is kept
    assert _kept_as_read(cycle_id) == (sorted(_from_answers(cycle_id)[0]), {"member": 5})

    # A sheet typed in while open, corrected after closing: its 2 and 3 become 5 and 5.
    cycle = db.session.get(Cycle, cycle_id)
    reopen_cycle(cycle)
    db.session.commit()
    assert db.session.get(KeptSums, cycle_id) is None
    questions = list_cycle_questions(cycle_id, "member")
    sheet = record_response(
        questions,
        audience="member",
        language="en_GB",
        answers={"hope.gives_hope": "2", "hope.others_show_way": "3"},
        source="paper",
    )
    close_cycle(cycle)
    db.session.commit()
    csv_text, took_part = _read(network_id)
    # 4, 2.5, 5, 2.5, 4.5 and 2.5: 21 / 6.
    assert _hope(csv_text, "Walking group") == ["6", "3.50", "50"]
    assert ("Walking group", "Spring", 6) in took_part
    assert db.session.get(KeptSums, cycle_id) is not None

    assert correct_sheet(
        sheet,
        questions,
        {"hope.gives_hope": "5", "hope.others_show_way": "5"},
        may_quote=False,
        shares_openly=False,
    )
    db.session.commit()
    assert db.session.get(KeptSums, cycle_id) is None
    csv_text, _ = _read(network_id)
    # 4, 2.5, 5, 2.5, 4.5 and 5: 23.5 / 6.
    assert _hope(csv_text, "Walking group") == ["6", "3.92", "67"]
    assert db.session.get(KeptSums, cycle_id) is not None  # read from what is kept
    assert _kept_as_read(cycle_id) == (sorted(_from_answers(cycle_id)[0]), {"member": 6})


def test_sums_are_kept_only_once_a_grace_period_has_settled(app, ctx):
    from datetime import timedelta

    from inquiry.core.models import utcnow

    walking = cycle_with_answers(months=None)
    network_id, cycle_id = walking.group.network_id, walking.id
    # A late send may still be committing just after the period ended: worked out, not kept.
    walking.grace_until = utcnow() - timedelta(seconds=10)
    db.session.commit()
    assert _hope(_read(network_id)[0], "Walking group") == ["6", "3.83", "67"]
    assert db.session.get(KeptSums, cycle_id) is None
    walking.grace_until = utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert _hope(_read(network_id)[0], "Walking group") == ["6", "3.83", "67"]
    assert db.session.get(KeptSums, cycle_id) is not None


def test_a_cycle_whose_sums_can_never_be_kept_is_read_without_the_write_lock(app, ctx):
    from sqlalchemy import event

    from inquiry.retention.services import delete_answers

    walking = cycle_with_answers(months=None)
    network_id, cycle_id = walking.group.network_id, walking.id
    # Its answers deleted with its summary's figures: nothing left to keep, ever.
    delete_answers(walking, "request", None, keep_summary=False)
    db.session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(2):
            csv_text, took_part = _read(network_id)
            db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert ("Walking group", "Spring", 0) in took_part
    assert _hope(csv_text, "Walking group") == ["0", "", ""]
    assert db.session.get(KeptSums, cycle_id) is None
    said = [" ".join(s.split()).upper() for s in statements]
    assert said and not [s for s in said if "BEGIN IMMEDIATE" in s or "FOR UPDATE" in s], said
    assert all(s.startswith("SELECT") for s in said), said
