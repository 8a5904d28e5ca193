"""The workspace side of retention (the network's settings, what goes when, erasing a cycle on
request) and the member side (the privacy notice and accessibility statement)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.groups.models import Network
from inquiry.responses.models import Response
from inquiry.retention.models import SummarySnapshot

from ..accounts.test_login import sign_in
from ..factories import make_group, make_network, make_open_cycle, make_user
from ..pages import check_page, error_summary, form_fields, parse
from .helpers import WORDS, cycle_with_answers


def _responses(app, cycle_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Response).where(Response.cycle_id == cycle_id)
        )


def _snapshot(app, cycle_id: int) -> dict | None:
    with app.app_context():
        snapshot = db.session.get(SummarySnapshot, cycle_id)
        if snapshot is None:
            return None
        return {
            "reason": snapshot.reason,
            "by": snapshot.deleted_by_id,
            "summary": snapshot.summary,
            "summary_deleted_at": snapshot.summary_deleted_at,
        }


def _details(app) -> list[str]:
    with app.app_context():
        return [e.detail for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def _text(page) -> str:
    return " ".join(page.get_text().split())


# The network's settings page.


def _admin_and_network(app, **network) -> tuple[str, int]:
    with app.app_context():
        network_id = make_network(name="Riverside", **network).id
        return make_user("admin").email, network_id


def test_an_admin_sets_the_retention_period_and_contact_details(app, client):
    email, network_id = _admin_and_network(app)
    sign_in(client, email)
    url = f"/workspace/networks/{network_id}/settings"
    page = check_page(client.get(url))
    data = form_fields(page, url)
    assert data["retention_months"] == "" and data["min_responses"] == "5"
    data.update(
        retention_months="24",
        organisation_name="Riverside Mind",
        contact_email="privacy@riverside.example",
        contact_phone="0161 496 0000",
        contact_address="1 High Street\nManchester",
    )
    saved = client.post(url, data=data)
    assert saved.status_code == 302, error_summary(parse(saved))
    assert "Changes saved." in _text(parse(client.get("/workspace/")))
    with app.app_context():
        network = db.session.get(Network, network_id)
        assert network.retention_months == 24
        assert network.contact_address == "1 High Street\nManchester"
    details = _details(app)
    assert "retention None -> 24 months" in details
    # The log names what changed, never the details themselves.
    assert not any("privacy@" in d or "High Street" in d for d in details)
    # Shown back as saved; blank keeps answers until someone deletes them.
    page = check_page(client.get(url))
    assert form_fields(page, url)["retention_months"] == "24"
    assert form_fields(page, url)["contact_address"] == "1 High Street\nManchester"
    data["retention_months"] = ""
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Network, network_id).retention_months is None


MONTHS = "Enter a whole number of months from 1 to 240, or leave it empty"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("retention_months", "0", MONTHS),
        ("retention_months", "241", MONTHS),
        ("retention_months", "two years", MONTHS),
        ("contact_email", "not an address", "Enter an email address like name@example.org"),
        ("contact_phone", "0" * 60, "Keep this to 50 characters or fewer"),
    ],
)
def test_bad_settings_are_refused_in_words_and_change_nothing(app, client, field, value, message):
    email, network_id = _admin_and_network(app, retention_months=12)
    sign_in(client, email)
    url = f"/workspace/networks/{network_id}/settings"
    data = form_fields(check_page(client.get(url)), url)
    data[field] = value
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    page = check_page(refused)
    assert error_summary(page) == [message]
    assert page.title.string.startswith("Error:")
    with app.app_context():
        assert db.session.get(Network, network_id).retention_months == 12
    assert not [d for d in _details(app) if "retention" in d or "privacy" in d]


# What goes when.


def test_the_plan_says_what_goes_when(app, client):
    with app.app_context():
        cycle = cycle_with_answers(months=24)
        make_open_cycle(cycle.group, title="Summer")
        email = make_user("coordinator", cycle.group.network).email
        cycle_id, network_id = cycle.id, cycle.group.network_id
    sign_in(client, email)
    home = check_page(client.get("/workspace/"))
    assert home.find("a", href=f"/workspace/networks/{network_id}/retention")
    page = check_page(client.get(f"/workspace/networks/{network_id}/retention"))
    rows = [" ".join(tr.get_text(" ").split()) for tr in page.select("tbody tr")]
    assert rows[0].startswith("Walking group Spring Will be deleted on 15 January 2028")
    assert rows[1].startswith("Walking group Summer Not closed yet")
    assert "Answers are deleted 24 months after a cycle closes." in _text(page)
    assert page.find("a", href=f"/workspace/cycles/{cycle_id}/erase")


# Erasing a cycle's answers on request.


def _closed_cycle_and(app, role: str) -> tuple[int, str, int]:
    with app.app_context():
        cycle = cycle_with_answers(months=None)
        user = make_user(role, cycle.group.network if role != "admin" else None)
        return cycle.id, user.email, user.id


def test_a_coordinator_erases_a_cycles_answers_and_keeps_the_figures(app, client):
    cycle_id, email, user_id = _closed_cycle_and(app, "coordinator")
    sign_in(client, email)
    url = f"/workspace/cycles/{cycle_id}/erase"
    page = check_page(client.get(url))
    text = _text(page)
    assert "6 responses, with every answer in them (13 answers in all)" in text
    assert "1 approved quote" in text and "Every choice people made of agenda topics" in text
    assert "2 agenda" not in text  # a vote count the summary may withhold
    assert "What stays" in text and "This cannot be undone." in text

    # No choice made: said in words, nothing deleted.
    data = form_fields(page, url)
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    assert error_summary(check_page(refused)) == ["Choose whether to keep the summary's figures"]
    assert _responses(app, cycle_id) == 6

    done = client.post(url, data={**data, "summary": "keep"})
    assert done.status_code == 302
    assert _responses(app, cycle_id) == 0
    snapshot = _snapshot(app, cycle_id)
    assert snapshot["reason"] == "request" and snapshot["by"] == user_id
    summary = _text(check_page(client.get(f"/workspace/cycles/{cycle_id}/summary")))
    assert "The answers were deleted on" in summary and "on request" in summary
    assert "6 group members" in summary and WORDS not in summary
    assert any(d.startswith("answers on request: responses: 6,") for d in _details(app))

    # Then the summary too, from the same page.
    page = check_page(client.get(url))
    assert page.h1.get_text() == "Delete the summary of this cycle"
    assert client.post(url, data=form_fields(page, url)).status_code == 302
    gone = client.get(f"/workspace/cycles/{cycle_id}/summary")
    assert gone.status_code == 410
    assert check_page(gone).h1.get_text() == "This summary was deleted"
    assert client.get(f"/workspace/cycles/{cycle_id}/summary.json").status_code == 410
    assert client.get(f"/workspace/cycles/{cycle_id}/summary.pdf").status_code == 410
    page = check_page(client.get(url))
    assert page.h1.get_text() == "The answers and the summary were deleted"
    assert page.find("form", action=url) is None


def test_choosing_to_delete_the_summary_too_keeps_no_figures(app, client):
    cycle_id, email, _user_id = _closed_cycle_and(app, "admin")
    sign_in(client, email)
    url = f"/workspace/cycles/{cycle_id}/erase"
    data = {**form_fields(check_page(client.get(url)), url), "summary": "delete"}
    assert client.post(url, data=data).status_code == 302
    snapshot = _snapshot(app, cycle_id)
    assert snapshot["summary"] is None and snapshot["summary_deleted_at"] is not None
    assert _responses(app, cycle_id) == 0
    assert client.get(f"/workspace/cycles/{cycle_id}/summary.csv").status_code == 410


def test_an_open_cycle_is_closed_first(app, client):
    with app.app_context():
        network = make_network()
        cycle_id = make_open_cycle(make_group(network)).id
        email = make_user("coordinator", network).email
    sign_in(client, email)
    url = f"/workspace/cycles/{cycle_id}/erase"
    page = check_page(client.get(url))
    assert "This cycle is not closed. Close it first" in _text(page)
    assert page.find("form", action=url) is None
    token = parse(client.get("/workspace/")).find("input", attrs={"name": "csrf_token"})["value"]
    refused = client.post(url, data={"csrf_token": token, "summary": "keep"})
    assert refused.status_code == 409
    assert _snapshot(app, cycle_id) is None


# The member side.


def test_every_member_page_links_to_the_notices_and_sign_in(client):
    page = check_page(client.get("/"))
    footer = page.find("footer")
    links = {a.get_text(): a["href"] for a in footer.find_all("a")}
    assert links["Privacy"] == "/privacy"
    assert links["Accessibility"] == "/accessibility"
    assert links["Sign in (staff)"] == "/sign-in"


def test_the_general_notices_name_the_operator(app, client):
    app.config["OPERATOR_NAME"] = "Inquiry Hosting Co-op"
    try:
        privacy = _text(check_page(client.get("/privacy")))
        statement = _text(check_page(client.get("/accessibility")))
    finally:
        app.config.pop("OPERATOR_NAME")
    assert "Inquiry Hosting Co-op looks after the answers you give here." in privacy
    assert "at least 5 people have answered" in privacy
    assert "until we delete them, or until you ask us to" in privacy
    assert "Ask your group's facilitator" in privacy
    assert "WCAG) 2.2 at level AA" in statement and "JavaScript turned off" in statement
    assert "320 pixels wide" in statement and "screen readers" in statement
    assert "large print" in statement and "Inquiry Hosting Co-op will reply" in statement


def test_a_member_who_joined_sees_their_networks_details(app, client):
    with app.app_context():
        network = make_network(
            name="Riverside",
            min_responses=4,
            retention_months=24,
            organisation_name="Riverside Mind",
            contact_email="privacy@riverside.example",
            contact_address="1 High Street\nManchester",
        )
        code = make_open_cycle(make_group(network)).active_code("member")
    assert client.get(f"/j/{code}").status_code == 302
    page = check_page(client.get("/privacy"))
    text = _text(page)
    assert "Riverside Mind looks after the answers you give here." in text
    assert "at least 4 people have answered" in text
    assert "We delete your answers 24 months after the reflection closes." in text
    assert page.find("a", href="mailto:privacy@riverside.example")
    assert "1 High Street" in text and "Manchester" in text
    statement = _text(check_page(client.get("/accessibility")))
    assert "Riverside Mind will reply" in statement and "privacy@riverside.example" in statement


def test_the_notices_are_plain_words():
    import textstat
    from bs4 import BeautifulSoup

    from inquiry import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LINK_KEY": "y", "SERVER_NAME": None})
    with app.test_request_context():
        from flask import render_template

        for name in ("privacy", "accessibility"):
            html = render_template(
                f"retention/{name}.html", network=None, name="We", k=5, months=24
            )
            main = BeautifulSoup(html, "html.parser").find("main").get_text(" ")
            assert textstat.flesch_reading_ease(main) >= 70, name
