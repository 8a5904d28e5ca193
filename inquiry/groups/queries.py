"""Reads of networks and groups."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Network


def list_networks() -> list[Network]:
    """Every network, by name (for admins, who look after all of them)."""
    return list(db.session.scalars(sa.select(Network).order_by(Network.name)))
