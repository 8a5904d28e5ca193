"""Gzipped weight of every member page, stylesheet included, against the 14 KB budget.

Run with `make bench`. Appends a dated table to bench/RESULTS.md.
"""

from __future__ import annotations

import gzip
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup
from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import record  # noqa: E402

from inquiry import create_app  # noqa: E402
from inquiry.extensions import db  # noqa: E402

BUDGET = 14 * 1024
AIM = int(6.4 * 1024)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def fields(html: str, action: str | None = None) -> dict[str, str]:
    page = BeautifulSoup(html, "html.parser")
    form = page.find("form", action=action) if action else page.find("form")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def member_pages(client, code: str) -> list[tuple[str, bytes]]:
    pages = [("home", client.get("/").data)]
    start = client.get(f"/j/{code}", follow_redirects=True)
    pages.append(("start", start.data))
    client.post("/reflect", data=fields(start.get_data(as_text=True)))
    number = 1
    while True:
        reply = client.get(f"/reflect/{number}")
        html = reply.get_data(as_text=True)
        title = BeautifulSoup(html, "html.parser").h1.get_text()
        pages.append((f"step {number}: {title}", reply.data))
        if "/reflect/send" in html:
            client.post("/reflect/send", data=fields(html, "/reflect/send"))
            break
        client.post(f"/reflect/{number}", data=fields(html))
        number += 1
    pages.append(("done", client.get("/reflect/done").data))
    pages.append(("withdraw", client.get("/withdraw").data))
    return pages


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                "SECRET_KEY": "bench",
                "LINK_KEY": "bench",
            }
        )
        with app.app_context():
            upgrade(directory=str(Path(app.root_path) / "migrations"))
            from inquiry.demo import seed_demo

            seed_demo()
            db.session.commit()
            from inquiry.cycles.queries import list_cycles_with_counts

            code = next(c for c, _ in list_cycles_with_counts() if c.is_open).active_code("member")
        css = (Path(app.static_folder) / "style.css").read_bytes()
        css_gz = gz(css)
        rows = []
        for name, html in member_pages(app.test_client(), code):
            rows.append((name, len(html), gz(html), gz(html) + css_gz))
    lines = [
        f"## Member page weight, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()} ({platform.machine()}, Python {platform.python_version()})",
        "",
        f"Stylesheet: {len(css)} B, {css_gz} B gzipped. Budget {BUDGET} B per page "
        f"with CSS (aim {AIM} B). No script, no web font.",
        "",
        "| page | HTML bytes | HTML gzipped | gzipped with CSS | within budget |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, raw, html_gz, total in rows:
        verdict = "yes" if total <= BUDGET else "NO"
        lines.append(f"| {name} | {raw} | {html_gz} | {total} | {verdict} |")
    text = "\n".join(lines) + "\n"
    record(text)
    if any(total > BUDGET for *_, total in rows):
        sys.exit("A member page is over the 14 KB budget.")


if __name__ == "__main__":
    main()
