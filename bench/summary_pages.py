"""The printed summary of the demo's small group (Riverside Walking Group, Summer 2026: 10
members, 2 peer support workers who shared openly): pages per variant and language, and our
own work on top of WeasyPrint rendering the same finished HTML. `make bench` runs it (from
report_time.py); it appends to RESULTS.md.

Budgets (issue 11): A4 at most 4 pages with the meeting on pages 1-2, large print at most
2.5 times the A4 pages, the easy-read sheet 1 page; our own work at most +30%.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import record  # noqa: E402

from inquiry import create_app  # noqa: E402
from inquiry.cycles.models import Cycle  # noqa: E402
from inquiry.demo import seed_demo  # noqa: E402
from inquiry.extensions import db  # noqa: E402
from inquiry.groups.models import Group  # noqa: E402
from inquiry.reports.pdf import _fetcher_class, render_pdf  # noqa: E402
from inquiry.reports.render import render_summary  # noqa: E402
from inquiry.reports.summary import build_summary  # noqa: E402

GROUP, TITLE = "Riverside Walking Group", "Summer 2026"
VARIANTS = {"A4": {}, "large print": {"large_print": True}, "easy read": {"easy_read": True}}
LANGUAGES = ("en_GB", "ar")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
A4_MOST, LARGE_FACTOR, OWN_WORK_MOST = 4, 2.5, 30


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True, text=True)
    pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(pages.split()[1])


def page_of(pdf: bytes, phrase: str) -> int | None:
    """The first page whose text has the phrase (compared without spaces and direction
    marks, as Arabic comes back from pdftotext in shaped pieces)."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True
    ).stdout.decode()
    for number, page in enumerate(text.split("\f"), start=1):
        if _flat(phrase) in _flat(page):
            return number
    return None


def _flat(text: str) -> str:
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def main() -> None:
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
            seed_demo()
            db.session.commit()
            cycle = db.session.scalar(
                sa.select(Cycle).join(Group).where(Group.name == GROUP, Cycle.title == TITLE)
            )
            lines = measure(app, cycle)
    record("\n".join(lines) + "\n")


def measure(app, cycle) -> list[str]:
    import weasyprint
    from flask_babel import force_locale, gettext
    from weasyprint.text.fonts import FontConfiguration

    static = Path(app.static_folder)
    fonts = FontConfiguration()
    render_pdf('<html lang="en"><title>warm up</title><p>warm up</p></html>')
    lines = [
        f"## Summary pages, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__})",
        "",
        f"{GROUP}, {TITLE} (the demo's small group): pages per variant, where the detail "
        f"starts, and the PDF's time, median of {RUNS}, interleaved: in all (build the "
        "summary, render its HTML and the PDF) against WeasyPrint alone on the same finished "
        "HTML.",
        "",
        "| language | variant | pages | budget | detail from page | PDF in all | WeasyPrint alone "
        "| our own work |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for language in LANGUAGES:
        a4_pages = None
        for variant, flags in VARIANTS.items():

            def html(language=language, flags=flags):
                return render_summary(build_summary(cycle, language, "bench"), language, **flags)

            finished = html()

            def whole(html=html):
                return render_pdf(html())

            def alone(finished=finished):
                return weasyprint.HTML(
                    string=finished,
                    base_url=static.as_uri() + "/",
                    url_fetcher=_fetcher_class()(static),
                ).write_pdf(pdf_variant="pdf/ua-1", font_config=fonts)

            # Interleaved, so that a busy moment on a shared machine hits both alike.
            whole_times, alone_times = [], []
            for _ in range(RUNS):
                for fn, times in ((whole, whole_times), (alone, alone_times)):
                    t = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - t)
            pdf = whole()
            pages = page_count(pdf)
            if variant == "A4":
                a4_pages = pages
                budget = f"≤ {A4_MOST}"
            elif variant == "large print":
                budget = f"≤ {LARGE_FACTOR * a4_pages:g}"
            else:
                budget = "1"
            with force_locale(language):
                heading = gettext("How to read this")
            detail = page_of(pdf, heading) if variant != "easy read" else None
            w, a = statistics.median(whole_times), statistics.median(alone_times)
            lines.append(
                f"| {language} | {variant} | {pages} | {budget} | {detail or '-'} | "
                f"{w:.2f} s | {a:.2f} s | {(w - a) / a * 100:+.0f}% |"
            )
    lines += ["", f"Budget for our own work: at most +{OWN_WORK_MOST}%."]
    return lines


if __name__ == "__main__":
    main()
