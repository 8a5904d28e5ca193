"""The member's reflection: join, answer page by page, check, send, withdraw."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
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

from ..actions.queries import list_actions_to_review
from ..agenda.queries import list_ranked_topics
from ..core.cookies import set_member_cookie
from ..core.errors import unavailable
from ..core.forms import BaseForm
from ..core.models import utcnow
from ..core.security import cycle_limit_count, cycle_limit_wait, too_many_kept
from ..cycles.queries import get_cycle, list_asked_questions
from ..cycles.services import may_withdraw
from ..extensions import csrf, db, limiter
from ..i18n import current_language
from ..questions.types import PREFER_NOT_TO_SAY, answer_label
from . import device, services
from .forms import (
    SHARE_OPENLY,
    STAY_ANONYMOUS,
    AboutForm,
    SharingForm,
    SubmitForm,
    WithdrawForm,
    answers_from,
    field_name,
    page_form,
)
from .linking import format_receipt, link_digests, receipt_code, receipt_digest
from .plan import build_plan
from .queries import get_live_draft, get_response_by_receipt, is_stored

bp = Blueprint("reflect", __name__)
bp.add_app_template_global(answer_label)
bp.add_app_template_global(field_name)
bp.add_app_template_global(PREFER_NOT_TO_SAY, "PREFER_NOT_TO_SAY")
# Member forms check their own CSRF token (every one is a BaseForm), so that a refused
# post is shown again with everything the member typed instead of a bare error page.
csrf.exempt(bp)

RECEIPT_SHOWN_FOR = 30 * 60


def _refused(response) -> bool:
    return response.status_code in (400, 404)


def _withdraw_limit() -> str:
    return current_app.config["WITHDRAW_RATE_LIMIT"]


def _resume_token() -> str | None:
    return request.cookies.get(current_app.config["RESUME_COOKIE"])


def _current_draft():
    """The member's draft and its page plan, or (None, None) when there is nothing to resume."""
    draft = get_live_draft(_resume_token())
    if draft is None:
        return None, None
    g.language = draft.language
    plan = build_plan(
        draft.audience,
        list_asked_questions(draft.cycle_id, draft.audience, draft.language),
        _asked_actions(draft),
    )
    return draft, plan


def _asked_actions(draft) -> tuple[int, ...]:
    """The actions of last time this member's draft asks about, kept in it when it started."""
    from .forms import ACTIONS_KEY

    ids = (draft.answers or {}).get(ACTIONS_KEY) or ()
    return tuple(i for i in ids if isinstance(i, int))


def _save(write, render):
    """Run a service and commit; on a database error, show the page again with the
    member's answers and a calm 503. Returns None when saved."""
    try:
        write()
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("could not save a reflection: %s", type(error).__name__)
        return unavailable(render)
    return None


def _status(form: BaseForm) -> int:
    return 400 if form.errors else 200


# The reflection -------------------------------------------------------------------------


def _lost():
    return render_template("responses/lost.html"), 410


def _closed(cycle=None, code: str | None = None):
    """The reflection has closed; with its cycle when reached by its code. Someone who started
    on this device before it closed is told until when they can still send; with the code, the
    story round's choosing (open after closing) is one button away."""
    late = None
    if cycle is not None:
        g.group_language = cycle.group.default_language
        draft = get_live_draft(_resume_token())
        if (
            draft is not None
            and draft.cycle_id == cycle.id
            and cycle.takes_answers_from(draft.created_at)
        ):
            late = cycle.grace_until
    return render_template("responses/closed.html", cycle=cycle, late=late, code=code), 410


def _no_draft():
    """No draft on this device: on a group tablet, a fresh start; just after sending, the
    confirmation (the browser's Back button); otherwise, say the answers are not here."""
    if device.kiosk() is not None:
        return redirect(url_for(".start"))
    if device.just_sent() is not None:
        return redirect(url_for(".done"))
    return _lost()


