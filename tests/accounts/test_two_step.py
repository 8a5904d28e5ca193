"""The second step at sign-in: set up with a real TOTP code (computed with pyotp, as an
authenticator app would), asked for at sign-in, each code once, recovery codes once, and
required for a network's staff at their next sign-in."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from inquiry.accounts.models import RecoveryCode, User
from inquiry.core.audit import AuditEvent
from inquiry.extensions import db

from ..factories import PASSWORD, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields
from .test_login import sign_in

SETUP = "/workspace/account/two-step"


@pytest.fixture
def people(app):
    with app.app_context():
        network = make_network(name="Riverside")
        group = make_group(network, name="Walkers")
        return {
            "facilitator": make_user("facilitator", network, [group], email="fac@example.org").id,
            "coordinator": make_user("coordinator", network, email="coord@example.org").id,
            "admin": make_user("admin", network, email="admin@example.org").id,
            "network": network.id,
        }


def _set_up(client) -> tuple[pyotp.TOTP, list[str]]:
    """Scan the page's key into an "app" and type its code; returns the app and the codes
    (the code typed is kept as the app's `typed`)."""
    page = check_page(client.get(SETUP))
    assert page.select_one("img[alt]")["src"].startswith("data:image/svg+xml")
    totp = pyotp.TOTP(page.select_one("#key").get_text().replace(" ", ""))
    totp.typed = totp.now()
    done = client.post(SETUP, data={**form_fields(page, SETUP), "code": totp.typed})
    assert done.status_code == 200
    shown = check_page(done)
    assert shown.h1.get_text() == "Your recovery codes"
    codes = [li.get_text() for li in shown.select("li.code")]
    assert len(codes) == 10 and all(re.fullmatch(r"\w{4}-\w{4}-\w{4}", c) for c in codes)
    return totp, codes


def _code_step(client, code: str):
    page = check_page(client.get("/sign-in/code"))
    return client.post("/sign-in/code", data={**form_fields(page), "code": code})


def _sign_out(client) -> None:
    home = check_page(client.get("/workspace/account"))
    client.post("/sign-out", data={"csrf_token": form_fields(home, "/sign-out")["csrf_token"]})


def _later(totp: pyotp.TOTP) -> str:
    """The code of the next 30 seconds: the app's code a moment later."""
    return totp.at(time.time() + 30)


def test_setting_up_then_signing_in_with_a_code_each_code_once(app, people):
    client = app.test_client()
    sign_in(client, "fac@example.org")
    wrong = client.post(SETUP, data={**form_fields(check_page(client.get(SETUP))), "code": "1"})
    assert wrong.status_code == 400
    assert error_summary(check_page(wrong))[0].startswith("The code is not right")
    totp, _codes = _set_up(client)
    # The code typed to set it up (asking the app again could give the next 30 seconds').
    first_code = totp.typed
    with app.app_context():
        user = db.session.get(User, people["facilitator"])
        stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
        assert user.totp_secret and all(h.startswith("$argon2") for h in stored)
    # Still signed in here after setting it up.
    assert client.get("/workspace/").status_code == 200
    _sign_out(client)

    password_only = sign_in(client, "fac@example.org")
    assert password_only.headers["Location"].endswith("/sign-in/code")
    assert client.get("/workspace/").status_code == 302  # not signed in yet
    bad = _code_step(client, "000000" if first_code != "000000" else "111111")
    assert bad.status_code == 400
    assert error_summary(check_page(bad)) == ["The code is not right. Check your app and try again"]
    # The code used to set it up was used: it does not work a second time.
    assert _code_step(client, first_code).status_code == 400
    signed_in = _code_step(client, _later(totp))
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/workspace/")
    assert client.get("/workspace/").status_code == 200
    with app.app_context():
        how = db.session.scalars(sa.select(AuditEvent.detail).filter_by(action="signed_in")).all()
        wrong_codes = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .filter_by(action="sign_in_failed", detail="wrong code")
        )
        logged = " ".join(db.session.scalars(sa.select(AuditEvent.detail)))
    assert how == ["", "with the second step"] and wrong_codes == 2
    assert first_code not in logged


def test_a_recovery_code_works_once(app, people):
    client = app.test_client()
    sign_in(client, "fac@example.org")
    _totp, codes = _set_up(client)
    _sign_out(client)
    sign_in(client, "fac@example.org")
    used = _code_step(client, codes[3].lower().replace("-", " "))
    assert used.status_code == 302
    assert "You have 9 left" in check_page(client.get("/workspace/")).select_one(".notice").text
    _sign_out(client)
    sign_in(client, "fac@example.org")
    assert _code_step(client, codes[3]).status_code == 400
    assert _code_step(client, codes[4]).status_code == 302
    page = check_page(client.get("/workspace/account"))
    assert "You have 8 recovery codes left." in page.get_text()


