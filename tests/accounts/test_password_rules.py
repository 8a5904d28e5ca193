"""Passwords made of the person's own address or their network's name are refused, in plain
words, on every form that sets one: accepting an invitation, a reset link, changing one's own
password and the setup command."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.accounts.models import User
from inquiry.accounts.passwords import email_parts, name_parts, password_problem
from inquiry.extensions import db

from ..factories import PASSWORD, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields
from .test_login import sign_in


@pytest.mark.parametrize(
    "password, email, network, refused",
    [
        # The issue's own example: the address's local part, as it is.
        ("invitee-coord1", "invitee-coord1@example.org", "", "invitee-coord1"),
        ("Invitee-Coord1 sails west", "invitee-coord1@example.org", "", "invitee-coord1"),
        ("my inviteecoord1 stays", "invitee-coord1@example.org", "", "inviteecoord1"),
        # A word of the local part, and the domain without its top-level part.
        ("maple JANE tortoise 42", "jane.okafor@example.org", "", "jane"),
        ("orange EXAMPLE forest 77", "sam@example.org", "", "example"),
        ("quiet harbourtrust rain 5", "sam@harbourtrust.org.uk", "", "harbourtrust"),
        # The network's name: whole, run together, or a word of it.
        ("the riverside lantern 61", "sam@mail.net", "Riverside Network", "riverside"),
        ("RiversideNetwork 2026 plum", "sam@mail.net", "Riverside Network", "riversidenetwork"),
    ],
)
def test_a_password_made_of_the_address_or_network_is_refused(
    app, password, email, network, refused
):
    with app.test_request_context():
        problem = password_problem(password, email=email, network_name=network)
    assert problem is not None and f"“{refused}”" in problem


@pytest.mark.parametrize(
    "password, email, network",
    [
        # Parts under four letters do not count: "bob", "org", "co" and "net" are everywhere.
        ("bobcat orchard lantern 7", "bob@co.uk", "Oak"),
        ("correct horse battery staple 9", "sam@example.org", "Riverside Network"),
    ],
)
def test_short_parts_do_not_count(app, password, email, network):
    with app.test_request_context():
        assert password_problem(password, email=email, network_name=network) is None


def test_the_parts_that_count(app):
    assert email_parts("Jane.Okafor@Mail.Example.org") == [
        "jane.okafor",
        "janeokafor",
        "jane",
        "okafor",
        "mail",
        "example",
    ]
    assert name_parts("Hill & Dale Trust") == [
        "hill & dale trust",
        "hilldaletrust",
        "hill",
        "dale",
        "trust",
    ]


@pytest.fixture
def riverside(app):
    with app.app_context():
        network = make_network(name="Riverside")
        group = make_group(network, name="Walkers")
        make_user("coordinator", network, email="coord@example.org")
        make_user("facilitator", network, [group], email="fac@charity.org")
        db.session.commit()
        return group.id


def _invite(client, email, group_id) -> str:
    page = check_page(client.get("/workspace/people"))
    made = client.post(
        "/workspace/people",
        data={
            **form_fields(page),
            "email": email,
            "role": "facilitator",
            "groups": [str(group_id)],
        },
    )
    assert made.status_code == 200
    link = check_page(made).select_one(".panel-done .link-text").get_text(strip=True)
    return "/" + link.split("/", 3)[3]


def _set(client, path, password):
    form = check_page(client.get(path))
    return client.post(path, data={**form_fields(form), "password": password, "confirm": password})


def test_accepting_an_invitation_refuses_the_address_and_the_network(app, riverside):
    coordinator = app.test_client()
    assert sign_in(coordinator, "coord@example.org").status_code == 302
    path = _invite(coordinator, "amira.haddad@example.org", riverside)
    newcomer = app.test_client()
    for password, part in (
        ("amira haddad is here 2026", "amira"),
        ("Riverside walkers 4ever ok", "riverside"),
        ("sunny example meadow 31", "example"),
    ):
        refused = _set(newcomer, path, password)
        assert refused.status_code == 400
        page = check_page(refused)
        assert part in error_summary(page)[0]
        assert page.title.string.startswith("Error:")
    with app.app_context():
        assert (
            db.session.scalar(sa.select(User.id).filter_by(email="amira.haddad@example.org"))
            is None
        )
    assert _set(newcomer, path, PASSWORD).status_code == 302


def test_a_reset_link_and_a_change_refuse_them_too(app, riverside):
    coordinator = app.test_client()
    assert sign_in(coordinator, "coord@example.org").status_code == 302
    with app.app_context():
        fac_id = db.session.scalar(sa.select(User.id).filter_by(email="fac@charity.org"))
    person = f"/workspace/people/{fac_id}"
    page = check_page(coordinator.get(person))
    made = coordinator.post(f"{person}/reset", data=form_fields(page, f"{person}/reset"))
    link = check_page(made).select_one(".panel-done .link-text").get_text(strip=True)
    path = "/" + link.split("/", 3)[3]
    them = app.test_client()
    refused = _set(them, path, "charity work matters 99")
    assert refused.status_code == 400
    assert "“charity”" in error_summary(check_page(refused))[0]

    facilitator = app.test_client()
    assert sign_in(facilitator, "fac@charity.org").status_code == 302
    url = "/workspace/account/password"
    fields = form_fields(check_page(facilitator.get(url)), url)
    changed = facilitator.post(
        url,
        data={
            **fields,
            "current": PASSWORD,
            "password": "RIVERSIDE owl 1234",
            "confirm": "RIVERSIDE owl 1234",
        },
    )
    assert changed.status_code == 400
    assert "network's name" in error_summary(check_page(changed))[0]
    # Nothing changed: the old password still signs in.
    assert sign_in(app.test_client(), "fac@charity.org").status_code == 302


def test_setup_refuses_them(app):
    for password, part in (
        ("riverside community 8x", "riverside community"),
        ("okafor owns llamas 55", "okafor"),
    ):
        result = app.test_cli_runner().invoke(
            args=["setup", "--network", "Riverside Community", "--admin", "n.okafor@example.org"],
            env={"INQUIRY_SETUP_PASSWORD": password},
        )
        assert result.exit_code != 0 and f"“{part}”" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(User.id)) is None
