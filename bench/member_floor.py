"""Member requests against their floors, in interleaved pairs on the same machine.

- question page: GET /reflect/1 (a member with a draft) against a bare Flask-WTF page of the
  same number of Likert questions drawn by a Jinja loop (bench/bare_app.py /page);
- send: POST /reflect/send (a full draft: every member question answered) against a bare
  Flask-WTF validate + insert with CSRF on (/send-csrf). For context, not a goal, the send is
  also set beside the same write done bare (/send-same: read the draft, insert the response
  and as many answers, delete the draft), which shows how much of the gap is the write itself.

Both servers are gunicorn with 2 sync workers; the client keeps each member's cookies, as a
phone does. For each concurrency (16 and 32) it runs BENCH_PAIRS pairs (default 3), the
floor first in odd pairs and the project first in even ones, and prints each pair's ratio
with the load average, then the medians against the issue's goals (page >= 0.75, send
>= 0.80). Drafts are made in the database beforehand; only the timed requests go over HTTP.
"""

from __future__ import annotations

import http.client
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, TOKEN, UNLIMITED, free_port, record, serve  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))
PAGES = int(os.environ.get("BENCH_PAGES", "1500"))
SENDS = int(os.environ.get("BENCH_SENDS", "600"))
CONCURRENCY = tuple(int(c) for c in os.environ.get("BENCH_CLIENTS", "16,32").split(","))
GOALS = {"question page": 0.75, "send": 0.80}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def fire(port: int, jobs: list, clients: int) -> tuple[float, int]:
    """Run every (method, path, body, headers) from `clients` threads: (requests/s, errors)."""
    errors, lock = [0], threading.Lock()
    queue = list(jobs)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                method, path, body, headers = queue.pop()
            try:
                conn.request(method, path, body, headers)
                reply = conn.getresponse()
                reply.read()
                ok = reply.status in (200, 204, 302)
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if not ok:
                with lock:
                    errors[0] += 1
                    if os.environ.get("BENCH_DEBUG"):
                        print(method, path, getattr(reply, "status", "no reply"), flush=True)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(jobs) / (time.perf_counter() - began), errors[0]


def _cookies(reply: http.client.HTTPResponse, jar: dict) -> dict:
    for header in reply.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


def _get(port: int, path: str, jar: dict) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items() if v)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    reply = conn.getresponse()
    body = reply.read().decode()
    _cookies(reply, jar)
    conn.close()
    return body


def _header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v)


