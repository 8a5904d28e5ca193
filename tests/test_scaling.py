"""Several app processes behind one database and one Redis: rate limits and sessions hold
across them. Two real gunicorn processes, started here, share the test database."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .factories import PASSWORD, make_group, make_user
from .servers import free_port as _port

GUNICORN = Path(sys.executable).parent / "gunicorn"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _wait(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("INQUIRY_REQUIRE_REDIS") == "1":
            pytest.fail("INQUIRY_REQUIRE_REDIS=1 but redis-server is not installed")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    port = _port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait(port)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def _processes(app, storage: str):
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
        "INQUIRY_RATELIMIT_STORAGE_URI": storage,
    }
    env.pop("DATABASE_URL", None)
    servers, bases = [], []
    for _ in range(2):
        port = _port()
        servers.append(
            subprocess.Popen(
                [
                    str(GUNICORN),
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "inquiry:create_app()",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        _wait(int(base.rsplit(":", 1)[1]))
    return servers, bases


@pytest.fixture
def two_with_redis(app, redis_url):
    servers, bases = _processes(app, redis_url)
    yield bases
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def two_in_memory(app):
    servers, bases = _processes(app, "memory://")
    yield bases
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    def __init__(self, jar=None):
        self.jar = jar or CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        try:
            with self.opener.open(url, timeout=10) as reply:
                return reply.status, reply.read().decode(), reply.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), url

    def post(self, url, data):
        try:
            with self.opener.open(url, urllib.parse.urlencode(data).encode(), timeout=10) as reply:
                return reply.status, reply.read().decode(), reply.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), url


def _wrong_codes(base, browser, count, prefix):
    statuses = []
    for i in range(count):
        token = TOKEN.search(browser.get(base + "/")[1])[1]
        statuses.append(browser.post(base + "/", {"csrf_token": token, "code": f"{prefix}{i}"})[0])
    return statuses


def test_wrong_codes_are_counted_across_processes_with_redis(two_with_redis):
    first, second = two_with_redis
    browser = Browser()
    assert _wrong_codes(first, browser, 6, "WRONG") == [404] * 6
    assert _wrong_codes(second, browser, 5, "NOPE") == [404] * 4 + [429]  # 10 a minute


def test_without_redis_each_process_counts_alone(two_in_memory):
    first, second = two_in_memory
    browser = Browser()
    assert _wrong_codes(first, browser, 6, "WRONG") == [404] * 6
    assert _wrong_codes(second, browser, 5, "NOPE") == [404] * 5  # why Redis is needed


def test_a_session_works_on_every_process_and_sign_out_ends_it_on_all(app, two_with_redis):
    with app.app_context():
        group = make_group()
        make_user("facilitator", group.network, [group], email="both@example.org")
    first, second = two_with_redis
    browser = Browser()
    token = TOKEN.search(browser.get(first + "/sign-in")[1])[1]
    status, _body, url = browser.post(
        first + "/sign-in", {"csrf_token": token, "email": "both@example.org", "password": PASSWORD}
    )
    assert url.endswith("/workspace/")
    copied = Browser(browser.jar)
    status, body, url = copied.get(second + "/workspace/")
    assert status == 200 and url.endswith("/workspace/") and "Your groups" in body
    out_token = re.search(r'name="csrf_token" value="([^"]+)"', body)[1]
    browser.post(second + "/sign-out", {"csrf_token": out_token})
    status, body, url = Browser(browser.jar).get(first + "/workspace/")
    assert url.endswith("/sign-in?next=%2Fworkspace%2F") or "/sign-in" in url
