"""The second step at sign-in: a code from an authenticator app (TOTP, RFC 6238), or one of
ten single-use recovery codes for when the phone is lost."""

from __future__ import annotations

import hmac
import time

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..core import audit
from ..core.codes import ALPHABET, normalise, random_code
from ..core.models import utcnow
from ..extensions import db
from .models import RecoveryCode, User
from .services import end_all_sessions

ISSUER = "Inquiry"
RECOVERY_CODES = 10
# 12 characters of a 24-letter alphabet, about 55 bits each: salted and slowly hashed, like
# passwords (OWASP's smallest argon2id setting keeps checking ten of them quick).
_CODE_LENGTH = 12
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """What the QR code holds: the otpauth:// address an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data: URI, for an <img> that the page's CSP allows."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _step_matching(secret: str, code: str, after: int | None, now: float | None) -> int | None:
    """The time step (30 s) within one step of now whose code this is, if it is later than
    the last step used: a code works once."""
    code = "".join(ch for ch in code if not ch.isspace())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_code(user: User, code: str, now: float | None = None) -> bool:
    """Whether a code from the person's app is right (and not used before); remembers it."""
    if not user.totp_secret:
        return False
    step = _step_matching(user.totp_secret, code, user.totp_last_step, now)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def turn_on(user: User, secret: str, code: str, now: float | None = None) -> list[str] | None:
    """Keep the secret once the person shows their app has it (a right code); returns their
    new recovery codes, or None when the code is wrong. Their other sessions end."""
    step = _step_matching(secret, code, None, now)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    end_all_sessions(user)
    audit.record("two_step_on", user, user.id)
    return _replace_recovery_codes(user)


def turn_off(actor: User, user: User) -> None:
    """No second step any more (the person themself, or someone who looks after them when the
    phone and the recovery codes are lost). Their sessions end."""
    user.totp_secret, user.totp_last_step = None, None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)
    audit.record("two_step_off", user, actor.id, "" if actor.id == user.id else "for them")
    db.session.flush()


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _replace_recovery_codes(user)
    audit.record("recovery_new", user, user.id)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [random_code(_CODE_LENGTH) for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_code_hasher.hash(code)) for code in codes
    )
    db.session.flush()
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


def use_recovery_code(user: User, typed: str) -> bool:
    """Whether a recovery code is one of the person's unused ones; it cannot be used again."""
    code = normalise(typed)
    if len(code) != _CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return False
    for stored in _unused_codes(user):
        try:
            _code_hasher.verify(stored.code_hash, code)
        except (VerificationError, InvalidHashError):
            continue
        stored.used_at = utcnow()
        audit.record("recovery_used", user, user.id, f"{count_recovery_codes_left(user)} left")
        db.session.flush()
        return True
    return False


def _unused_codes(user: User) -> list[RecoveryCode]:
    return list(
        db.session.scalars(sa.select(RecoveryCode).filter_by(user_id=user.id, used_at=None))
    )


def count_recovery_codes_left(user: User) -> int:
    db.session.flush()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .filter_by(user_id=user.id, used_at=None)
    )


def is_required(user: User) -> bool:
    """Whether the person's network asks its staff for a second step."""
    from ..groups.models import Network

    if user.network_id is None:
        return False
    network = db.session.get(Network, user.network_id)
    return bool(network and network.requires_two_step)


def needs_setting_up(user: User) -> bool:
    return is_required(user) and not user.totp_secret


def count_recent_wrong_codes(user: User, seconds: int) -> int:
    """Wrong codes typed for the person's account in the last few seconds (from the audit)."""
    from datetime import timedelta

    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(audit.AuditEvent)
        .where(
            audit.AuditEvent.action == "sign_in_failed",
            audit.AuditEvent.object_type == User.__tablename__,
            audit.AuditEvent.object_id == user.id,
            audit.AuditEvent.detail == "wrong code",
            audit.AuditEvent.at > utcnow() - timedelta(seconds=seconds),
        )
    )
