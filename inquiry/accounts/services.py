"""Writes for accounts."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..core.models import utcnow
from ..extensions import db
from ..groups.models import Group
from .models import ROLES, Invite, PasswordReset, User, _hasher
from .passwords import password_problem


class AccountError(ValueError):
    """A plain-words reason an account cannot be created or changed; field names the form
    field it is about, when there is one."""

    def __init__(self, message, field: str = "") -> None:
        super().__init__(message)
        self.field = field


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
    problem = password_problem(
        password, (email,), email=email, network_name=_network_name(network_id)
    )
    if problem:
        raise AccountError(problem, "password")  # already in plain words, translated
    user = User(email=email, role=role, network_id=network_id)
    user.set_password(password)
    user.groups = list(groups or [])
    db.session.add(user)
    db.session.flush()
    return user


def _network_name(network_id: int | None) -> str:
    from ..groups.models import Network

    network = db.session.get(Network, network_id) if network_id is not None else None
    return network.name if network is not None else ""


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie issued so far stops working."""
    user.session_version += 1
    db.session.flush()


INVITE_DAYS = 7
RESET_HOURS = 24


def _serializer():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invite")


def create_invite(
    inviter: User, email: str, role: str, groups: list[Group], network_id: int | None = None
):
    """A one-time invitation to a network (the inviter's own unless an admin says which);
    returns it with the signed token for its link. An earlier pending invitation to the same
    address stops working."""
    from ..core.access import roles_they_may_give

    email = email.strip().lower()
    network_id = network_id if network_id is not None else inviter.network_id
    if role not in roles_they_may_give(inviter):
        raise AccountError(_l("Choose their role"), "role")
    if "@" not in email:
        raise AccountError(_l("Enter an email address, like name@example.org"), "email")
    if network_id is None:
        raise AccountError(_l("Choose the network they will work in"), "network")
    if any(g.network_id != network_id for g in groups):
        raise AccountError(_l("Choose groups of the network they will work in"), "groups")
    existing = db.session.scalar(sa.select(User).filter_by(email=email))
    if existing is not None and (inviter.role == "admin" or existing.network_id == network_id):
        # Said only where the inviter may see that person anyway: an account in another
        # network stays unknown to them, the invitation goes ahead and the person is told
        # when they open it (accept_page_for).
        raise AccountError(_l("There is already an account with that email address"), "email")
    for earlier in db.session.scalars(
        sa.select(Invite).filter_by(email=email, used_at=None, revoked_at=None)
    ):
        earlier.revoked_at = utcnow()
    invite = Invite(
        email=email,
        role=role,
        network_id=network_id,
        group_ids=[g.id for g in groups],
        invited_by_id=inviter.id,
    )
    db.session.add(invite)
    db.session.flush()
    audit.record("created", invite, inviter.id, role)
    return invite, _serializer().dumps({"invite": invite.id})


def invite_expires_at(invite: Invite) -> datetime:
    return invite.created_at + timedelta(days=INVITE_DAYS)


def find_invite(token: str) -> Invite | None:
    """The unused invitation behind a token, or None when it is wrong, used, revoked or
    expired."""
    from itsdangerous import BadSignature

    from ..core.errors import forget_tracebacks

    try:
        data = _serializer().loads(token, max_age=INVITE_DAYS * 86400)
    except BadSignature as error:
        forget_tracebacks(error)  # no reference cycle left behind by a wrong link
        return None
    invite = db.session.get(Invite, data.get("invite")) if isinstance(data, dict) else None
    if invite is None or invite.used_at is not None or invite.revoked_at is not None:
        return None
    return invite


def revoke_invite(user: User, invite: Invite) -> bool:
    """Stop an invitation's link from working; False when it was used or revoked already."""
    if invite.used_at is not None or invite.revoked_at is not None:
        return False
    invite.revoked_at = utcnow()
    audit.record("revoked", invite, user.id, invite.role)
    db.session.flush()
    return True


def has_account(invite: Invite) -> bool:
    """Whether the invited address already has an account (made in another network, or
    since): they sign in with it, and the invitation cannot make a second one."""
    return db.session.scalar(sa.select(User.id).filter_by(email=invite.email)) is not None


def accept_invite(invite: Invite, password: str) -> User:
    """Make the invited account; the invitation cannot be used again."""
    groups = list(
        db.session.scalars(
            sa.select(Group).where(
                Group.id.in_(invite.group_ids or []), Group.network_id == invite.network_id
            )
        )
    )
    user = create_user(invite.email, password, invite.role, invite.network_id, groups)
    invite.used_at = utcnow()
    audit.record("created", user, user.id, "accepted an invitation")
    db.session.flush()
    return user


# Signing in, audited: never what was typed.

# Checked when the address is unknown (or its hash unreadable), so that every attempt costs
# one argon2 verification: an unknown, deactivated or wrong account answers in the same time.
_DUMMY_HASH = _hasher.hash("not a real password at all")