@bp.route("/reflect", methods=["GET", "POST"])
def start():
    draft = get_live_draft(_resume_token())
    if draft is not None:
        g.language = draft.language
    kiosk = device.kiosk()
    joined = session.get("join")
    if joined and (draft is None or [draft.cycle_id, draft.audience] != joined):
        draft = None
        cycle, audience = get_cycle(joined[0]), joined[1]
    elif draft is not None:
        cycle, audience = draft.cycle, draft.audience
    elif kiosk is not None:
        cycle, audience = get_cycle(kiosk.cycle_id), kiosk.audience
    else:
        return redirect(url_for(".home"))
    # A closed cycle's code starts nothing; a reflection started before it closed carries on
    # within the grace period.
    if cycle is None or not (
        cycle.is_open or (draft is not None and cycle.takes_answers_from(draft.created_at))
    ):
        return _closed(cycle)
    g.group_language = cycle.group.default_language
    actions = list_actions_to_review(cycle)
    asked = _asked_actions(draft) if draft is not None else tuple(a.id for a in actions)
    plan = build_plan(audience, list_asked_questions(cycle.id, audience), asked)
    k = cycle.group.network.min_responses
    form = _start_form(audience, draft, k)
    has_topics = bool(list_ranked_topics(cycle.id))
    # Shown once, on a group tablet, to the person who has just sent.
    thanks = kiosk is not None and request.method == "GET" and session.pop("thanks", False)

    def render():
        return render_template(
            "responses/start.html",
            cycle=cycle,
            audience=audience,
            form=form,
            plan=plan,
            actions=actions,
            has_topics=has_topics,
            draft=draft,
            k=k,
            kiosk=kiosk,
            thanks=thanks,
            someone_here=draft is not None or _traces_on_tablet(kiosk),
            action=url_for(".start", **({"from": "check"} if _from_check() else {})),
        )

    if not form.validate_on_submit():
        return render(), _status(form)
    started = {}
    # Only peer support workers choose; members' answers are always anonymous.
    shares_openly = form.chosen if isinstance(form, SharingForm) else False

    def write():
        if draft is None:
            started["draft"], started["token"] = services.start_draft(
                cycle,
                audience,
                current_language(),
                current_app.config["DRAFT_DAYS"],
                shares_openly=shares_openly,
                action_ids=plan.action_ids,
            )
        elif draft.shares_openly != shares_openly:
            services.set_draft_sharing(draft, shares_openly)

    failed = _save(write, render)
    if failed:
        return failed
    token = started.get("token")
    session.pop("join", None)
    device.working_on(started.get("draft") or draft)
    if draft is None:
        first = 1
    elif _from_check():
        first = plan.check_step
    else:
        # "Carry on" goes back to the step reached, and offers a fresh start there too.
        first = min(max(draft.reached_step or 1, 1), plan.check_step)
        session["resumed"] = True
    response = redirect(url_for(".step", number=first))
    if token:
        # On a group tablet the draft lasts only while this person is using it.
        days = None if kiosk is not None else current_app.config["DRAFT_DAYS"]
        set_member_cookie(response, current_app.config["RESUME_COOKIE"], token, days)
    return response


def _traces_on_tablet(kiosk) -> bool:
    """On a group tablet, whether the last person left anything: topics they chose or a
    language they picked (their draft is checked on its own)."""
    from ..i18n import LANGUAGE_COOKIE

    return kiosk is not None and bool(session.get("voter") or request.cookies.get(LANGUAGE_COOKIE))


def _start_form(audience: str, draft, k: int) -> BaseForm:
    """Peer support workers choose how their answers are shown; members have nothing to fill in."""
    if audience != "peer_worker":
        return BaseForm()
    if request.method == "GET" and draft is not None:
        chosen = SHARE_OPENLY if draft.shares_openly else STAY_ANONYMOUS
        return SharingForm(k=k, data={"shares_openly": chosen})
    return SharingForm(k=k)


@bp.route("/reflect/<int:number>", methods=["GET", "POST"])
def step(number: int):
    draft, plan = _current_draft()
    if draft is None:
        return _no_draft()
    if not draft.cycle.takes_answers_from(draft.created_at):
        return _closed(draft.cycle)
    if number == plan.actions_step:
        return _actions_step(draft, plan)
    if number == plan.about_step:
        return _about(draft, plan)
    if number == plan.check_step:
        return _check(draft, plan, resumed=_resumed(draft))
    page = plan.page(number)
    if page is None:
        return redirect(url_for(".step", number=1))
    formdata = request.form if request.method == "POST" else None
    form = page_form(page, draft.language, formdata=formdata, answers=draft.answers)
    resumed = _resumed(draft)

    def render():
        return render_template(
            "responses/page.html",
            form=form,
            page=page,
            plan=plan,
            number=number,
            action=_action(number),
            resumed=resumed,
        )

    if request.method == "POST" and form.validate():
        values = answers_from(form, page)
        reached = _target(number, plan)
        return _save(lambda: services.save_answers(draft, values, reached), render) or _next(
            reached
        )
    return render(), _status(form)


