"""Starting for real: `inquiry setup` once, then an admin adds and renames networks, adds
groups to any of them and invites coordinators, who invite facilitators."""

from __future__ import annotations

import sqlalchemy as sa

from inquiry.accounts.models import User
from inquiry.core.audit import AuditEvent
from inquiry.extensions import db
from inquiry.groups.models import Group, Network
from inquiry.questions.models import Question

from ..factories import PASSWORD, make_network, make_user
from ..pages import check_page, error_summary, form_fields
from .test_login import sign_in


def _setup(app, *extra, env=None, input=None):
    return app.test_cli_runner().invoke(
        args=["setup", "--network", "Riverside Community Network", "--admin", *extra],
        env=env,
        input=input,
    )


def test_setup_asks_for_the_password_twice_and_runs_once(app):
    typed = f"{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n"
    result = _setup(app, "Admin@Example.org", input=typed)
    assert result.exit_code == 0, result.output
    assert "Type the password again" in result.output
    assert PASSWORD not in result.output
    assert "Set up Riverside Community Network with the admin admin@example.org" in result.output
    with app.app_context():
        admin = db.session.scalars(sa.select(User)).one()
        network = db.session.scalars(sa.select(Network)).one()
        assert (admin.role, admin.network_id, admin.check_password(PASSWORD)) == (
            "admin",
            network.id,
            True,
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) > 0
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.object_type, AuditEvent.detail)
        ).all()
    assert [tuple(e) for e in events] == [
        ("created", "network", ""),
        ("created", "user_account", "setup (command line)"),
    ]
    again = _setup(app, "other@example.org", env={"INQUIRY_SETUP_PASSWORD": PASSWORD})
    assert again.exit_code == 1
    assert "already set up: an admin exists" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_setup_reads_the_password_from_the_environment_and_refuses_a_weak_one(app):
    weak = _setup(app, "admin@example.org", env={"INQUIRY_SETUP_PASSWORD": "password1234"})
    assert weak.exit_code == 1 and "common passwords" in weak.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == 0
    done = _setup(app, "admin@example.org", env={"INQUIRY_SETUP_PASSWORD": PASSWORD})
    assert done.exit_code == 0, done.output
    assert sign_in(app.test_client(), "admin@example.org").status_code == 302


def test_an_admin_adds_and_renames_networks(app):
    with app.app_context():
        make_user("admin", email="admin@example.org")  # no network of their own
    client = app.test_client()
    sign_in(client, "admin@example.org")
    home = check_page(client.get("/workspace/"))
    assert "There are no networks yet." in home.get_text()
    # Adding a group first says where to start, never a 404.
    first = check_page(client.get("/workspace/groups/new"))
    assert first.select_one("main a.button")["href"] == "/workspace/networks/new"
    url = "/workspace/networks/new"
    page = check_page(client.get(url))
    empty = client.post(url, data={**form_fields(page, url), "name": " "})
    assert error_summary(check_page(empty)) == ["Enter the name of the network"]
    assert client.post(url, data={**form_fields(page, url), "name": "Riverside"}).status_code == 302
    assert client.post(url, data={**form_fields(page, url), "name": "Hillside"}).status_code == 302
    taken = client.post(url, data={**form_fields(page, url), "name": "riverside"})
    assert error_summary(check_page(taken)) == ["There is already a network with that name"]
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Network.name, Network.id)).all())
    edit = f"/workspace/networks/{ids['Hillside']}/edit"
    page = check_page(client.get(edit))
    renamed = client.post(edit, data={**form_fields(page, edit), "name": "Hillside Trust"})
    assert renamed.status_code == 302
    rows = [r.th.get_text() for r in check_page(client.get("/workspace/")).select("tr[id]")]
    assert rows == ["Hillside Trust", "Riverside"]

    # A group goes into the network the admin chooses.
    url = "/workspace/groups/new"
    page = check_page(client.get(url))
    options = [o.get_text() for o in page.select("select#network option")]
    assert options == ["Hillside Trust", "Riverside"]
    bogus = client.post(url, data={**form_fields(page, url), "name": "Choir", "network": "999"})
    assert error_summary(check_page(bogus)) == ["Choose the network the group is in"]
    made = client.post(
        url, data={**form_fields(page, url), "name": "Choir", "network": str(ids["Riverside"])}
    )
    assert made.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Group.network_id)) == ids["Riverside"]
        details = db.session.scalars(
            sa.select(AuditEvent.detail).filter_by(object_type="network", action="edited")
        ).all()
    assert details == ["renamed from Hillside"]


