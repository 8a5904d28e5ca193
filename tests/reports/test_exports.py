"""Answers for research, read back from the CSV a coordinator downloads: audiences under k
left out, no dates, people shuffled under throwaway names, free text only with consent, rare
languages and sources blanked, every download audited. The operator's command stays full."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import add_own_question, close_cycle
from inquiry.extensions import db
from inquiry.questions.models import Question
from inquiry.reports.exports import RESEARCH_COLUMNS, _shown_values, research_answers_csv
from inquiry.responses.services import record_response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_network, make_open_cycle, make_user

PERIOD = "2026-11-01/2026-12-01"  # the factory's cycle dates
SUBMITTED = datetime(2026, 11, 17, 14, 5, tzinfo=UTC)


def _respond(cycle_id, audience, answers, **kw):
    questions = list_cycle_questions(cycle_id, audience)
    kw.setdefault("submitted_at", SUBMITTED)
    kw.setdefault("language", "en_GB")
    return record_response(questions, audience=audience, answers=answers, **kw).id


def _rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


def _people_in_order(rows) -> list[str]:
    """Each person's words, in the order people come in the file."""
    order = []
    for row in rows:
        if row["question_key"] == "open.anything_else":
            order.append(row["value"])
    return order


@pytest.fixture
def small_group(app):
    """A closed cycle of 8 members and 2 peer support workers, k = 5, with a coordinator of
    its network and its facilitator. Members 0, 2, 4 and 6 agreed to be quoted."""
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        ids = []
        for i in range(8):
            answers = {
                "shared_aims.know_aims": str(1 + i % 5),
                "hope.gives_hope": "prefer_not_to_say" if i == 3 else "4",
                "open.anything_else": f"Member {i} words",
            }
            ids.append(_respond(cycle.id, "member", answers, may_quote=i % 2 == 0))
        for i in range(2):
            answers = {"open.pw_anything_else": f"Peer {i} words", "shared_aims.pw_know_aims": "5"}
            ids.append(_respond(cycle.id, "peer_worker", answers, may_quote=True))
        close_cycle(cycle)
        db.session.commit()
        coordinator = make_user("coordinator", group.network, email="coord@example.org")
        make_user("facilitator", group.network, [group], email="fac@example.org")
        return {"cycle": cycle.id, "ids": ids, "coordinator": coordinator.id}


def test_a_small_closed_cycle_gives_only_the_members(app, small_group):
    client = app.test_client()
    sign_in(client, "coord@example.org")
    response = client.get(f"/workspace/cycles/{small_group['cycle']}/answers.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    body = response.get_data(as_text=True)
    rows = _rows(body)
    assert tuple(rows[0]) == RESEARCH_COLUMNS
    # 2 peer support workers are fewer than k = 5: not one of their rows comes out.
    assert {r["audience"] for r in rows} == {"member"}
    assert "Peer" not in body and "pw_" not in body
    people = {r["person"] for r in rows}
    assert len(people) == 8
    # Names made for this file: not response ids, nothing that counts up.
    assert all(re.fullmatch(r"P[0-9a-f]{8}", p) for p in people)
    assert not people & {str(i) for i in small_group["ids"]}
    # No dates or times finer than the cycle.
    assert "submitted_on" not in rows[0]
    assert {r["cycle_period"] for r in rows} == {PERIOD}
    assert "2026-11-17" not in body and "14:05" not in body
    # Free text only from the 4 who agreed to be quoted.
    words = sorted(r["value"] for r in rows if r["question_key"] == "open.anything_else")
    assert words == ["Member 0 words", "Member 2 words", "Member 4 words", "Member 6 words"]
    for i in (1, 3, 5, 7):
        assert f"Member {i} words" not in body
    # Every other answer is there, in the export's values.
    know = sorted(r["value"] for r in rows if r["question_key"] == "shared_aims.know_aims")
    assert know == sorted(str(1 + i % 5) for i in range(8))
    hope = [r["value"] for r in rows if r["question_key"] == "hope.gives_hope"]
    assert sorted(hope) == ["4"] * 7 + ["prefer_not_to_say"]
    # One language and one source for all 8: kept.
    assert {(r["language"], r["source"]) for r in rows} == {("en_GB", "web")}


def test_each_download_is_audited(app, small_group):
    client = app.test_client()
    sign_in(client, "coord@example.org")
    for _ in range(2):
        assert (
            client.get(f"/workspace/cycles/{small_group['cycle']}/answers.csv").status_code == 200
        )
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).filter_by(action="exported", object_id=small_group["cycle"])
        ).all()
        assert [(e.user_id, e.object_type, e.detail) for e in events] == [
            (small_group["coordinator"], "cycle", "answers csv for research")
        ] * 2


