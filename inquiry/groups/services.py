"""Writes to groups."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..extensions import db
from .models import Group


class GroupError(ValueError):
    """A plain-words reason a group cannot be saved."""


def _name_taken(network_id: int, name: str, except_id: int | None = None) -> bool:
    query = sa.select(Group.id).where(
        Group.network_id == network_id, sa.func.lower(Group.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(Group.id != except_id)
    return db.session.scalar(query) is not None


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
