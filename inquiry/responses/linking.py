"""Self-chosen codes and receipt codes, kept only as keyed hashes.

A self-chosen code is built from things a person always knows. It has little entropy, so we
store only HMACs under a per-installation key, and one for every leave-one-part-out
combination, so answers still link when one part is remembered differently.
"""

from __future__ import annotations

import unicodedata

from ..core.codes import derived_code, keyed_digest, normalise

PARTS = ("initial", "day", "siblings", "town")
RECEIPT_LENGTH = 8


def _clean(part: str) -> str:
    return unicodedata.normalize("NFKC", str(part)).strip().casefold()


def link_digests(key: str, parts: dict[str, str]) -> list[str]:
    """Keyed hashes for the whole code (index 0) and each code with one part left out."""
    values = [_clean(parts[name]) for name in PARTS]
    digests = [keyed_digest(key, "link|0|" + "|".join(values))]
    for left_out in range(len(values)):
        kept = ["*" if i == left_out else v for i, v in enumerate(values)]
        digests.append(keyed_digest(key, f"link|{left_out + 1}|" + "|".join(kept)))
    return digests


def receipt_code(key: str, submission_token: str) -> str:
    """The receipt shown after sending; the same token always gives the same receipt."""
    return derived_code(key, "receipt|" + submission_token, RECEIPT_LENGTH)


def receipt_digest(key: str, receipt: str) -> str:
    return keyed_digest(key, "withdraw|" + normalise(receipt))


def format_receipt(receipt: str) -> str:
    return f"{receipt[:4]}-{receipt[4:]}"