def test_the_facilitator_gets_neither_the_file_nor_the_link(app, small_group):
    client = app.test_client()
    sign_in(client, "fac@example.org")
    cycle_id = small_group["cycle"]
    assert client.get(f"/workspace/cycles/{cycle_id}/answers.csv").status_code == 404
    page = client.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert "answers.csv" not in page and "Answers for research" not in page
    assert f"/workspace/cycles/{cycle_id}/codebook.csv" in page
    with app.app_context():
        exported = sa.select(sa.func.count()).select_from(AuditEvent).filter_by(action="exported")
        assert db.session.scalar(exported) == 0


def test_an_open_cycle_is_refused_and_its_page_says_when(app):
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        for _ in range(6):
            _respond(cycle.id, "member", {"shared_aims.know_aims": "4"})
        db.session.commit()
        make_user("coordinator", group.network, email="coord@example.org")
        cycle_id = cycle.id
    client = app.test_client()
    sign_in(client, "coord@example.org")
    assert client.get(f"/workspace/cycles/{cycle_id}/answers.csv").status_code == 404
    page = client.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert "answers.csv" not in page
    assert "Answers for research (CSV): ready once the cycle is closed." in page
    with app.app_context():
        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()
    assert client.get(f"/workspace/cycles/{cycle_id}/answers.csv").status_code == 200
    page = client.get(f"/workspace/cycles/{cycle_id}").get_data(as_text=True)
    assert f"/workspace/cycles/{cycle_id}/answers.csv" in page


def test_people_are_shuffled_and_renamed_for_every_file(app):
    with app.app_context():
        cycle = make_open_cycle()
        words = [f"Person {i}" for i in range(8)]
        for text in words:
            _respond(cycle.id, "member", {"open.anything_else": text}, may_quote=True)
        close_cycle(cycle)
        db.session.commit()
        orders, names = [], []
        for seed in range(5):
            rows = _rows(research_answers_csv(cycle, random.Random(seed)))
            orders.append(_people_in_order(rows))
            names.append({r["person"] for r in rows})
        # Never the order they answered in, and a different order each time.
        assert all(sorted(order) == words and order != words for order in orders)
        assert len({tuple(order) for order in orders}) == 5
        # Names belong to one file: two files share none.
        assert all(len(n) == 8 for n in names)
        assert all(not (a & b) for i, a in enumerate(names) for b in names[i + 1 :])
        # Without a seed (as on the web), the order comes from the system's randomness.
        unseeded = [tuple(_people_in_order(_rows(research_answers_csv(cycle)))) for _ in range(3)]
        assert len(set(unseeded)) > 1 and all(list(o) != words for o in unseeded)


def test_every_persons_rows_stay_together_in_question_order(app):
    with app.app_context():
        cycle = make_open_cycle()
        for _ in range(5):
            _respond(
                cycle.id,
                "member",
                {"shared_aims.know_aims": "3", "hope.gives_hope": "5", "open.anything_else": "Hi"},
                may_quote=True,
            )
        close_cycle(cycle)
        db.session.commit()
        rows = _rows(research_answers_csv(cycle, random.Random(1)))
    people = [r["person"] for r in rows]
    assert len(rows) == 15
    assert all(people[i] == people[i - i % 3] for i in range(15))  # 3 rows per person
    keys = [r["question_key"] for r in rows[:3]]
    assert keys == ["shared_aims.know_aims", "hope.gives_hope", "open.anything_else"]


def test_rare_languages_and_sources_are_blanked_so_no_pair_points_at_anyone(app):
    """13 members, k = 5: 7 in English (6 on the web, 1 on paper), 5 in Welsh, 1 in Polish,
    the Welsh and Polish all on the web. Polish alone would be 1 person, and a blank for 1
    person points at them just the same, so Welsh is blanked with it (6 blanks). Within
    English, paper is 1 person: web is blanked with it. Every (language, source) left is
    shared by at least 5."""
    with app.app_context():
        cycle = make_open_cycle()
        people = [("en_GB", "web")] * 6 + [("en_GB", "paper")] + [("cy", "web")] * 5
        people.append(("pl", "web"))
        for language, source in people:
            _respond(
                cycle.id, "member", {"shared_aims.know_aims": "4"}, language=language, source=source
            )
        close_cycle(cycle)
        db.session.commit()
        rows = _rows(research_answers_csv(cycle, random.Random(3)))
    pairs: dict[tuple[str, str], int] = {}
    for row in rows:
        pairs[(row["language"], row["source"])] = pairs.get((row["language"], row["source"]), 0) + 1
    assert pairs == {("en_GB", ""): 7, ("", "web"): 6}
    assert "pl" not in {r["language"] for r in rows} and "cy" not in {r["language"] for r in rows}


