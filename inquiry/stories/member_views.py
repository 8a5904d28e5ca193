"""The story round on a member's phone (or a group tablet), with the same join code as the
reflection and without JavaScript: write a story of change, take it back with its own
receipt code, and choose the story that matters most at the meeting."""

from __future__ import annotations

import secrets
import time
import uuid

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from wtforms import SelectChoice

from ..core.codes import keyed_digest
from ..core.cookies import VOTER_COOKIE, set_member_cookie
from ..core.errors import unavailable
from ..cycles.queries import get_cycle
from ..extensions import csrf, db, limiter
from ..responses import device, joining
from ..responses.linking import format_receipt
from . import services
from .forms import ChooseStoryForm, StoryCodeForm, StoryForm, StoryWithdrawForm
from .queries import (
    get_active_round,
    get_chosen_story_id,
    get_story_by_receipt,
    list_shortlist,
    may_choose,
    may_write,
)

members = Blueprint("tell", __name__)
csrf.exempt(members)  # member forms check their own token (BaseForm), like the reflection's

RECEIPT_SHOWN_FOR = 30 * 60


def _status(form) -> int:
    return 400 if form.errors else 200


def _member_cycle():
    """The cycle this browser reached with its code: the story round's own, the reflection
    being answered or just sent, or the group tablet's; the first whose story round is
    open to writing or choosing, so an old one left in the session never hides a new one."""
    from ..responses.queries import get_live_draft

    candidates = [(session.get("join") or [None])[0], session.get("story_cycle")]
    draft = get_live_draft(request.cookies.get(current_app.config["RESUME_COOKIE"]))
    candidates.append(draft.cycle_id if draft is not None else None)
    candidates.append((device.just_sent() or (None, None))[0])
    tablet = device.kiosk()
    candidates.append(tablet.cycle_id if tablet else None)
    cycles = [get_cycle(i) for i in dict.fromkeys(c for c in candidates if c is not None)]
    cycles = [c for c in cycles if c is not None]
    cycle = next((c for c in cycles if may_write(c) or may_choose(c)), None)
    cycle = cycle or (cycles[0] if cycles else None)
    if cycle is not None:
        g.group_language = cycle.group.default_language
    return cycle


def _not_now(cycle):
    return render_template("stories/not_now.html", cycle=cycle, choosing=may_choose(cycle)), 410


# Reaching the story round with the group's code ---------------------------------------


def _enter(typed: str, form: StoryCodeForm):
    """The same code as the reflection, under the same limits (responses/joining.py); it
    also works after the cycle closes, for choosing at the meeting."""
    return joining.enter(
        typed,
        form,
        template="stories/code.html",
        not_found_message=_(
            "We could not find a group with that code. Check the code and try again."
        ),
        let_in=_open_round,
    )


def _open_round(join_code):
    cycle = join_code.cycle
    if get_active_round(cycle.id) is None or not (may_write(cycle) or may_choose(cycle)):
        g.group_language = cycle.group.default_language
        return _not_now(cycle)
    session["story_cycle"] = cycle.id
    return redirect(url_for(".write" if may_write(cycle) else ".choose"))


@members.route("/story/code", methods=["GET", "POST"])
def code():
    form = StoryCodeForm()
    if form.validate_on_submit():
        return _enter(form.code.data, form)
    return render_template("stories/code.html", form=form), _status(form)


@members.route("/s/<code>")
def join(code: str):
    return _enter(code, StoryCodeForm.from_link(code))


# Writing a story ------------------------------------------------------------------------


@members.route("/story", methods=["GET", "POST"])
def write():
    cycle = _member_cycle()
    if cycle is None:
        return redirect(url_for(".code"))
    if not may_write(cycle):
        return _not_now(cycle)
    form = StoryForm()
    if request.method == "GET":
        form.submission_token.data = str(uuid.uuid4())

    def render():
        return render_template("stories/write.html", cycle=cycle, form=form)

    if not form.validate_on_submit():
        return render(), _status(form)
    try:
        _story, receipt = services.write_story(
            cycle.id,
            form.title.data,
            form.text.data,
            form.may_share.data == "yes",
            form.token,
            current_app.config["LINK_KEY"],
        )
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("could not save a story: %s", type(error).__name__)
        return unavailable(render)
    response = redirect(url_for(".thanks"))
    if device.kiosk() is not None:
        # A group tablet keeps nothing of this person, and shows no receipt.
        device.forget_person(response)
        session["story_cycle"] = cycle.id
        session["story_sent"] = int(time.time())
    else:
        session["story_receipt"] = [receipt, int(time.time())]
    return response


