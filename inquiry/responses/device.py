"""What a phone or a group tablet keeps of the person using it, and forgetting it all for the
next person: phones and tablets are passed round the room.

A member's traces on a device are the resume cookie (their draft), the agenda voter cookie, the
language cookie and, in the signed session, the code they joined with, the draft they are
working on and the receipt they were just shown. A group tablet (kiosk) keeps one more thing in
the session: which cycle it is for, and until when.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, session

from ..core.cookies import VOTER_COOKIE, clear_member_cookies
from ..i18n import LANGUAGE_COOKIE

# How long this device remembers that it just sent a reflection: the browser's Back button
# then shows the confirmation, not "start again".
JUST_SENT_FOR = 30 * 60


@dataclass(frozen=True)
class Kiosk:
    """A browser a facilitator set up as the group's tablet for one cycle and audience."""

    cycle_id: int
    audience: str
    until: int


def kiosk() -> Kiosk | None:
    """The group tablet mode this browser is in, or None."""
    kept = session.get("kiosk")
    if not kept:
        return None
    cycle_id, audience, until = kept
    if until < time.time():
        session.pop("kiosk", None)
        return None
    return Kiosk(cycle_id, audience, until)


def start_kiosk(response, cycle_id: int, audience: str) -> None:
    """Make this browser the group's tablet. Anyone signed in on it is signed out."""
    forget_person(response, keep_kiosk=False)
    hours = current_app.config["KIOSK_HOURS"]
    session["kiosk"] = [cycle_id, audience, int(time.time()) + hours * 3600]
    # Kept through a browser restart during the session, never longer than KIOSK_HOURS.
    session.permanent = True


def forget_person(response, *, keep_kiosk: bool = True) -> None:
    """Forget everything of the person who used this device: cookies and session alike."""
    kept = session.get("kiosk") if keep_kiosk else None
    session.clear()
    if kept:
        session["kiosk"] = kept
        session.permanent = True
    clear_member_cookies(
        response, (current_app.config["RESUME_COOKIE"], VOTER_COOKIE, LANGUAGE_COOKIE)
    )


def working_on(draft) -> bool:
    """Note that this browser is working on the draft; True when it was not before."""
    marker = [draft.id, draft.cycle_id, draft.audience]
    if session.get("working") == marker:
        return False
    session["working"] = marker
    return True


def note_sent() -> None:
    """Remember, for a while, that this device just sent a reflection (and whose)."""
    working = session.pop("working", None) or [None, None, None]
    session["sent"] = [working[1], working[2], int(time.time())]


def just_sent() -> tuple[int | None, str | None] | None:
    """(cycle id, audience) of what this device sent in the last half hour, or None."""
    sent = session.get("sent")
    if not sent or time.time() - sent[2] > JUST_SENT_FOR:
        return None
    return sent[0], sent[1]