def test_network_pages_are_for_admins_only(app):
    with app.app_context():
        network = make_network(name="Riverside")
        make_user("coordinator", network, email="coord@example.org")
        network_id = network.id
    client = app.test_client()
    sign_in(client, "coord@example.org")
    token = form_fields(check_page(client.get("/workspace/groups/new")))["csrf_token"]
    for url in ("/workspace/networks/new", f"/workspace/networks/{network_id}/edit"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"csrf_token": token, "name": "Mine"}).status_code == 404
    with app.app_context():
        assert db.session.get(Network, network_id).name == "Riverside"


def test_an_admin_invites_a_coordinator_who_invites_a_facilitator(app):
    with app.app_context():
        riverside, hillside = make_network(name="Riverside"), make_network(name="Hillside")
        make_user("admin", riverside, email="admin@example.org")
        ids = {"riverside": riverside.id, "hillside": hillside.id}
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    page = check_page(admin.get("/workspace/people"))
    assert [i["value"] for i in page.select("input[name=role]")] == [
        "facilitator",
        "coordinator",
        "admin",
    ]
    fields = form_fields(page, "/workspace/people")
    assert fields["network"] == str(ids["riverside"])  # the admin's own, to start with
    made = admin.post(
        "/workspace/people",
        data={
            **fields,
            "email": "coord@example.org",
            "role": "coordinator",
            "network": str(ids["hillside"]),
        },
    )
    link = check_page(made).select_one(".panel-done .link-text").get_text(strip=True)
    newcomer = app.test_client()
    path = "/" + link.split("/", 3)[3]
    form = check_page(newcomer.get(path))
    done = newcomer.post(
        path, data={**form_fields(form), "password": PASSWORD, "confirm": PASSWORD}
    )
    assert done.status_code == 302
    with app.app_context():
        coord = db.session.scalar(sa.select(User).filter_by(email="coord@example.org"))
        assert (coord.role, coord.network_id) == ("coordinator", ids["hillside"])

    # The coordinator adds a group and invites its facilitator; never an admin.
    coordinator = app.test_client()
    sign_in(coordinator, "coord@example.org")
    url = "/workspace/groups/new"
    page = check_page(coordinator.get(url))
    assert page.select_one("select#network") is None
    coordinator.post(url, data={**form_fields(page, url), "name": "Hill walkers"})
    page = check_page(coordinator.get("/workspace/people"))
    assert [i["value"] for i in page.select("input[name=role]")] == ["facilitator", "coordinator"]
    fields = form_fields(page, "/workspace/people")
    as_admin = coordinator.post(
        "/workspace/people", data={**fields, "email": "x@example.org", "role": "admin"}
    )
    assert error_summary(check_page(as_admin)) == ["Choose their role"]
    group = page.select_one("input[name=groups]")
    assert group.find_next("label").get_text() == "Hill walkers"
    made = coordinator.post(
        "/workspace/people",
        data={
            **fields,
            "email": "fac@example.org",
            "role": "facilitator",
            "groups": [group["value"]],
        },
    )
    assert made.status_code == 200
    with app.app_context():
        invites = db.session.scalars(
            sa.select(AuditEvent.detail).filter_by(object_type="invite", action="created")
        ).all()
    assert invites == ["coordinator", "facilitator"]
