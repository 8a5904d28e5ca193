"""Members sending their answers while PDFs are requested and made: do PDFs slow members?

gunicorn (2 sync workers) and one render worker (`inquiry render-worker`) on one database
(SQLite, or the PostgreSQL in BENCH_DATABASE_URL), on 127.0.0.1. 16 simulated members go
through the whole reflection again and again (join, start, answer a page, check, send); only
"Send my answers" is timed. Phases of BENCH_SECONDS each (default 20), interleaved: quiet,
PDFs, quiet, PDFs, ... (BENCH_PAIRS pairs, default 2). In a PDF phase a facilitator prints a
500-response summary again and again (the stored PDFs are deleted each time, so every one is
really built and made) with the render worker at its default --nice 19; BENCH_NICE_COMPARE=1
adds phases at --nice 10 and 0.

The web request only asks (the render worker builds the summary's HTML from the cycle) and
PDFs are files beside the database, not rows in it.

Issue 17's goal: member send p99 while PDFs are requested and made at most 1.5x its quiet
p99 in the same run (the median of the pairs' ratios).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    BIN,
    ROOT,
    TOKEN,
    UNLIMITED,
    Member,
    NoRedirect,
    free_port,
    record,
    reflect_to_check,
    serve,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
MEMBERS = 16
RESPONSES = 500
WORKERS = 2
PASSWORD = "bench password for the facilitator"  # noqa: S105


def seed(env: dict) -> tuple[str, int]:
    """Migrate; an open cycle for members and a closed one with RESPONSES answers to print.
    Returns the member code and the closed cycle's id."""
    os.environ.update(env)
    from flask_migrate import upgrade
    from report_time import fill

    from inquiry import create_app
    from inquiry.accounts.models import User
    from inquiry.cycles.services import close_cycle, create_cycle, open_cycle
    from inquiry.extensions import db
    from inquiry.groups.models import Group, Network
    from inquiry.questions.services import sync_bank

    app = create_app()
    with app.app_context():
        upgrade(directory=app.root_path + "/migrations")
        sync_bank()
        network = Network(name="Bench network")
        group = Group(network=network, name="Bench group")
        db.session.add(group)
        db.session.flush()
        printed = create_cycle(group.id, "Printed", date(2026, 1, 5), date(2026, 1, 30))
        answering = create_cycle(group.id, "Answering", date(2026, 2, 2), date(2026, 2, 27))
        open_cycle(printed)
        open_cycle(answering)
        db.session.flush()
        fill(printed.id, RESPONSES, random.Random(1))
        close_cycle(printed)
        user = User(email="f@example.org", role="facilitator", network_id=network.id)
        user.set_password(PASSWORD)
        user.groups = [group]
        db.session.add(user)
        db.session.commit()
        result = answering.active_code("member"), printed.id
        db.engine.dispose()
    return result


