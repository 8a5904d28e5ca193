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

    assert len(cycles) == 12
    groups = {c["group"] for c in cycles}
    assert groups == {
        "Riverside Walking Group",
        "Craft Café",
        "Hearing Voices Group",
        "Riverside Drop-in",
    }
    for group in groups:
        mine = [c for c in cycles if c["group"] == group]
        assert sorted(c["state"] for c in mine) == ["closed", "closed", "open"]
        for c in mine:
            members, peers = c["responses"]["member"], c["responses"]["peer_worker"]
            if c["state"] == "closed":
                # Real groups are small: 6 to 14 members and 1 to 3 peer support workers,
                # and one larger drop-in.
                assert (6 <= members <= 14) or (group == "Riverside Drop-in" and members >= 25)
                assert 1 <= peers <= 3, c
            else:
                assert (members, peers) == (3, 1)  # the first few answers of an open cycle
                assert f"{c['codes']['member']}" in first
                assert f"{c['codes']['peer_worker']}" in first


def test_questions_json_lists_the_cycle_in_order(run, cycle):
    rows = json.loads(run("questions", str(cycle.id), "--json"))
    assert [r["key"] for r in rows if r["audience"] == "member"] == [i.key for i in MEMBER]
    assert [r["key"] for r in rows if r["audience"] == "peer_worker"] == [
        i.key for i in PEER_WORKER
    ]
    first = rows[0]
    assert set(first) == {"key", "theme", "audience", "type", "options", "pair_key"}
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


def _events(action: str) -> list[tuple]:
    import sqlalchemy as sa

    from inquiry.core.audit import AuditEvent
    from inquiry.extensions import db

    return db.session.execute(
        sa.select(
            AuditEvent.object_type, AuditEvent.object_id, AuditEvent.user_id, AuditEvent.detail
        )
        .filter_by(action=action)
        .order_by(AuditEvent.id)
    ).all()


def _pdfs(**owner) -> list[str]:
    import sqlalchemy as sa

    from inquiry.extensions import db
    from inquiry.printing.models import PdfDocument

    return list(db.session.scalars(sa.select(PdfDocument.filename).filter_by(**owner)))


def test_a_cycle_opens_and_closes_on_the_command_line_as_with_its_buttons(app, ctx):
    from datetime import date

    from inquiry.cycles.models import Cycle
    from inquiry.cycles.services import create_cycle
    from inquiry.extensions import db

    from .factories import make_group

    draft = create_cycle(
        make_group(name="Allotment").id, "Spring", date(2026, 3, 1), date(2026, 3, 30)
    )
    db.session.commit()
    runner, cycle_id = app.test_cli_runner(), draft.id

    closing_a_draft = runner.invoke(args=["cycle", "close", str(cycle_id)])
    assert closing_a_draft.exit_code != 0
    assert f"Cycle {cycle_id} is a draft: open it before closing it." in closing_a_draft.output

    opened = runner.invoke(args=["cycle", "open", str(cycle_id)])
    assert opened.exit_code == 0, opened.output
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle_id)
    assert cycle.state == "open" and cycle.opened_at is not None
    member, peer = cycle.active_code("member"), cycle.active_code("peer_worker")
    assert member and peer and member != peer
    assert opened.output == (
        f"Cycle {cycle_id} is now open. Member code: {member}, peer support worker code: {peer}\n"
    )
    assert _events("opened") == [("cycle", cycle_id, None, "command line")]

    again = runner.invoke(args=["cycle", "open", str(cycle_id)])
    assert again.exit_code != 0 and f"Cycle {cycle_id} is already open." in again.output
    assert len(_events("opened")) == 1

    closed = runner.invoke(args=["cycle", "close", str(cycle_id)])
    assert closed.exit_code == 0, closed.output
    assert closed.output.startswith(f"Cycle {cycle_id} is now closed.")
    db.session.expire_all()
    assert db.session.get(Cycle, cycle_id).state == "closed"
    assert _events("closed") == [("cycle", cycle_id, None, "command line")]
    # As the workspace's Close button does: the summary is queued for the render worker.
    assert _pdfs(cycle_id=cycle_id) == [f"summary-{cycle_id}-en_GB.pdf"]

    for verb, message in (
        ("close", f"Cycle {cycle_id} is already closed."),
        ("open", f"Cycle {cycle_id} is closed: a closed cycle does not open again."),
    ):
        refused = runner.invoke(args=["cycle", verb, str(cycle_id)])
        assert refused.exit_code != 0 and message in refused.output, refused.output
    db.session.expire_all()
    assert db.session.get(Cycle, cycle_id).state == "closed"
    assert len(_events("opened")) == len(_events("closed")) == 1


def test_an_unknown_cycle_cannot_open_or_close(app, ctx):
    runner = app.test_cli_runner()
    for verb in ("open", "close"):
        result = runner.invoke(args=["cycle", verb, "999999"])
        assert result.exit_code != 0
        assert "There is no cycle 999999." in result.output
    assert _events("opened") == _events("closed") == []


def test_an_operator_sets_a_networks_threshold_and_its_pdfs_go(app, ctx):
    from inquiry.extensions import db
    from inquiry.groups.models import Network
    from inquiry.printing.services import request_pdf

    from .factories import make_closed_cycle, make_group, make_network

    network, other = make_network(name="Riverside"), make_network(name="Hillside")
    mine, theirs = make_closed_cycle(make_group(network)), make_closed_cycle(make_group(other))
    request_pdf("<p>summary</p>", "mine.pdf", cycle_id=mine.id)
    request_pdf("<p>roll-up</p>", "rollup.pdf", network_id=network.id)
    request_pdf("<p>summary</p>", "theirs.pdf", cycle_id=theirs.id)
    request_pdf("<p>roll-up</p>", "their-rollup.pdf", network_id=other.id)
    db.session.commit()
    network_id, other_id = network.id, other.id
    runner = app.test_cli_runner()

    for k in ("2", "11", "0"):
        refused = runner.invoke(args=["network", "threshold", str(network_id), k])
        assert refused.exit_code == 2, (k, refused.output)
        assert f"The threshold must be a whole number from 3 to 10, not {k}." in refused.output
    not_a_number = runner.invoke(args=["network", "threshold", str(network_id), "four"])
    assert not_a_number.exit_code == 2
    unknown = runner.invoke(args=["network", "threshold", "999999", "4"])
    assert unknown.exit_code != 0 and "There is no network 999999." in unknown.output
    db.session.expire_all()
    assert db.session.get(Network, network_id).min_responses == 5
    assert _events("edited") == []
    assert _pdfs(cycle_id=mine.id) == ["mine.pdf"]

    changed = runner.invoke(args=["network", "threshold", str(network_id), "3"])
    assert changed.exit_code == 0, changed.output
    assert "The threshold of Riverside is now 3 (it was 5)." in changed.output
    db.session.expire_all()
    assert db.session.get(Network, network_id).min_responses == 3
    assert db.session.get(Network, other_id).min_responses == 5
    assert _events("edited") == [("network", network_id, None, "threshold 5 -> 3 (command line)")]
    # Stored PDFs that applied the old threshold go; another network's stay.
    assert _pdfs(cycle_id=mine.id) == [] and _pdfs(network_id=network_id) == []
    assert _pdfs(cycle_id=theirs.id) == ["theirs.pdf"]
    assert _pdfs(network_id=other_id) == ["their-rollup.pdf"]

    same = runner.invoke(args=["network", "threshold", str(network_id), "3"])
    assert same.exit_code == 0 and "already is 3. Nothing changed." in same.output
    assert len(_events("edited")) == 1
