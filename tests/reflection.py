"""Walking through a member's reflection with the test client."""

from __future__ import annotations

import re

from .pages import check_page, form_fields, parse


def join(client, code: str):
    response = client.get(f"/j/{code}")
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


def start(client, code: str, sharing: str | None = None):
    """Join with a code and press Start now; returns the first question page response.
    A peer support worker's code needs `sharing` ("open" or "anonymous")."""
    page = check_page(join(client, code))
    data = form_fields(page)
    if sharing is not None:
        data["shares_openly"] = sharing
    response = client.post("/reflect", data=data)
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


def answer_page(client, number: int, answers: dict[str, str], go: str | None = None):
    """Fill in some fields on step `number` (keeping what is already there) and continue."""
    page = check_page(client.get(f"/reflect/{number}"))
    data = form_fields(page, f"/reflect/{number}")  # not "Not you? Start fresh", when offered
    data.update(answers)
    if go:
        data["go"] = go
    return client.post(f"/reflect/{number}", data=data)


def step_count(client) -> int:
    page = parse(client.get("/reflect/1"))
    caption = page.find(class_="caption").get_text()
    return int(re.findall(r"\d+", caption)[-1])


def send(client):
    """Press "Send my answers" on the check page; returns the POST response."""
    total = step_count(client)
    page = check_page(client.get(f"/reflect/{total}"))
    return client.post("/reflect/send", data=form_fields(page, "/reflect/send"))


def has_start_fresh(page) -> bool:
    """Whether the page offers "Not you? Start fresh" (a form of its own)."""
    return page.find("form", action="/reflect/fresh") is not None


def start_fresh(client, page):
    """Press "Not you? Start fresh" on a page; returns the POST response."""
    return client.post("/reflect/fresh", data=form_fields(page, "/reflect/fresh"))
