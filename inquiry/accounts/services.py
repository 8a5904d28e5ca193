"""Writes for accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..groups.models import Group
from .models import ROLES, User
from .passwords import password_problem


class AccountError(ValueError):
    """A plain-words reason an account cannot be created or changed."""


def create_user(
    email: str,
    password: str,
    role: str,
    network_id: int | None = None,
    groups: list[Group] | None = None,
) -> User:
    """A new account, after checking its email is free and its password is strong enough."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError(_l("Enter an email address, like name@example.org"))
    if db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None:
        raise AccountError(_l("There is already an account with that email address"))
    problem = password_problem(password, (email,))
    if problem:
        raise AccountError(problem)  # already in plain words, translated
    user = User(email=email, role=role, network_id=network_id)
    user.set_password(password)
    user.groups = list(groups or [])
    db.session.add(user)
    db.session.flush()
    return user


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie issued so far stops working."""
    user.session_version += 1
    db.session.flush()


INVITE_DAYS = 7


def _serializer():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invite")


def create_invite(inviter: User, email: str, role: str, groups: list[Group]):
    """A one-time invitation; returns it with the signed token for its link."""
    from ..core import audit
    from .models import Invite

    email = email.strip().lower()
    if role not in ("facilitator", "coordinator"):
        raise AccountError(_l("Invite a facilitator or a coordinator"))
    if db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None:
        raise AccountError(_l("There is already an account with that email address"))
    invite = Invite(
        email=email,
        role=role,
        network_id=inviter.network_id,
        group_ids=[g.id for g in groups],
        invited_by_id=inviter.id,
    )
    db.session.add(invite)
    db.session.flush()
    audit.record("created", invite, inviter.id, role)
    return invite, _serializer().dumps({"invite": invite.id})


def find_invite(token: str):
    """The unused invitation behind a token, or None when it is wrong, used or expired."""
    from itsdangerous import BadSignature

    from .models import Invite

    try:
        data = _serializer().loads(token, max_age=INVITE_DAYS * 86400)
    except BadSignature:
        return None
    invite = db.session.get(Invite, data.get("invite")) if isinstance(data, dict) else None
    return invite if invite is not None and invite.used_at is None else None


def accept_invite(invite, password: str) -> User:
    """Make the invited account; the invitation cannot be used again."""
    from ..core.models import utcnow

    groups = list(
        db.session.scalars(
            sa.select(Group).where(
                Group.id.in_(invite.group_ids or []), Group.network_id == invite.network_id
            )
        )
    )
    user = create_user(invite.email, password, invite.role, invite.network_id, groups)
    invite.used_at = utcnow()
    db.session.flush()
    return user