def _verify(password_hash: str | None, password: str) -> bool:
    """One argon2 verification, whatever the account: exactly one per sign-in attempt."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password)
    except InvalidHashError:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
        return False
    except VerificationError:
        return False


def authenticate(email: str, password: str) -> tuple[User | None, str]:
    """The account an email and password sign in to, or (the account if known, why not).
    The hash is verified once for every kind of attempt, so the time says nothing."""
    from .queries import get_user_by_email

    user = get_user_by_email(email)
    right = _verify(user.password_hash if user is not None else None, password)
    if user is None:
        return None, "unknown address"
    if not right:
        return user, "wrong password"
    if not user.is_active:
        return user, "deactivated"
    return user, ""


def record_sign_in(user: User, how: str = "") -> None:
    audit.record("signed_in", user, user.id, how)


def record_failed_sign_in(user: User | None, why: str) -> None:
    """A failed sign-in: on the account when the address is known (so its coordinator sees
    it), else with no account and never the address typed (it may be a password)."""
    if user is None:
        audit.record_on("sign_in_failed", User.__tablename__, None, None, why)
    else:
        audit.record("sign_in_failed", user, user.id, why)


def change_password(user: User, current: str, new: str) -> None:
    """A person changes their own password: the current one first. Their other sessions end."""
    if not user.check_password(current):
        raise AccountError(_l("Your current password is not right"), "current")
    if new == current:
        raise AccountError(_l("Choose a password different from your current one"), "password")
    _set_password(user, new)
    audit.record("password_changed", user, user.id)


def _set_password(user: User, password: str) -> None:
    problem = password_problem(
        password, (user.email,), email=user.email, network_name=_network_name(user.network_id)
    )
    if problem:
        raise AccountError(problem, "password")
    user.set_password(password)
    end_all_sessions(user)


# Looking after other people's accounts (the view checks scope with core.access).


def change_role(actor: User, target: User, role: str, groups: list[Group]) -> bool:
    """Give someone another role or other groups; False when nothing changed."""
    from ..core.access import roles_they_may_give

    if role not in roles_they_may_give(actor):
        raise AccountError(_l("Choose their role"), "role")
    if any(g.network_id != target.network_id for g in groups):
        raise AccountError(_l("Choose groups of their network"), "groups")
    before = (target.role, sorted(g.id for g in target.groups))
    if before == (role, sorted(g.id for g in groups)):
        return False
    changes = []
    if target.role != role:
        changes.append(f"role {target.role} -> {role}")
    if before[1] != sorted(g.id for g in groups):
        changes.append("groups: " + (", ".join(sorted(g.name for g in groups)) or "none"))
    target.role = role
    target.groups = list(groups)
    audit.record("role_changed", target, actor.id, "; ".join(changes))
    db.session.flush()
    return True


def deactivate(actor: User, target: User) -> bool:
    """Stop someone signing in: every session of theirs ends at once and their pending reset
    links stop working. False when they already were deactivated."""
    if not target.is_active:
        return False
    target.is_active = False
    end_all_sessions(target)
    db.session.execute(
        sa.delete(PasswordReset).where(
            PasswordReset.user_id == target.id, PasswordReset.used_at.is_(None)
        )
    )
    audit.record("deactivated", target, actor.id)
    db.session.flush()
    return True


def reactivate(actor: User, target: User) -> bool:
    """Let someone sign in again, with the password they had. False when they were active."""
    if target.is_active:
        return False
    target.is_active = True
    audit.record("reactivated", target, actor.id)
    db.session.flush()
    return True


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_reset_link(actor: User, target: User) -> str:
    """A one-time token to choose a new password, for RESET_HOURS; earlier unused ones stop
    working. Only its hash is stored: the caller shows the token once."""
    if not target.is_active:
        raise AccountError(_l("Reactivate their account first"))
    db.session.execute(
        sa.delete(PasswordReset).where(
            PasswordReset.user_id == target.id, PasswordReset.used_at.is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user_id=target.id,
        token_hash=_token_hash(token),
        made_by_id=actor.id,
        expires_at=utcnow() + timedelta(hours=RESET_HOURS),
    )
    db.session.add(reset)
    db.session.flush()
    audit.record("reset_link_made", target, actor.id)
    return token


def find_reset(token: str) -> PasswordReset | None:
    """The usable reset behind a token: unused, unexpired, for an active account."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(sa.select(PasswordReset).filter_by(token_hash=_token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset if reset.user.is_active else None


def use_reset(reset: PasswordReset, password: str) -> User:
    """Set the new password; the link cannot be used again and every session of theirs ends."""
    user = reset.user
    _set_password(user, password)
    reset.used_at = utcnow()
    audit.record("password_reset", user, user.id)
    db.session.flush()
    return user
