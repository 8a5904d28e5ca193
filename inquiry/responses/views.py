"""The member's reflection: join, answer page by page, check, send, withdraw."""

from __future__ import annotations

import time

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
from ..cycles.queries import find_join_code, get_cycle, list_cycle_questions
from ..extensions import csrf, db, limiter
from ..i18n import current_language
from ..questions.types import PREFER_NOT_TO_SAY, answer_label
from . import services
from .forms import (
    SHARE_OPENLY,
    STAY_ANONYMOUS,
    AboutForm,
    JoinForm,
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


def _join_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


def _withdraw_limit() -> str:
    return current_app.config["WITHDRAW_RATE_LIMIT"]


def _current_draft():
    """The member's draft and its page plan, or (None, None) when there is nothing to resume."""
    draft = get_live_draft(request.cookies.get(current_app.config["RESUME_COOKIE"]))
    if draft is None:
        return None, None
    g.language = draft.language
    plan = build_plan(draft.audience, list_cycle_questions(draft.cycle_id, draft.audience))
    return draft, plan


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


# Joining --------------------------------------------------------------------------------


def _join(typed: str):
    join_code = find_join_code(typed)
    if join_code is None or not join_code.cycle.is_open:
        return None
    session["join"] = [join_code.cycle_id, join_code.audience]
    return redirect(url_for(".start"))


def _unknown_code(form: JoinForm):
    form.code.errors = [
        _("We could not find an open reflection with that code. Check the code and try again.")
    ]
    return render_template("responses/home.html", form=form), 404


# One budget of wrong codes per address, whether typed or opened as a link.
# (The home page itself stays readable: only typed codes count there.)
_typed_codes = limiter.shared_limit(
    _join_limit, scope="join", deduct_when=_refused, methods=["POST"]
)
_linked_codes = limiter.shared_limit(_join_limit, scope="join", deduct_when=_refused)


@bp.route("/", methods=["GET", "POST"])
@_typed_codes
def home():
    form = JoinForm()
    if form.validate_on_submit():
        return _join(form.code.data) or _unknown_code(form)
    return render_template("responses/home.html", form=form), _status(form)


@bp.route("/j/<code>")
@_linked_codes
def join(code: str):
    return _join(code) or _unknown_code(JoinForm(formdata=None))


# The reflection -------------------------------------------------------------------------


def _lost():
    return render_template("responses/lost.html"), 410


def _closed():
    return render_template("responses/closed.html"), 410


@bp.route("/reflect", methods=["GET", "POST"])
def start():
    draft = get_live_draft(request.cookies.get(current_app.config["RESUME_COOKIE"]))
    if draft is not None:
        g.language = draft.language
    joining = session.get("join")
    if joining and (draft is None or [draft.cycle_id, draft.audience] != joining):
        draft = None
        cycle, audience = get_cycle(joining[0]), joining[1]
    elif draft is not None:
        cycle, audience = draft.cycle, draft.audience
    else:
        return redirect(url_for(".home"))
    if cycle is None or not cycle.is_open:
        return _closed()
    g.group_language = cycle.group.default_language
    plan = build_plan(audience, list_cycle_questions(cycle.id, audience))
    k = cycle.group.network.min_responses
    form = _start_form(audience, draft, k)
    actions = list_actions_to_review(cycle)
    has_topics = bool(list_ranked_topics(cycle.id))

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
            )
        elif draft.shares_openly != shares_openly:
            services.set_draft_sharing(draft, shares_openly)

    failed = _save(write, render)
    if failed:
        return failed
    token = started.get("token")
    session.pop("join", None)
    first = plan.check_step if draft is not None and _from_check() else 1
    response = redirect(url_for(".step", number=first))
    if token:
        set_member_cookie(
            response, current_app.config["RESUME_COOKIE"], token, current_app.config["DRAFT_DAYS"]
        )
    return response


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
        return _lost()
    if not draft.cycle.is_open:
        return _closed()
    if number == plan.about_step:
        return _about(draft, plan)
    if number == plan.check_step:
        return _check(draft, plan)
    page = plan.page(number)
    if page is None:
        return redirect(url_for(".step", number=1))
    formdata = request.form if request.method == "POST" else None
    form = page_form(page, draft.language, formdata=formdata, answers=draft.answers)

    def render():
        return render_template(
            "responses/page.html",
            form=form,
            page=page,
            plan=plan,
            number=number,
            action=_action(number),
        )

    if request.method == "POST" and form.validate():
        values = answers_from(form, page)
        return _save(lambda: services.save_answers(draft, values), render) or _next(number, plan)
    return render(), _status(form)


