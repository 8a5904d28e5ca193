"""The `inquiry` command: demo data, cycles and questions as JSON."""

from __future__ import annotations

import json

import pytest

from inquiry.questions.bank import MEMBER, PEER_WORKER


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_demo_seeds_once_and_prints_logins_and_codes(run):
    first = run("demo")
    assert "Demo network created." in first
    assert "facilitator@example.org" in first and "coordinator@example.org" in first
    cycles = json.loads(run("cycles", "--json"))
    again = run("demo")
    assert "already there" in again
    assert json.loads(run("cycles", "--json")) == cycles

    assert len(cycles) == 9
    groups = {c["group"] for c in cycles}
    assert groups == {"Riverside Walking Group", "Craft Café", "Hearing Voices Group"}
    for group in groups:
        mine = [c for c in cycles if c["group"] == group]
        assert sorted(c["state"] for c in mine) == ["closed", "closed", "open"]
        for c in mine:
            total = sum(c["responses"].values())
            if c["state"] == "closed":
                assert 25 <= total <= 60, c
                assert c["responses"]["member"] > 0 and c["responses"]["peer_worker"] > 0
            else:
                assert total == 0
                assert f"{c['codes']['member']}" in first
                assert f"{c['codes']['peer_worker']}" in first


def test_questions_json_lists_the_cycle_in_order(run, cycle):
    rows = json.loads(run("questions", str(cycle.id), "--json"))
    assert [r["key"] for r in rows if r["audience"] == "member"] == [i.key for i in MEMBER]
    assert [r["key"] for r in rows if r["audience"] == "peer_worker"] == [
        i.key for i in PEER_WORKER
    ]
    first = rows[0]
    assert set(first) == {"key", "theme", "audience", "type", "options"}
    assert first["type"] == "likert"
    assert first["options"] == ["1", "2", "3", "4", "5", "prefer_not_to_say"]


def test_cycles_json_shape(run, cycle):
    [row] = json.loads(run("cycles", "--json"))
    assert row == {
        "id": cycle.id,
        "group": cycle.group_name,
        "title": "Autumn",
        "state": "open",
        "codes": cycle.codes,
        "responses": {"member": 0, "peer_worker": 0},
    }


def test_an_unknown_cycle_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["questions", "999999", "--json"])
    assert result.exit_code != 0
    assert "There is no cycle 999999" in result.output
