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


def list_people(network_ids: list[int] | None = None) -> list[User]:
    """Everyone with an account (in these networks, when given), by email, with their groups."""
    from sqlalchemy.orm import selectinload

    query = sa.select(User).options(selectinload(User.groups)).order_by(User.email)
    if network_ids is not None:
        query = query.where(User.network_id.in_(network_ids))
    return list(db.session.scalars(query))


def list_pending_invites(network_ids: list[int] | None = None, *, admins: bool = True):
    """Invitations not yet used, revoked or expired (in these networks, when given), newest
    first; without invitations to be an admin unless admins is true."""
    from datetime import timedelta

    from ..core.models import utcnow
    from .models import Invite
    from .services import INVITE_DAYS

    query = (
        sa.select(Invite)
        .where(
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.created_at > utcnow() - timedelta(days=INVITE_DAYS),
        )
        .order_by(Invite.id.desc())
    )
    if network_ids is not None:
        query = query.where(Invite.network_id.in_(network_ids))
    if not admins:
        query = query.where(Invite.role != "admin")
    return list(db.session.scalars(query))
