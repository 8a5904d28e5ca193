"""Hostile input against every form: never a 500, never a half-saved response, and whatever
is shown back is escaped."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from inquiry.extensions import db
from inquiry.responses.models import Answer, Response

from .accounts.test_login import sign_in
from .factories import make_user
from .pages import form_fields, parse
from .reflection import start

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE answer; --",
    "1 OR 1=1",
    "\x00\x01\x02",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "x" * 20000,
    "=cmd|' /C calc'!A0",
    "%s%s%s%n",
    "../../etc/passwd",
    "\r\n\r\nSet-Cookie: a=b",
    "🙂" * 500,
    "",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
OK = {200, 302, 400, 404, 409, 410, 429}


def _escaped(body: str) -> None:
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x onerror" not in body


MEMBER_FORMS = {
    "/reflect/1": ["q-shared_aims-know_aims", "q-shared_aims-aims_matter"],
    "/reflect/6": ["q-open-most_significant_change", "q-open-anything_else"],
    "/reflect/7": ["may_quote", "initial", "day", "siblings", "town"],
    "/": ["code"],
    "/withdraw": ["receipt"],
}


@pytest.mark.parametrize("url", list(MEMBER_FORMS))
def test_member_forms_survive_anything(app, cycle, url):
    client = app.test_client()
    start(client, cycle.active_code("member"))
    token = form_fields(parse(client.get("/reflect/1")))["csrf_token"]

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        data=st.fixed_dictionaries({name: values for name in MEMBER_FORMS[url]}),
        repeat=st.booleans(),
    )
    def attempt(data, repeat):
        body = {**data, "csrf_token": token}
        if repeat:  # the same field twice, as a crafted request could send
            body = MultiDict([(k, v) for k, v in body.items()] + [(k, "9") for k in data])
        response = client.post(url, data=body)
        assert response.status_code in OK, response.status_code
        _escaped(response.get_data(as_text=True))
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0

    from inquiry.extensions import limiter

    limiter.enabled = False
    try:
        attempt()
    finally:
        limiter.enabled = True


def test_invalid_utf8_and_missing_fields_are_refused_kindly(app, cycle):
    client = app.test_client()
    start(client, cycle.active_code("member"))
    for url in MEMBER_FORMS:
        response = client.post(
            url,
            data=b"q-open-anything_else=%FF%FE%00&csrf_token=%C3",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in OK, (url, response.status_code)
        assert client.post(url, data={}).status_code in OK


@pytest.mark.parametrize(
    "garbled", [b"\xff\xfe", b"%FF%FE", b"caf\xc3", b"%C3%28", b"ok%ED%A0%80"], ids=repr
)
def test_an_undecodable_form_says_nothing_was_saved(app, cycle, garbled):
    client = app.test_client()
    start(client, cycle.active_code("member"))
    token = form_fields(parse(client.get("/reflect/6")))["csrf_token"]
    body = f"csrf_token={token}&q-open-anything_else=".encode() + garbled
    response = client.post(
        "/reflect/6", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    page = parse(response)
    assert page.h1.get_text() == "We could not read what was sent"
    assert "nothing on it was saved" in page.get_text()
    assert "still here" not in page.get_text()
    with app.app_context():
        from inquiry.responses.models import Draft

        (draft,) = db.session.scalars(sa.select(Draft))
        assert "%FF" not in str(draft.answers) and "\ufffd" not in str(draft.answers)
    # Sent again properly, it is kept.
    kept = client.post("/reflect/6", data={"csrf_token": token, "q-open-anything_else": "café"})
    assert kept.status_code == 302


STAFF_FORMS = {
    "/workspace/groups/new": ["name", "description", "default_language"],
    "/workspace/groups/{group}/cycles/new": ["title", "starts_on", "ends_on", "member_questions"],
    "/workspace/cycles/{cycle}/questions": ["audience", "qtype", "text", "theme", "options"],
    "/workspace/cycles/{cycle}/paper/member": [
        "submission_token",
        "q-shared_aims-know_aims",
        "q-open-anything_else",
    ],
    "/workspace/cycles/{cycle}/agenda": ["title"],
    "/workspace/people": ["email", "role", "groups"],
}


@pytest.mark.parametrize("url", list(STAFF_FORMS))
def test_workspace_forms_survive_anything(app, cycle, url):
    with app.app_context():
        from inquiry.groups.models import Group

        group = db.session.get(Group, cycle.group_id)
        make_user("coordinator", group.network, email="c@example.org")
    client = app.test_client()
    sign_in(client, "c@example.org")
    token = form_fields(parse(client.get("/workspace/groups/new")))["csrf_token"]
    path = url.format(group=cycle.group_id, cycle=cycle.id)

    @settings(
        max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.fixed_dictionaries({name: values for name in STAFF_FORMS[url]}))
    def attempt(data):
        with app.app_context():
            answers_before = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code in OK, response.status_code
        _escaped(response.get_data(as_text=True))
        with app.app_context():
            answers_after = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
        # A paper sheet is stored whole or not at all: never some of its answers.
        assert answers_after - answers_before in (0, 1, 2)

    from inquiry.extensions import limiter

    limiter.enabled = False
    try:
        attempt()
    finally:
        limiter.enabled = True
    for page in (
        "/workspace/",
        f"/workspace/cycles/{cycle.id}",
        f"/workspace/cycles/{cycle.id}/agenda",
        f"/workspace/cycles/{cycle.id}/questions",
        "/workspace/people",
    ):
        _escaped(client.get(page).get_data(as_text=True))


HEADER = "response_id,audience,language,source,submitted_on,question_key,theme,value\n"
cells = st.one_of(
    st.sampled_from(
        NASTY + ["member", "peer_worker", "hope.gives_hope", "4", "2026-11-20", "paper"]
    ),
    st.text(max_size=40),
)


def test_import_survives_any_file(app, cycle, tmp_path):
    path = tmp_path / "in.csv"

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        rows=st.lists(st.lists(cells, min_size=0, max_size=9), max_size=6),
        raw=st.one_of(st.none(), st.binary(max_size=200)),
    )
    def attempt(rows, raw):
        if raw is not None:
            path.write_bytes(raw)
        else:
            import csv
            import io

            out = io.StringIO()
            csv.writer(out).writerows(rows)
            path.write_text(HEADER + out.getvalue())
        result = app.test_cli_runner().invoke(args=["import-responses", str(cycle.id), str(path)])
        # Either it imported a whole, valid file, or it said why and imported nothing.
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        with app.app_context():
            db.session.execute(sa.delete(Response))
            db.session.commit()

    attempt()
