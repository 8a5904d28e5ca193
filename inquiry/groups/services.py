"""Writes to groups."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..extensions import db
from ..reports.privacy import valid_threshold
from .models import Group, Network


class GroupError(ValueError):
    """A plain-words reason a group cannot be saved."""


def _taken(names, name: str, except_id: int | None) -> bool:
    """Whether `name` is among (id, name) rows, letter case aside in every alphabet. Compared
    here, not with SQL lower(): SQLite's changes only A to Z, so "ŁÓDŹ" would pass it beside
    "Łódź", and the exact same name would then meet the UNIQUE constraint as a 503."""
    wanted = name.casefold()
    return any(i != except_id and other.casefold() == wanted for i, other in names)


def _name_taken(network_id: int, name: str, except_id: int | None = None) -> bool:
    names = db.session.execute(
        sa.select(Group.id, Group.name).where(Group.network_id == network_id)
    )
    return _taken(names, name, except_id)


def create_group(user, network_id: int, name: str, description: str, language: str) -> Group:
    """A new group in a network; a facilitator who creates one runs it."""
    if _name_taken(network_id, name):
        raise GroupError(_l("There is already a group with that name"))
    group = Group(
        network_id=network_id, name=name, description=description, default_language=language
    )
    db.session.add(group)
    db.session.flush()
    if user.role == "facilitator":
        user.groups.append(group)
    audit.record("created", group, user.id)
    db.session.flush()
    return group


def update_group(user, group: Group, name: str, description: str, language: str) -> None:
    if _name_taken(group.network_id, name, group.id):
        raise GroupError(_l("There is already a group with that name"))
    group.name, group.description, group.default_language = name, description, language
    audit.record("edited", group, user.id)
    db.session.flush()


class NetworkError(ValueError):
    """A plain-words reason a network cannot be saved."""


def _network_name_taken(name: str, except_id: int | None = None) -> bool:
    return _taken(db.session.execute(sa.select(Network.id, Network.name)), name, except_id)


def create_network(user_id: int | None, name: str, requires_two_step: bool = False) -> Network:
    """A new network (the threshold k starts at the default)."""
    if _network_name_taken(name):
        raise NetworkError(_l("There is already a network with that name"))
    network = Network(name=name, requires_two_step=requires_two_step)
    db.session.add(network)
    db.session.flush()
    audit.record("created", network, user_id, "second step required" if requires_two_step else "")
    return network


def update_network(user_id: int, network: Network, name: str, requires_two_step: bool) -> bool:
    """Rename a network or change whether it requires a second step; False when nothing
    changed."""
    if _network_name_taken(name, network.id):
        raise NetworkError(_l("There is already a network with that name"))
    changes = []
    if name != network.name:
        changes.append(f"renamed from {network.name}")
    if requires_two_step != network.requires_two_step:
        changes.append("second step " + ("required" if requires_two_step else "not required"))
    if not changes:
        return False
    network.name, network.requires_two_step = name, requires_two_step
    audit.record("edited", network, user_id, "; ".join(changes))
    db.session.flush()
    return True


class ThresholdError(ValueError):
    """A threshold outside the range the small-numbers rule allows."""


def set_threshold(network: Network, k: int, user_id: int | None, how: str = "") -> bool:
    """Set a network's threshold k, audited with the old and the new value; the stored PDFs
    that applied the old one are deleted. False when k already was the threshold."""
    if not valid_threshold(k):
        raise ThresholdError(k)
    old = network.min_responses
    if old == k:
        return False
    network.min_responses = k
    audit.record("edited", network, user_id, f"threshold {old} -> {k}{how}")
    _forget_network_pdfs(network.id)
    db.session.flush()
    return True


def _forget_network_pdfs(network_id: int) -> None:
    """Every stored PDF that applied the network's threshold: its cycles' summaries and the
    roll-up. They are made again, with the new one, when someone asks."""
    from ..cycles.models import Cycle
    from ..printing.models import PdfDocument

    cycles = (
        sa.select(Cycle.id)
        .join(Group, Group.id == Cycle.group_id)
        .where(Group.network_id == network_id)
    )
    db.session.execute(
        sa.delete(PdfDocument).where(
            sa.or_(PdfDocument.network_id == network_id, PdfDocument.cycle_id.in_(cycles))
        )
    )


def archive_group(user, group: Group) -> bool:
    """Archive a group that has ended: it leaves the lists and takes no new cycles, and keeps
    its history. A group with a cycle still open or a draft is refused (close the one, open
    or delete the other first), so an archived group holds only closed cycles and nobody is
    left answering a group nobody sees. False when it already was archived."""
    from ..core.models import utcnow

    if group.archived_at is not None:
        return False
    if unfinished_cycles(group):
        raise GroupError(_l("Close the group's open cycle, or delete its draft, first"))
    group.archived_at = utcnow()
    audit.record("edited", group, user.id, "archived")
    db.session.flush()
    return True


def unarchive_group(user, group: Group) -> bool:
    """Bring an archived group back into the lists; False when it was not archived."""
    if group.archived_at is None:
        return False
    group.archived_at = None
    audit.record("edited", group, user.id, "unarchived")
    db.session.flush()
    return True


def unfinished_cycles(group: Group) -> list:
    """The group's cycles that are open or still drafts: they stop it being archived."""
    return [cycle for cycle in group.cycles if cycle.state != "closed"]
