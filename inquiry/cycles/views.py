"""A cycle in the workspace: its codes, links and summaries."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import login_required

from ..core.access import get_cycle_or_404
from ..reports.queries import count_responses

bp = Blueprint("cycles", __name__)


@bp.route("/cycles/<int:cycle_id>")
@login_required
def show(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    links = {
        audience: url_for("reflect.join", code=code, _external=True) if code else None
        for audience in ("member", "peer_worker")
        for code in [cycle.active_code(audience)]
    }
    return render_template(
        "cycles/show.html", cycle=cycle, links=links, counts=count_responses(cycle.id)
    )
