"""A multipart form (the upload pages) whose text is not UTF-8 is refused whole with the
plain 400 page, instead of its fields arriving as replacement characters (an empty or
garbled form) or a 500; the same form in good UTF-8 (any script) is read as sent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Response

from .accounts.test_login import sign_in
from .factories import make_group, make_open_cycle, make_user
from .pages import check_page, form_fields

BOUNDARY = "----inquiryboundary7"


def _multipart(fields: list[tuple[str, bytes]], file: tuple[str, str, bytes] | None) -> bytes:
    parts = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    if file:
        name, filename, content = file
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def signed_in(app):
    with app.app_context():
        group = make_group()
        cycle_id = make_open_cycle(group).id
        make_user("facilitator", group.network, [group], email="fac@example.org")
    client = app.test_client()
    assert sign_in(client, "fac@example.org").status_code == 302
    return client, cycle_id


def _post(client, url, body):
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@pytest.mark.parametrize("page", ["xlsform", "odk", "import"])
@pytest.mark.parametrize("garbled", [b"\xff\xfe", b"caf\xe9", b"ok \xed\xa0\x80 surrogate"])
def test_an_upload_form_with_invalid_utf8_is_refused_plainly(app, signed_in, page, garbled):
    client, cycle_id = signed_in
    url = f"/workspace/cycles/{cycle_id}/{page}"
    token = form_fields(check_page(client.get(url)), url)["csrf_token"]
    body = _multipart(
        [("csrf_token", token.encode()), ("audience", garbled)],
        ("file", "answers.csv", b"instanceID,x\nuuid:1,2\n"),
    )
    refused = _post(client, url, body)
    assert refused.status_code == 400
    shown = check_page(refused)
    assert shown.h1.get_text() == "We could not read what was sent"
    assert "nothing on it was saved" in shown.get_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_good_utf8_in_any_script_is_read_as_sent(app, signed_in):
    client, cycle_id = signed_in
    url = f"/workspace/cycles/{cycle_id}/xlsform"
    token = form_fields(check_page(client.get(url)), url)["csrf_token"]
    body = _multipart(
        [("csrf_token", token.encode()), ("audience", "مرحبا żółw".encode())],
        ("file", "form.xlsx", b"not a spreadsheet"),
    )
    answered = _post(client, url, body)
    # Read whole: the form itself answers (a choice it does not know), not the 400 page.
    assert answered.status_code in (200, 400)
    assert check_page(answered).h1.get_text() != "We could not read what was sent"


def test_a_member_page_sent_as_multipart_with_invalid_utf8(app, client):
    token = form_fields(check_page(client.get("/")))["csrf_token"]
    body = _multipart([("csrf_token", token.encode()), ("code", b"\xc3\x28")], None)
    refused = _post(client, "/", body)
    assert refused.status_code == 400
    assert check_page(refused).h1.get_text() == "We could not read what was sent"
