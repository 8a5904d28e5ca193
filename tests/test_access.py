"""One access rule, tried as a matrix: every role, its own group and someone else's."""

from __future__ import annotations

from datetime import date

import pytest

from .accounts.test_login import sign_in
from .factories import make_closed_cycle, make_group, make_network, make_open_cycle, make_user

PAGES = [
    "/workspace/cycles/{id}",
    "/workspace/cycles/{id}/summary",
    "/workspace/cycles/{id}/summary.pdf?variant=easy-read",
    "/workspace/cycles/{id}/summary.json",
    "/workspace/cycles/{id}/summary.csv",
    "/workspace/cycles/{id}/codebook.csv",
    "/workspace/cycles/{id}/room",
    "/workspace/cycles/{id}/room?audience=peer_worker",
    "/workspace/cycles/{id}/poster.pdf",
    "/workspace/cycles/{id}/paper/member",
    "/workspace/cycles/{id}/paper/peer_worker.pdf",
    "/workspace/groups/{group}/edit",
    "/workspace/groups/{group}/cycles/new",
    "/workspace/cycles/{id}/agenda",
    "/workspace/cycles/{id}/quotes",
]
# Pages of a closed cycle (actions are agreed after the meeting that discussed it).
CLOSED_PAGES = ["/workspace/cycles/{closed}/actions"]
# Changes are POSTs: each must be refused (404) outside the person's groups.
POSTS = [
    "/workspace/cycles/{id}/close",
    "/workspace/cycles/{id}/codes/member/replace",
    "/workspace/cycles/{id}/paper/member",
    "/workspace/groups/{group}/edit",
    "/workspace/cycles/{id}/agenda",
    "/workspace/cycles/{id}/quotes",
    "/workspace/actions/{action}/review",
    "/workspace/agenda/{topic}/remove",
]


@pytest.fixture
def world(app):
    """Network A (groups A1, A2) and network B (group B1), and one person of each role."""
    with app.app_context():
        net_a, net_b = make_network(name="A"), make_network(name="B")
        a1, a2 = make_group(net_a, name="A1"), make_group(net_a, name="A2")
        b1 = make_group(net_b, name="B1")
        cycles = {}
        for g in (a1, a2, b1):
            closed = make_closed_cycle(
                g, title="Before", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31)
            )
            open_id = make_open_cycle(g).id
            from inquiry.actions.models import Action
            from inquiry.agenda.models import AgendaTopic
            from inquiry.extensions import db

            action, topic = (
                Action(cycle_id=closed.id, what="x"),
                AgendaTopic(cycle_id=open_id, title="y"),
            )
            db.session.add_all([action, topic])
            db.session.commit()
            cycles[g.name] = (open_id, g.id, closed.id, action.id, topic.id)
        users = {
            "admin": make_user("admin").email,
            "coordinator": make_user("coordinator", net_a).email,
            "facilitator": make_user("facilitator", net_a, [a1]).email,
        }
    return cycles, users


SEES = {
    "admin": {"A1", "A2", "B1"},
    "coordinator": {"A1", "A2"},
    "facilitator": {"A1"},
}


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator", None])
def test_every_workspace_page_obeys_the_access_rule(app, world, role):
    cycles, users = world
    client = app.test_client()
    if role:
        assert sign_in(client, users[role]).status_code == 302
    home = client.get("/workspace/").get_data(as_text=True)
    token = None
    if role:
        from bs4 import BeautifulSoup

        token = BeautifulSoup(home, "html.parser").find("input", attrs={"name": "csrf_token"})[
            "value"
        ]
    for group, (cycle_id, group_id, closed_id, action_id, topic_id) in cycles.items():
        for page in PAGES + CLOSED_PAGES:
            response = client.get(page.format(id=cycle_id, group=group_id, closed=closed_id))
            # A PDF is made by the render worker: first comes the page that waits for it.
            shown = 303 if ".pdf" in page else 200
            expected = 302 if role is None else shown if group in SEES[role] else 404
            assert response.status_code == expected, (role, group, page)
            if expected == 404:
                assert group not in response.get_data(as_text=True)
        if role:
            assert (f">{group}<" in home) == (group in SEES[role]), (role, group)
            for url in POSTS:
                if group in SEES[role]:
                    continue  # the changes themselves are tested in test_workspace.py
                response = client.post(
                    url.format(id=cycle_id, group=group_id, action=action_id, topic=topic_id),
                    data={"csrf_token": token, "status": "done"},
                )
                assert response.status_code == 404, (role, group, url)


# Per-person answers: never a facilitator's; a coordinator's (own network) or an admin's, once
# the cycle is closed.
ANSWERS = {
    "admin": {"A1", "A2", "B1"},
    "coordinator": {"A1", "A2"},
    "facilitator": set(),
}


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator", None])
def test_answers_for_research_only_for_coordinators_and_admins_of_closed_cycles(app, world, role):
    cycles, users = world
    client = app.test_client()
    if role:
        sign_in(client, users[role])
    for group, (open_id, _group_id, closed_id, _action, _topic) in cycles.items():
        closed = client.get(f"/workspace/cycles/{closed_id}/answers.csv")
        still_open = client.get(f"/workspace/cycles/{open_id}/answers.csv")
        if role is None:
            assert (closed.status_code, still_open.status_code) == (302, 302)
            continue
        expected = 200 if group in ANSWERS[role] else 404
        assert closed.status_code == expected, (role, group)
        assert still_open.status_code == 404, (role, group)
        if expected == 200:
            assert closed.headers["Content-Type"].startswith("text/csv")
        # The cycle's page links to the file only for those it is for.
        page = client.get(f"/workspace/cycles/{closed_id}").get_data(as_text=True)
        assert (f"/workspace/cycles/{closed_id}/answers.csv" in page) == (expected == 200)


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", 404),  # the admin in this test has no network: people and audit are per network
        ("coordinator", 200),
        ("facilitator", 404),
    ],
)
def test_people_and_audit_pages_are_for_coordinators(app, world, role, expected):
    _cycles, users = world
    client = app.test_client()
    sign_in(client, users[role])
    assert client.get("/workspace/people").status_code == expected
    assert client.get("/workspace/audit").status_code == (200 if role != "facilitator" else 404)
    for url in ("/workspace/rollup", "/workspace/rollup.csv", "/workspace/rollup.pdf"):
        shown = 303 if url.endswith(".pdf") and expected == 200 else expected
        assert client.get(url).status_code == shown, (role, url)


@pytest.mark.parametrize(
    "role, expected",
    [("admin", 200), ("coordinator", 404), ("facilitator", 404), (None, 302)],
)
def test_a_networks_threshold_is_for_admins_only(app, world, role, expected):
    cycles, users = world
    with app.app_context():
        from inquiry.extensions import db
        from inquiry.groups.models import Group

        networks = {name: db.session.get(Group, cycles[name][1]).network_id for name in cycles}
    client = app.test_client()
    token = None
    if role:
        from bs4 import BeautifulSoup

        assert sign_in(client, users[role]).status_code == 302
        home = BeautifulSoup(client.get("/workspace/").get_data(as_text=True), "html.parser")
        token = home.find("input", attrs={"name": "csrf_token"})["value"]
    # The coordinator's and facilitator's own network A is as closed to them as network B.
    for name in ("A1", "B1"):
        url = f"/workspace/networks/{networks[name]}/settings"
        assert client.get(url).status_code == expected, (role, url)
        if token:
            posted = client.post(url, data={"csrf_token": token, "min_responses": "4"})
            assert posted.status_code == (302 if role == "admin" else 404), (role, url)
