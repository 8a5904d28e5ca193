"""Hostile input against the people and account forms: never a 500, never a change from a
refused form, and whatever is shown back is escaped and short."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry.accounts.models import User
from inquiry.extensions import db, limiter
from inquiry.groups.models import Network

from ..factories import PASSWORD, make_group, make_network, make_user
from ..pages import form_fields, parse
from ..test_hostile import NASTY, OK, _escaped
from .test_login import sign_in

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
FORMS = {
    "/workspace/people": ["email", "role", "network", "groups"],
    "/workspace/people/{person}": ["role", "groups"],
    "/workspace/account/password": ["current", "password", "confirm"],
    "/workspace/account/two-step": ["code"],
    "/workspace/networks/new": ["name", "requires_two_step"],
    "/workspace/networks/{network}/edit": ["name", "requires_two_step"],
}


@pytest.mark.parametrize("url", list(FORMS))
def test_people_forms_survive_anything(app, url):
    with app.app_context():
        network = make_network(name="Riverside")
        group = make_group(network, name="Walkers")
        make_user("admin", network, email="admin@example.org")
        person = make_user("facilitator", network, [group], email="fac@example.org").id
        network_id = network.id
    client = app.test_client()
    sign_in(client, "admin@example.org")
    path = url.format(person=person, network=network_id)
    token = form_fields(parse(client.get("/workspace/account")), "/sign-out")["csrf_token"]

    @settings(
        max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.fixed_dictionaries({name: values for name in FORMS[url]}))
    def attempt(data):
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code in OK, response.status_code
        body = response.get_data(as_text=True)
        _escaped(body)
        assert "x" * 256 not in body  # nothing typed comes back past its field's limit
        with app.app_context():
            fac = db.session.get(User, person)
            admin = db.session.scalar(sa.select(User).filter_by(email="admin@example.org"))
            # A password change needs the right current password: never by accident here.
            assert admin.check_password(PASSWORD)
            assert fac.role in ("facilitator", "coordinator", "admin")
            assert all(n.name.strip() for n in db.session.scalars(sa.select(Network)))

    limiter.enabled = False
    try:
        attempt()
    finally:
        limiter.enabled = True


def test_the_sign_in_code_page_survives_anything(app):
    with app.app_context():
        user = make_user("facilitator", make_network(), email="fac@example.org")
        user.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        db.session.commit()
    client = app.test_client()
    sign_in(client, "fac@example.org")
    token = form_fields(parse(client.get("/sign-in/code")))["csrf_token"]

    @settings(
        max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(code=values)
    def attempt(code):
        response = client.post("/sign-in/code", data={"code": code, "csrf_token": token})
        assert response.status_code in OK, response.status_code
        _escaped(response.get_data(as_text=True))
        assert client.get("/workspace/").status_code == 302  # never signed in by junk

    limiter.enabled = False
    try:
        attempt()
    finally:
        limiter.enabled = True
