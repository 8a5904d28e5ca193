"""Recording what a group agreed, and reviewing it in the next cycle."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.access import get_cycle_or_404, get_in_cycle_or_404
from ..extensions import db
from ..questions.bank import THEMES
from . import services
from .forms import STATUS_LABELS, ActionForm, ReviewForm
from .models import Action
from .queries import list_actions

bp = Blueprint("actions", __name__)


@bp.app_template_global()
def action_status(status: str) -> str:
    """An action's status in the reader's words."""
    from .forms import STATUS_LABELS

    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global()
def check_label(value: str) -> str:
    """An answer to "Did this happen?" in the reader's words."""
    labels = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No"), "dont_know": _("Don't know")}
    return labels.get(value, value)


def _action_form(cycle) -> ActionForm:
    """The form, offering as findings the research themes, this cycle's shortlisted agenda
    topics and its shortlisted stories of change."""
    from ..agenda.queries import list_ranked_topics
    from ..stories.queries import list_shortlist

    form = ActionForm()
    form.theme.choices = (
        [SelectChoice("", _("None in particular"))]
        + [SelectChoice(key, str(title)) for key, title in THEMES.items() if key != "open"]
        + [
            SelectChoice(f"topic:{topic.id}", _("Agenda topic: %(title)s", title=topic.title))
            for topic, _votes in sorted(list_ranked_topics(cycle.id), key=lambda t: t[0].id)
        ]
        + [
            SelectChoice(f"story:{story.id}", _("Story: %(title)s", title=story.shown_title))
            for story in list_shortlist(cycle.id)
        ]
    )
    return form


@bp.route("/cycles/<int:cycle_id>/actions", methods=["GET", "POST"])
@login_required
def agreed(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if cycle.state != "closed":
        abort(404)  # actions follow the meeting that discussed a closed cycle's summary
    form = _action_form(cycle)
    if form.validate_on_submit():
        services.add_action(
            cycle,
            current_user.id,
            form.what.data,
            form.who.data or "",
            form.due_on.data,
            form.theme.data,
        )
        db.session.commit()
        flash(_("Action added."))
        return redirect(url_for(".agreed", cycle_id=cycle.id))
    return render_template(
        "actions/agreed.html",
        cycle=cycle,
        form=form,
        actions=list_actions(cycle.id),
        status_labels=STATUS_LABELS,
        findings={choice.value: choice.label for choice in form.theme.choices},
    ), 400 if form.errors else 200


@bp.route("/actions/<int:action_id>/review", methods=["POST"])
@login_required
def review(action_id: int):
    action = get_in_cycle_or_404(Action, action_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    services.review_action(action, current_user.id, form.status.data, form.status_note.data or "")
    db.session.commit()
    flash(_("Saved how the action went."))
    return redirect(url_for(".agreed", cycle_id=action.cycle_id))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int):
    """Correct what was agreed, who does it, by when, or its theme."""
    action = get_in_cycle_or_404(Action, action_id)
    form = _action_form(action.cycle)
    if request.method == "GET":
        form.what.data, form.who.data = action.what, action.who
        form.due_on.data, form.theme.data = action.due_on, action.finding
    if form.validate_on_submit():
        changed = services.update_action(
            action,
            current_user.id,
            form.what.data,
            form.who.data or "",
            form.due_on.data,
            form.theme.data,
        )
        if changed:
            db.session.commit()
            flash(_("Action changed."))
        else:
            flash(_("Nothing changed."))
        return redirect(url_for(".agreed", cycle_id=action.cycle_id))
    return render_template("actions/edit.html", action=action, cycle=action.cycle, form=form), (
        400 if form.errors else 200
    )


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@login_required
def delete(action_id: int):
    """Delete an action recorded by mistake, after a confirmation page."""
    from ..cycles.forms import ConfirmForm

    action = get_in_cycle_or_404(Action, action_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        cycle_id = action.cycle_id
        services.delete_action(action, current_user.id)
        db.session.commit()
        flash(_("Action deleted."))
        return redirect(url_for(".agreed", cycle_id=cycle_id))
    return render_template("actions/delete.html", action=action, cycle=action.cycle, form=form)
