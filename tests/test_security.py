"""Every route answers with the security headers; every POST refuses a missing CSRF token
and changes nothing; cookies are HttpOnly, SameSite and, over HTTPS, Secure and __Host-."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry import create_app
from inquiry.extensions import db

from .accounts.test_login import sign_in
from .factories import make_closed_cycle, make_open_cycle, make_user
from .reflection import start
from .stories.helpers import shortlisted


@pytest.fixture
def objects(app):
    """One of everything a URL can name, visible to an admin."""
    from datetime import date

    from inquiry.actions.models import Action
    from inquiry.agenda.models import AgendaTopic

    with app.app_context():
        cycle = make_open_cycle()
        closed = make_closed_cycle(
            cycle.group, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31)
        )
        action, topic = (
            Action(cycle_id=closed.id, what="x"),
            AgendaTopic(cycle_id=cycle.id, title="y"),
        )
        db.session.add_all([action, topic])
        admin = make_user("admin", cycle.group.network, email="admin@example.org")
        someone = make_user("facilitator", cycle.group.network, email="someone@example.org")
        from inquiry.accounts.models import Invite
        from inquiry.printing.services import request_pdf

        invite = Invite(email="new@example.org", role="facilitator", network_id=admin.network_id)
        db.session.add(invite)

        document = request_pdf("<p>z</p>", "z.pdf", cycle_id=cycle.id)
        from inquiry.stories.services import switch_round

        switch_round(cycle, True, admin.id)  # so that the story's form is reached
        (story,) = shortlisted(cycle, 1)  # and the form to choose one
        db.session.commit()
        return {
            "document_id": document.id,
            "code": cycle.active_code("member"),
            "cycle_id": cycle.id,
            "group_id": cycle.group_id,
            "network_id": cycle.group.network_id,
            "action_id": action.id,
            "topic_id": topic.id,
            "audience": "member",
            "number": 1,
            "token": "not-a-token",
            "filename": "style.css",
            "admin": admin.email,
            "user_id": someone.id,
            "invite_id": invite.id,
            "fmt": "csv",
            "cq_id": cycle.questions[0].id,
            "change": "pause",
            "story_id": story.id,
            # Rows that need not exist: the headers and the CSRF check come first.
            "response_id": 1,
        }


def _urls(app, objects, method):
    for rule in app.url_map.iter_rules():
        if method in rule.methods:
            yield rule.endpoint, rule.build({a: objects[a] for a in rule.arguments})[1]


CSP_NEEDS = ("default-src 'self'", "frame-ancestors 'none'", "script-src 'self'")


def test_every_route_sends_the_security_headers(app, objects):
    client = app.test_client()
    sign_in(client, objects["admin"])
    checked = 0
    for endpoint, url in _urls(app, objects, "GET"):
        response = client.get(url)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert all(part in csp for part in CSP_NEEDS), (endpoint, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, endpoint
        assert headers.get("X-Content-Type-Options") == "nosniff", endpoint
        assert headers.get("Referrer-Policy") == "no-referrer", endpoint
        assert "Strict-Transport-Security" not in headers, endpoint  # plain http here
        if endpoint != "static":
            assert headers.get("Cache-Control") == "no-store", endpoint
        response.close()
        checked += 1
    assert checked >= 30


def _counts(app) -> dict:
    with app.app_context():
        return {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }


def test_every_post_refuses_a_missing_csrf_token_and_changes_nothing(app, objects):
    member = app.test_client()
    start(member, objects["code"])  # a member with a draft, so member posts reach their forms
    staff = app.test_client()
    sign_in(staff, objects["admin"])
    before = _counts(app)
    posts = list(_urls(app, objects, "POST"))
    assert len(posts) >= 20
    for endpoint, url in posts:
        client = staff if url.startswith(("/workspace", "/sign-out")) else member
        response = client.post(
            url,
            data={
                "q-shared_aims-know_aims": "5",
                "what": "x",
                "title": "x",
                "name": "x",
                "email": "a@b.org",
                "password": "x",
                "receipt": "AAAA-AAAA",
                "code": objects["code"],
                "status": "done",
                "story": str(objects["story_id"]),  # refused for its token alone
            },
        )
        assert response.status_code == 400, (endpoint, url, response.status_code)
    after = _counts(app)
    assert after == before


def test_the_member_sees_their_answer_again_after_a_refused_post(app, objects):
    member = app.test_client()
    start(member, objects["code"])
    refused = member.post("/reflect/1", data={"q-shared_aims-know_aims": "5"})
    assert refused.status_code == 400
    assert 'value="5" checked' in refused.get_data(as_text=True)


def test_cookies_are_http_only_and_same_site(app, objects):
    client = app.test_client()
    start(client, objects["code"])
    client.get("/language/pl")
    for name in ("session", "inquiry_resume", "inquiry_lang"):
        cookie = client.get_cookie(name)
        assert cookie is not None and cookie.http_only, name
        assert cookie.same_site == "Lax", name
        assert not cookie.secure, name  # plain http here; Secure over HTTPS below


def test_over_https_cookies_are_secure_and_host_only_with_hsts(app, objects, tmp_path):
    secure = create_app({**app.config, "HTTPS": True, "TESTING": True})
    client = secure.test_client()
    response = client.get(
        f"/j/{objects['code']}",
        base_url="https://inquiry.example.org",
        headers={"X-Forwarded-Proto": "https"},
    )
    cookie_header = response.headers.get("Set-Cookie", "")
    assert cookie_header.startswith("__Host-session=")
    assert "Secure" in cookie_header and "HttpOnly" in cookie_header
    assert "Domain=" not in cookie_header and "Path=/" in cookie_header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    with secure.app_context():
        db.engine.dispose()  # this second app has its own pool


def test_the_language_link_never_sends_anyone_to_another_site(client):
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ):
        response = client.get("/language/pl", query_string={"next": target})
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target
    kept = client.get("/language/pl", query_string={"next": "/withdraw"})
    assert kept.headers["Location"] == "/withdraw"
    assert client.get("/language/xx").status_code == 404
