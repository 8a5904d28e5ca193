"""Signing in and out: rate-limited, renewed at sign-in, really over at sign-out."""

from __future__ import annotations

import pytest

from inquiry.accounts.passwords import password_problem
from inquiry.accounts.services import AccountError, create_user
from inquiry.extensions import db

from ..factories import PASSWORD, make_group, make_user
from ..pages import check_page, error_summary, form_fields


@pytest.fixture
def facilitator(app):
    with app.app_context():
        group = make_group()
        user = make_user("facilitator", group.network, [group], email="fac@example.org")
        return user.email


def sign_in(client, email, password=PASSWORD):
    page = check_page(client.get("/sign-in"))
    return client.post("/sign-in", data={**form_fields(page), "email": email, "password": password})


def test_the_workspace_asks_people_to_sign_in(client):
    response = client.get("/workspace/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_in_and_out(client, facilitator):
    signed_in = sign_in(client, facilitator.upper())
    assert signed_in.status_code == 302
    home = check_page(client.get("/workspace/"))
    assert home.h1.get_text() == "Your groups"
    out = client.post(
        "/sign-out", data={"csrf_token": form_fields(home, "/sign-out")["csrf_token"]}
    )
    assert out.status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_a_copied_cookie_stops_working_after_sign_out(app, client, facilitator):
    sign_in(client, facilitator)
    copied = client.get_cookie("session").value
    home = check_page(client.get("/workspace/"))
    client.post("/sign-out", data={"csrf_token": form_fields(home, "/sign-out")["csrf_token"]})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/workspace/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, facilitator):
    for email, password in ((facilitator, "wrong password here"), ("nobody@example.org", PASSWORD)):
        response = sign_in(client, email, password)
        assert response.status_code == 400
        page = check_page(response)
        assert error_summary(page) == ["The email address or password is not right"]
        assert page.title.string.startswith("Error:")


def test_sign_in_attempts_are_rate_limited(client, facilitator):
    statuses = [sign_in(client, facilitator, f"wrong password {i}").status_code for i in range(6)]
    assert statuses == [400] * 5 + [429]
    assert sign_in(client, facilitator).status_code == 429


def test_the_session_is_renewed_at_sign_in(client, facilitator):
    client.get("/j/NOSUCH")  # leaves nothing useful, but the session may hold other things
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, facilitator)
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "at least 12 characters"),
        ("qwerty123456", "common passwords"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("correct horse battery staple 9", None),
    ],
)
def test_password_rules(app, password, problem):
    with app.test_request_context():
        found = password_problem(password)
    assert (found is None) if problem is None else (problem in found)


def test_create_user_refuses_a_weak_password_and_a_taken_email(ctx):
    group = make_group()
    with pytest.raises(AccountError, match="12 characters"):
        create_user("a@example.org", "short", "facilitator", group.network_id)
    create_user("a@example.org", PASSWORD, "facilitator", group.network_id, [group])
    db.session.commit()
    with pytest.raises(AccountError, match="already an account"):
        create_user("A@example.org", PASSWORD, "facilitator", group.network_id)


def test_create_user_command(app):
    with app.app_context():
        make_group(name="Walkers")
        db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "new@example.org",
            "--role",
            "facilitator",
            "--group",
            "Walkers",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created facilitator new@example.org" in result.output


def test_a_coordinator_invites_a_facilitator_with_a_one_time_link(app, client):
    with app.app_context():
        group = make_group(name="Walkers")
        other = make_group(group.network, name="Choir")
        make_user("coordinator", group.network, email="coord@example.org")
        make_user("facilitator", group.network, [group], email="fac2@example.org")
        db.session.commit()
        group_id, other_name = group.id, other.name
    assert sign_in(client, "coord@example.org").status_code == 302
    page = check_page(client.get("/workspace/people"))
    data = {
        **form_fields(page),
        "email": "New@Example.org",
        "role": "facilitator",
        "groups": [str(group_id)],
    }
    made = client.post("/workspace/people", data=data)
    assert made.status_code == 200
    link = check_page(made).select_one(".panel-done .link-text").get_text()
    path = "/" + link.split("/", 3)[3]
    taken = client.post("/workspace/people", data={**data, "email": "fac2@example.org"})
    assert error_summary(check_page(taken)) == [
        "There is already an account with that email address"
    ]

    newcomer = app.test_client()
    form = check_page(newcomer.get(path))
    weak = newcomer.post(
        path, data={**form_fields(form), "password": "password1234", "confirm": "password1234"}
    )
    assert weak.status_code == 400
    assert "common passwords" in error_summary(check_page(weak))[0]
    differ = newcomer.post(
        path, data={**form_fields(form), "password": PASSWORD, "confirm": PASSWORD + "x"}
    )
    assert error_summary(check_page(differ)) == ["The two passwords are not the same"]
    done = newcomer.post(
        path, data={**form_fields(form), "password": PASSWORD, "confirm": PASSWORD}
    )
    assert done.status_code == 302
    assert newcomer.get(path).status_code == 404  # used once, never again
    assert newcomer.get(path[:-3] + "abc").status_code == 404  # tampered
    assert sign_in(newcomer, "new@example.org").status_code == 302
    home = newcomer.get("/workspace/").get_data(as_text=True)
    assert ">Walkers<" in home and f">{other_name}<" not in home


def test_facilitators_cannot_invite(app, client, facilitator):
    sign_in(client, facilitator)
    assert client.get("/workspace/people").status_code == 404
