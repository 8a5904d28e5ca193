"""Limits on join codes that keep the room in and guessers out.

A room of people shares one address (the venue's Wi-Fi), so a few typing mistakes must never
lock out the right code or the poster's QR link. Only wrong codes are counted, per address:
- under JOIN_RATE_LIMIT, a wrong code says "check the code";
- past it, a wrong code is told to wait, and a right code still gets in;
- past JOIN_GUESS_LIMIT, a code is looked up only if it has already worked from this address
  (the room's own code, remembered for JOIN_KNOWN_DAYS). Any other code is refused without
  being looked up, so a guesser learns nothing more, right or wrong.
The counts live in the rate limiter's storage (Redis when several processes serve), under a
keyed hash of the code, never the code itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, RateLimitItemPerDay, parse_many

from ..core.codes import keyed_digest, normalise
from ..core.forms import GroupCodeForm
from ..cycles.queries import find_join_code
from ..extensions import limiter

if TYPE_CHECKING:
    from ..cycles.models import JoinCode

# What a page does with a real code: a response, or None to pass it on.
Answer = Callable[["JoinCode"], ResponseReturnValue | None]


class Gate(enum.Enum):
    OPEN = "open"  # look the code up; a wrong one is counted and says "check the code"
    KNOWN = "known"  # the code worked from here before: look it up, count nothing
    SLOW = "slow"  # too many wrong codes: a right one gets in, a wrong one is told to wait
    SHUT = "shut"  # far too many: refuse without looking the code up


def _items(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _known_item() -> RateLimitItem:
    return RateLimitItemPerDay(1, current_app.config["JOIN_KNOWN_DAYS"])


def _code_key(typed: str) -> str:
    return keyed_digest(current_app.config["LINK_KEY"], "join-known|" + normalise(typed))


def _exhausted(setting: str, address: str) -> bool:
    return any(not limiter.limiter.test(item, "join", address) for item in _items(setting))


def gate(typed: str) -> Gate:
    """How far a code from this address may go, decided before it is looked up."""
    if not limiter.enabled:
        return Gate.OPEN
    address = get_remote_address()
    try:
        if not limiter.limiter.test(_known_item(), "join-known", address, _code_key(typed)):
            return Gate.KNOWN
        if _exhausted("JOIN_GUESS_LIMIT", address):
            return Gate.SHUT
        if _exhausted("JOIN_RATE_LIMIT", address):
            return Gate.SLOW
    except Exception as error:  # the limiter's storage is down: let the room in
        current_app.logger.error("join limits unavailable: %s", type(error).__name__)
    return Gate.OPEN


def paused_message() -> str:
    """What a paused code says: it is a real code, so it is never counted as a wrong one."""
    return _("The facilitator has paused this code for now. Please try again later.")


def count_wrong() -> None:
    """Count a wrong code against this address."""
    if not limiter.enabled:
        return
    address = get_remote_address()
    try:
        for item in _items("JOIN_RATE_LIMIT") + _items("JOIN_GUESS_LIMIT"):
            limiter.limiter.hit(item, "join", address)
    except Exception as error:
        current_app.logger.error("join limits unavailable: %s", type(error).__name__)


def remember(typed: str) -> None:
    """Remember that this code worked from this address (the room's code)."""
    if not limiter.enabled:
        return
    try:
        limiter.limiter.hit(_known_item(), "join-known", get_remote_address(), _code_key(typed))
    except Exception as error:
        current_app.logger.error("join limits unavailable: %s", type(error).__name__)


def enter(
    typed: str,
    form: GroupCodeForm,
    *,
    template: str,
    not_found_message: str,
    let_in: Answer,
    hold_back: Answer | None = None,
) -> ResponseReturnValue:
    """Answer a group's code, typed on `template` or from a poster's link, under the limits.

    `hold_back(join_code)` may answer for a real code that cannot be used now (a paused code,
    a closed reflection): nothing is counted or remembered. Otherwise `let_in(join_code)`
    answers and the code is remembered as the room's; if it answers None, the code is wrong
    for this page. A wrong code is counted and gets `not_found_message` (404), or is told to
    wait (429) once too many have come from this address.
    """
    reached = gate(typed)
    if reached is Gate.SHUT:
        return _too_many(form, template)
    join_code = find_join_code(typed)
    if join_code is not None and join_code.cycle is not None:
        response = hold_back(join_code) if hold_back is not None else None
        if response is not None:
            return response
        response = let_in(join_code)
        if response is not None:
            if reached is not Gate.KNOWN:
                remember(typed)
            return response
    if reached is not Gate.KNOWN:
        count_wrong()
    if reached is Gate.SLOW:
        return _too_many(form, template)
    form.code.errors = [not_found_message]
    return render_template(template, form=form), 404


def _too_many(form: GroupCodeForm, template: str) -> ResponseReturnValue:
    form.code.errors = [
        _(
            "Lots of wrong codes have come from this internet connection. "
            "Wait a few minutes, then try again."
        )
    ]
    return render_template(template, form=form), 429
