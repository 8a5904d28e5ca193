"""One row per person for research, read back with pyreadstat as SPSS and Stata would read
it: every value and every label compared with what was stored, under the export rules
(closed cycles, coordinators and admins, audiences under k left out, free text only with
consent, nothing that dates an answer)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections import Counter
from pathlib import Path

import pyreadstat
import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import add_own_question, close_cycle
from inquiry.extensions import db
from inquiry.interchange.research import (
    dta_bytes,
    research_table,
    sav_bytes,
    variable_name,
    wide_csv,
)
from inquiry.responses.models import Response
from inquiry.responses.services import record_response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user

LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Not sure",
    4: "Agree",
    5: "Strongly agree",
}
DECLINED = "I'd rather not say"


def _read(kind: str, body: bytes, user_missing: bool = True):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answers.{kind}"
        path.write_bytes(body)
        read = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
        return read(str(path), user_missing=user_missing, output_format="dict")


def _plain(value):
    """pyreadstat gives numbers back as floats: 4.0 is the 4 that was written."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _expected(cycle: Cycle, declined, kind: str) -> tuple[list[str], Counter]:
    """Every person's row worked out from the stored answers, without the export's code."""
    k = cycle.group.network.min_responses
    responses = list(db.session.scalars(sa.select(Response).filter_by(cycle_id=cycle.id)))
    counts = Counter(r.audience for r in responses)
    shown = {a for a, n in counts.items() if n >= k}
    questions = sorted(
        (cq for cq in cycle.questions if cq.audience in shown),
        key=lambda cq: (cq.audience, cq.position),
    )
    names = [variable_name(cq.question.key) for cq in questions]
    rows = Counter()
    for response in responses:
        if response.audience not in shown:
            continue
        given = {a.cycle_question_id: a for a in response.answers}
        if kind == "csv":
            row = [response.audience]
        else:
            row = [{"member": 1, "peer_worker": 2}[response.audience]]
        for cq in questions:
            row.append(_cell(kind, cq, given.get(cq.id), response, declined))
        rows[tuple(row)] += 1
    return names, rows


def _cell(kind, cq, answer, response, declined):
    if cq.qtype == "text":
        return answer.text if answer is not None and response.may_quote else ""
    if answer is None:
        return "" if kind == "csv" else None
    if cq.qtype == "likert":
        value = declined if answer.prefer_not_to_say else answer.likert
        return str(value) if kind == "csv" else value
    if kind == "csv":
        return answer.choice
    return cq.question.options.index(answer.choice) + 1


def _rows_read(data: dict, names: list[str]) -> Counter:
    columns = ["audience", *names]
    return Counter(tuple(_plain(data[c][i]) for c in columns) for i in range(len(data["person"])))


@pytest.fixture
def closed(ctx):
    """A closed cycle: 9 members (k = 5), 2 peer support workers, a question of the group's
    own with two options, free text from people who did and did not agree to be quoted."""
    group = make_group()
    cycle = make_open_cycle(group)
    add_own_question(cycle, "member", "choice", "Which day suits you?", "own", ["Tue", "Fri"])
    db.session.commit()
    members = list_cycle_questions(cycle.id, "member")
    own = next(cq.question.key for cq in members if not cq.question.is_builtin)
    for i in range(9):
        answers = {
            "shared_aims.know_aims": "prefer_not_to_say" if i == 4 else str(1 + i % 5),
            "hope.gives_hope": str(5 - i % 3),
            "open.anything_else": f"Member {i} words, said at the allotment",
            own: ["tue", "fri"][i % 2],
        }
        if i == 7:
            del answers["hope.gives_hope"]
        record_response(
            members,
            audience="member",
            language="en_GB",
            answers=answers,
            source="paper" if i < 5 else "web",
            may_quote=i % 3 == 0,
        )
    peers = list_cycle_questions(cycle.id, "peer_worker")
    for _ in range(2):
        record_response(
            peers, audience="peer_worker", language="en_GB", answers={"peer_role.clear_role": "5"}
        )
    close_cycle(cycle)
    db.session.commit()
    return cycle


@pytest.mark.parametrize("kind, declined", [("sav", 9), ("dta", "a")])
def test_every_value_reads_back(closed, kind, declined):
    table = research_table(closed)
    body = sav_bytes(table) if kind == "sav" else dta_bytes(table)
    data, meta = _read(kind, body)
    names, expected = _expected(closed, declined, kind)
    assert meta.column_names == ["person", "audience", "language", "source", "cycle_period", *names]
    assert _rows_read(data, names) == expected
    assert sum(expected.values()) == 9  # the 2 peer support workers are fewer than k = 5
    assert not any(n.startswith(("role_", "support_")) for n in meta.column_names)
    assert set(data["cycle_period"]) == {"2026-11-01/2026-12-01"}
    assert len(set(data["person"])) == 9
    # 4 on the web are under k, and blanking only them would let paper be told apart: both go.
    assert set(data["source"]) == {""}
    # Without user-missing values, "rather not say" is missing to SPSS and Stata alike.
    plain, _meta = _read(kind, body, user_missing=False)
    know = variable_name("shared_aims.know_aims")
    assert sorted(_plain(v) for v in plain[know] if v is not None) == [1, 1, 2, 2, 3, 3, 4, 4]


