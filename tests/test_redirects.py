"""The language links' `next=` goes back to one of our own pages, whatever it holds: checked
after normalising (no control or space characters, no backslash, no scheme, no host), and
anything else goes home. Never a 500, never a logged traceback, never an injected header."""

from __future__ import annotations

import logging

import pytest

from inquiry.core.security import local_target

HOSTILE = [
    "/x\r\nSet-Cookie: stolen=1",
    "/x%0d%0aSet-Cookie:%20stolen=1",
    "/x\nLocation: https://evil.example",
    "/\t/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/ /evil.example",
    "/\x00",
    "/\x7f",
    "/\u2028evil",
    "",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_goes_home(client, caplog, target):
    caplog.set_level(logging.INFO)
    response = client.get("/language/pl", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "stolen" not in str(response.headers)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_raw_crlf_in_the_query_string_goes_home(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/language/pl?next=/x%0d%0aSet-Cookie:a=b")
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "Set-Cookie: a=b" not in str(response.headers)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("target", ["/", "/reflect/2?from=check", "/withdraw", "/topics#top"])
def test_our_own_pages_are_kept(client, target):
    response = client.get("/language/ro", query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (302, target)
    assert "inquiry_lang=ro" in response.headers["Set-Cookie"]


def test_the_check_itself():
    assert local_target("/reflect/1") == "/reflect/1"
    assert local_target(None) == "/"
    assert local_target("//x", default="/workspace/") == "/workspace/"
    assert local_target("/caf\u00e9") == "/caf\u00e9"