@pytest.mark.parametrize(
    "values, shown",
    [
        # Every value shared by at least k = 5: all kept.
        ({"en": 5, "pl": 5}, {"en": 5, "pl": 5}),
        # 1 rare person: blanking them alone would point at them; the smallest other goes too.
        ({"en": 9, "pl": 5, "so": 1}, {"en": 9, "": 6}),
        # The rare ones together are at least k: only they are blanked.
        ({"en": 8, "pl": 3, "so": 2}, {"en": 8, "": 5}),
        # Nothing can be kept safely: all blank.
        ({"en": 6, "pl": 2}, {"": 8}),
        ({"en": 4, "pl": 4}, {"": 8}),
    ],
)
def test_shown_values_worked_by_hand(values, shown):
    people, number = {}, 0
    for value, count in values.items():
        for _ in range(count):
            people[number] = value
            number += 1
    result = _shown_values(people, 5)
    counted: dict[str, int] = {}
    for value in result.values():
        counted[value] = counted.get(value, 0) + 1
    assert counted == shown


def test_the_threshold_is_the_networks_and_both_audiences_come_out_at_k(app):
    with app.app_context():
        group = make_group(make_network(min_responses=3))
        cycle = make_open_cycle(group)
        for _ in range(4):
            _respond(cycle.id, "member", {"shared_aims.know_aims": "2"})
        for _ in range(3):
            _respond(cycle.id, "peer_worker", {"shared_aims.pw_know_aims": "4"})
        close_cycle(cycle)
        db.session.commit()
        rows = _rows(research_answers_csv(cycle))
    by_audience: dict[str, set] = {}
    for row in rows:
        by_audience.setdefault(row["audience"], set()).add(row["person"])
    assert {a: len(p) for a, p in by_audience.items()} == {"member": 4, "peer_worker": 3}


def test_nobody_enough_gives_only_the_header(app):
    with app.app_context():
        cycle = make_open_cycle()
        for _ in range(4):
            _respond(cycle.id, "member", {"shared_aims.know_aims": "2"})
        close_cycle(cycle)
        db.session.commit()
        assert _rows(research_answers_csv(cycle)) == []
        assert research_answers_csv(cycle).splitlines() == [",".join(RESEARCH_COLUMNS)]


def test_the_operators_command_still_writes_every_answer(app, small_group, tmp_path):
    out = tmp_path / "all.csv"
    result = app.test_cli_runner().invoke(
        args=["export", str(small_group["cycle"]), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_text())
    assert {r["audience"] for r in rows} == {"member", "peer_worker"}
    assert {r["response_id"] for r in rows} == {str(i) for i in small_group["ids"]}
    assert {r["submitted_on"] for r in rows} == {"2026-11-17"}
    texts = {r["value"] for r in rows if r["question_key"].startswith("open.")}
    assert texts == {f"Member {i} words" for i in range(8)} | {"Peer 0 words", "Peer 1 words"}


def test_the_codebook_names_keys_pairs_and_values(app, small_group):
    with app.app_context():
        cycle = make_open_cycle(make_group(name="Own"))
        add_own_question(cycle, "member", "choice", "When should we meet?", "own", ["Mon", "Sat"])
        db.session.commit()
        own_cycle = cycle.id
        pair_keys = {q.key: q.pair_key or "" for q in db.session.scalars(sa.select(Question))}
        make_user("admin", email="admin@example.org")
    client = app.test_client()
    sign_in(client, "fac@example.org")
    codebook = _rows(
        client.get(f"/workspace/cycles/{small_group['cycle']}/codebook.csv").get_data(as_text=True)
    )
    assert list(codebook[0]) == [
        "question_key",
        "pair_key",
        "theme",
        "audience",
        "type",
        "position",
        "text",
        "values",
    ]
    assert all(row["pair_key"] == pair_keys[row["question_key"]] for row in codebook)
    paired = [r for r in codebook if r["pair_key"] == "shared_aims.know_aims"]
    assert {r["audience"] for r in paired} == {"member", "peer_worker"}
    know = next(r for r in codebook if r["question_key"] == "shared_aims.know_aims")
    assert know["values"].endswith("1=Strongly disagree; prefer_not_to_say=I'd rather not say")
    free = next(r for r in codebook if r["question_key"] == "open.anything_else")
    assert (free["type"], free["values"], free["pair_key"]) == ("text", "free text", "")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    own = _rows(admin.get(f"/workspace/cycles/{own_cycle}/codebook.csv").get_data(as_text=True))
    mine = next(r for r in own if r["question_key"].endswith(".q1"))
    assert (mine["type"], mine["values"], mine["pair_key"]) == ("choice", "mon=Mon; sat=Sat", "")
