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
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import SelectChoice

from ..core.access import (
    admin_or_404,
    get_group_or_404,
    get_network_for_admin_or_404,
    list_visible_groups,
)
from ..cycles.queries import count_responses_by_cycle, list_cycles_of_groups
from ..extensions import db
from . import services
from .forms import GroupForm, NetworkForm
from .queries import list_networks

bp = Blueprint("groups", __name__)


GROUPS_PER_PAGE = 50


@bp.route("/")
@login_required
def home():
    # A page of groups with their cycles and counts in three statements, however many groups
    # a coordinator or an admin looks after.
    visible = list_visible_groups()
    # Archived groups leave the list; their names stay at the end, to bring one back.
    archived = [g for g in visible if g.archived_at is not None]
    visible = [g for g in visible if g.archived_at is None]
    pages = max(1, -(-len(visible) // GROUPS_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    groups = visible[(page - 1) * GROUPS_PER_PAGE : page * GROUPS_PER_PAGE]
    cycles = list_cycles_of_groups([g.id for g in groups + archived])
    for group in groups + archived:
        set_committed_value(group, "cycles", cycles.get(group.id, []))
    counts = count_responses_by_cycle([c.id for g in groups for c in g.cycles])
    networks = list_networks() if current_user.role == "admin" else []
    return render_template(
        "groups/home.html",
        groups=groups,
        counts=counts,
        user=current_user,
        networks=networks,
        page=page,
        pages=pages,
        first=(page - 1) * GROUPS_PER_PAGE + 1,
        total=len(visible),
        archived=archived,
    )


def _form(group=None, networks=None) -> GroupForm:
    form = GroupForm(obj=group)
    form.default_language.choices = [
        SelectChoice(code, code) for code in current_app.config["LANGUAGES"]
    ]
    if networks:
        form.network.choices = [SelectChoice(str(n.id), n.name) for n in networks]
        if not form.is_submitted() and current_user.network_id:
            form.network.data = str(current_user.network_id)
    else:
        del form.network
    return form


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new():
    if current_user.role == "admin":
        # An admin looks after every network, so says which one the group is in.
        networks = list_networks()
        if not networks:
            return render_template("groups/no_network.html")
        return _group_page(None, networks)
    if current_user.network_id is None:
        abort(404)
    return _group_page(None)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    return _group_page(get_group_or_404(group_id))


def _group_page(group, networks=None):
    """Adding a group (group is None) and changing one share a form and a page."""
    form = _form(group, networks)
    if form.validate_on_submit():
        details = (form.name.data, form.description.data or "", form.default_language.data)
        network_id = current_user.network_id
        if networks:
            network_id = next((n.id for n in networks if str(n.id) == form.network.data), None)
        try:
            if network_id is None and group is None:
                raise services.GroupError(_("Choose the network the group is in"))
            if group is None:
                group = services.create_group(current_user, network_id, *details)
                message = _("Group created.")
            else:
                services.update_group(current_user, group, *details)
                message = _("Changes saved.")
        except services.GroupError as error:
            field = form.network if networks and network_id is None else form.name
            field.errors = [str(error)]
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
    """An admin sets the network's threshold k (the smallest number of people whose answers
    a summary shows together), how long answers are kept, and its privacy notice details."""
    from ..retention.forms import NetworkSettingsForm
    from ..retention.services import set_network_details

    network = get_network_for_admin_or_404(network_id)
    form = NetworkSettingsForm()
    if request.method == "GET":
        form.min_responses.data = str(network.min_responses)
        form.retention_months.data = str(network.retention_months or "")
        for name in ("organisation_name", "contact_email", "contact_phone", "contact_address"):
            getattr(form, name).data = getattr(network, name)
    if form.validate_on_submit():
        k = form.threshold
        threshold = services.set_threshold(network, k, current_user.id)
        details = set_network_details(network, current_user.id, **form.details())
        if threshold or details:
            db.session.commit()
        if threshold:
            flash(_("Saved. A summary now shows a figure when at least %(k)d people gave it.", k=k))
        elif details:
            flash(_("Changes saved."))
        else:
            flash(_("Nothing changed: the threshold already was %(k)d.", k=k))
        return redirect(url_for(".home", _anchor=f"network-{network.id}"))
    return render_template("groups/settings.html", form=form, network=network), (
        400 if form.errors else 200
    )


@bp.route("/networks/new", methods=["GET", "POST"])
@login_required
def new_network():
    """An admin adds a network: an organisation whose groups share a threshold and staff."""
    admin_or_404()
    return _network_page(None)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@login_required
def edit_network(network_id: int):
    """An admin renames a network, or requires its staff to use a second step."""
    return _network_page(get_network_for_admin_or_404(network_id))


def _network_page(network):
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        name, required = form.name.data, bool(form.requires_two_step.data)
        try:
            if network is None:
                network = services.create_network(current_user.id, name, required)
                message = _("Network added. Now add its groups and invite its coordinators.")
            else:
                changed = services.update_network(current_user.id, network, name, required)
                message = _("Changes saved.") if changed else _("Nothing changed.")
        except services.NetworkError as error:
            form.name.errors = [str(error)]
        else:
            db.session.commit()
            flash(message)
            return redirect(url_for(".home", _anchor=f"network-{network.id}"))
    return render_template("groups/network.html", form=form, network=network), (
        400 if form.errors else 200
    )


@bp.route("/groups/<int:group_id>/archive", methods=["GET", "POST"])
@login_required
def archive(group_id: int):
    """Archive a group that has ended, after a page that says what that means."""
    from ..cycles.forms import ConfirmForm

    group = get_group_or_404(group_id)
    form = ConfirmForm()
    problem = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.archive_group(current_user, group)
        except services.GroupError as error:
            problem = str(error)
        else:
            db.session.commit()
            flash(_("%(group)s is archived. Its cycles and summaries are kept.", group=group.name))
            return redirect(url_for(".home", _anchor="archived"))
    return render_template(
        "groups/archive.html",
        group=group,
        form=form,
        problem=problem,
        unfinished=services.unfinished_cycles(group),
    ), 409 if problem else 200


@bp.route("/groups/<int:group_id>/unarchive", methods=["POST"])
@login_required
def unarchive(group_id: int):
    from ..cycles.forms import ConfirmForm

    group = get_group_or_404(group_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.unarchive_group(current_user, group):
        db.session.commit()
    flash(_("%(group)s is back in your groups.", group=group.name))
    return redirect(url_for(".home", _anchor=f"group-{group.id}"))
