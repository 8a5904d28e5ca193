"""What makes a password acceptable: long, not common, not easy to guess, and not made of
the person's own address or their network's name."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
# A part of an address or a name counts once it has this many letters ("bob" or "org" alone
# would refuse too many good passwords).
MIN_LETTERS = 4


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _counts(part: str) -> bool:
    return sum(c.isalpha() for c in part) >= MIN_LETTERS


def _parts(text: str) -> list[str]:
    """A text, its letters and digits run together, and each of its words: lower case."""
    text = text.strip().lower()
    words = [w for w in re.split(r"[\W_]+", text) if w]
    return [text, "".join(words), *words]


def email_parts(email: str) -> list[str]:
    """What a password must not contain of an address: its local part (and each word of it)
    and its domain without the top-level part ("example" of name@example.org)."""
    local, _at, domain = email.strip().lower().rpartition("@")
    labels = domain.split(".")[:-1] if "." in domain else [domain]
    return [p for p in _parts(local) + labels if p and _counts(p)]


def name_parts(name: str) -> list[str]:
    """What a password must not contain of a network's name: the name and each of its words."""
    return [p for p in _parts(name) if p and _counts(p)]


def personal_problem(password: str, email: str = "", network_name: str = "") -> str | None:
    """Why a password made of the person's address or their network's name will not do."""
    typed = password.lower()
    squeezed = re.sub(r"[\W_]+", "", typed)
    for part in email_parts(email):
        if part in typed or part in squeezed:
            return str(
                _l(
                    "Your password must not contain “%(part)s”, which is part of your email "
                    "address. Choose another one",
                    part=part,
                )
            )
    for part in name_parts(network_name):
        if part in typed or part in squeezed:
            return str(
                _l(
                    "Your password must not contain “%(part)s”, which is part of your "
                    "network's name. Choose another one",
                    part=part,
                )
            )
    return None


def password_problem(
    password: str, user_inputs: tuple[str, ...] = (), *, email: str = "", network_name: str = ""
) -> str | None:
    """Why a password will not do, in plain words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Your password must be at least 12 characters long"))
    if password.lower() in _common():
        return str(_l("This password is on a list of common passwords. Choose another one"))
    problem = personal_problem(password, email, network_name)
    if problem:
        return problem
    from zxcvbn import zxcvbn

    inputs = [*user_inputs, *email_parts(email), *name_parts(network_name)]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < 3:
        return str(_l("This password is too easy to guess. Try three or four unrelated words"))
    return None
