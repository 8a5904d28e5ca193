"""Importing answers with the optional shares_openly column: a peer support worker's choice,
read strictly, the whole file or nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Response

from ..factories import make_open_cycle

HEADER = "response_id,audience,language,source,submitted_on,question_key,theme,value"
WITH_SHARING = HEADER + ",shares_openly\n"


@pytest.fixture
def cycle_id(app):
    with app.app_context():
        return make_open_cycle().id


def _import(app, cycle_id: int, path) -> tuple[int, str, list[tuple[str, bool]]]:
    result = app.test_cli_runner().invoke(args=["import-responses", str(cycle_id), str(path)])
    with app.app_context():
        stored = sorted(
            (r.audience, r.shares_openly) for r in db.session.scalars(sa.select(Response))
        )
    return result.exit_code, result.output, stored


def _peer_line(app, cycle_id: int, rid: str, sharing: str) -> str:
    """One answer of a peer support worker, to their first Likert question."""
    from inquiry.cycles.queries import list_cycle_questions

    with app.app_context():
        question = next(
            cq.question
            for cq in list_cycle_questions(cycle_id, "peer_worker")
            if cq.qtype == "likert"
        )
        key, theme = question.key, question.theme
    return f"{rid},peer_worker,en_GB,paper,2026-11-20,{key},{theme},4,{sharing}\n"


def _member_line(rid, sharing):
    return f"{rid},member,en_GB,paper,2026-11-20,hope.gives_hope,hope,4,{sharing}\n"


@pytest.mark.parametrize(
    "cell, shares",
    [("yes", True), ("YES", True), ("1", True), ("true", True), ("True", True)]
    + [("no", False), ("0", False), ("false", False), ("", False), ("  ", False)],
)
def test_a_peer_workers_choice_is_read_from_the_column(app, cycle_id, tmp_path, cell, shares):
    path = tmp_path / "in.csv"
    path.write_text(WITH_SHARING + _peer_line(app, cycle_id, "p1", cell) + _member_line("m1", ""))
    code, output, stored = _import(app, cycle_id, path)
    assert code == 0, output
    assert stored == [("member", False), ("peer_worker", shares)]


def test_without_the_column_nobody_shares_openly(app, cycle_id, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "\n" + _peer_line(app, cycle_id, "p1", "").rsplit(",", 1)[0] + "\n")
    code, output, stored = _import(app, cycle_id, path)
    assert code == 0, output
    assert stored == [("peer_worker", False)]


def test_an_unknown_value_or_a_member_sharing_openly_imports_nothing(app, cycle_id, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        WITH_SHARING
        + _peer_line(app, cycle_id, "p1", "yes")  # line 2: fine on its own
        + _peer_line(app, cycle_id, "p2", "maybe")  # line 3
        + _member_line("m1", "yes")  # line 4: members are always anonymous
        + _member_line("m2", "no")  # line 5: fine
    )
    code, output, stored = _import(app, cycle_id, path)
    assert code != 0
    assert "Line 3: shares_openly must be yes or no (or empty), not 'maybe'" in output
    assert "Line 4: only a peer_worker can share openly" in output
    assert "Line 2" not in output and "Line 5" not in output
    assert "Nothing was imported" in output
    assert stored == []


def test_one_response_cannot_both_share_and_not(app, cycle_id, tmp_path):
    from inquiry.cycles.queries import list_cycle_questions

    with app.app_context():
        keys = [
            (cq.question.key, cq.question.theme)
            for cq in list_cycle_questions(cycle_id, "peer_worker")
            if cq.qtype == "likert"
        ][:2]
    lines = "".join(
        f"p1,peer_worker,en_GB,paper,2026-11-20,{key},{theme},4,{sharing}\n"
        for (key, theme), sharing in zip(keys, ("yes", "no"), strict=True)
    )
    path = tmp_path / "in.csv"
    path.write_text(WITH_SHARING + lines)
    code, output, stored = _import(app, cycle_id, path)
    assert code != 0
    assert "Line 3: response p1 has different details from its line 2" in output
    assert stored == []
