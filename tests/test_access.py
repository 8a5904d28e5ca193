"""One access rule, tried as a matrix: every role, its own group and someone else's."""

from __future__ import annotations

from datetime import date

import pytest

from .accounts.test_login import sign_in
from .factories import make_closed_cycle, make_group, make_network, make_open_cycle, make_user
from .pages import check_page

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
    "/workspace/cycles/{id}/xlsform/member.xlsx",
    "/workspace/cycles/{id}/xlsform/peer_worker.xlsx",
    "/workspace/cycles/{id}/xlsform",
    "/workspace/cycles/{id}/odk",
    "/workspace/cycles/{id}/import",
    "/workspace/cycles/{id}/import/template.csv",
    "/workspace/cycles/{id}/research/codebook.csv",
    "/workspace/cycles/{id}/edit",
    "/workspace/cycles/{id}/delete",
    "/workspace/cycles/{id}/paper",
    "/workspace/groups/{group}/archive",
    "/workspace/cycles/{id}/stories",
    "/workspace/cycles/{id}/stories/choice",
    "/workspace/cycles/{id}/stories/room",
    "/workspace/cycles/{id}/close",
    "/workspace/cycles/{id}/codes/member/replace",
    "/workspace/cycles/{id}/codes/peer_worker/replace",
    "/workspace/cycles/{id}/agenda/room",
]
# Pages of a closed cycle (actions are agreed after the meeting that discussed it).
CLOSED_PAGES = [
    "/workspace/cycles/{closed}/actions",
    "/workspace/cycles/{closed}/reopen",
    "/workspace/actions/{action}/edit",
    "/workspace/actions/{action}/delete",
    "/workspace/cycles/{closed}/agenda/held",
]
# Changes are POSTs: each must be refused (404) outside the person's groups.
POSTS = [
    "/workspace/cycles/{id}/close",
    "/workspace/cycles/{id}/codes/member/replace",
    "/workspace/cycles/{id}/reopen",
    "/workspace/cycles/{id}/codes/member/pause",
    "/workspace/cycles/{id}/codes/peer_worker/resume",
    "/workspace/cycles/{id}/paper/member",
    "/workspace/groups/{group}/edit",
    "/workspace/cycles/{id}/agenda",
    "/workspace/cycles/{id}/quotes",
    "/workspace/actions/{action}/review",
    "/workspace/agenda/{topic}/remove",
    "/workspace/cycles/{id}/xlsform",
    "/workspace/cycles/{id}/odk",
    "/workspace/cycles/{id}/import",
    "/workspace/cycles/{id}/kiosk",
    "/workspace/cycles/{id}/edit",
    "/workspace/cycles/{id}/delete",
    "/workspace/groups/{group}/archive",
    "/workspace/groups/{group}/unarchive",
    "/workspace/actions/{action}/edit",
    "/workspace/actions/{action}/delete",
    # A sheet's and an own question's own scope is tried with real ids in
    # tests/responses/test_paper_corrections.py and tests/cycles/test_corrections.py.
    "/workspace/cycles/{id}/paper/sheets/0",
    "/workspace/cycles/{id}/paper/sheets/0/delete",
    "/workspace/cycles/{id}/questions/0/edit",
    "/workspace/cycles/{id}/questions/0/remove",
    "/workspace/cycles/{id}/stories/switch",
    "/workspace/cycles/{id}/stories/done",
    "/workspace/cycles/{id}/stories/choice",
    "/workspace/cycles/{id}/agenda/held",
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
            response = client.get(
                page.format(id=cycle_id, group=group_id, closed=closed_id, action=action_id)
            )
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
        # The same rule for one row per person (SPSS, Stata, CSV for R).
        for kind in ("sav", "dta", "csv"):
            url = f"/workspace/cycles/{{}}/research/answers.{kind}"
            assert client.get(url.format(closed_id)).status_code == expected, (role, group, kind)
            assert client.get(url.format(open_id)).status_code == 404, (role, group, kind)
        # The cycle's page links to the file only for those it is for.
        page = client.get(f"/workspace/cycles/{closed_id}").get_data(as_text=True)
        assert (f"/workspace/cycles/{closed_id}/answers.csv" in page) == (expected == 200)
        research = f"/workspace/cycles/{closed_id}/research/answers.sav"
        assert (research in page) == (expected == 200)


@pytest.mark.parametrize(
    "role, people, expected",
    [
        # The admin in this test has no network: the roll-up is per network; people are not.
        ("admin", 200, 404),
        ("coordinator", 200, 200),
        ("facilitator", 404, 404),
    ],
)
def test_people_and_audit_pages_are_for_coordinators(app, world, role, people, expected):
    _cycles, users = world
    client = app.test_client()
    sign_in(client, users[role])
    assert client.get("/workspace/people").status_code == people
    assert client.get("/workspace/audit").status_code == (200 if role != "facilitator" else 404)
    rollups = ("/workspace/rollup", "/workspace/rollup.csv", "/workspace/rollup.pdf")
    for url in (*rollups, "/workspace/stories", "/workspace/stories.pdf"):
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


# People's accounts. A coordinator looks after their own network's staff, never an admin; an
# admin looks after everyone but their own account (changed on their account page); a
# facilitator looks after nobody. Everything else is a 404, POSTs with a valid token too.
PERSON_PAGES = ["/workspace/people/{person}"]
PERSON_POSTS = [
    "/workspace/people/{person}",
    "/workspace/people/{person}/reset",
    "/workspace/people/{person}/deactivate",
    "/workspace/people/{person}/reactivate",
    "/workspace/people/{person}/two-step/remove",
]
INVITE_POSTS = ["/workspace/invites/{invite}/revoke"]
NETWORK_PAGES = ["/workspace/networks/new", "/workspace/networks/{network}/edit"]
OWN_PAGES = [
    "/workspace/account",
    "/workspace/account/password",
    "/workspace/account/two-step",
]
# Whose account each role may look after (by the names in the people fixture).
LOOKS_AFTER = {
    "admin": {"fac_a", "fac_b", "coord_a", "admin_a"},
    "coordinator": {"fac_a"},
    "facilitator": set(),
}
# Whose invitations each role may revoke.
REVOKES = {"admin": {"A", "B", "admin_A"}, "coordinator": {"A"}, "facilitator": set()}


@pytest.fixture
def staff(app):
    """Network A (coordinator, facilitator, an admin of A) and network B (a facilitator), an
    admin of no network; pending invitations to A, to B and to be an admin of A."""
    from inquiry.accounts.models import Invite
    from inquiry.extensions import db

    with app.app_context():
        net_a, net_b = make_network(name="A"), make_network(name="B")
        a1, b1 = make_group(net_a, name="A1"), make_group(net_b, name="B1")
        users = {
            "admin": make_user("admin", email="admin@example.org"),
            "coordinator": make_user("coordinator", net_a, email="coord_a@example.org"),
            "facilitator": make_user("facilitator", net_a, [a1], email="fac_a@example.org"),
            "fac_b": make_user("facilitator", net_b, [b1], email="fac_b@example.org"),
            "admin_a": make_user("admin", net_a, email="admin_a@example.org"),
        }
        invites = {}
        for name, network, role in (
            ("A", net_a, "facilitator"),
            ("B", net_b, "facilitator"),
            ("admin_A", net_a, "admin"),
        ):
            invite = Invite(email=f"{name}@example.org", role=role, network_id=network.id)
            db.session.add(invite)
            db.session.flush()
            invites[name] = invite.id
        db.session.commit()
        ids = {name: user.id for name, user in users.items()}
        ids["fac_a"], ids["coord_a"] = ids["facilitator"], ids["coordinator"]
        return ids, invites, {"A": net_a.id, "B": net_b.id}


def _token(client) -> str:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/workspace/account").get_data(as_text=True), "html.parser")
    return page.find("input", attrs={"name": "csrf_token"})["value"]


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator", None])
def test_people_pages_obey_the_access_rule(app, staff, role):
    ids, invites, networks = staff
    client = app.test_client()
    emails = {
        "admin": "admin@example.org",
        "coordinator": "coord_a@example.org",
        "facilitator": "fac_a@example.org",
    }
    if role:
        assert sign_in(client, emails[role]).status_code == 302
    token = _token(client) if role else None
    for name in ("fac_a", "fac_b", "coord_a", "admin_a"):
        if role == "coordinator" and name == "coord_a":
            continue  # their own account: below
        shown = name in LOOKS_AFTER.get(role, set())
        for page in PERSON_PAGES:
            url = page.format(person=ids[name])
            expected = 302 if role is None else 200 if shown else 404
            response = client.get(url)
            assert response.status_code == expected, (role, url)
            if expected == 404:
                assert f"{name}@example.org" not in response.get_data(as_text=True)
        if role is None or shown:
            continue  # the changes themselves are tested in tests/accounts
        for post in PERSON_POSTS:
            url = post.format(person=ids[name])
            response = client.post(url, data={"csrf_token": token, "role": "admin"})
            assert response.status_code == 404, (role, url)
    for name, invite_id in invites.items():
        url = INVITE_POSTS[0].format(invite=invite_id)
        if role and name not in REVOKES[role]:
            assert client.post(url, data={"csrf_token": token}).status_code == 404, (role, url)
    for page in NETWORK_PAGES:
        url = page.format(network=networks["A"])
        expected = 302 if role is None else 200 if role == "admin" else 404
        assert client.get(url).status_code == expected, (role, url)
        if role and role != "admin":
            posted = client.post(url, data={"csrf_token": token, "name": "Taken over"})
            assert posted.status_code == 404, (role, url)
    for url in OWN_PAGES:
        assert client.get(url).status_code == (302 if role is None else 200), (role, url)
    if role:
        # One's own person page is one's account page; its buttons are refused.
        own = ids[role]
        response = client.get(f"/workspace/people/{own}")
        expected = 404 if role == "facilitator" else 302
        assert response.status_code == expected, role
        for post in PERSON_POSTS[1:]:
            url = post.format(person=own)
            assert client.post(url, data={"csrf_token": token}).status_code == 404, (role, url)
    # Nothing changed for anyone.
    from inquiry.accounts.models import Invite, User
    from inquiry.extensions import db
    from inquiry.groups.models import Network

    with app.app_context():
        assert all(u.is_active for u in db.session.query(User))
        assert db.session.get(User, ids["admin_a"]).role == "admin"
        assert db.session.get(User, ids["fac_b"]).role == "facilitator"
        assert all(i.revoked_at is None for i in db.session.query(Invite))
        assert {n.name for n in db.session.query(Network)} == {"A", "B"}


def test_every_people_post_needs_the_csrf_token(app, staff):
    """With the right person signed in, a POST without its token is refused and changes
    nothing."""
    ids, invites, networks = staff
    client = app.test_client()
    sign_in(client, "admin@example.org")
    posts = [p.format(person=ids["fac_a"]) for p in PERSON_POSTS]
    posts += [INVITE_POSTS[0].format(invite=invites["A"])]
    posts += [p.format(network=networks["A"]) for p in NETWORK_PAGES]
    posts += [
        "/workspace/people",
        "/workspace/account/password",
        "/workspace/account/two-step",
        "/workspace/account/two-step/off",
        "/workspace/account/recovery-codes",
    ]
    for url in posts:
        response = client.post(url, data={"role": "coordinator", "name": "X", "email": "x@x.org"})
        assert response.status_code == 400, url
    anonymous = app.test_client()
    for url in ("/sign-in/code", "/reset/some-token"):
        assert anonymous.post(url, data={"code": "123456"}).status_code == 400, url
    from inquiry.accounts.models import Invite, User
    from inquiry.extensions import db

    with app.app_context():
        user = db.session.get(User, ids["fac_a"])
        assert (user.role, user.is_active) == ("facilitator", True)
        assert db.session.query(Invite).filter(Invite.revoked_at.is_not(None)).count() == 0


# Retention: what goes when (a network's page) and erasing a closed cycle's answers on request
# are for admins and the network's coordinators, never facilitators; the privacy notice and
# accessibility statement are for everyone.
RETENTION = {
    "admin": {"A1", "A2", "B1"},
    "coordinator": {"A1", "A2"},
    "facilitator": set(),
}


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator", None])
def test_retention_pages_obey_the_access_rule(app, world, role):
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
    for group, (_open_id, _group_id, closed_id, _action, _topic) in cycles.items():
        seen = group in RETENTION.get(role, set())
        expected = 302 if role is None else 200 if seen else 404
        for url in (
            f"/workspace/cycles/{closed_id}/erase",
            f"/workspace/networks/{networks[group]}/retention",
        ):
            assert client.get(url).status_code == expected, (role, group, url)
        if token and not seen:
            posted = client.post(
                f"/workspace/cycles/{closed_id}/erase",
                data={"csrf_token": token, "summary": "delete"},
            )
            assert posted.status_code == 404, (role, group)
    for url in ("/privacy", "/accessibility"):
        assert client.get(url).status_code == 200, (role, url)
    from inquiry.retention.models import SummarySnapshot

    with app.app_context():
        assert db.session.query(SummarySnapshot).count() == 0


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator"])
def test_erasing_an_open_cycle_and_missing_ids_obey_the_retention_rule(app, world, role):
    """An open cycle's erasure page is seen by those who may erase its answers (it says why
    not yet), never by a facilitator, even of their own group; no network or cycle is a 404."""
    cycles, users = world
    client = app.test_client()
    assert sign_in(client, users[role]).status_code == 302
    for group, (open_id, _group_id, _closed_id, _action, _topic) in cycles.items():
        seen = group in RETENTION[role]
        url = f"/workspace/cycles/{open_id}/erase"
        response = client.get(url)
        assert response.status_code == (200 if seen else 404), (role, group)
        if seen:  # why not yet, and no button to delete
            page = check_page(response)
            assert page.select_one("main .panel-warning").get_text(strip=True) == (
                "This cycle is not closed. Close it first: then its answers can be deleted."
            )
            assert not page.select("main form button"), (role, group)
    for url in ("/workspace/cycles/999999/erase", "/workspace/networks/999999/retention"):
        assert client.get(url).status_code == 404, (role, url)


def test_a_coordinator_of_no_network_sees_no_retention_plan(app, world):
    cycles, _users = world
    with app.app_context():
        from inquiry.extensions import db
        from inquiry.groups.models import Group

        network_id = db.session.get(Group, cycles["A1"][1]).network_id
        email = make_user("coordinator").email
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    assert client.get(f"/workspace/networks/{network_id}/retention").status_code == 404
    assert client.get(f"/workspace/cycles/{cycles['A1'][2]}/erase").status_code == 404
