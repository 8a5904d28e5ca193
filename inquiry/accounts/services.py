"""Writes for accounts."""

from __future__ import annotations

import sqlalchemy as sa

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
        raise AccountError("Enter an email address, like name@example.org")
    if db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None:
        raise AccountError("There is already an account with that email address")
    problem = password_problem(password, (email,))
    if problem:
        raise AccountError(problem)
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