def _resumed(draft) -> bool:
    """Whether to offer "Not you? Start fresh": always on a group tablet; on a phone, when the
    draft was carried on, opened in a new browser session, or left untouched a while."""
    if request.method != "GET":
        return False
    if device.kiosk() is not None:
        return True
    carried_on = session.pop("resumed", False)
    new_here = device.working_on(draft)
    idle = timedelta(minutes=current_app.config["RESUME_IDLE_MINUTES"])
    return carried_on or new_here or utcnow() - draft.updated_at > idle


def _from_check() -> bool:
    """True when the member came from "Check your answers" to change something."""
    return request.args.get("from") == "check"


def _action(number: int) -> str:
    return url_for(".step", number=number, **({"from": "check"} if _from_check() else {}))


def _target(number: int, plan) -> int:
    """The step a page's button leads to (0 is the start page)."""
    if request.form.get("go") == "back":
        return number - 1
    if _from_check():
        return plan.check_step
    return number + 1


def _next(target: int):
    return redirect(url_for(".step", number=target) if target else url_for(".start"))


def _list_asked(plan):
    from ..actions.models import Action

    return list(
        db.session.scalars(
            sa.select(Action).where(Action.id.in_(plan.action_ids)).order_by(Action.id)
        )
    )


def _actions_step(draft, plan):
    """Did this happen? About each action agreed last time: optional, one step."""
    from .forms import action_answer_key, actions_form

    actions = _list_asked(plan)
    formdata = request.form if request.method == "POST" else None
    form = actions_form(actions, formdata=formdata, answers=draft.answers)
    number = plan.actions_step
    resumed = _resumed(draft)

    def render():
        return render_template(
            "responses/actions.html",
            form=form,
            plan=plan,
            number=number,
            action=_action(number),
            resumed=resumed,
        )

    if request.method == "POST" and form.validate():
        values = {action_answer_key(a.id): form[f"action-{a.id}"].data or None for a in actions}
        reached = _target(number, plan)
        return _save(lambda: services.save_answers(draft, values, reached), render) or _next(
            reached
        )
    return render(), _status(form)


def _about(draft, plan):
    data = {"may_quote": {True: "yes", False: "no"}.get(draft.may_quote)}
    form = AboutForm(data=data) if request.method == "GET" else AboutForm()
    number = plan.about_step
    resumed = _resumed(draft)

    def render():
        return render_template(
            "responses/about.html",
            form=form,
            plan=plan,
            number=number,
            draft=draft,
            action=_action(number),
            resumed=resumed,
        )

    if request.method == "POST" and form.validate():
        parts = form.code_parts
        digests = (
            link_digests(current_app.config["LINK_KEY"], parts) if parts else draft.link_digests
        )
        if request.form.get("forget_code"):
            digests = None
        may_quote = {"yes": True, "no": False}.get(form.may_quote.data)
        reached = _target(number, plan)
        return _save(
            lambda: services.save_about(draft, may_quote, digests, reached), render
        ) or _next(reached)
    return render(), _status(form)


def _check(
    draft, plan, form: SubmitForm | None = None, status: int = 200, *, resumed: bool = False
):
    form = form or SubmitForm(formdata=None, submission_token=draft.submission_token)
    return render_template(
        "responses/check.html",
        form=form,
        plan=plan,
        number=plan.check_step,
        draft=draft,
        answers=draft.answers or {},
        asked_actions=_list_asked(plan) if plan.action_ids else [],
        resumed=resumed,
        kiosk=device.kiosk(),
    ), status


