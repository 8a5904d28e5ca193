"""The audit log page: a filter by day and kind (a GET form that needs no script), a count of
what it found, pages of 50; coordinators see their network, never what anyone answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db

from .accounts.test_login import sign_in
from .factories import make_group, make_network, make_open_cycle, make_user
from .pages import check_page


def _rows(page: BeautifulSoup) -> list[list[str]]:
    table = page.find("table")
    if table is None:
        return []
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody("tr")]


def _heading(page: BeautifulSoup) -> str:
    return page.find(id="results").get_text(" ", strip=True)


@pytest.fixture
def log(app):
    """Network A's coordinator, a facilitator of A, a person of network B, and events."""
    with app.app_context():
        net_a, net_b = make_network(name="A"), make_network(name="B")
        cycle = make_open_cycle(make_group(net_a))
        other_cycle = make_open_cycle(make_group(net_b))
        coordinator = make_user("coordinator", net_a, email="coord@example.org")
        facilitator = make_user("facilitator", net_a, email="fac@example.org")
        stranger = make_user("coordinator", net_b, email="b@example.org")
        admin = make_user("admin", email="admin@example.org")
        db.session.execute(sa.delete(AuditEvent))  # the factories' own events
        start = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
        events = [
            # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
            AuditEvent(
                at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
                action="signed_in",
                object_type="user_account",
                object_id=facilitator.id,
                user_id=facilitator.id,
            ),
            AuditEvent(
                at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC),
                action="exported",
                object_type="cycle",
                object_id=cycle.id,
                user_id=coordinator.id,
                detail="summary csv",
            ),
            # The command line, on a cycle of A and on a cycle of B.
            AuditEvent(
                at=start,
                action="imported",
                object_type="cycle",
                object_id=cycle.id,
                user_id=None,
                by_command=True,
                detail="csv: 3 responses, 6 answers, 0 already imported, skipped",
            ),
            AuditEvent(
                at=start,
                action="imported",
                object_type="cycle",
                object_id=other_cycle.id,
                user_id=None,
                by_command=True,
            ),
            AuditEvent(
                at=start,
                action="sign_in_failed",
                object_type="user_account",
                object_id=None,
                user_id=None,
                detail="unknown address",
            ),
            AuditEvent(
                at=start,
                action="exported",
                object_type="cycle",
                object_id=other_cycle.id,
                user_id=stranger.id,
            ),
            # An admin's work on A's people is A's business; on B's cycle it is not.
            AuditEvent(
                at=start,
                action="deactivated",
                object_type="user_account",
                object_id=facilitator.id,
                user_id=admin.id,
            ),
            AuditEvent(
                at=start,
                action="exported",
                object_type="cycle",
                object_id=other_cycle.id,
                user_id=admin.id,
            ),
        ]
        # 120 paper sheets typed in July, one an hour.
        events += [
            AuditEvent(
                at=start + timedelta(hours=1 + n),
                action="created",
                object_type="response",
                object_id=n + 1,
                user_id=facilitator.id,
                detail=f"paper sheet, cycle {cycle.id}",
            )
            for n in range(120)
        ]
        db.session.add_all(events)
        db.session.commit()
        return {
            "cycle": cycle.id,
            "admin": admin.email,
            "network": net_a.id,
            "facilitator": facilitator.id,
        }


def test_the_filter_by_kind_and_day_counts_and_pages(client, log):
    sign_in(client, "coord@example.org")
    everything = check_page(client.get("/workspace/audit"))
    form = everything.find("main").find("form")
    assert (form["method"], form["action"]) == ("get", "/workspace/audit")
    # A's people and the command line on A's cycles, plus this coordinator's own sign-in;
    # never B's coordinator, B's cycle or a sign-in to no account.
    assert _heading(everything).startswith("125 events: 1 to 50, newest first")
    assert len(_rows(everything)) == 50
    kinds = {o["value"]: o.get_text() for o in everything.find("select").find_all("option")}
    assert kinds[""] == "Anything" and kinds["imported"] == "Imported answers"
    assert kinds["sign_in_failed"] == "Failed to sign in"
    admins = check_page(client.get("/workspace/audit?kind=deactivated"))
    assert _rows(admins)[0][1:] == [
        "admin@example.org",
        f"deactivated: account {log['facilitator']}",
    ]

    imported = check_page(client.get("/workspace/audit?kind=imported"))
    assert _heading(imported) == "1 event"
    (row,) = _rows(imported)
    assert row[1:] == [
        "the command line",
        f"imported answers: cycle {log['cycle']} "
        "(csv: 3 responses, 6 answers, 0 already imported, skipped)",
    ]
    # Days as the page shows them, in the UK: 1 July starts at 23:00 UTC on 30 June.
    first = check_page(
        client.get("/workspace/audit?since=2026-07-01&until=2026-07-01&kind=signed_in")
    )
    assert _heading(first) == "1 event" and "fac@example.org" in _rows(first)[0][1]
    june = check_page(client.get("/workspace/audit?until=2026-06-30"))
    assert _heading(june) == "1 event" and "downloaded" in _rows(june)[0][2]
    assert (
        check_page(client.get("/workspace/audit?since=2026-07-01&until=2026-07-01")).find("table")
        is not None
    )

    paper = client.get("/workspace/audit?kind=created&since=2026-07-01")
    page = check_page(paper)
    assert _heading(page) == "120 events: 1 to 50, newest first"
    assert "Page 1 of 3" in page.find("nav", class_="pagination").get_text()
    older = page.find("a", rel="next")["href"]
    assert "kind=created" in older and "since=2026-07-01" in older and "page=2" in older
    last = check_page(client.get(older.replace("page=2", "page=3")))
    assert _heading(last) == "120 events: 101 to 120, newest first"
    assert len(_rows(last)) == 20 and last.find("a", rel="next") is None
    assert last.find("a", rel="prev") is not None
    # The oldest of them is the first one typed, at 10:00 UTC (11:00 in London).
    assert _rows(last)[-1][2].startswith("created: response 1 (")
    # Past the end, or not a number: the nearest page there is.
    assert _rows(check_page(client.get(older.replace("page=2", "page=99")))) == _rows(last)
    assert _heading(check_page(client.get("/workspace/audit?page=x"))).startswith(
        "125 events: 1 to"
    )
    # Downloads from the web are in it too: the network's roll-up.
    assert client.get("/workspace/rollup.csv").status_code == 200
    exported = check_page(client.get("/workspace/audit?kind=exported"))
    assert _heading(exported) == "2 events"
    assert _rows(exported)[0][1:] == [
        "coord@example.org",
        f"downloaded: network {log['network']} (rollup csv)",
    ]


