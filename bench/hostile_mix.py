"""Hostile requests, as a scanner or a curious member sends them, over raw HTTP.

Shared by bench/crash_soak.py and tests/test_worker_crash.py. Every request goes to
127.0.0.1 only. `Visitor` keeps its own cookies so that bodies, cookies and paths can be
sent exactly as written (invalid UTF-8, forged cookies, thousands of fields).
"""

from __future__ import annotations

import http.client
import random
import re
from collections.abc import Callable
from urllib.parse import urlsplit

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"
DROPPED = 0  # the status recorded when the server closed the connection without answering


class Visitor:
    """One browser: a cookie jar and raw requests to one port."""

    def __init__(self, port: int, timeout: float = 10):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        cookies: dict | None = None,
    ) -> tuple[int, str, str]:
        """(status, body, Location); status DROPPED when the connection died."""
        jar = {**self.cookies, **(cookies or {})}
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if body is not None:
            sent.setdefault("Content-Type", FORM)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", "replace")
            for header, value in reply.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "expires=Thu, 01 Jan 1970" in value or not cookie_value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = cookie_value
            return reply.status, text, reply.getheader("Location") or ""
        except (OSError, http.client.HTTPException):
            return DROPPED, "", ""
        finally:
            connection.close()

    def get(self, path: str, **kw) -> tuple[int, str, str]:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: bytes, **kw) -> tuple[int, str, str]:
        return self.request("POST", path, body=body, **kw)

    def follow(self, path: str) -> tuple[int, str]:
        """GET, following our own redirects (at most five)."""
        for _ in range(5):
            status, text, location = self.get(path)
            if status not in (301, 302, 303) or not location:
                return status, text
            path = urlsplit(location).path or "/"
        return status, text


def walk_to_first_page(visitor: Visitor, code: str) -> str:
    """Join with a member code and start; returns the first page's CSRF token."""
    _status, start = visitor.follow(f"/j/{code}")
    token = TOKEN.search(start)[1]
    visitor.post("/reflect", f"csrf_token={token}".encode())
    _status, page = visitor.follow("/reflect/1")
    return TOKEN.search(page)[1]


def the_three_requests(visitor: Visitor) -> list[int]:
    """The reported crash: a refused token on a reflection page, three times."""
    return [visitor.post("/reflect/1", b"csrf_token=x&go=back")[0] for _ in range(3)]


def _kinds(token: str) -> list[tuple[str, Callable[[Visitor], int]]]:
    good = f"csrf_token={token}".encode()
    many = b"&".join(b"f%d=%d" % (i, i) for i in range(2000))

    def post(path, body, **kw):
        return lambda v: v.post(path, body, **kw)[0]

    def get(path, **kw):
        return lambda v: v.get(path, **kw)[0]

    return [
        ("refused token", post("/reflect/1", b"csrf_token=x&go=back")),
        ("missing token", post("/reflect/1", b"go=back&q-shared_aims-know_aims=3")),
        ("forged dotted token", post("/reflect/1", b"csrf_token=IjEi.AAAA.BBBB&go=next")),
        ("token of another site", post("/reflect/1", b"csrf_token=ImFiYyI.Z2Z4.c2lnbmF0dXJl")),
        (
            "forged session cookie",
            post("/reflect/1", good, cookies={"session": "eyJ4IjoxfQ.AAAA.BBBB"}),
        ),
        ("forged session on GET", get("/reflect/1", cookies={"session": "e30.ZZZZ.YYYY"})),
        ("raw invalid UTF-8", post("/reflect/1", good + b"&q-shared_aims-know_aims=\xff\xfe")),
        ("percent invalid UTF-8", post("/reflect/6", good + b"&q-open-anything_else=%FF%FE")),
        ("two thousand fields", post("/reflect/1", good + b"&" + many)),
        ("long value", post("/reflect/6", good + b"&q-open-anything_else=" + b"x" * 60000)),
        (
            "field twice",
            post("/reflect/1", good + b"&q-shared_aims-know_aims=1&q-shared_aims-know_aims=9"),
        ),
        ("huge step number", get("/reflect/99999999999999999999999")),
        ("negative step", post("/reflect/-1", good)),
        ("about page nonsense", post("/reflect/7", good + b"&day=abc&siblings=-4&initial=%00")),
        ("send without token", post("/reflect/send", b"submission_token=x")),
        ("send forged", post("/reflect/send", b"csrf_token=x&submission_token=" + b"a" * 36)),
        ("start refused", post("/reflect", b"csrf_token=x")),
        ("join refused", post("/", b"csrf_token=x&code=ABC123")),
        ("join injection", get("/j/'%20OR%201=1--")),
        ("withdraw refused", post("/withdraw", b"csrf_token=x&receipt=AAAA-BBBB")),
        ("topics refused", post("/topics", b"csrf_token=x&topic=1")),
        ("sign-in refused", post("/sign-in", b"csrf_token=x&email=a%40b.c&password=x")),
        ("sign-in missing", post("/sign-in", b"email=a%40b.c&password=x")),
        ("invite forged", get("/invite/eyJpbnZpdGUiOjF9.AAAA.BBBB")),
        ("reset forged", get("/reset/not-a-token")),
        ("kiosk refused", post("/kiosk", b"csrf_token=x&code=123456")),
        ("resume cookie garbage", get("/reflect/2", cookies={"inquiry_resume": "%00%ff' OR 1=1"})),
        (
            "multipart garbage",
            post(
                "/reflect/1",
                b"--x\r\nnonsense",
                headers={"Content-Type": "multipart/form-data; boundary=x"},
            ),
        ),
        (
            "json body",
            post("/reflect/1", b'{"csrf_token": 1}', headers={"Content-Type": "application/json"}),
        ),
        ("put", lambda v: v.request("PUT", "/reflect/1", b"x")[0]),
        ("traversal", get("/static/../../../../etc/passwd")),
        ("language header split", get("/language/pl?next=/x%0d%0aSet-Cookie:a=b")),
        ("language elsewhere", get("/language/pl?next=//evil.example/%2e%2e")),
    ]


def malformed(
    visitor: Visitor, token: str, count: int, rng: random.Random
) -> list[tuple[str, int]]:
    """`count` hostile requests of every kind in turn (shuffled), as (kind, status)."""
    kinds = _kinds(token)
    rng.shuffle(kinds)
    return [(kinds[i % len(kinds)][0], kinds[i % len(kinds)][1](visitor)) for i in range(count)]


def workers_of(master_pid: int) -> set[int]:
    """The PIDs whose parent is `master_pid` (Linux /proc)."""
    from pathlib import Path

    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.add(int(stat.parent.name))
    return pids
