"""Correcting what the group agreed: change an action, or delete one recorded by mistake."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from inquiry.actions.models import Action
from inquiry.core.audit import AuditEvent
from inquiry.extensions import db

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_user
from ..pages import check_page, error_summary, form_fields


def _action(app, client) -> tuple[int, int]:
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        cycle = make_closed_cycle(group)
        action = Action(cycle_id=cycle.id, what="Meet at ten", who="Sam", theme="shared_aims")
        db.session.add(action)
        db.session.commit()
        ids = cycle.id, action.id
    assert sign_in(client, "f@example.org").status_code == 302
    return ids


def test_an_action_is_changed(app, client):
    cycle_id, action_id = _action(app, client)
    agreed = check_page(client.get(f"/workspace/cycles/{cycle_id}/actions"))
    url = f"/workspace/actions/{action_id}/edit"
    assert agreed.find("a", href=url).get_text(" ", strip=True) == "Change Meet at ten"
    page = check_page(client.get(url))
    assert page.find("input", attrs={"name": "what"})["value"] == "Meet at ten"
    assert page.find("option", selected=True)["value"] == "shared_aims"
    fields = form_fields(page, url)
    empty = client.post(url, data={**fields, "what": " "})
    assert empty.status_code == 400
    assert error_summary(check_page(empty)) == ["Enter what the group agreed to do"]
    saved = client.post(
        url, data={**fields, "what": "Meet at eleven", "who": "", "due_on": "2027-02-01"}
    )
    assert saved.status_code == 302
    assert "Action changed." in client.get(saved.location).get_data(as_text=True)
    with app.app_context():
        action = db.session.get(Action, action_id)
        assert (action.what, action.who, action.due_on) == ("Meet at eleven", "", date(2027, 2, 1))
        assert action.theme == "shared_aims"
        [event] = db.session.scalars(sa.select(AuditEvent).filter_by(action="edited")).all()
        assert (event.object_type, event.object_id, event.detail) == ("action", action_id, "")


def test_an_action_recorded_by_mistake_is_deleted_after_a_confirmation(app, client):
    cycle_id, action_id = _action(app, client)
    url = f"/workspace/actions/{action_id}/delete"
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Delete this action?"
    assert "Meet at ten" in confirm.main.get_text()
    assert client.post(url, data={}).status_code == 400
    with app.app_context():
        assert db.session.get(Action, action_id) is not None
    token = confirm.find("input", attrs={"name": "csrf_token"})["value"]
    deleted = client.post(url, data={"csrf_token": token})
    assert deleted.status_code == 302
    page = check_page(client.get(deleted.location))
    assert "Action deleted." in page.get_text() and "Meet at ten" not in page.get_text()
    with app.app_context():
        assert db.session.get(Action, action_id) is None
        event = db.session.scalar(sa.select(AuditEvent).filter_by(action="deleted"))
        assert (event.object_type, event.object_id) == ("action", action_id)
        assert "Meet" not in event.detail
    assert client.get(f"/workspace/actions/{action_id}/edit").status_code == 404
