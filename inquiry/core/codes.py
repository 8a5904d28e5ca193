"""Short codes people read aloud and type on small keyboards."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No look-alikes: no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B.
ALPHABET = "ACDEFGHJKMNPRTUVWXY34679"


def random_code(length: int = 6) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """What someone typed, as a code: capitals, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def keyed_digest(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def derived_code(key: str, message: str, length: int) -> str:
    """A code that the same key and message always give back (for replayed submits)."""
    number = int.from_bytes(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest())
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)
