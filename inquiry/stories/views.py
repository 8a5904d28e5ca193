"""The story round in the workspace: switch it on, shortlist and shorten stories, record the
group's choice and why, show the shortlist in the room, and the network's booklet."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.access import get_cycle_or_404, get_in_cycle_or_404, network_or_404
from ..core.forms import BaseForm
from ..extensions import db
from . import services
from .counts import choice_counts
from .forms import RecordChoiceForm, ShortenForm
from .models import MAX_SHORTLIST, Story
from .queries import (
    count_choices,
    get_round,
    list_network_chosen_stories,
    list_shortlist,
    list_stories,
)

bp = Blueprint("stories", __name__)


def _counts(cycle, shortlist, story_round):
    return choice_counts(
        [s.id for s in shortlist],
        count_choices(cycle.id),
        cycle.group.network.min_responses,
        story_round is not None and story_round.is_done,
    )


def _back(cycle_id: int):
    return redirect(url_for(".round_", cycle_id=cycle_id))


@bp.route("/cycles/<int:cycle_id>/stories")
@login_required
def round_(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    story_round = get_round(cycle.id)
    shortlist = list_shortlist(cycle.id)
    return render_template(
        "stories/round.html",
        cycle=cycle,
        story_round=story_round,
        stories=list_stories(cycle.id),
        shortlist=shortlist,
        counts=_counts(cycle, shortlist, story_round),
        k=cycle.group.network.min_responses,
        max_shortlist=MAX_SHORTLIST,
        form=BaseForm(),
    )


@bp.route("/cycles/<int:cycle_id>/stories/switch", methods=["POST"])
@login_required
def switch(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    is_on = request.form.get("on") == "1"
    services.switch_round(cycle, is_on, current_user.id)
    db.session.commit()
    flash(_("The story round is on.") if is_on else _("The story round is off."))
    return _back(cycle.id)


def _change(story_id: int, change, message: str):
    story = get_in_cycle_or_404(Story, story_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        change(story)
    except services.StoryError as error:
        flash(str(error))
    else:
        db.session.commit()
        flash(message)
    return _back(story.cycle_id)


@bp.route("/stories/<int:story_id>/shortlist", methods=["GET", "POST"])
@login_required
def shorten(story_id: int):
    story = get_in_cycle_or_404(Story, story_id)
    if not story.may_share:
        abort(404)
    kept = {"title": story.shown_title or story.title, "text": story.shown_text or story.text}
    form = ShortenForm(data=kept) if request.method == "GET" else ShortenForm()
    if form.validate_on_submit():
        try:
            services.shortlist_story(story, form.title.data, form.text.data, current_user.id)
        except services.ShortenRefused as error:
            db.session.rollback()
            form[error.field].errors = [str(error)]
        except services.StoryError as error:
            db.session.rollback()
            form.text.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The story is on the shortlist."))
            return _back(story.cycle_id)
    return render_template(
        "stories/shorten.html", story=story, cycle=story_cycle(story), form=form
    ), 400 if form.errors else 200


def story_cycle(story: Story):
    return get_cycle_or_404(story.cycle_id)


@bp.route("/stories/<int:story_id>/take-off", methods=["POST"])
@login_required
def take_off(story_id: int):
    return _change(
        story_id,
        lambda story: services.take_off_shortlist(story, current_user.id),
        _("The story is off the shortlist."),
    )


@bp.route("/cycles/<int:cycle_id>/stories/done", methods=["POST"])
@login_required
def done(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.mark_done(cycle.id, current_user.id)
    except services.StoryError as error:
        flash(str(error))
    else:
        db.session.commit()
        flash(_("Choosing has ended. Now record the group's choice and why."))
    return redirect(url_for(".choice", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>/stories/choice", methods=["GET", "POST"])
@login_required
def choice(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    story_round = get_round(cycle.id)
    shortlist = list_shortlist(cycle.id)
    form = RecordChoiceForm()
    form.story.choices = [SelectChoice(str(s.id), s.shown_title) for s in shortlist]
    if request.method == "GET" and story_round is not None and story_round.chosen_story_id:
        form.story.data = str(story_round.chosen_story_id)
        form.reasons.data = story_round.reasons
    if form.validate_on_submit():
        try:
            services.record_choice(
                cycle.id, int(form.story.data), form.reasons.data, current_user.id
            )
        except services.StoryError as error:
            db.session.rollback()
            form.story.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The group's choice and its reasons are saved for the next summary."))
            return _back(cycle.id)
    return render_template(
        "stories/choice.html",
        cycle=cycle,
        story_round=story_round,
        shortlist=shortlist,
        counts=_counts(cycle, shortlist, story_round),
        k=cycle.group.network.min_responses,
        form=form,
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/stories/room")
@login_required
def room(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    story_round = get_round(cycle.id)
    shortlist = list_shortlist(cycle.id)
    return render_template(
        "stories/room.html",
        cycle=cycle,
        story_round=story_round,
        shortlist=shortlist,
        counts=_counts(cycle, shortlist, story_round),
        code=cycle.active_code("member"),
        k=cycle.group.network.min_responses,
    )


def _network_stories():
    from ..groups.models import Network

    network = db.session.get(Network, network_or_404())
    return network, list_network_chosen_stories(network.id)


@bp.route("/stories")
@login_required
def network():
    network, stories = _network_stories()
    return render_template("stories/network.html", network=network, stories=stories)


@bp.route("/stories.pdf")
@login_required
def booklet_pdf():
    from ..i18n import current_language
    from ..printing.views import pdf_response
    from .booklet import render_booklet

    network, stories = _network_stories()
    html = render_booklet(network, stories, current_language())
    return pdf_response(html, "stories-of-change.pdf", network_id=network.id)
