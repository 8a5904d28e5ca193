"""The negotiated agenda: the facilitator shortlists, members choose what they most want."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.access import get_cycle_or_404, get_in_cycle_or_404
from ..core.codes import keyed_digest
from ..core.cookies import VOTER_COOKIE, set_member_cookie
from ..core.forms import BaseForm
from ..core.security import count_towards_limit, per_cycle_limit
from ..cycles.queries import get_cycle
from ..extensions import csrf, db
from . import services
from .forms import ChooseForm, TopicForm, TopicsCodeForm
from .models import MAX_TOPICS, AgendaTopic
from .queries import (
    choosing_open,
    count_voters,
    list_chosen_topic_ids,
    list_ranked_topics,
    list_suggestions,
)

bp = Blueprint("agenda", __name__)
members = Blueprint("topics", __name__)
csrf.exempt(members)  # member forms check their own token, like the reflection's


@bp.route("/cycles/<int:cycle_id>/agenda", methods=["GET", "POST"])
@login_required
def shortlist(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    form = TopicForm()
    if form.validate_on_submit():
        try:
            if cycle.meeting_held_at is not None:
                raise services.AgendaError(
                    _("The meeting has been held, so the shortlist stays as it was.")
                )
            services.add_topic(cycle, form.title.data, current_user.id)
        except services.AgendaError as error:
            form.title.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Topic added to the shortlist."))
            return redirect(url_for(".shortlist", cycle_id=cycle.id))
    return render_template(
        "agenda/shortlist.html",
        cycle=cycle,
        form=form,
        suggestions=list_suggestions(cycle.id),
        topics=list_ranked_topics(cycle.id),
        max_topics=MAX_TOPICS,
    ), 400 if form.errors else 200


@bp.route("/agenda/<int:topic_id>/remove", methods=["POST"])
@login_required
def remove(topic_id: int):
    topic = get_in_cycle_or_404(AgendaTopic, topic_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    if get_cycle_or_404(topic.cycle_id).meeting_held_at is not None:
        flash(_("The meeting has been held, so the shortlist stays as it was."))
        return redirect(url_for(".shortlist", cycle_id=topic.cycle_id))
    services.remove_topic(topic, current_user.id)
    db.session.commit()
    flash(_("Topic removed."))
    return redirect(url_for(".shortlist", cycle_id=topic.cycle_id))


@bp.route("/cycles/<int:cycle_id>/agenda/room")
@login_required
def room(cycle_id: int):
    """Choose in the room: the shortlist on one screen, with the code to choose on a phone,
    and how many chose each topic once at least k have (on reload, or every few seconds
    with JavaScript)."""
    from ..reports.privacy import figure_shown

    cycle = get_cycle_or_404(cycle_id)
    ranked = list_ranked_topics(cycle.id)
    voters = count_voters(cycle.id) if ranked else 0
    k = cycle.group.network.min_responses
    shown = figure_shown(voters, k)
    topics = ranked if shown else sorted(((t, None) for t, _v in ranked), key=lambda t: t[0].id)
    code = cycle.active_code("member")
    return render_template(
        "agenda/room.html",
        cycle=cycle,
        topics=topics,
        voters=voters,
        k=k,
        code=code,
        choosing=choosing_open(cycle),
    )


@bp.route("/cycles/<int:cycle_id>/agenda/held", methods=["GET", "POST"])
@login_required
def held(cycle_id: int):
    """Mark the meeting held, after a confirmation: choosing ends, the counts are final."""
    from ..cycles.forms import ConfirmForm

    cycle = get_cycle_or_404(cycle_id)
    if cycle.state != "closed" or cycle.meeting_held_at is not None:
        return redirect(url_for(".shortlist", cycle_id=cycle.id))
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        services.mark_meeting_held(cycle, current_user.id)
        db.session.commit()
        flash(_("The meeting is marked held. Choosing has ended."))
        return redirect(url_for(".shortlist", cycle_id=cycle.id))
    return render_template("agenda/held.html", cycle=cycle, form=form)


def _member_cycle():
    """The cycle a member reached with their code (the code typed to choose at the meeting,
    this browser's join or draft), or the group tablet's cycle: the first still choosing,
    so an old one left in the session never hides a new one."""
    from ..responses.device import kiosk
    from ..responses.queries import get_live_draft

    def candidates():
        if session.get("topics_cycle"):
            yield get_cycle(session["topics_cycle"])
        if session.get("join"):
            yield get_cycle(session["join"][0])
        draft = get_live_draft(request.cookies.get(current_app.config["RESUME_COOKIE"]))
        if draft is not None:
            yield draft.cycle
        tablet = kiosk()
        if tablet:
            yield get_cycle(tablet.cycle_id)

    first = None
    for cycle in candidates():
        if cycle is not None and choosing_open(cycle):
            return cycle
        first = first or cycle
    return first


def _voter_token(on_tablet: bool) -> str:
    """Who is choosing: on a phone, a long-lived cookie; on a group tablet, this person only
    (kept in the session, which the tablet forgets after each person)."""
    kept = session.get("voter") if on_tablet else request.cookies.get(VOTER_COOKIE)
    return kept or secrets.token_urlsafe(32)


@members.route("/topics", methods=["GET", "POST"])
@per_cycle_limit("CHOOSE_RATE_LIMIT", lambda: getattr(_member_cycle(), "id", None))
def choose():
    cycle = _member_cycle()
    if cycle is None:
        return redirect(url_for(".code"))
    if not choosing_open(cycle):
        g.group_language = cycle.group.default_language
        return render_template("agenda/not_now.html", cycle=cycle), 410
    topics = [t for t, _votes in list_ranked_topics(cycle.id)]
    topics.sort(key=lambda t: t.id)  # members see them in the shortlist's order, not ranked
    if not topics:
        return redirect(url_for("reflect.start"))
    from ..responses.device import kiosk

    on_tablet = kiosk() is not None
    token = _voter_token(on_tablet)
    voter = keyed_digest(current_app.config["LINK_KEY"], "voter|" + token)
    form = ChooseForm()
    form.topics.choices = [SelectChoice(str(t.id), t.title) for t in topics]
    if request.method == "GET":
        form.topics.data = [str(i) for i in list_chosen_topic_ids(cycle.id, voter)]
    elif form.validate():
        # Only a first choice counts towards the limit, never a change of mind.
        first = not list_chosen_topic_ids(cycle.id, voter)
        try:
            services.choose_topics(cycle.id, voter, [int(i) for i in form.topics.data])
        except services.AgendaError as error:
            form.topics.errors = [str(error)]
        else:
            db.session.commit()
            if first:
                count_towards_limit()
            response = redirect(url_for(".choose", saved=1))
            if on_tablet:
                session["voter"] = token
            else:
                set_member_cookie(response, VOTER_COOKIE, token, days=90)
            return response
    return render_template(
        "agenda/choose.html",
        cycle=cycle,
        form=form,
        saved=request.args.get("saved"),
    ), 400 if form.errors else 200


# Choosing at the meeting, after the reflection has closed ------------------------------


def _enter(typed: str, form: TopicsCodeForm):
    """The group's member code, under the join code's limits (responses/joining.py)."""
    from ..responses import joining

    return joining.enter(
        typed,
        form,
        template="agenda/code.html",
        not_found_message=_(
            "We could not find a group with that code. Check the code and try again."
        ),
        let_in=_choose_topics,
    )


def _choose_topics(join_code):
    session["topics_cycle"] = join_code.cycle_id
    return redirect(url_for(".choose"))


@members.route("/topics/code", methods=["GET", "POST"])
def code():
    form = TopicsCodeForm()
    if form.validate_on_submit():
        return _enter(form.code.data, form)
    return render_template("agenda/code.html", form=form), 400 if form.errors else 200


@members.route("/t/<code>")
def join(code: str):
    return _enter(code, TopicsCodeForm.from_link(code))
