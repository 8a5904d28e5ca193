"""What makes a password acceptable: long, not common, not easy to guess."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why a password will not do, in plain words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Your password must be at least 12 characters long"))
    if password.lower() in _common():
        return str(_l("This password is on a list of common passwords. Choose another one"))
    from zxcvbn import zxcvbn

    if zxcvbn(password[:100], user_inputs=list(user_inputs))["score"] < 3:
        return str(_l("This password is too easy to guess. Try three or four unrelated words"))
    return None