def test_new_recovery_codes_replace_the_old_ones_and_need_the_password(app, people):
    client = app.test_client()
    sign_in(client, "fac@example.org")
    _totp, old = _set_up(client)
    url = "/workspace/account/recovery-codes"
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Make new recovery codes"
    wrong = client.post(url, data={**form_fields(page, url), "current": "not it at all"})
    assert error_summary(check_page(wrong)) == ["Your password is not right"]
    made = client.post(url, data={**form_fields(page, url), "current": PASSWORD})
    new = [li.get_text() for li in check_page(made).select("li.code")]
    assert len(new) == 10 and not set(new) & set(old)
    _sign_out(client)
    sign_in(client, "fac@example.org")
    assert _code_step(client, old[0]).status_code == 400
    assert _code_step(client, new[0]).status_code == 302


def test_too_many_wrong_codes_send_you_back_to_the_password(app, people):
    from inquiry.extensions import limiter

    client = app.test_client()
    sign_in(client, "fac@example.org")
    _set_up(client)
    _sign_out(client)
    limiter.enabled = False  # the per-address limit would stop this first
    try:
        sign_in(client, "fac@example.org")
        statuses = [_code_step(client, "12345x").status_code for _ in range(5)]
        assert statuses == [400] * 4 + [302]
        assert client.get("/sign-in/code").headers["Location"].endswith("/sign-in")
        # And the password alone does not start again for a few minutes.
        again = sign_in(client, "fac@example.org")
        assert again.headers["Location"].endswith("/sign-in")
    finally:
        limiter.enabled = True


def test_turning_it_off_needs_the_password(app, people):
    client = app.test_client()
    sign_in(client, "fac@example.org")
    _set_up(client)
    url = "/workspace/account/two-step/off"
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Turn off the second step"
    done = client.post(url, data={**form_fields(page, url), "current": PASSWORD})
    assert done.status_code == 302
    _sign_out(client)
    assert sign_in(client, "fac@example.org").headers["Location"].endswith("/workspace/")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0


def test_a_network_that_requires_it_asks_its_staff_at_their_next_sign_in(app, people):
    already = app.test_client()
    sign_in(already, "fac@example.org")  # signed in before the change: carries on
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    url = f"/workspace/networks/{people['network']}/edit"
    page = check_page(admin.get(url))
    fields = form_fields(page, url)
    assert "requires_two_step" not in fields
    saved = admin.post(url, data={**fields, "requires_two_step": "y"})
    assert saved.status_code == 302
    home = check_page(admin.get("/workspace/"))
    assert "Required" in home.select_one(f"#network-{people['network']}").get_text()
    assert already.get("/workspace/").status_code == 200

    client = app.test_client()
    first = sign_in(client, "fac@example.org")
    assert first.headers["Location"].endswith(SETUP)
    # Nothing else in the workspace until it is set up.
    for path in ("/workspace/", "/workspace/account", "/workspace/account/password"):
        assert client.get(path).headers["Location"].endswith(SETUP), path
    page = check_page(client.get(SETUP))
    assert "Your network asks everyone" in page.get_text()
    _set_up(client)
    assert client.get("/workspace/").status_code == 200
    # Required, so it cannot be turned off.
    off = client.get("/workspace/account/two-step/off")
    assert off.headers["Location"].endswith("/workspace/account")
    with app.app_context():
        detail = db.session.scalar(
            sa.select(AuditEvent.detail).filter_by(action="edited", object_type="network")
        )
    assert detail == "second step required"


def test_a_coordinator_turns_off_the_second_step_of_someone_who_lost_everything(app, people):
    facilitator = app.test_client()
    sign_in(facilitator, "fac@example.org")
    _set_up(facilitator)
    coordinator = app.test_client()
    sign_in(coordinator, "coord@example.org")
    person = f"/workspace/people/{people['facilitator']}"
    page = check_page(coordinator.get(person))
    assert "On, with 10 recovery codes left" in page.get_text()
    action = f"{person}/two-step/remove"
    assert coordinator.post(action, data=form_fields(page, action)).status_code == 302
    assert facilitator.get("/workspace/").status_code == 302  # signed out everywhere
    assert sign_in(app.test_client(), "fac@example.org").headers["Location"].endswith("/workspace/")
    with app.app_context():
        event = db.session.execute(
            sa.select(AuditEvent.user_id, AuditEvent.object_id).filter_by(action="two_step_off")
        ).one()
    assert tuple(event) == (people["coordinator"], people["facilitator"])
