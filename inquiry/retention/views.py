"""The privacy notice and accessibility statement (member side), and in the workspace what
goes when and erasing a cycle's answers on request."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.access import get_cycle_for_erasure_or_404, get_network_for_retention_or_404
from ..core.models import utcnow
from ..cycles.models import Cycle
from ..extensions import db
from ..groups.models import Network
from ..reports.privacy import K_DEFAULT
from . import services
from .forms import EraseForm
from .queries import get_snapshot, list_retention_plan

notices = Blueprint("notices", __name__)
bp = Blueprint("retention", __name__)

# Where a member's browser keeps the cycle it joined: [cycle id, ...] or [draft id, cycle id, ...].
_JOINED = (("join", 0), ("kiosk", 0), ("working", 1), ("sent", 0))


def _members_network() -> Network | None:
    """The network of the cycle this browser joined, or of the staff member signed in."""
    for key, index in _JOINED:
        value = session.get(key)
        if isinstance(value, list) and len(value) > index and isinstance(value[index], int):
            cycle = db.session.get(Cycle, value[index])
            if cycle is not None:
                return cycle.group.network
    if current_user.is_authenticated and current_user.network_id:
        return db.session.get(Network, current_user.network_id)
    return None


def _who() -> dict:
    network = _members_network()
    operator = current_app.config.get("OPERATOR_NAME") or _("The organisation that runs this site")
    if network is None:
        return {"network": None, "name": operator, "k": K_DEFAULT, "months": None}
    return {
        "network": network,
        "name": network.organisation_name or network.name,
        "k": network.min_responses,
        "months": network.retention_months,
    }


@notices.route("/privacy")
def privacy():
    return render_template("retention/privacy.html", **_who())


@notices.route("/accessibility")
def accessibility():
    return render_template("retention/accessibility.html", **_who())


def summary_gone(cycle: Cycle):
    snapshot = get_snapshot(cycle.id)
    page = render_template("retention/summary_deleted.html", cycle=cycle, snapshot=snapshot)
    return make_response(page, 410)


def abort_if_summary_deleted(cycle: Cycle) -> None:
    """A cycle whose answers and summary were both deleted has a page that says so (410)."""
    snapshot = get_snapshot(cycle.id)
    if snapshot is not None and snapshot.summary is None:
        abort(summary_gone(cycle))


@bp.route("/networks/<int:network_id>/retention")
@login_required
def plan(network_id: int):
    network = get_network_for_retention_or_404(network_id)
    try:
        today = services.today()
    except services.RetentionError:  # a mistyped INQUIRY_TODAY: inquiry purge says so
        today = utcnow().date()
    return render_template(
        "retention/plan.html", network=network, rows=list_retention_plan(network), today=today
    )


def _why_not(cycle: Cycle) -> str | None:
    if cycle.state != "closed":
        return "not_closed"
    in_grace = getattr(cycle, "in_grace", None)  # a grace period after closing, if any
    if in_grace is not None and in_grace(utcnow()):
        return "in_grace"
    return None


@bp.route("/cycles/<int:cycle_id>/erase", methods=["GET", "POST"])
@login_required
def erase(cycle_id: int):
    cycle = get_cycle_for_erasure_or_404(cycle_id)
    snapshot = get_snapshot(cycle.id)
    form = EraseForm()
    why_not = _why_not(cycle)
    if why_not is None and form.validate_on_submit():
        keep = form.summary.data == "keep"
        if snapshot is None:
            services.delete_answers(cycle, "request", current_user.id, keep_summary=keep)
            message = (
                _("The answers are deleted. The summary's figures are kept.")
                if keep
                else _("The answers and the summary are deleted.")
            )
        elif not keep and services.delete_summary(cycle, current_user.id):
            message = _("The summary is deleted.")
        else:
            abort(404)  # nothing left to delete
        db.session.commit()
        flash(message)
        return redirect(url_for(".erase", cycle_id=cycle.id))
    status = 400 if form.errors else 409 if why_not and form.is_submitted() else 200
    return render_template(
        "retention/erase.html",
        cycle=cycle,
        snapshot=snapshot,
        form=form,
        why_not=why_not,
        counts=services.count_answers(cycle.id) if snapshot is None else None,
        months=cycle.group.network.retention_months,
        goes_on=services.due_on(cycle, cycle.group.network.retention_months),
    ), status
