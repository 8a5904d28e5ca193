"""Archiving a group that has stopped meeting: out of the lists, no new cycles, history kept,
and back again."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.groups.models import Group

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_open_cycle, make_user
from ..pages import check_page, parse


def _groups(app) -> tuple[int, int, int]:
    with app.app_context():
        allotment = make_group(name="Allotment")
        choir = make_group(allotment.network, name="Choir")
        make_user("facilitator", allotment.network, [allotment, choir], email="f@example.org")
        closed = make_closed_cycle(allotment, title="Spring")
        make_open_cycle(choir)
        return allotment.id, choir.id, closed.id


def _token(client) -> str:
    return parse(client.get("/workspace/")).find("input", attrs={"name": "csrf_token"})["value"]


def test_an_archived_group_leaves_the_list_keeps_its_history_and_comes_back(app, client):
    allotment, _choir, spring = _groups(app)
    assert sign_in(client, "f@example.org").status_code == 302
    url = f"/workspace/groups/{allotment}/archive"
    home = check_page(client.get("/workspace/"))
    assert home.find("a", href=url) is not None
    confirm = check_page(client.get(url))
    assert confirm.h1.get_text() == "Archive Allotment?"
    assert client.post(url, data={}).status_code == 400
    token = confirm.find("input", attrs={"name": "csrf_token"})["value"]
    archived = client.post(url, data={"csrf_token": token})
    assert archived.status_code == 302
    home = check_page(client.get("/workspace/"))
    assert [h.get_text() for h in home.select("section h2")] == ["Choir", "Archived groups"]
    assert "Allotment is archived." in home.get_text()
    section = home.find("section", attrs={"aria-labelledby": "archived"})
    assert "Allotment" in section.get_text()
    # Its history stays: the closed cycle and its summary are still there.
    assert section.find("a", href=f"/workspace/cycles/{spring}") is not None
    assert client.get(f"/workspace/cycles/{spring}").status_code == 200
    assert client.get(f"/workspace/cycles/{spring}/summary").status_code == 200
    assert client.get(f"/workspace/groups/{allotment}/cycles/new").status_code == 409

    back = client.post(f"/workspace/groups/{allotment}/unarchive", data={"csrf_token": token})
    assert back.status_code == 302
    home = check_page(client.get("/workspace/"))
    assert [h.get_text() for h in home.select("section h2")] == ["Allotment", "Choir"]
    assert client.get(f"/workspace/groups/{allotment}/cycles/new").status_code == 200
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).filter_by(object_type="community_group", action="edited")
        ).all()
        assert [(e.object_id, e.detail) for e in events] == [
            (allotment, "archived"),
            (allotment, "unarchived"),
        ]


def test_a_group_with_an_open_cycle_or_a_draft_is_not_archived(app, client):
    from datetime import date

    from inquiry.cycles.services import create_cycle

    allotment, choir, _spring = _groups(app)
    with app.app_context():
        draft_id = create_cycle(allotment, "Next", date(2027, 1, 1), date(2027, 1, 2)).id
        db.session.commit()
    assert sign_in(client, "f@example.org").status_code == 302
    for group_id, unfinished in ((choir, "Autumn: Open"), (allotment, "Next: Draft")):
        url = f"/workspace/groups/{group_id}/archive"
        page = check_page(client.get(url))
        assert page.h1.get_text() == "Finish the group's cycles first"
        assert [li.get_text() for li in page.main.select("ul.list li")] == [unfinished]
        assert page.main.find("button") is None
        refused = client.post(url, data={"csrf_token": _token(client)})
        assert refused.status_code == 409
        assert "Close the group's open cycle, or delete its draft, first" in (
            check_page(refused).get_text()
        )
        with app.app_context():
            assert db.session.get(Group, group_id).archived_at is None
    assert draft_id


def test_the_roll_up_keeps_an_archived_group_with_figures_and_drops_one_without(app):
    """Leaving the roll-up would change the network's pooled figures between two roll-ups, so
    an archived group that has a closed cycle stays; one that never closed one goes."""
    from inquiry.core.models import utcnow
    from inquiry.reports.rollup import build_rollup

    allotment, choir, _spring = _groups(app)
    with app.app_context():
        for group_id in (allotment, choir):
            db.session.get(Group, group_id).archived_at = utcnow()
        db.session.commit()
        network = db.session.get(Group, allotment).network
        names = [column.label for column in build_rollup(network).columns]
    assert "Allotment" in names
    assert "Choir" not in names
