"""The workspace's front page: the groups a person looks after."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..core.access import list_visible_groups
from ..cycles.queries import count_responses_by_cycle

bp = Blueprint("groups", __name__)


@bp.route("/")
@login_required
def home():
    groups = list_visible_groups()
    counts = count_responses_by_cycle([c.id for g in groups for c in g.cycles])
    return render_template("groups/home.html", groups=groups, counts=counts, user=current_user)
