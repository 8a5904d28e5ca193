"""The workspace's front page and the groups a person looks after."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.access import get_group_or_404, get_network_for_admin_or_404, list_visible_groups
from ..cycles.queries import count_responses_by_cycle
from ..extensions import db
from . import services
from .forms import GroupForm, ThresholdForm
from .queries import list_networks

bp = Blueprint("groups", __name__)


@bp.route("/")
@login_required
def home():
    groups = list_visible_groups()
    counts = count_responses_by_cycle([c.id for g in groups for c in g.cycles])
    networks = list_networks() if current_user.role == "admin" else []
    return render_template(
        "groups/home.html", groups=groups, counts=counts, user=current_user, networks=networks
    )


def _form(group=None) -> GroupForm:
    form = GroupForm(obj=group)
    form.default_language.choices = [
        SelectChoice(code, code) for code in current_app.config["LANGUAGES"]
    ]
    return form


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new():
    if current_user.network_id is None:
        abort(404)  # an admin without a network creates groups with the command line
    return _group_page(None)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    return _group_page(get_group_or_404(group_id))


def _group_page(group):
    """Adding a group (group is None) and changing one share a form and a page."""
    form = _form(group)
    if form.validate_on_submit():
        details = (form.name.data, form.description.data or "", form.default_language.data)
        try:
            if group is None:
                group = services.create_group(current_user, current_user.network_id, *details)
                message = _("Group created.")
            else:
                services.update_group(current_user, group, *details)
                message = _("Changes saved.")
        except services.GroupError as error:
            form.name.errors = [str(error)]
        else:
            db.session.commit()
            flash(message)
            return redirect(url_for("groups.home", _anchor=f"group-{group.id}"))
    return render_template("groups/form.html", form=form, group=group), (
        400 if form.errors else 200
    )


@bp.route("/networks/<int:network_id>/settings", methods=["GET", "POST"])
@login_required
def network_settings(network_id: int):
    """An admin sets the network's threshold k: the smallest number of people whose answers
    a summary shows together."""
    network = get_network_for_admin_or_404(network_id)
    form = ThresholdForm()
    if request.method == "GET":
        form.min_responses.data = str(network.min_responses)
    if form.validate_on_submit():
        k = form.threshold
        if services.set_threshold(network, k, current_user.id):
            db.session.commit()
            flash(_("Saved. A summary now shows a figure when at least %(k)d people gave it.", k=k))
        else:
            flash(_("Nothing changed: the threshold already was %(k)d.", k=k))
        return redirect(url_for(".home", _anchor=f"network-{network.id}"))
    return render_template("groups/settings.html", form=form, network=network), (
        400 if form.errors else 200
    )
