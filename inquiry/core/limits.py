"""The rate limiter does its work only where a limit applies."""

from __future__ import annotations

from flask import Flask

# Limits that would apply to every route; Inquiry sets none (each limited route carries its
# own limit), but a deployment may.
_EVERY_ROUTE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app: Flask, limiter) -> None:
    """Flask-Limiter checks every request before its view, for limits that apply to every
    route. With none set, that check finds nothing on each member page and send: drop it.
    A limited route still checks its own limits, in its decorator."""
    if any(app.config.get(name) for name in _EVERY_ROUTE):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [h for h in hooks if h != limiter._check_request_limit]
