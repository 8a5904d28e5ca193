"""Sign-in takes the same work for every kind of account: an unknown address, a deactivated
account, a wrong password and a right one each cost exactly one argon2 verification, so the
time of the answer tells nothing. And an invitation says "already has an account" only where
the inviter may see that person; elsewhere it goes ahead and the person is told on opening it."""

from __future__ import annotations

import argon2._password_hasher as argon2_hasher
import pytest
import sqlalchemy as sa

from inquiry.accounts.models import Invite, User
from inquiry.extensions import db

from ..factories import PASSWORD, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields
from .test_login import sign_in


@pytest.fixture
def verifications(monkeypatch):
    """Every argon2 verification that does the work (the key derivation), counted."""
    calls = []
    real = argon2_hasher.verify_secret

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(argon2_hasher, "verify_secret", counted)
    return calls


@pytest.fixture
def accounts(app):
    with app.app_context():
        group = make_group()
        make_user("facilitator", group.network, [group], email="active@example.org")
        make_user("facilitator", group.network, [group], email="gone@example.org", is_active=False)
        broken = make_user("facilitator", group.network, [group], email="broken@example.org")
        broken.password_hash = "not an argon2 hash"  # as after an import from elsewhere
        db.session.commit()


@pytest.mark.parametrize(
    "email, password, status",
    [
        ("nobody@example.org", PASSWORD, 400),
        ("gone@example.org", PASSWORD, 400),
        ("gone@example.org", "a wrong password 12", 400),
        ("active@example.org", "a wrong password 12", 400),
        ("broken@example.org", PASSWORD, 400),
        ("active@example.org", PASSWORD, 302),
    ],
)
def test_every_attempt_verifies_one_hash(app, accounts, verifications, email, password, status):
    client = app.test_client()
    page = check_page(client.get("/sign-in"))
    verifications.clear()
    answer = client.post(
        "/sign-in", data={**form_fields(page), "email": email, "password": password}
    )
    assert answer.status_code == status
    assert len(verifications) == 1
    if status == 400:
        assert error_summary(check_page(answer)) == ["The email address or password is not right"]


def test_failures_are_told_apart_only_in_the_audit_log(app, accounts):
    from inquiry.core.audit import AuditEvent

    for email in ("nobody@example.org", "gone@example.org", "active@example.org"):
        sign_in(
            app.test_client(),
            email,
            PASSWORD if email != "active@example.org" else "nope nope nope 1",
        )
    with app.app_context():
        details = list(
            db.session.scalars(
                sa.select(AuditEvent.detail)
                .filter_by(action="sign_in_failed")
                .order_by(AuditEvent.id)
            )
        )
    assert details == ["unknown address", "deactivated", "wrong password"]


@pytest.fixture
def two_networks(app):
    with app.app_context():
        river, hill = make_network(name="Riverside"), make_network(name="Hillside")
        walkers = make_group(river, name="Walkers")
        make_group(hill, name="Hill walkers")
        make_user("coordinator", river, email="coord@example.org")
        make_user("admin", river, email="admin@example.org")
        make_user("facilitator", river, [walkers], email="near@example.org")
        make_user("facilitator", hill, email="far@example.org")
        db.session.commit()
        return walkers.id


def _invite(client, email, group_id):
    page = check_page(client.get("/workspace/people"))
    data = {**form_fields(page), "email": email, "role": "facilitator", "groups": [str(group_id)]}
    if page.select_one("select[name=network]") is not None:
        data["network"] = page.select_one("select[name=network] option[selected]")["value"]
    return client.post("/workspace/people", data=data)


def test_already_has_an_account_only_within_the_coordinators_network(app, two_networks):
    coordinator = app.test_client()
    assert sign_in(coordinator, "coord@example.org").status_code == 302
    near = _invite(coordinator, "near@example.org", two_networks)
    assert near.status_code == 400
    assert error_summary(check_page(near)) == [
        "There is already an account with that email address"
    ]

    # Someone in another network: the invitation is made, as for anyone new.
    far = _invite(coordinator, "Far@Example.org", two_networks)
    assert far.status_code == 200
    link = check_page(far).select_one(".panel-done .link-text").get_text(strip=True)
    path = "/" + link.split("/", 3)[3]
    with app.app_context():
        assert db.session.scalar(sa.select(Invite.email)) == "far@example.org"

    # The person is told when they open it, and signs in with the account they have.
    opened = app.test_client().get(path)
    assert opened.status_code == 200
    page = check_page(opened)
    assert page.h1.get_text() == "You already have an account"
    assert "far@example.org" in page.get_text()
    assert page.select_one("input[type=password]") is None
    assert sign_in(app.test_client(), "far@example.org").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(User).filter_by(email="far@example.org")
            )
            == 1
        )


def test_an_admin_sees_everyone_so_is_told(app, two_networks):
    admin = app.test_client()
    assert sign_in(admin, "admin@example.org").status_code == 302
    far = _invite(admin, "far@example.org", two_networks)
    assert far.status_code == 400
    assert error_summary(check_page(far)) == ["There is already an account with that email address"]
