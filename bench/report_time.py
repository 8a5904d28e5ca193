"""How report time grows with the number of responses, and what the PDF costs on top of
WeasyPrint rendering the same finished HTML; then summary_pages.py (the demo's small group's
printed summary: pages per variant). Run with `make bench`; appends to RESULTS.md.

Sizes default to 50, 500, 5000 and 50000 responses (BENCH_SIZES=50,500 for a quick run).
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
from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import record  # noqa: E402

from inquiry import create_app  # noqa: E402
from inquiry.cycles.models import Cycle  # noqa: E402
from inquiry.cycles.queries import list_cycle_questions  # noqa: E402
from inquiry.cycles.services import close_cycle, create_cycle, open_cycle  # noqa: E402
from inquiry.extensions import db  # noqa: E402
from inquiry.groups.models import Group, Network  # noqa: E402
from inquiry.questions.services import sync_bank  # noqa: E402
from inquiry.reports.formats import summary_json  # noqa: E402
from inquiry.reports.pdf import _fetcher_class, render_pdf  # noqa: E402
from inquiry.reports.render import render_summary  # noqa: E402
from inquiry.reports.summary import build_summary  # noqa: E402
from inquiry.responses.models import Answer, Response  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "50,500,5000,50000").split(",")]
RUNS = 3


def fill(cycle_id: int, n: int, rng: random.Random) -> None:
    """Insert n member responses with answers to every Likert question, in bulk."""
    questions = [q for q in list_cycle_questions(cycle_id, "member") if q.qtype == "likert"]
    now = datetime.now(UTC)
    first_id = (db.session.scalar(sa.select(sa.func.max(Response.id))) or 0) + 1
    for start in range(0, n, 2000):
        count = min(2000, n - start)
        ids = range(first_id + start, first_id + start + count)
        db.session.execute(
            sa.insert(Response),
            [
                {
                    "id": i,
                    "cycle_id": cycle_id,
                    "audience": "member",
                    "language": "en_GB",
                    "source": "web",
                    "submitted_at": now,
                    "submission_token": str(uuid.uuid4()),
                    "may_quote": False,
                }
                for i in ids
            ],
        )
        db.session.execute(
            sa.insert(Answer),
            [
                {
                    "response_id": i,
                    "cycle_id": cycle_id,
                    "audience": "member",
                    "cycle_question_id": q.id,
                    "qtype": "likert",
                    "likert": min(5, max(1, round(rng.gauss(3.5, 1)))),
                    "prefer_not_to_say": False,
                }
                for i in ids
                for q in questions
            ],
        )
    if db.engine.dialect.name == "postgresql":
        # Ids were given explicitly: move the sequences past them for later inserts.
        for table in ("response", "answer"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    db.session.commit()


def median_time(fn) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(1)
    lines = [
        f"## Report time, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, SQLite)",
        "",
        "| responses | JSON (build + serialise), median of 3 | per 1,000 responses |",
        "| ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                "SECRET_KEY": "bench",
                "LINK_KEY": "bench",
            }
        )
        with app.app_context(), app.test_request_context():
            upgrade(directory=str(Path(app.root_path) / "migrations"))
            sync_bank()
            network = Network(name="Bench")
            group = Group(network=network, name="Bench group")
            db.session.add_all([network, group])
            db.session.flush()
            cycles = {}
            for index, size in enumerate(SIZES):
                cycle = create_cycle(
                    group.id, f"Cycle {size}", date(2026, 1, 1 + index), date(2026, 2, 1)
                )
                open_cycle(cycle)
                db.session.commit()
                fill(cycle.id, size, rng)
                close_cycle(cycle)
                db.session.commit()
                cycles[size] = cycle.id
            for size, cycle_id in cycles.items():
                cycle = db.session.get(Cycle, cycle_id)
                seconds = median_time(lambda c=cycle: summary_json(build_summary(c, "en_GB", "b")))
                lines.append(
                    f"| {size} | {seconds * 1000:.1f} ms | {seconds * 1000 / size * 1000:.2f} ms |"
                )
            size = 500 if 500 in cycles else SIZES[0]
            cycle = db.session.get(Cycle, cycles[size])
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration

            render_pdf('<html lang="en"><title>warm up</title><p>warm up</p></html>')
            html = render_summary(build_summary(cycle, "en_GB", "b"), "en_GB")
            static = Path(app.static_folder)
            fonts = FontConfiguration()

            def weasyprint_alone():
                weasyprint.HTML(
                    string=html,
                    base_url=static.as_uri() + "/",
                    url_fetcher=_fetcher_class()(static),
                ).write_pdf(pdf_variant="pdf/ua-1", font_config=fonts)

            def ours():
                render_pdf(render_summary(build_summary(cycle, "en_GB", "b"), "en_GB"))

            # Interleaved, so that a busy moment on a shared machine hits both alike.
            alone_times, whole_times = [], []
            for _ in range(5):
                for fn, times in ((weasyprint_alone, alone_times), (ours, whole_times)):
                    t = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - t)
            alone, whole = statistics.median(alone_times), statistics.median(whole_times)
            lines += [
                "",
                f"PDF of the {size}-response summary, median of 5: {whole:.2f} s in all; "
                f"WeasyPrint alone on the same finished HTML {alone:.2f} s; our own work "
                f"{(whole - alone) / alone * 100:+.0f}% on top (budget: at most +30%).",
            ]
    text = "\n".join(lines) + "\n"
    record(text)
    # The printed summary of a real small group: pages per variant and the same ratio.
    from summary_pages import main as summary_pages

    summary_pages()


if __name__ == "__main__":
    main()
