"""The cookies a member's phone keeps: HttpOnly, SameSite=Lax, Secure over HTTPS."""

from __future__ import annotations

from flask import request

# Which agenda topics this phone chose (a random token; the server keeps a keyed hash).
VOTER_COOKIE = "inquiry_voter"


def set_member_cookie(response, name: str, value: str, days: int | None) -> None:
    """Set a member cookie kept for `days`, or only until the browser closes when None."""
    response.set_cookie(
        name,
        value,
        max_age=None if days is None else days * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def clear_member_cookies(response, names) -> None:
    """Forget these member cookies on this phone (for the next person who uses it)."""
    for name in names:
        response.delete_cookie(name, httponly=True, samesite="Lax", secure=request.is_secure)
