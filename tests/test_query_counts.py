"""The network's pages ask the database a fixed number of times, whatever its size: counted
statement by statement at 3 and at 30 groups."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date

import pytest
from sqlalchemy import event

from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.groups.models import Network
from inquiry.responses.services import record_response

from .accounts.test_login import sign_in
from .factories import make_group, make_network, make_open_cycle, make_user
from .pages import check_page

NETWORK_PAGES = ["/workspace/", "/workspace/rollup", "/workspace/rollup.csv"]


def _network_of(groups: int) -> str:
    """A network of `groups` groups, each with two closed cycles (the latest answered by a
    number of members that varies from group to group, some under the threshold) and an
    open one; returns its coordinator's email."""
    network = make_network()
    for i in range(groups):
        group = make_group(network, name=f"Group {i:02d}")
        make_open_cycle(group, title="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1))
        for title, starts in (("Summer", date(2026, 6, 1)), ("Autumn", date(2026, 9, 1))):
            cycle = make_open_cycle(group, title=title, starts_on=starts, ends_on=starts)
            questions = list_cycle_questions(cycle.id, "member")
            for person in range(2 + i % 5):
                record_response(
                    questions,
                    audience="member",
                    language="en_GB",
                    answers={"hope.gives_hope": str(1 + (i + person) % 5)},
                )
            close_cycle(cycle)
        db.session.commit()
    return make_user("coordinator", network).email


@contextlib.contextmanager
def _counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _statements(app, email: str, groups: int) -> dict[str, int]:
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    sign_in(client, email)
    counts = {}
    for url in NETWORK_PAGES:
        client.get(url)  # the first request of a session may load what later ones reuse
        with _counting(engine) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
        if url == "/workspace/":
            page = check_page(response)
            names = [h.get_text() for h in page.select("section.card h2")]
            assert names == [f"Group {i:02d}" for i in range(groups)]
        if url.endswith(".csv"):
            rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
            cycles = {(r["column"], r["cycle"]) for r in rows if r["column"].startswith("Group")}
            # Each group's latest closed cycle, and no other.
            assert cycles == {(f"Group {i:02d}", "Autumn") for i in range(groups)}
    return counts


def test_network_pages_take_as_many_statements_at_30_groups_as_at_3(app):
    # Two networks side by side: only the number of groups differs.
    with app.app_context():
        small, large = _network_of(3), _network_of(30)
        db.session.remove()
    at_3, at_30 = _statements(app, small, 3), _statements(app, large, 30)
    assert at_30 == at_3
    assert all(n <= 12 for n in at_3.values()), at_3


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1"])
def test_the_home_page_lists_groups_a_page_at_a_time(app, monkeypatch, page):
    from inquiry.groups import views

    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 2)
    with app.app_context():
        network = make_network()
        for i in range(3):
            make_group(network, name=f"Group {i}")
        email = make_user("coordinator", network).email
    client = app.test_client()
    sign_in(client, email)
    html = check_page(client.get(f"/workspace/?page={page}"))
    names = [h.get_text() for h in html.select("section.card h2")]
    nav = html.select_one("nav[aria-label='Pages of groups']").get_text(" ", strip=True)
    if page in ("2", "999"):  # past the end: the last page
        assert names == ["Group 2"]
        assert "Groups 3 to 3 of 3" in nav and "Previous page" in nav and "Next page" not in nav
    else:  # anything else: the first page
        assert names == ["Group 0", "Group 1"]
        assert "Groups 1 to 2 of 3" in nav and "Next page" in nav and "Previous page" not in nav


def test_a_member_page_reads_three_rows_and_writes_nothing(app, client, cycle):
    from .reflection import answer_page, start

    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    client.get("/reflect/1")  # the first visit notes the draft in this browser's session
    with app.app_context():
        engine = db.engine
    with _counting(engine) as statements:
        page = client.get("/reflect/1")
    assert page.status_code == 200 and 'value="4" checked' in page.get_data(as_text=True)
    # The draft, the page plan (one narrow query), the cycle's state; no write of any kind.
    assert len(statements) == 3, statements
    assert not [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
    assert page.headers.get("Set-Cookie") is None  # the session is not written again


def test_the_send_is_two_narrow_reads_and_three_writes(app, client, cycle):
    from inquiry.responses import services
    from inquiry.responses.models import Answer, Draft, Response

    from .reflection import answer_page, start

    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "4"})
    with app.app_context():
        draft = db.session.scalar(db.select(Draft))
        submission, key = draft.submission_token, app.config["LINK_KEY"]
        resume = client.get_cookie(app.config["RESUME_COOKIE"]).value
        with _counting(db.engine) as statements:
            result = services.send_draft(services.draft_to_send(resume), submission, key)
        db.session.commit()
        assert result is services.SendResult.SENT
        verbs = [s.split()[0].upper() for s in statements]
        # The draft with its cycle's state, its questions; the response, its answers, and
        # the draft deleted.
        assert verbs == ["SELECT", "SELECT", "INSERT", "INSERT", "DELETE"], statements
        assert db.session.scalar(db.select(db.func.count()).select_from(Draft)) == 0
        stored = db.session.scalar(db.select(Response).filter_by(submission_token=submission))
        answers = db.session.scalars(db.select(Answer).filter_by(response_id=stored.id)).all()
        assert [(a.qtype, a.likert) for a in answers] == [("likert", 4)]
        # Sent again (a double tap): already stored, nothing more written.
        with _counting(db.engine) as statements:
            again = services.send_draft(services.draft_to_send(resume), submission, key)
        assert again is services.SendResult.ALREADY_SENT
        assert all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_the_rate_limiter_runs_only_on_routes_with_a_limit(app):
    from inquiry.extensions import limiter

    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])


def test_counting_towards_a_limit_starts_no_thread_and_still_limits(app):
    import threading
    import time

    from limits import parse

    from inquiry.extensions import limiter

    with app.app_context():
        counter, item = limiter.limiter, parse("3 per hour")
        hits, started = [], []
        for _ in range(5):
            time.sleep(0.03)  # the library's own storage starts its timer again by now
            before = threading.active_count()
            hits.append(counter.hit(item, "one address"))
            started.append(threading.active_count() - before)
        assert hits == [True, True, True, False, False]
        assert not counter.test(item, "one address")
        assert counter.test(item, "another address")
        assert started == [0] * 5


def test_the_rollup_page_shows_groups_a_page_at_a_time_beside_the_network(app, monkeypatch):
    from inquiry.reports import views

    monkeypatch.setattr(views, "ROLLUP_GROUPS_PER_PAGE", 2)
    with app.app_context():
        email = _network_of(3)
        network = db.session.scalar(db.select(Network))
        name = network.name
    client = app.test_client()
    sign_in(client, email)
    for page, groups in (("1", ["Group 00", "Group 01"]), ("2", ["Group 02"]), ("x", None)):
        html = check_page(client.get(f"/workspace/rollup?page={page}"))
        members_table = html.select_one("table.rollup-table")
        heads = [th.contents[0].strip() for th in members_table.select("thead th")[1:]]
        assert heads == (groups or ["Group 00", "Group 01"]) + [name]
    nav = html.select_one("nav[aria-label='Pages of groups']").get_text(" ", strip=True)
    assert "Next page" in nav