@members.route("/story/thanks")
def thanks():
    # Shown once, like the reflection's receipt: the next person on this phone cannot.
    receipt, shown_at = session.pop("story_receipt", None) or (None, 0)
    if receipt is not None and time.time() - shown_at > RECEIPT_SHOWN_FOR:
        receipt = None
    on_tablet = session.pop("story_sent", None) is not None
    if receipt is None and not on_tablet:
        return redirect(url_for(".write"))
    cycle = _member_cycle()
    return render_template(
        "stories/thanks.html",
        cycle=cycle,
        receipt=format_receipt(receipt) if receipt else None,
        choosing=cycle is not None and may_choose(cycle),
    )


# Taking a story back --------------------------------------------------------------------


def _withdraw_limit() -> str:
    return current_app.config["WITHDRAW_RATE_LIMIT"]


def _refused(response) -> bool:
    return response.status_code in (400, 404)


@members.route("/story/withdraw", methods=["GET", "POST"])
@limiter.limit(_withdraw_limit, methods=["POST"], deduct_when=_refused)
def withdraw():
    form = StoryWithdrawForm()
    status = 200
    if form.is_submitted() and not form.validate():
        status = 400
    elif form.is_submitted():
        digest = services.story_receipt_digest(current_app.config["LINK_KEY"], form.receipt.data)
        story = get_story_by_receipt(digest)
        if story is None:
            form.receipt.errors = [
                _("We could not find a story with that receipt code. Check it and try again.")
            ]
            status = 404
        else:
            try:
                services.withdraw_story(story)
            except services.StoryError as error:
                db.session.rollback()
                form.receipt.errors = [str(error)]
                status = 400
            else:
                db.session.commit()
                return render_template("stories/withdrawn.html")
    return render_template("stories/withdraw.html", form=form), status


# Choosing at the meeting ----------------------------------------------------------------


def _voter_token(on_tablet: bool) -> str:
    """Who is choosing: on a phone, its long-lived cookie (the agenda's); on a group tablet,
    each person anew (the tablet forgets them once they have chosen)."""
    kept = None if on_tablet else request.cookies.get(VOTER_COOKIE)
    return kept or secrets.token_urlsafe(32)


@members.route("/story/choose", methods=["GET", "POST"])
def choose():
    cycle = _member_cycle()
    if cycle is None:
        return redirect(url_for(".code"))
    if not may_choose(cycle):
        return _not_now(cycle)
    shortlist = list_shortlist(cycle.id)
    on_tablet = device.kiosk() is not None
    token = _voter_token(on_tablet)
    voter = keyed_digest(current_app.config["LINK_KEY"], "story-voter|" + token)
    form = ChooseStoryForm()
    form.story.choices = [SelectChoice(str(s.id), s.shown_title) for s in shortlist]
    if request.method == "GET" and not on_tablet:
        chosen = get_chosen_story_id(cycle.id, voter)
        form.story.data = str(chosen) if chosen else None
    elif form.validate_on_submit():
        try:
            services.choose_story(cycle.id, voter, int(form.story.data))
        except services.StoryError as error:
            db.session.rollback()
            form.story.errors = [str(error)]
        else:
            db.session.commit()
            response = redirect(url_for(".choose", saved=1))
            if on_tablet:
                device.forget_person(response)
            else:
                set_member_cookie(response, VOTER_COOKIE, token, days=90)
            return response
    return render_template(
        "stories/choose.html",
        cycle=cycle,
        form=form,
        shortlist=shortlist,
        saved=request.args.get("saved") and request.method == "GET",
        on_tablet=on_tablet,
    ), _status(form)


@members.app_template_global()
def story_offer(cycle=None) -> str | None:
    """What the reflection's pages offer of the story round: "write", "choose" or None; for
    the confirmation page, the cycle of the reflection just sent."""
    if cycle is None:
        sent = device.just_sent()
        cycle = get_cycle(sent[0]) if sent and sent[0] is not None else None
    if cycle is None:
        return None
    if may_write(cycle):
        return "write"
    return "choose" if may_choose(cycle) else None
