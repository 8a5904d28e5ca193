"""People who sign in: facilitators, coordinators and admins. Members never have accounts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import CreatedMixin, UTCDateTime, enum_check
from ..extensions import db

ROLES = ("admin", "coordinator", "facilitator")
_hasher = PasswordHasher()

facilitator_groups = sa.Table(
    "facilitator_group",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "group_id", sa.ForeignKey("community_group.id", ondelete="CASCADE"), primary_key=True
    ),
)


class User(CreatedMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (enum_check("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("network.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's user id: signing out bumps it, so copied cookies stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The second step at sign-in: a TOTP secret (base32) once set up, and the last time step
    # a code was accepted for, so the same code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None]

    groups = db.relationship("Group", secondary=facilitator_groups)

    # Flask-Login
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class Invite(CreatedMixin, db.Model):
    """An invitation to make an account, used once, through a signed expiring link."""

    __tablename__ = "invite"
    __table_args__ = (enum_check("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id"))
    group_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(CreatedMixin, db.Model):
    """A one-time link to choose a new password, made by a coordinator or an admin. Only the
    SHA-256 of its token is kept, so the link is shown once and cannot be read back."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    made_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = db.relationship("User", foreign_keys=[user_id])


class RecoveryCode(CreatedMixin, db.Model):
    """A single-use code to sign in without the authenticator app; kept as an argon2 hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
