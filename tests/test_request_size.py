"""Request bodies are capped: a huge post or thousands of fields get a plain 413 page before
they are read, a long typed value is never shown back past its field's limit, and an upload
page keeps its own, larger limit. The last test sends 100 MB to a real gunicorn."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Draft, Response

from .accounts.test_login import sign_in
from .factories import make_user
from .pages import check_page, form_fields, parse
from .reflection import start
from .servers import free_port as _port

FORM = "application/x-www-form-urlencoded"
MEMBER_FORMS = ["/", "/reflect", "/reflect/1", "/reflect/6", "/reflect/7", "/withdraw", "/sign-in"]
STAFF_FORMS = ["/workspace/groups/new", "/workspace/cycles/{cycle}/paper/member"]


def _member(app, cycle):
    client = app.test_client()
    start(client, cycle.active_code("member"))
    return client, form_fields(parse(client.get("/reflect/1")))["csrf_token"]


def _staff(app, cycle):
    with app.app_context():
        from inquiry.groups.models import Group

        group = db.session.get(Group, cycle.group_id)
        make_user("coordinator", group.network, email="c@example.org")
    client = app.test_client()
    sign_in(client, "c@example.org")
    return client, form_fields(parse(client.get("/workspace/groups/new")))["csrf_token"]


def _refused_whole(response) -> None:
    assert response.status_code == 413
    page = check_page(response)
    assert page.h1.get_text() == "That was too much to send"
    assert "nothing was saved" in page.get_text()
    assert "aaaaaaaaaa" not in response.get_data(as_text=True)


def _nothing_stored(app) -> None:
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("url", MEMBER_FORMS)
def test_a_ten_megabyte_post_to_a_member_form_gets_413(app, cycle, url):
    client, token = _member(app, cycle)
    body = f"csrf_token={token}&q-open-anything_else=".encode() + b"a" * 10_000_000
    _refused_whole(client.post(url, data=body, content_type=FORM))
    _nothing_stored(app)


@pytest.mark.parametrize("url", MEMBER_FORMS)
def test_ten_thousand_fields_get_413(app, cycle, url):
    client, token = _member(app, cycle)
    body = f"csrf_token={token}&".encode() + b"&".join(b"aaaaaaaaaa%d=1" % i for i in range(10_000))
    _refused_whole(client.post(url, data=body, content_type=FORM))


@pytest.mark.parametrize("url", STAFF_FORMS)
def test_workspace_forms_are_capped_too(app, cycle, url):
    client, token = _staff(app, cycle)
    path = url.format(cycle=cycle.id)
    _refused_whole(
        client.post(
            path, data=f"csrf_token={token}&name=".encode() + b"a" * 10_000_000, content_type=FORM
        )
    )
    many = b"&".join(b"aaaaaaaaaa%d=1" % i for i in range(10_000))
    _refused_whole(
        client.post(path, data=f"csrf_token={token}&".encode() + many, content_type=FORM)
    )


def _longest_run(text: str, char: str) -> int:
    return max((len(m) for m in re.findall(f"{re.escape(char)}+", text)), default=0)


@pytest.mark.parametrize(
    ("url", "field", "limit"),
    [
        ("/reflect/6", "q-open-anything_else", 5000),
        ("/", "code", 20),
        ("/withdraw", "receipt", 20),
        ("/sign-in", "email", 254),
        ("/reflect/7", "day", 500),
    ],
)
def test_a_long_value_is_never_shown_back_past_its_limit(app, cycle, url, field, limit):
    client, token = _member(app, cycle)
    response = client.post(url, data={"csrf_token": token, field: "Z" * 150_000})
    assert response.status_code in (400, 404)
    # Up to twice the limit comes back (an answer a little too long, whole), never more.
    assert 0 < _longest_run(response.get_data(as_text=True), "Z") <= 2 * limit
    with app.app_context():
        for draft in db.session.scalars(sa.select(Draft)):
            assert "Z" * 10 not in str(draft.answers)


def test_text_a_little_too_long_is_shown_back_whole(app, cycle):
    client, token = _member(app, cycle)
    typed = "Z" * 5999
    response = client.post(
        "/reflect/6", data={"csrf_token": "wrong", "q-open-anything_else": typed}
    )
    assert response.status_code == 400
    assert _longest_run(response.get_data(as_text=True), "Z") == 5999


def _multipart(token: str, content: bytes) -> tuple[bytes, str]:
    boundary = "inquiry-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            'name="file"; filename="answers.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_page_keeps_its_larger_limit(app, cycle):
    client, token = _staff(app, cycle)
    url = f"/workspace/cycles/{cycle.id}/odk"
    # 2 MB: over a form's cap, under the upload's; the importer then says what is wrong.
    body, content_type = _multipart(token, b"a,b\n" * (512 * 1024))
    response = client.post(url, data=body, content_type=content_type)
    assert response.status_code not in (413, 500)
    body, content_type = _multipart(token, b"a,b\n" * (8 * 1024 * 1024))  # 32 MB
    _refused_whole(client.post(url, data=body, content_type=content_type))


# A real server -----------------------------------------------------------------------------

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _workers(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, IndexError):
            continue
    return found


def _post_huge(port: int, size: int) -> tuple[int, float]:
    """Announce `size` bytes, send the first megabyte, and time the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    began = time.monotonic()
    sock.sendall(
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {size}\r\n\r\n".encode()
    )
    with contextlib.suppress(OSError):  # it may answer and close before reading it all
        sock.sendall(b"code=" + b"a" * (1024 * 1024))
    reply = http.client.HTTPResponse(sock)
    reply.begin()
    body = reply.read()
    elapsed = time.monotonic() - began
    sock.close()
    assert b"too much to send" in body
    return reply.status, elapsed


def test_a_hundred_megabyte_post_gets_413_at_once_and_no_memory(app):
    port = _port()
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "inquiry:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                try:
                    connection.request("GET", "/")
                    connection.getresponse().read()
                finally:
                    connection.close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        (worker,) = _workers(server.pid)
        before = _rss_mb(worker)
        for _ in range(3):
            status, elapsed = _post_huge(port, 100 * 1024 * 1024)
            assert status == 413 and elapsed < 1.0
        assert _rss_mb(worker) < 150
        assert _rss_mb(worker) - before < 20
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
