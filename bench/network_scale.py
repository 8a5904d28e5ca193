"""Network pages as a network grows: the workspace home, the roll-up page and the roll-up CSV
for a coordinator of BENCH_GROUPS groups (default 2,000), each with two closed cycles (the
latest answered by 3 to 10 members, so some groups sit under the threshold), timed in the
app (Flask test client, SQLite), median of BENCH_RUNS runs (default 3), with the number of
statements each page takes. The roll-up reads each closed cycle's theme sums kept
(reports/sums.py): its first read after the cycles closed makes them (timed on its own line,
not in the medians), the timed reads read them.

Goals (issue 17): home and roll-up page under 1 s, roll-up CSV under 2 s.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, TOKEN, record  # noqa: E402

GROUPS = int(os.environ.get("BENCH_GROUPS", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
GOALS = {"/workspace/": 1.0, "/workspace/rollup": 1.0, "/workspace/rollup.csv": 2.0}
PASSWORD = "bench password for the coordinator"  # noqa: S105


def seed(app) -> None:
    """GROUPS groups with two closed cycles each, in bulk."""
    from inquiry.accounts.models import User
    from inquiry.cycles.models import Cycle, CycleQuestion
    from inquiry.extensions import db
    from inquiry.groups.models import Group, Network
    from inquiry.questions.queries import list_builtin_questions
    from inquiry.responses.models import Answer, Response

    rng = random.Random(1)
    now = datetime.now(UTC)
    with app.app_context():
        network = Network(name="Bench network")
        db.session.add(network)
        db.session.flush()
        user = User(email="c@example.org", role="coordinator", network_id=network.id)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.execute(
            sa.insert(Group),
            [
                {"id": i + 1, "network_id": network.id, "name": f"Group {i + 1:04d}"}
                for i in range(GROUPS)
            ],
        )
        bank = {a: list_builtin_questions(a) for a in ("member", "peer_worker")}
        cycles = []
        for g in range(GROUPS):
            for n, (title, starts) in enumerate(
                (("Summer", date(2026, 6, 1)), ("Autumn", date(2026, 9, 1)))
            ):
                cycles.append(
                    {
                        "id": 2 * g + n + 1,
                        "group_id": g + 1,
                        "title": title,
                        "state": "closed",
                        "starts_on": starts,
                        "ends_on": starts,
                        "opened_at": now,
                        "closed_at": now,
                    }
                )
        db.session.execute(sa.insert(Cycle), cycles)
        rows, likert = [], []
        cq_id = 0
        for cycle in cycles:
            for audience, questions in bank.items():
                for position, q in enumerate(questions, start=1):
                    cq_id += 1
                    rows.append(
                        {
                            "id": cq_id,
                            "cycle_id": cycle["id"],
                            "question_id": q.id,
                            "audience": audience,
                            "qtype": q.qtype,
                            "position": position,
                        }
                    )
                    if audience == "member" and q.qtype == "likert":
                        likert.append((cycle["id"], cq_id))
        for start in range(0, len(rows), 20000):
            db.session.execute(sa.insert(CycleQuestion), rows[start : start + 20000])
        by_cycle: dict[int, list[int]] = {}
        for cycle_id, question_id in likert:
            by_cycle.setdefault(cycle_id, []).append(question_id)
        responses, answers, response_id = [], [], 0
        for cycle in cycles:
            for _ in range(rng.randint(3, 10) if cycle["title"] == "Autumn" else 2):
                response_id += 1
                responses.append(
                    {
                        "id": response_id,
                        "cycle_id": cycle["id"],
                        "audience": "member",
                        "language": "en_GB",
                        "source": "web",
                        "submitted_at": now,
                        "submission_token": str(uuid.uuid4()),
                        "may_quote": False,
                    }
                )
                answers += [
                    {
                        "response_id": response_id,
                        "cycle_id": cycle["id"],
                        "audience": "member",
                        "cycle_question_id": q,
                        "qtype": "likert",
                        "likert": rng.randint(1, 5),
                        "prefer_not_to_say": False,
                    }
                    for q in by_cycle[cycle["id"]]
                ]
        db.session.execute(sa.insert(Response), responses)
        for start in range(0, len(answers), 20000):
            db.session.execute(sa.insert(Answer), answers[start : start + 20000])
        db.session.commit()
        print(
            f"seeded {GROUPS} groups, {len(cycles)} cycles, {len(responses)} responses, "
            f"{len(answers)} answers",
            flush=True,
        )


def main() -> None:
    from flask_migrate import upgrade

    from inquiry import create_app
    from inquiry.extensions import db
    from inquiry.questions.services import sync_bank

    with tempfile.TemporaryDirectory() as tmp:
        # BENCH_DATABASE keeps the seeded database between runs (seeded once).
        database = Path(os.environ.get("BENCH_DATABASE") or f"{tmp}/network.sqlite")
        seeded = database.exists()
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "LINK_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "PDF_FOLDER": f"{tmp}/pdfs",
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "inquiry" / "migrations"))
            sync_bank()
            db.session.commit()
            engine = db.engine
        if not seeded:
            seed(app)
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        client.post(
            "/sign-in",
            data={
                "csrf_token": TOKEN.search(page)[1],
                "email": "c@example.org",
                "password": PASSWORD,
            },
        )
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
        results = {}
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            url = os.environ["BENCH_PROFILE"]
            cProfile.runctx("client.get(url)", globals(), locals(), "/tmp/net.prof")
            pstats.Stats("/tmp/net.prof").sort_stats("tottime").print_stats(25)
            return
        # The roll-up's first read after the cycles closed works out and keeps every cycle's
        # theme sums (reports/sums.py), once; every later read, timed below, reads them kept.
        with app.app_context():
            db.session.execute(sa.text("DELETE FROM kept_theme_sum"))
            db.session.execute(sa.text("DELETE FROM kept_sums"))
            db.session.commit()
        statements.clear()
        began = time.perf_counter()
        reply = client.get("/workspace/rollup")
        first = (time.perf_counter() - began, len(statements), len(reply.data))
        assert reply.status_code == 200, reply.status_code
        print("first roll-up read", first, flush=True)
        for url in GOALS:
            times, sizes = [], []
            for _ in range(RUNS):
                statements.clear()
                began = time.perf_counter()
                reply = client.get(url)
                times.append(time.perf_counter() - began)
                assert reply.status_code == 200, (url, reply.status_code)
                sizes.append(len(reply.data))
            results[url] = (statistics.median(times), len(statements), sizes[-1])
            print(url, results[url], flush=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    load = os.getloadavg()
    lines = [
        f"## Network pages at {GROUPS:,} groups, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()} ({os.cpu_count()} cores, SQLite, in-app, median of {RUNS}, load "
        f"average {load[0]:.1f})",
        "",
        "| page | median time | statements | size | goal |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for url, (took, count, size) in results.items():
        verdict = "met" if took < GOALS[url] else "NOT met"
        lines.append(
            f"| {url} | {took * 1000:.0f} ms | {count} | {size / 1024:.0f} KB | "
            f"under {GOALS[url]:.0f} s: {verdict} |"
        )
    took, count, size = first
    lines.append(
        f"| /workspace/rollup, first read (keeps {GROUPS:,} cycles' sums) | {took * 1000:.0f} ms "
        f"| {count} | {size / 1024:.0f} KB | once per closed cycle |"
    )
    record("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