@pytest.mark.parametrize("kind, declined", [("sav", 9), ("dta", "a")])
def test_every_label_reads_back(closed, kind, declined):
    table = research_table(closed)
    body = sav_bytes(table, "Inquiry cycle") if kind == "sav" else dta_bytes(table, "Inquiry")
    _data, meta = _read(kind, body)
    labels = meta.column_names_to_labels
    for cq in closed.questions:
        if cq.audience == "member":
            assert labels[variable_name(cq.question.key)] == cq.question.text_in("en_GB").text
    assert labels["person"] == "A name made for this file only"
    value_labels = meta.variable_value_labels
    assert {_plain(k): v for k, v in value_labels["audience"].items()} == {
        1: "Group member",
        2: "Peer support worker",
    }
    for cq in closed.questions:
        name = variable_name(cq.question.key)
        if cq.audience != "member":
            continue
        found = {_plain(k): v for k, v in value_labels.get(name, {}).items()}
        if cq.qtype == "likert":
            assert found == {**LIKERT_LABELS, declined: DECLINED}
        elif cq.qtype == "choice":
            assert found == {1: "Tue", 2: "Fri"}
        else:
            assert found == {}
    know = variable_name("shared_aims.know_aims")
    if kind == "sav":
        assert meta.missing_ranges[know] == [{"lo": 9.0, "hi": 9.0}]
        likert = [variable_name(cq.question.key) for cq in closed.questions if cq.qtype == "likert"]
        assert set(meta.missing_ranges) == {n for n in likert if n in meta.column_names}
        assert meta.variable_measure[know] == "ordinal"
    else:
        assert meta.missing_user_values[know] == ["a"]


def test_the_csv_for_r_holds_the_same_rows(closed):
    rows = list(csv.DictReader(io.StringIO(wide_csv(research_table(closed)))))
    names, expected = _expected(closed, "prefer_not_to_say", "csv")
    assert list(rows[0]) == ["person", "audience", "language", "source", "cycle_period", *names]
    assert Counter(tuple(row[c] for c in ["audience", *names]) for row in rows) == expected


def test_the_demo_cycles_read_back_whole(ctx):
    from inquiry.demo import seed_demo

    seed_demo()
    db.session.commit()
    closed = db.session.scalars(sa.select(Cycle).filter_by(state="closed")).all()
    assert len(closed) == 8
    for cycle in closed:
        table = research_table(cycle)
        for kind, declined, body in (
            ("sav", 9, sav_bytes(table)),
            ("dta", "a", dta_bytes(table)),
        ):
            data, _meta = _read(kind, body)
            names, expected = _expected(cycle, declined, kind)
            assert _rows_read(data, names) == expected, (cycle.id, kind)


def test_the_workspace_downloads_follow_the_export_rule(app):
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        members = list_cycle_questions(cycle.id, "member")
        for i in range(6):
            record_response(
                members,
                audience="member",
                language="en_GB",
                answers={"hope.gives_hope": str(i % 5 + 1)},
            )
        db.session.commit()
        make_user("coordinator", group.network, email="coord@example.org")
        make_user("facilitator", group.network, [group], email="fac@example.org")
        cycle_id = cycle.id
    urls = [
        f"/workspace/cycles/{cycle_id}/research/answers.{kind}" for kind in ("sav", "dta", "csv")
    ]
    coordinator = app.test_client()
    sign_in(coordinator, "coord@example.org")
    assert [coordinator.get(url).status_code for url in urls] == [404, 404, 404]  # still open
    page = coordinator.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert "research/answers.sav" not in page
    with app.app_context():
        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
    page = coordinator.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert all(url in page for url in urls)
    sav = coordinator.get(urls[0])
    assert sav.status_code == 200
    data, _meta = _read("sav", sav.get_data())
    assert sorted(_plain(v) for v in data[variable_name("hope.gives_hope")]) == [1, 1, 2, 3, 4, 5]
    assert coordinator.get(urls[1]).status_code == 200
    assert coordinator.get(urls[2]).headers["Content-Type"].startswith("text/csv")
    facilitator = app.test_client()
    sign_in(facilitator, "fac@example.org")
    assert [facilitator.get(url).status_code for url in urls] == [404, 404, 404]
    page = facilitator.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert "research/answers" not in page and "research/codebook.csv" in page
    codebook = facilitator.get(f"/workspace/cycles/{cycle_id}/research/codebook.csv")
    assert codebook.status_code == 200
    assert "hope_gives_hope,hope.gives_hope" in codebook.get_data(as_text=True)
    with app.app_context():
        details = db.session.scalars(
            sa.select(AuditEvent.detail).filter_by(action="exported", object_id=cycle_id)
        ).all()
        assert sorted(details) == [
            f"answers {kind} for research, one row each" for kind in ("csv", "dta", "sav")
        ]