def _confirm(submission_token: str):
    if device.kiosk() is not None:
        # A group tablet: straight back to a fresh start page for the next person, keeping
        # nothing of this one (no receipt to find, no language, no topics).
        response = redirect(url_for(".start"))
        device.forget_person(response)
        session["thanks"] = True
        return response
    receipt = receipt_code(current_app.config["LINK_KEY"], submission_token)
    session["receipt"] = [receipt, int(time.time())]
    device.note_sent()
    response = redirect(url_for(".done"))
    response.delete_cookie(current_app.config["RESUME_COOKIE"])
    return response


@bp.route("/reflect/send", methods=["POST"])
def send():
    form = SubmitForm()
    if not form.validate():
        draft, plan = _current_draft()
        if draft is None:
            return _no_draft()
        form.submission_token.data = draft.submission_token
        return _check(draft, plan, form, 400)
    # The hot path: no page to draw, so no question texts and no form objects to load. The
    # one read of the draft also gives the cycle whose stuffing limits apply.
    token = form.submission_token.data
    try:
        draft = services.draft_to_send(_resume_token())
        limit_key, wait = cycle_limit_wait("SEND_RATE_LIMIT", getattr(draft, "cycle_id", None))
        if wait is not None:
            db.session.rollback()
            return too_many_kept(wait)
        result = services.send_draft(draft, token, current_app.config["LINK_KEY"])
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        # Another tap of the same button got there first: show the same confirmation.
        if is_stored(token):
            return _confirm(token)
        current_app.logger.error("could not send a reflection: %s", type(error).__name__)
        draft, plan = _current_draft()
        if draft is None:
            return _no_draft()
        return unavailable(lambda: _check(draft, plan)[0])
    if result is services.SendResult.NOT_FOUND:
        return _no_draft()
    if result is services.SendResult.CLOSED:
        return _closed()
    if result is services.SendResult.SENT:
        # A new reflection: a replay of the same one is not counted.
        cycle_limit_count("SEND_RATE_LIMIT", limit_key)
    return _confirm(token)


@bp.route("/reflect/done")
def done():
    # The receipt is shown once: the next person on this phone cannot open it again.
    receipt, shown_at = session.pop("receipt", None) or (None, 0)
    if receipt is not None and time.time() - shown_at > RECEIPT_SHOWN_FOR:
        receipt = None
    if device.kiosk() is not None:
        return redirect(url_for(".start"))  # a group tablet shows no receipt
    if receipt is None and device.just_sent() is None:
        return redirect(url_for(".home"))
    return render_template(
        "responses/done.html",
        receipt=format_receipt(receipt) if receipt else None,
        sent=_who_sees(receipt) if receipt else None,
        form=BaseForm(),
    )


def _who_sees(receipt: str) -> dict | None:
    """What the confirmation promises, read from the answers as stored: their audience, the
    peer support worker's choice and the network's threshold. None when they cannot be read
    (taken back, or the database is down): the receipt is still shown."""
    try:
        response = get_response_by_receipt(receipt_digest(current_app.config["LINK_KEY"], receipt))
        if response is None:
            return None
        return {
            "audience": response.audience,
            "shares_openly": response.shares_openly,
            "k": response.cycle.group.network.min_responses,
        }
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("could not read a sent reflection: %s", type(error).__name__)
        return None


# Withdrawal -----------------------------------------------------------------------------


@bp.route("/withdraw", methods=["GET", "POST"])
@limiter.limit(_withdraw_limit, methods=["POST"], deduct_when=_refused)
def withdraw():
    form = WithdrawForm()
    status = 200
    if form.is_submitted() and not form.validate():
        status = 400
    elif form.is_submitted():
        digest = receipt_digest(current_app.config["LINK_KEY"], form.receipt.data)
        response = get_response_by_receipt(digest)
        if response is None:
            form.receipt.errors = [
                _("We could not find answers with that receipt code. Check it and try again.")
            ]
            status = 404
        elif not may_withdraw(response.cycle):
            form.receipt.errors = [
                _(
                    "The group's summary has been printed, so these answers can no longer be "
                    "taken out. If you are worried about what you sent, talk to the person who "
                    "runs your group."
                )
            ]
            status = 400
        else:
            failed = _save(
                lambda: services.withdraw_response(response),
                lambda: render_template("responses/withdraw.html", form=form),
            )
            return failed or render_template("responses/withdrawn.html")
    return render_template("responses/withdraw.html", form=form), status


# Their routes are on bp too.
from . import device_views, join_views  # noqa: E402, F401