def start_worker(nice: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "inquiry"), "render-worker", "--nice", str(nice)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def members(base: str, code: str, stop: threading.Event, sends: list, errors: list) -> None:
    lock = threading.Lock()

    def run(seed_: int):
        rng = random.Random(seed_)
        while not stop.is_set():
            member = Member(base)
            try:
                data = reflect_to_check(member, code, rng)
                began = time.perf_counter()
                status, location = member.post("/reflect/send", data, follow=False)
                took = time.perf_counter() - began
                with lock:
                    if status == 302 and location.endswith("/reflect/done"):
                        sends.append(took)
                    else:
                        errors.append(status)
            except (OSError, TypeError) as error:
                with lock:
                    errors.append(type(error).__name__)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(MEMBERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def printer(base: str, cycle_id: int, engine, stop: threading.Event, made: list) -> None:
    """A facilitator printing the summary again and again, each time made afresh."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/sign-in").read().decode()
    body = urllib.parse.urlencode(
        {"csrf_token": TOKEN.search(page)[1], "email": "f@example.org", "password": PASSWORD}
    ).encode()
    try:
        opener.open(base + "/sign-in", body)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.code
    while not stop.is_set():
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM pdf_document"))
        began = time.perf_counter()
        try:
            opener.open(f"{base}/workspace/cycles/{cycle_id}/summary.pdf?lang=en_GB")
            raise AssertionError("a PDF made before it was asked for")
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 303, redirect.code
            waiting = redirect.headers["Location"]
        while not stop.is_set():
            state = json.loads(opener.open(base + waiting + "/status").read())["status"]
            if state == "ready":
                pdf = opener.open(base + waiting).read()
                assert pdf.startswith(b"%PDF"), pdf[:20]
                made.append(time.perf_counter() - began)
                break
            assert state in ("waiting", "rendering"), state
            stop.wait(0.25)


def phase(base, code, cycle_id, engine, printing: bool) -> dict:
    stop = threading.Event()
    sends, errors, made = [], [], []
    threads = [threading.Thread(target=members, args=(base, code, stop, sends, errors))]
    if printing:
        threads.append(threading.Thread(target=printer, args=(base, cycle_id, engine, stop, made)))
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    if len(sends) < 2:
        raise SystemExit(f"members could not send: {len(sends)} sent, errors {errors[:10]}")
    cut = statistics.quantiles(sends, n=100)
    return {
        "sends": len(sends),
        "rate": len(sends) / SECONDS,
        "p50": statistics.median(sends) * 1000,
        "p99": cut[98] * 1000,
        "errors": len(errors),
        "pdfs": len(made),
        "pdf_median": statistics.median(made) if made else None,
    }


def _fresh_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    pairs = int(os.environ.get("BENCH_PAIRS", "2"))
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/contention.sqlite"
        if url.startswith("postgresql"):
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
            _fresh_postgres(url)
        env = {
            **os.environ,
            **UNLIMITED,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "INQUIRY_SQLALCHEMY_DATABASE_URI": url,
            "INQUIRY_PDF_FOLDER": f"{tmp}/pdfs",
        }
        env.pop("DATABASE_URL", None)
        code, cycle_id = seed(env)
        # Stopped (or failed), the server and render worker stop too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        engine = sa.create_engine(
            url, connect_args={"timeout": 30} if url.startswith("sqlite") else {}
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve("inquiry:create_app()", env, port, workers=WORKERS)
        phases = []
        for pair in range(pairs):
            phases += [(f"quiet {pair + 1}", 19, False), (f"PDFs {pair + 1}", 19, True)]
        if os.environ.get("BENCH_NICE_COMPARE"):
            phases += [("PDFs, --nice 10", 10, True), ("PDFs, --nice 0", 0, True)]
        results, worker = {}, None
        try:
            for name, nice, printing in phases:
                worker = start_worker(nice, env)
                time.sleep(2)  # WeasyPrint loaded
                load = os.getloadavg()[0]
                results[name] = phase(base, code, cycle_id, engine, printing)
                results[name]["load"] = (load + os.getloadavg()[0]) / 2
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=60)
                print(name, results[name], flush=True)
        finally:
            # Never left running: a stray worker would take the next run's PDFs.
            for process in (worker, server):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=60)
            engine.dispose()
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    ratios = [
        results[f"PDFs {p + 1}"]["p99"] / results[f"quiet {p + 1}"]["p99"] for p in range(pairs)
    ]
    lines = [
        f"## Members while PDFs are requested and made, {datetime.now(UTC):%Y-%m-%d %H:%M} "
        f"UTC, {platform.node()} ({os.cpu_count()} cores, {kind}, gunicorn {WORKERS} sync "
        f"workers, 1 render worker, {MEMBERS} members, {SECONDS} s a phase, summary of "
        f"{RESPONSES} responses)",
        "",
        "| phase | sends/s | send p50 | send p99 | errors | PDFs made | median time to PDF | "
        "load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        pdf = f"{r['pdf_median']:.1f} s" if r["pdf_median"] is not None else "-"
        lines.append(
            f"| {name} | {r['rate']:.0f} | {r['p50']:.0f} ms | {r['p99']:.0f} ms | "
            f"{r['errors']} | {r['pdfs']} | {pdf} | {r['load']:.1f} |"
        )
    median = statistics.median(ratios)
    lines += [
        "",
        f"- send p99 under PDF load / quiet p99, by pair: "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; median {median:.2f} (goal <= 1.50): "
        f"{'met' if median <= 1.5 else 'NOT met'}",
    ]
    record("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