def _from_check() -> bool:
    """True when the member came from "Check your answers" to change something."""
    return request.args.get("from") == "check"


def _action(number: int) -> str:
    return url_for(".step", number=number, **({"from": "check"} if _from_check() else {}))


def _next(number: int, plan):
    if request.form.get("go") == "back":
        target = url_for(".start") if number == 1 else url_for(".step", number=number - 1)
    elif _from_check():
        target = url_for(".step", number=plan.check_step)
    else:
        target = url_for(".step", number=number + 1)
    return redirect(target)


def _about(draft, plan):
    data = {"may_quote": {True: "yes", False: "no"}.get(draft.may_quote)}
    form = AboutForm(data=data) if request.method == "GET" else AboutForm()
    number = plan.about_step

    def render():
        return render_template(
            "responses/about.html",
            form=form,
            plan=plan,
            number=number,
            draft=draft,
            action=_action(number),
        )

    if request.method == "POST" and form.validate():
        parts = form.code_parts
        digests = (
            link_digests(current_app.config["LINK_KEY"], parts) if parts else draft.link_digests
        )
        if request.form.get("forget_code"):
            digests = None
        may_quote = {"yes": True, "no": False}.get(form.may_quote.data)
        return _save(lambda: services.save_about(draft, may_quote, digests), render) or _next(
            number, plan
        )
    return render(), _status(form)


def _check(draft, plan, form: SubmitForm | None = None, status: int = 200):
    form = form or SubmitForm(formdata=None, submission_token=draft.submission_token)
    return render_template(
        "responses/check.html",
        form=form,
        plan=plan,
        number=plan.check_step,
        draft=draft,
        answers=draft.answers or {},
    ), status


def _confirm(submission_token: str):
    receipt = receipt_code(current_app.config["LINK_KEY"], submission_token)
    session["receipt"] = [receipt, int(time.time())]
    response = redirect(url_for(".done"))
    response.delete_cookie(current_app.config["RESUME_COOKIE"])
    return response


@bp.route("/reflect/send", methods=["POST"])
def send():
    form = SubmitForm()
    if not form.validate():
        draft, plan = _current_draft()
        if draft is None:
            return _lost()
        form.submission_token.data = draft.submission_token
        return _check(draft, plan, form, 400)
    # The hot path: no page to draw, so no question texts and no form objects to load.
    token = form.submission_token.data
    try:
        result = services.send_draft(
            request.cookies.get(current_app.config["RESUME_COOKIE"]),
            token,
            current_app.config["LINK_KEY"],
        )
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        # Another tap of the same button got there first: show the same confirmation.
        if is_stored(token):
            return _confirm(token)
        current_app.logger.error("could not send a reflection: %s", type(error).__name__)
        draft, plan = _current_draft()
        if draft is None:
            return _lost()
        return unavailable(lambda: _check(draft, plan)[0])
    if result is services.SendResult.NOT_FOUND:
        return _lost()
    if result is services.SendResult.CLOSED:
        return _closed()
    return _confirm(token)


@bp.route("/reflect/done")
def done():
    receipt, shown_at = session.get("receipt") or (None, 0)
    if receipt is None or time.time() - shown_at > RECEIPT_SHOWN_FOR:
        return redirect(url_for(".home"))
    return render_template(
        "responses/done.html", receipt=format_receipt(receipt), sent=_who_sees(receipt)
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
        elif response.cycle.state != "open":
            form.receipt.errors = [
                _("This reflection has closed, so its answers can no longer be taken out.")
            ]
            status = 400
        else:
            failed = _save(
                lambda: services.withdraw_response(response),
                lambda: render_template("responses/withdraw.html", form=form),
            )
            return failed or render_template("responses/withdrawn.html")
    return render_template("responses/withdraw.html", form=form), status
