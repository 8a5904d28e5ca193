"""Looking after people: reset links, roles and groups, deactivation, revoking invitations,
changing one's own password; every change audited, never a secret."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inquiry.accounts.models import Invite, PasswordReset, User
from inquiry.core.audit import AuditEvent
from inquiry.core.models import utcnow
from inquiry.extensions import db

from ..factories import PASSWORD, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields
from .test_login import sign_in

NEW_PASSWORD = "plum orchard lantern quietly 7"


@pytest.fixture
def team(app):
    """A network with two groups, its coordinator and a facilitator of one group; another
    network with its own facilitator; an admin of the first network."""
    with app.app_context():
        network = make_network(name="Riverside")
        walkers, choir = make_group(network, name="Walkers"), make_group(network, name="Choir")
        other = make_network(name="Hillside")
        hill = make_group(other, name="Hill walkers")
        ids = {
            "coordinator": make_user("coordinator", network, email="coord@example.org").id,
            "facilitator": make_user("facilitator", network, [walkers], email="fac@example.org").id,
            "elsewhere": make_user("facilitator", other, [hill], email="far@example.org").id,
            "admin": make_user("admin", network, email="admin@example.org").id,
            "walkers": walkers.id,
            "choir": choir.id,
            "network": network.id,
        }
    return ids


def _signed_in(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def _press(client, page_url, action, data=None):
    """Press a button (or send a form) on a page as a browser would."""
    page = check_page(client.get(page_url))
    fields = form_fields(page, action)
    return client.post(action, data={**fields, **(data or {})})


def _events(app, action):
    with app.app_context():
        return list(
            db.session.execute(
                sa.select(AuditEvent.user_id, AuditEvent.object_id, AuditEvent.detail).filter_by(
                    action=action
                )
            )
        )


def _reset_path(page) -> str:
    link = page.select_one(".panel-done .link-text").get_text(strip=True)
    return "/" + link.split("/", 3)[3]


def test_a_reset_link_works_once_and_only_its_hash_is_kept(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    person = f"/workspace/people/{team['facilitator']}"
    made = _press(coordinator, person, f"{person}/reset")
    assert made.status_code == 200
    path = _reset_path(check_page(made))
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(sa.select(PasswordReset)).one()
        assert token not in stored.token_hash and len(stored.token_hash) == 64
    # Shown once: the person's page does not show it again.
    assert token not in coordinator.get(person).get_data(as_text=True)

    facilitator = _signed_in(app, "fac@example.org")  # a session from before the reset
    them = app.test_client()
    form = check_page(them.get(path))
    assert "fac@example.org" in form.get_text()
    short = them.post(path, data={**form_fields(form), "password": "short", "confirm": "short"})
    assert short.status_code == 400
    assert "at least 12 characters" in error_summary(check_page(short))[0]
    done = them.post(
        path, data={**form_fields(form), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/sign-in")
    # Used twice: refused, and the password stays the new one.
    again = them.get(path)
    assert again.status_code == 404
    assert check_page(again).h1.get_text() == "This link cannot be used"
    token = form_fields(check_page(them.get("/sign-in")))["csrf_token"]
    refused = them.post(path, data={"csrf_token": token, "password": PASSWORD, "confirm": PASSWORD})
    assert refused.status_code == 404
    assert sign_in(them, "fac@example.org").status_code == 400
    assert sign_in(them, "fac@example.org", NEW_PASSWORD).status_code == 302
    # The session from before the reset is over.
    assert facilitator.get("/workspace/").status_code == 302
    assert [e.user_id for e in _events(app, "reset_link_made")] == [team["coordinator"]]
    assert [e.object_id for e in _events(app, "password_reset")] == [team["facilitator"]]


def test_a_reset_link_expires_and_a_newer_one_replaces_it(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    person = f"/workspace/people/{team['facilitator']}"
    first = _reset_path(check_page(_press(coordinator, person, f"{person}/reset")))
    second = _reset_path(check_page(_press(coordinator, person, f"{person}/reset")))
    client = app.test_client()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    with app.app_context():
        db.session.execute(sa.update(PasswordReset).values(expires_at=utcnow() - timedelta(1)))
        db.session.commit()
    assert client.get(second).status_code == 404
    assert client.get("/reset/not-a-real-token").status_code == 404


def test_deactivating_ends_a_live_session_at_once_and_reactivating_lets_them_back(app, team):
    facilitator = _signed_in(app, "fac@example.org")
    assert facilitator.get("/workspace/").status_code == 200
    coordinator = _signed_in(app, "coord@example.org")
    person = f"/workspace/people/{team['facilitator']}"
    done = _press(coordinator, person, f"{person}/deactivate")
    assert done.status_code == 302
    page = check_page(coordinator.get(person))
    assert "can no longer sign in" in page.select_one(".notice").get_text()
    assert "Deactivated" in page.get_text()
    # The facilitator's next request, in their own browser, finds them signed out.
    assert facilitator.get("/workspace/").status_code == 302
    again = app.test_client()
    refused = sign_in(again, "fac@example.org")
    assert refused.status_code == 400
    assert error_summary(check_page(refused)) == ["The email address or password is not right"]
    # No reset link for a deactivated account.
    assert "Make a password reset link" not in page.get_text()
    assert _press(coordinator, person, f"{person}/reactivate").status_code == 302
    assert sign_in(again, "fac@example.org").status_code == 302
    assert [e.object_id for e in _events(app, "deactivated")] == [team["facilitator"]]
    assert [e.object_id for e in _events(app, "reactivated")] == [team["facilitator"]]
    failed = _events(app, "sign_in_failed")
    assert [(e.object_id, e.detail) for e in failed] == [(team["facilitator"], "deactivated")]


def test_a_coordinator_changes_role_and_groups_but_never_makes_an_admin(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    person = f"/workspace/people/{team['facilitator']}"
    page = check_page(coordinator.get(person))
    roles = [i["value"] for i in page.select("input[name=role]")]
    assert roles == ["facilitator", "coordinator"]
    admin = _press(coordinator, person, person, {"role": "admin"})
    assert admin.status_code == 400
    assert error_summary(check_page(admin)) == ["Choose their role"]
    other_network = _press(coordinator, person, person, {"groups": ["999999"]})
    assert other_network.status_code == 400
    both = _press(
        coordinator, person, person, {"groups": [str(team["walkers"]), str(team["choir"])]}
    )
    assert both.status_code == 302
    promoted = _press(coordinator, person, person, {"role": "coordinator"})
    assert promoted.status_code == 302
    with app.app_context():
        user = db.session.get(User, team["facilitator"])
        assert user.role == "coordinator"
        assert sorted(g.name for g in user.groups) == ["Choir", "Walkers"]
    details = [e.detail for e in _events(app, "role_changed")]
    assert details == ["groups: Choir, Walkers", "role facilitator -> coordinator"]
    nothing = _press(coordinator, person, person)
    assert nothing.status_code == 302
    assert "Nothing changed" in coordinator.get(person).get_data(as_text=True)


def test_an_admin_makes_an_admin_and_cannot_change_their_own_account_here(app, team):
    admin = _signed_in(app, "admin@example.org")
    person = f"/workspace/people/{team['coordinator']}"
    assert _press(admin, person, person, {"role": "admin"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, team["coordinator"]).role == "admin"
    own = f"/workspace/people/{team['admin']}"
    assert admin.get(own).headers["Location"].endswith("/workspace/account")
    token = form_fields(check_page(admin.get(person)), f"{person}/reset")["csrf_token"]
    for action in ("/deactivate", "/reset", "/two-step/remove"):
        assert admin.post(own + action, data={"csrf_token": token}).status_code == 404


def test_invitations_can_be_revoked(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    page = check_page(coordinator.get("/workspace/people"))
    made = coordinator.post(
        "/workspace/people",
        data={**form_fields(page, "/workspace/people"), "email": "new@example.org"},
    )
    link = check_page(made).select_one(".panel-done .link-text").get_text(strip=True)
    path = "/" + link.split("/", 3)[3]
    with app.app_context():
        invite_id = db.session.scalars(sa.select(Invite.id)).one()
    people = check_page(coordinator.get("/workspace/people"))
    row = people.select_one(f"#invite-{invite_id}")
    assert "new@example.org" in row.get_text()
    revoke = f"/workspace/invites/{invite_id}/revoke"
    assert coordinator.post(revoke, data=form_fields(people, revoke)).status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert (
        check_page(coordinator.get("/workspace/people")).select_one(f"#invite-{invite_id}") is None
    )
    assert [e.user_id for e in _events(app, "revoked")] == [team["coordinator"]]


def test_a_new_invitation_to_the_same_address_replaces_the_old_one(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    links = []
    for _ in range(2):
        page = check_page(coordinator.get("/workspace/people"))
        made = coordinator.post(
            "/workspace/people",
            data={**form_fields(page, "/workspace/people"), "email": "twice@example.org"},
        )
        link = check_page(made).select_one(".panel-done .link-text").get_text(strip=True)
        links.append("/" + link.split("/", 3)[3])
    client = app.test_client()
    assert [client.get(link).status_code for link in links] == [404, 200]


def test_changing_your_own_password_needs_the_current_one(app, team):
    client = _signed_in(app, "fac@example.org")
    other_device = _signed_in(app, "fac@example.org")
    url = "/workspace/account/password"
    page = check_page(client.get(url))
    fields = form_fields(page, url)
    wrong = client.post(
        url,
        data={
            **fields,
            "current": "not my password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400
    assert error_summary(check_page(wrong)) == ["Your current password is not right"]
    weak = client.post(
        url, data={**fields, "current": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert "at least 12 characters" in error_summary(check_page(weak))[0]
    done = client.post(
        url,
        data={**fields, "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    # This session goes on; every other one ends.
    assert client.get("/workspace/").status_code == 200
    assert other_device.get("/workspace/").status_code == 302
    assert sign_in(app.test_client(), "fac@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.get(User, team["facilitator"]).password_hash.startswith("$argon2")
    assert [e.object_id for e in _events(app, "password_changed")] == [team["facilitator"]]


def test_sign_ins_are_audited_without_what_was_typed(app, team):
    client = app.test_client()
    sign_in(client, "fac@example.org", "my wrong guess 1")
    sign_in(client, "nobody@example.org", "another guess 22")
    sign_in(client, "fac@example.org")
    failed = _events(app, "sign_in_failed")
    assert [(e.user_id, e.detail) for e in failed] == [
        (team["facilitator"], "wrong password"),
        (None, "unknown address"),
    ]
    assert [e.user_id for e in _events(app, "signed_in")] == [team["facilitator"]]
    with app.app_context():
        logged = " ".join(
            f"{d} {t}"
            for d, t in db.session.execute(sa.select(AuditEvent.detail, AuditEvent.object_type))
        )
    for secret in ("guess", "nobody@", PASSWORD):
        assert secret not in logged


def test_the_people_page_shows_status_and_links_only_to_those_one_may_look_after(app, team):
    coordinator = _signed_in(app, "coord@example.org")
    page = check_page(coordinator.get("/workspace/people"))
    links = {a.get_text() for a in page.select("table a")}
    assert links == {"coord@example.org", "fac@example.org"}  # not the admin, not elsewhere
    assert "far@example.org" not in page.get_text()
    admin = _signed_in(app, "admin@example.org")
    page = check_page(admin.get("/workspace/people"))
    assert {a.get_text() for a in page.select("table a")} == {
        "admin@example.org",
        "coord@example.org",
        "fac@example.org",
        "far@example.org",
    }
    assert [o.get_text() for o in page.select("select#network option")] == [
        "Hillside",
        "Riverside",
    ]


def test_archived_groups_are_offered_only_to_someone_who_already_has_them(app, team):
    from inquiry.groups.models import Group

    with app.app_context():
        for group_id in (team["walkers"], team["choir"]):
            db.session.get(Group, group_id).archived_at = utcnow()
        db.session.commit()
    coordinator = _signed_in(app, "coord@example.org")
    page = check_page(coordinator.get(f"/workspace/people/{team['facilitator']}"))
    offered = [i["value"] for i in page.select("input[name=groups]")]
    assert offered == [str(team["walkers"])]  # theirs, archived; not the archived Choir
    invite = check_page(coordinator.get("/workspace/people"))
    assert invite.select("input[name=groups]") == []
    refused = _press(
        coordinator,
        f"/workspace/people/{team['facilitator']}",
        f"/workspace/people/{team['facilitator']}",
        {"groups": [str(team["choir"])]},
    )
    assert refused.status_code == 400
    with app.app_context():  # and the facilitator keeps the group they had
        kept = db.session.get(User, team["facilitator"]).groups
        assert [g.id for g in kept] == [team["walkers"]]
