"""The one rule for what a signed-in person may see. Outside it, everything is a 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Group, Network


def _scope(user):
    """A condition on Group for the groups this user may see."""
    if user.role == "admin":
        return sa.true()
    if user.role == "coordinator":
        return Group.network_id == user.network_id
    return Group.id.in_([g.id for g in user.groups])


def list_visible_groups(user=None) -> list[Group]:
    """The groups a person may see, by name."""
    user = user or current_user
    return list(db.session.scalars(sa.select(Group).where(_scope(user)).order_by(Group.name)))


def can_see_group(group: Group, user=None) -> bool:
    user = user or current_user
    if user.role == "admin":
        return True
    if user.role == "coordinator":
        return group.network_id == user.network_id
    return any(g.id == group.id for g in user.groups)


def get_group_or_404(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or not can_see_group(group):
        abort(404)
    return group


def get_cycle_or_404(cycle_id: int) -> Cycle:
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None or not can_see_group(cycle.group):
        abort(404)
    return cycle


def get_in_cycle_or_404(model, object_id: int):
    """Something that belongs to a cycle (an action, a topic, a PDF), for the people who may
    see that cycle."""
    found = db.session.get(model, object_id)
    if found is None or found.cycle_id is None:
        abort(404)
    get_cycle_or_404(found.cycle_id)
    return found


def may_export_answers(user, cycle: Cycle, *, once_closed: bool = False) -> bool:
    """Whether someone may download a cycle's per-person answers (for research): admins, and
    coordinators of its network, once it is closed; never facilitators, who know the people.
    With once_closed, whether they may when it is (to say so on an open cycle's page)."""
    from ..reports.privacy import figures_exist

    if user.role not in ("admin", "coordinator") or not can_see_group(cycle.group, user):
        return False
    return once_closed or figures_exist(cycle.state, cycle.grace_until)


def network_or_404() -> int:
    """The network a coordinator (or an admin with one) looks after; a 404 for everyone else."""
    if current_user.role not in ("coordinator", "admin") or current_user.network_id is None:
        abort(404)
    return current_user.network_id


def get_network_for_admin_or_404(network_id: int) -> Network:
    """A network whose settings (the threshold k) an admin changes; a 404 for everyone else,
    coordinators of that network included."""
    if current_user.role != "admin":
        abort(404)
    network = db.session.get(Network, network_id)
    if network is None:
        abort(404)
    return network


def admin_or_404() -> None:
    """Pages only an admin uses (adding a network); a 404 for everyone else."""
    if current_user.role != "admin":
        abort(404)


# People: who may look after whose account.


def may_manage_people(user=None) -> bool:
    """Admins (everyone) and coordinators (their own network) look after people's accounts."""
    user = user or current_user
    return user.role == "admin" or (user.role == "coordinator" and user.network_id is not None)


def people_scope_or_404() -> None:
    if not may_manage_people():
        abort(404)


def roles_they_may_give(user=None) -> tuple[str, ...]:
    """The roles a person may invite someone to or change someone to: a coordinator never
    makes an admin."""
    user = user or current_user
    if user.role == "admin":
        return ("facilitator", "coordinator", "admin")
    if may_manage_people(user):
        return ("facilitator", "coordinator")
    return ()


def can_manage_person(target, user=None) -> bool:
    """Whether someone may reset, change or deactivate the target's account (never their own:
    they change their own password on their account page)."""
    user = user or current_user
    if target.id == user.id or not may_manage_people(user):
        return False
    if user.role == "admin":
        return True
    return target.network_id == user.network_id and target.role != "admin"


def get_person_or_404(user_id: int):
    """An account the signed-in person looks after; a 404 for everyone else."""
    from ..accounts.models import User

    target = db.session.get(User, user_id)
    if target is None or not can_manage_person(target):
        abort(404)
    return target


def get_invite_or_404(invite_id: int):
    """A pending invitation in the signed-in person's scope; a 404 for everyone else."""
    from ..accounts.models import Invite

    invite = db.session.get(Invite, invite_id)
    if invite is None or not may_manage_people():
        abort(404)
    if current_user.role != "admin" and (
        invite.network_id != current_user.network_id or invite.role == "admin"
    ):
        abort(404)
    return invite


def list_manageable_networks(user=None) -> list[Network]:
    """The networks whose people someone looks after: all of them for an admin, by name."""
    user = user or current_user
    if user.role == "admin":
        return list(db.session.scalars(sa.select(Network).order_by(Network.name)))
    if may_manage_people(user):
        return [db.session.get(Network, user.network_id)]
    return []


# Retention: what goes when, and erasing a cycle's answers on request.


def get_network_for_retention_or_404(network_id: int) -> Network:
    """A network whose retention plan someone sees: any for an admin, a coordinator's own; a
    404 for everyone else."""
    if current_user.role == "admin":
        return get_network_for_admin_or_404(network_id)
    if network_or_404() != network_id:
        abort(404)
    return db.session.get(Network, network_id)


def get_cycle_for_erasure_or_404(cycle_id: int) -> Cycle:
    """A cycle whose answers someone may erase on request: coordinators (their network's
    cycles) and admins; a 404 for facilitators."""
    cycle = get_cycle_or_404(cycle_id)
    if current_user.role not in ("coordinator", "admin"):
        abort(404)
    return cycle
