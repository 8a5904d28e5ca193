"""The negotiated agenda: the facilitator shortlists, members choose what they most want."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
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
from .forms import ChooseForm, TopicForm
from .models import MAX_TOPICS, AgendaTopic
from .queries import list_chosen_topic_ids, list_ranked_topics, list_suggestions

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
    services.remove_topic(topic, current_user.id)
    db.session.commit()
    flash(_("Topic removed."))
    return redirect(url_for(".shortlist", cycle_id=topic.cycle_id))


def _member_cycle():
    """The open cycle a member reached with their code (this browser's join or draft), or
    the group tablet's cycle."""
    from ..responses.device import kiosk
    from ..responses.queries import get_live_draft

    joining = session.get("join")
    if joining:
        return get_cycle(joining[0])
    draft = get_live_draft(request.cookies.get(current_app.config["RESUME_COOKIE"]))
    if draft is not None:
        return draft.cycle
    tablet = kiosk()
    return get_cycle(tablet.cycle_id) if tablet else None


def _voter_token(on_tablet: bool) -> str:
    """Who is choosing: on a phone, a long-lived cookie; on a group tablet, this person only
    (kept in the session, which the tablet forgets after each person)."""
    kept = session.get("voter") if on_tablet else request.cookies.get(VOTER_COOKIE)
    return kept or secrets.token_urlsafe(32)


@members.route("/topics", methods=["GET", "POST"])
@per_cycle_limit("CHOOSE_RATE_LIMIT", lambda: getattr(_member_cycle(), "id", None))
def choose():
    cycle = _member_cycle()
    if cycle is None or not cycle.is_open:
        return redirect(url_for("reflect.home"))
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
