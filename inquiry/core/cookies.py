"""The cookies a member's phone keeps: HttpOnly, SameSite=Lax, Secure over HTTPS."""

from __future__ import annotations

from flask import request


def set_member_cookie(response, name: str, value: str, days: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=days * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