def test_a_wrong_filter_says_what_to_do_and_only_staff_who_look_after_people_see_it(
    app, client, log
):
    sign_in(client, "coord@example.org")
    backwards = client.get("/workspace/audit?since=2026-07-02&until=2026-07-01")
    assert backwards.status_code == 400
    page = check_page(backwards)
    assert page.title.string.startswith("Error:")
    summary = page.find(class_="error-summary")
    link = summary.find("a")
    assert link["href"] == "#until"
    assert link.get_text() == "The “To” date must be the same as or after the “From” date"
    assert page.find("table") is None and page.find(id="results") is None
    garbled = check_page(client.get("/workspace/audit?since=31/12/2026"))
    assert "Enter the date as year-month-day" in garbled.find(class_="error-summary").get_text()
    assert client.get("/workspace/audit?kind=dropped_tables").status_code == 400
    # Only coordinators and admins see the log; an admin sees every network's.
    facilitator = app.test_client()
    sign_in(facilitator, "fac@example.org")
    assert facilitator.get("/workspace/audit").status_code == 404
    admin = app.test_client()
    sign_in(admin, log["admin"])
    page = check_page(admin.get("/workspace/audit?since=2026-07-01&until=2026-07-01&kind=imported"))
    assert _heading(page) == "2 events"
    # Both exports of B's cycle (by B's coordinator and by the admin), none of A's that day.
    exports = check_page(
        admin.get("/workspace/audit?since=2026-07-01&until=2026-07-01&kind=exported")
    )
    assert _heading(exports) == "2 events"
    nobody = check_page(admin.get("/workspace/audit?kind=sign_in_failed&until=2026-12-31"))
    assert "an address with no account" in _rows(nobody)[0][1]


def test_command_line_downloads_imports_and_quotes_are_in_the_log(app, tmp_path):
    from inquiry.cycles.services import close_cycle

    with app.app_context():
        network = make_network()
        cycle = make_open_cycle(make_group(network))
        unanswered = make_open_cycle(make_group(network))
        from inquiry.cycles.queries import list_cycle_questions
        from inquiry.responses.services import record_response

        said = record_response(
            list_cycle_questions(cycle.id, "member"),
            audience="member",
            language="en_GB",
            answers={"open.anything_else": "Secret words 9Z"},
            may_quote=True,
        )
        close_cycle(cycle)
        db.session.execute(sa.delete(AuditEvent))
        db.session.commit()
        ids = {"cycle": cycle.id, "unanswered": unanswered.id, "network": network.id}
        ids["answer"] = said.answers[0].id
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=[str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result.output

    run("report", ids["cycle"], "--format", "csv", "-o", tmp_path / "s.csv")
    run("report", ids["cycle"])
    run("export", ids["cycle"], "-o", tmp_path / "all.csv")
    run("rollup", ids["network"], "--round", "-o", tmp_path / "r.csv")
    run("xlsform", ids["unanswered"], "-o", tmp_path / "f.xlsx")
    run("import-xlsform", ids["unanswered"], tmp_path / "f.xlsx")
    assert "Secret words 9Z" in run("quotes", ids["cycle"])
    run("approve-quote", ids["answer"])
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.object_type, e.object_id, e.detail) for e in events] == [
            ("exported", "cycle", ids["cycle"], "summary csv standard en_GB"),
            ("exported", "cycle", ids["cycle"], "summary json standard en_GB"),
            ("exported", "cycle", ids["cycle"], "every answer csv, one row each (operator)"),
            ("exported", "network", ids["network"], "rollup csv rounded"),
            ("exported", "cycle", ids["unanswered"], "xlsform member"),
            ("edited", "cycle", ids["unanswered"], "questions from xlsform member"),
            ("exported", "cycle", ids["cycle"], "quotes for approval"),
            ("edited", "cycle", ids["cycle"], f"quote {ids['answer']} approved"),
        ]
        assert not any("Secret" in e.detail for e in events)
        assert all(e.by_command and e.user_id is None for e in events)
