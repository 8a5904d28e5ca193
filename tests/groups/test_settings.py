"""A network's threshold k: only an admin changes it, on a small page, and every change is
audited and makes the network's stored PDFs go."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.groups.models import Network
from inquiry.printing.models import PdfDocument

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_network, make_user
from ..pages import check_page, error_summary, form_fields, parse

MESSAGE = "Enter a whole number from 3 to 10"


@pytest.fixture
def world(app):
    """Two networks with a closed cycle and stored PDFs each; an admin, and a coordinator and
    a facilitator of the first network."""
    from inquiry.printing.services import request_pdf

    with app.app_context():
        network, other = make_network(name="Riverside"), make_network(name="Hillside")
        group = make_group(network, name="Allotment")
        mine, theirs = make_closed_cycle(group), make_closed_cycle(make_group(other))
        request_pdf("<p>summary</p>", "mine.pdf", cycle_id=mine.id)
        request_pdf("<p>roll-up</p>", "rollup.pdf", network_id=network.id)
        request_pdf("<p>summary</p>", "theirs.pdf", cycle_id=theirs.id)
        db.session.commit()
        admin = make_user("admin", email="admin@example.org")
        make_user("coordinator", network, email="c@example.org")
        make_user("facilitator", network, [group], email="f@example.org")
        return {"network": network.id, "other": other.id, "admin": admin.id}


def _url(network_id: int) -> str:
    return f"/workspace/networks/{network_id}/settings"


def _state(app, network_id: int) -> tuple:
    with app.app_context():
        return (
            db.session.get(Network, network_id).min_responses,
            db.session.execute(
                sa.select(AuditEvent.user_id, AuditEvent.detail).filter_by(
                    object_type="network", action="edited"
                )
            ).all(),
            sorted(db.session.scalars(sa.select(PdfDocument.filename))),
        )


def _admin(app):
    client = app.test_client()
    assert sign_in(client, "admin@example.org").status_code == 302
    return client


def _post(client, url, value):
    fields = form_fields(parse(client.get(url)), url)
    return client.post(url, data={**fields, "min_responses": value})


def test_an_admin_changes_the_threshold_and_it_is_audited(app, world):
    client, url = _admin(app), _url(world["network"])
    home = check_page(client.get("/workspace/"))
    row = home.find("tr", id=f"network-{world['network']}")
    assert row.th.get_text() == "Riverside" and row.select_one("td.num").get_text() == "5"
    assert row.find("a")["href"] == url

    page = check_page(client.get(url))
    assert page.h1.get_text() == "How many people before we show their answers"
    assert "protects people less" in page.get_text()
    field = page.find("input", attrs={"name": "min_responses"})
    assert field["value"] == "5" and field["inputmode"] == "numeric"
    assert page.find("label", attrs={"for": "min_responses"}).get_text() == (
        "Smallest number of people whose answers we show together"
    )

    saved = _post(client, url, " 3 ")
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/workspace/#network-{world['network']}")
    after = check_page(client.get(saved.headers["Location"]))
    assert "at least 3 people" in after.select_one(".notice").get_text()
    assert after.find("tr", id=f"network-{world['network']}").select_one("td.num").get_text() == "3"
    k, events, pdfs = _state(app, world["network"])
    assert k == 3
    assert events == [(world["admin"], "threshold 5 -> 3")]
    # The summary and roll-up PDFs that applied 5 are gone; the other network's stays.
    assert pdfs == ["theirs.pdf"]
    assert _state(app, world["other"])[0] == 5

    same = _post(client, url, "3")
    assert same.status_code == 302
    assert "Nothing changed" in parse(client.get("/workspace/")).select_one(".notice").get_text()
    assert len(_state(app, world["network"])[1]) == 1


@pytest.mark.parametrize("value", ["2", "11", "", "abc", "4.5", "-3", "٣", "3 4", "9" * 5000])
def test_a_threshold_out_of_range_is_refused_and_changes_nothing(app, world, value):
    client, url = _admin(app), _url(world["network"])
    before = _state(app, world["network"])
    refused = _post(client, url, value)
    assert refused.status_code == 400
    page = check_page(refused)
    assert page.title.get_text().startswith("Error:")
    assert error_summary(page) == [MESSAGE]
    assert page.select_one(".error-summary a")["href"] == "#min_responses"
    assert page.find(id="min_responses-error").get_text(" ", strip=True) == f"Error: {MESSAGE}"
    assert "min_responses-error" in page.find("input", id="min_responses")["aria-describedby"]
    # What was typed comes back, but never more than a threshold could be.
    assert len(page.find("input", id="min_responses")["value"]) <= 4
    assert _state(app, world["network"]) == before


def test_changing_the_threshold_needs_the_csrf_token(app, world):
    client, url = _admin(app), _url(world["network"])
    before = _state(app, world["network"])
    refused = client.post(url, data={"min_responses": "3"})
    assert refused.status_code == 400
    assert _state(app, world["network"]) == before


@pytest.mark.parametrize("email", ["c@example.org", "f@example.org"])
def test_coordinators_and_facilitators_get_a_404(app, world, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    home = client.get("/workspace/")
    token = parse(home).find("input", attrs={"name": "csrf_token"})["value"]
    assert "settings" not in home.get_data(as_text=True)
    before = _state(app, world["network"])
    for network_id in (world["network"], world["other"], 999999):
        assert client.get(_url(network_id)).status_code == 404
        posted = client.post(_url(network_id), data={"csrf_token": token, "min_responses": "3"})
        assert posted.status_code == 404
    assert _state(app, world["network"]) == before


def test_an_unknown_network_is_a_404_for_an_admin(app, world):
    assert _admin(app).get(_url(999999)).status_code == 404
