"""Reads of accounts."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import User


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).filter_by(email=email.strip().lower()))


def load_session_user(session_id: str) -> User | None:
    """The user behind a session's "id.version", if that version is still current."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def list_network_users(network_id: int) -> list[User]:
    """Everyone with an account in a network, by email."""
    return list(
        db.session.scalars(sa.select(User).filter_by(network_id=network_id).order_by(User.email))
    )
