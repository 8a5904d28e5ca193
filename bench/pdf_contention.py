"""Members sending their answers while PDFs are made: do PDFs starve members?

gunicorn (2 sync workers) and one render worker (`inquiry render-worker`) on one SQLite
database, on 127.0.0.1. 16 simulated members go through the whole reflection again and again
(join, start, answer a page, check, send); only "Send my answers" is timed. Three phases of
BENCH_SECONDS each (default 20):

1. no PDFs: the floor;
2. a facilitator prints a 500-response summary again and again (the stored PDF is deleted
   each time, so every one is really made), render worker at its default --nice 19;
3. the same at --nice 10, and at --nice 0 to show what the lower priority buys;
4. no PDFs again: the floor is the worse of the two runs without PDFs.

QUALITY.md's budget: member submit p99 while PDFs render at most 1.5x the floor.
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/contention.sqlite"
        env = {
            **os.environ,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "INQUIRY_SQLALCHEMY_DATABASE_URI": url,
        }
        env.pop("DATABASE_URL", None)
        code, cycle_id = seed(env)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve("inquiry:create_app()", env, port, workers=WORKERS)
        results = {}
        for name, nice, printing in (
            ("no PDFs (floor)", 19, False),
            ("PDFs, render worker --nice 19 (default: only idle CPU)", 19, True),
            ("PDFs, render worker --nice 10", 10, True),
            ("PDFs, render worker --nice 0 (for comparison)", 0, True),
            ("no PDFs, again (the floor, after)", 19, False),
        ):
            worker = start_worker(nice, env)
            time.sleep(2)  # WeasyPrint loaded
            results[name] = phase(base, code, cycle_id, engine, printing)
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
            print(name, results[name], flush=True)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        engine.dispose()
    # The floor is the worse of the two runs without PDFs, before and after.
    floor = max(
        results["no PDFs (floor)"]["p99"], results["no PDFs, again (the floor, after)"]["p99"]
    )
    lines = [
        f"## Members while PDFs render, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()} ({os.cpu_count()} cores, SQLite, gunicorn {WORKERS} sync workers, "
        f"1 render worker, {MEMBERS} members, {SECONDS} s a phase, summary of {RESPONSES} "
        "responses)",
        "",
        "| phase | sends/s | send p50 | send p99 | p99 / floor | errors | PDFs made | "
        "median time to PDF |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        pdf = f"{r['pdf_median']:.1f} s" if r["pdf_median"] is not None else "-"
        lines.append(
            f"| {name} | {r['rate']:.0f} | {r['p50']:.0f} ms | {r['p99']:.0f} ms | "
            f"{r['p99'] / floor:.2f} | {r['errors']} | {r['pdfs']} | {pdf} |"
        )
    lines += [
        "",
        "Budget: member submit p99 while PDFs render at most 1.5x the floor.",
    ]
    text = "\n".join(lines) + "\n"
    record(text)


if __name__ == "__main__":
    main()