def prepare(env: dict, drafts: int) -> tuple[list[tuple[str, str]], int, int]:
    """Migrate, open a cycle, make `drafts` member drafts with every question answered;
    returns (resume token, submission token) pairs, how many questions page 1 asks and how
    many answers each draft holds."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import make_open_cycle
    from flask_migrate import upgrade

    from inquiry import create_app
    from inquiry.cycles.queries import list_asked_questions
    from inquiry.extensions import db
    from inquiry.questions.services import sync_bank
    from inquiry.responses.plan import build_plan
    from inquiry.responses.services import save_answers, start_draft

    app = create_app()
    with app.app_context():
        upgrade(directory=app.root_path + "/migrations")
        sync_bank()
        db.session.commit()
        cycle = make_open_cycle()
        questions = list_asked_questions(cycle.id, "member", "en_GB")
        page_1 = len(build_plan("member", questions).page(1).questions)
        rng = random.Random(1)
        made = []
        answered = sum(q.qtype == "likert" for q in questions)
        for _ in range(drafts):
            draft, resume = start_draft(cycle, "member", "en_GB", 14)
            answers = {
                q.key: str(rng.randint(1, 5)) if q.qtype == "likert" else None for q in questions
            }
            save_answers(draft, answers, 8)
            made.append((resume, draft.submission_token))
        db.session.commit()
        db.engine.dispose()
    return made, page_1, answered


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            **UNLIMITED,
            "INQUIRY_SECRET_KEY": "bench",
            "INQUIRY_LINK_KEY": "bench",
            "INQUIRY_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/real.sqlite",
            "INQUIRY_PDF_FOLDER": f"{tmp}/pdfs",
            "BARE_DATABASE_URL": f"sqlite:///{tmp}/bare.sqlite",
        }
        env.pop("DATABASE_URL", None)
        drafts, page_1, answered = prepare(env, 1 + SENDS * PAIRS * len(CONCURRENCY))
        env["BARE_QUESTIONS"] = str(page_1)
        from bare_app import engine, make_drafts

        bare_drafts = make_drafts(SENDS * PAIRS * len(CONCURRENCY), answered)
        engine.dispose()
        real_port, bare_port = free_port(), free_port()
        real = serve("inquiry:create_app()", env, real_port)
        bare = serve("bench.bare_app:app", env, bare_port)
        # Stopped with SIGTERM, the servers stop too (the finally below runs).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        try:
            results = run(real_port, bare_port, drafts, bare_drafts)
        finally:
            for server in (real, bare):
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    report(results, page_1, answered)


def run(real_port: int, bare_port: int, drafts: list, bare_drafts: list) -> list[dict]:
    # The question page: one member with a draft, cookies kept as a phone keeps them.
    resume, _ = drafts.pop()
    member = {"inquiry_resume": resume}
    _get(real_port, "/reflect/1", member)  # the first visit notes the draft in the session
    page_body = _get(real_port, "/reflect/1", member)
    assert "q-" in page_body, page_body[:200]
    real_page = [("GET", "/reflect/1", None, {"Cookie": _header(member)})] * PAGES
    floor_jar: dict = {}
    floor_body = _get(bare_port, "/page", floor_jar)
    floor_page = [("GET", "/page", None, {"Cookie": _header(floor_jar)})] * PAGES
    floor_token = TOKEN.search(floor_body)[1]
    real_token = TOKEN.search(page_body)[1]

    def real_sends():
        jobs = []
        for _ in range(SENDS):
            resume, submission = drafts.pop()
            body = urllib.parse.urlencode(
                {"csrf_token": real_token, "submission_token": submission}
            ).encode()
            jar = {**member, "inquiry_resume": resume}
            jobs.append(("POST", "/reflect/send", body, {**FORM, "Cookie": _header(jar)}))
        return jobs

    def floor_sends():
        return [
            (
                "POST",
                "/send-csrf",
                urllib.parse.urlencode(
                    {"csrf_token": floor_token, "token": _uuid(), "value": "4"}
                ).encode(),
                {**FORM, "Cookie": _header(floor_jar)},
            )
            for _ in range(SENDS)
        ]

    def same_sends():
        return [
            (
                "POST",
                "/send-same",
                urllib.parse.urlencode(
                    {"csrf_token": floor_token, "token": bare_drafts.pop(), "value": "4"}
                ).encode(),
                {**FORM, "Cookie": _header(floor_jar)},
            )
            for _ in range(SENDS)
        ]

    fire(real_port, real_page[:100], 4)  # warm both
    fire(bare_port, floor_page[:100], 4)
    results = []
    for clients in CONCURRENCY:
        for pair in range(PAIRS):
            for what, sides in (
                ("question page", {"floor": lambda: floor_page, "real": lambda: real_page}),
                ("send", {"floor": floor_sends, "same": same_sends, "real": real_sends}),
            ):
                order = list(sides) if pair % 2 == 0 else list(reversed(sides))
                rates, errors = {}, {}
                load = os.getloadavg()[0]
                for side in order:
                    port = real_port if side == "real" else bare_port
                    rates[side], errors[side] = fire(port, sides[side](), clients)
                row = {
                    "what": what,
                    "clients": clients,
                    "pair": pair + 1,
                    "floor": rates["floor"],
                    "real": rates["real"],
                    "ratio": rates["real"] / rates["floor"],
                    "same": rates.get("same"),
                    "errors": sum(errors.values()),
                    "load": (load + os.getloadavg()[0]) / 2,
                }
                same = (
                    f", same write bare {row['same']:.0f}/s (ours "
                    f"{row['real'] / row['same']:.2f} of it)"
                    if row["same"]
                    else ""
                )
                print(
                    f"{what} at {clients}, pair {pair + 1}: floor {row['floor']:.0f}/s, "
                    f"ours {row['real']:.0f}/s, ratio {row['ratio']:.2f}{same}, errors "
                    f"{row['errors']}, load {row['load']:.1f}",
                    flush=True,
                )
                results.append(row)
    return results


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def report(results: list[dict], page_1: int, answered: int) -> None:
    lines = [
        f"## Member requests against their floors, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()} ({os.cpu_count()} cores, SQLite WAL synchronous=FULL, gunicorn 2 "
        f"sync workers each, CSRF on for both, page 1 of {page_1} questions, a send of "
        f"{answered} answers, {PAIRS} interleaved pairs)",
        "",
        "| request | clients | pair | floor req/s | ours req/s | ratio | same write bare req/s "
        "| ours / same write | errors | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        same = f"{r['same']:.0f} | {r['real'] / r['same']:.2f}" if r["same"] else "- | -"
        lines.append(
            f"| {r['what']} | {r['clients']} | {r['pair']} | {r['floor']:.0f} | "
            f"{r['real']:.0f} | {r['ratio']:.2f} | {same} | {r['errors']} | {r['load']:.1f} |"
        )
    lines.append("")
    for what, goal in GOALS.items():
        for clients in CONCURRENCY:
            ratios = [r["ratio"] for r in results if r["what"] == what and r["clients"] == clients]
            median = statistics.median(ratios)
            verdict = "met" if median >= goal else "NOT met"
            lines.append(
                f"- {what} at {clients} concurrent: median ratio {median:.2f} of its floor "
                f"(goal >= {goal:.2f}): {verdict}"
            )
    for clients in CONCURRENCY:
        same = [r["real"] / r["same"] for r in results if r["same"] and r["clients"] == clients]
        lines.append(
            f"- for context, send at {clients} concurrent against the same write done bare "
            f"(read the draft, insert the response and its {answered} answers, delete the "
            f"draft): median ratio {statistics.median(same):.2f}"
        )
    record("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
