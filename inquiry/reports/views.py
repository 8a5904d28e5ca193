"""Summaries and exports for signed-in people, through the one access rule."""

from __future__ import annotations

import json

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

from ..core.access import get_cycle_or_404, may_export_answers, network_or_404
from ..core.downloads import attachment
from .exports import codebook_csv, research_answers_csv
from .formats import summary_csv, summary_json
from .summary import question_texts, stored_or_built

bp = Blueprint("reports", __name__)


def _summary_scope(cycle_id: int):
    """The cycle, and the language its summary is wanted in: the reader's unless another is
    asked for."""
    from ..i18n import current_language

    cycle = get_cycle_or_404(cycle_id)
    language = request.args.get("lang") or current_language()
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return cycle, language


def _summary(cycle_id: int):
    from ..retention.views import abort_if_summary_deleted

    cycle, language = _summary_scope(cycle_id)
    summary = stored_or_built(cycle, language, current_app.config["LINK_KEY"])
    if summary is None:
        abort_if_summary_deleted(cycle)
    return cycle, summary, language


def _noted(action: str, cycle, what: str) -> None:
    from flask_login import current_user

    from ..core import audit
    from ..extensions import db

    audit.record(action, cycle, current_user.id, what)
    db.session.commit()


@bp.route("/cycles/<int:cycle_id>/summary")
@login_required
def summary_page(cycle_id: int):
    cycle, summary, _language = _summary(cycle_id)
    return render_template("reports/page.html", cycle=cycle, s=summary)


@bp.route("/cycles/<int:cycle_id>/summary.pdf")
@login_required
def summary_pdf(cycle_id: int):
    from ..printing.views import summary_pdf_response
    from .render import VARIANTS

    cycle, language = _summary_scope(cycle_id)
    variant = request.args.get("variant", "")
    if variant not in VARIANTS:
        abort(404)
    from ..retention.views import abort_if_summary_deleted

    abort_if_summary_deleted(cycle)
    from ..cycles.services import summary_printed

    summary_printed(cycle)  # the first print ends withdrawal and, after 7 days, reopening
    _noted("printed", cycle, f"summary {variant or 'standard'} {language}")
    # The render worker builds the summary from the cycle: none of it is built here.
    return summary_pdf_response(cycle.id, variant, language)


@bp.route("/cycles/<int:cycle_id>/quotes", methods=["GET", "POST"])
@login_required
def quotes(cycle_id: int):
    """People's own words, from those who agreed to be quoted: the facilitator approves (and
    may shorten, never add to) the ones the summary shows."""
    from ..core import audit
    from ..extensions import db
    from ..i18n import current_language
    from ..responses import services
    from ..responses.queries import list_quotable_answers
    from .forms import QuoteForm
    from .privacy import quote_audience_shown

    cycle = get_cycle_or_404(cycle_id)
    k = cycle.group.network.min_responses
    answers = list_quotable_answers(cycle.id)
    posted = request.form.get("answer", "") if request.method == "POST" else ""
    if request.method == "POST" and posted not in {str(a.id) for a in answers}:
        abort(404)  # not a quotable answer of this cycle
    forms, shown = {}, {}
    for a in answers:
        prefix = f"a{a.id}"
        if str(a.id) == posted:
            forms[a.id] = QuoteForm(prefix=prefix, original=a.text)
        else:
            forms[a.id] = QuoteForm(
                formdata=None, prefix=prefix, original=a.text, data={"text": a.approved or a.text}
            )
        shown[a.id] = quote_audience_shown(
            a.audience, a.shares_openly, a.members_n, a.anonymous_peers_n, k
        )
    posted_form = forms[int(posted)] if posted else None
    if posted_form is not None:
        if request.form.get("do") == "remove":
            # The form's token was checked with every workspace POST; no words to check.
            services.remove_quote(int(posted))
            audit.record("edited", cycle, current_user.id, f"quote {posted} taken out")
            db.session.commit()
            flash(_("The quote is no longer in the summary."))
            return redirect(url_for(".quotes", cycle_id=cycle.id))
        if posted_form.validate():
            services.approve_quote(int(posted), posted_form.text.data, current_user.id)
            audit.record("edited", cycle, current_user.id, f"quote {posted} approved")
            db.session.commit()
            if shown[int(posted)]:
                flash(_("Approved. The quote will be in the summary."))
            else:
                flash(_("Approved, but it will not be in the summary: the note under it says why."))
            return redirect(url_for(".quotes", cycle_id=cycle.id))
    return render_template(
        "reports/quotes.html",
        cycle=cycle,
        answers=answers,
        forms=forms,
        shown=shown,
        posted_form=posted_form,
        questions=question_texts(cycle, current_language()),
        k=k,
    ), 400 if posted_form is not None else 200


@bp.route("/cycles/<int:cycle_id>/summary.json")
@login_required
def summary_json_file(cycle_id: int):
    cycle, summary, _language = _summary(cycle_id)
    body = json.dumps(summary_json(summary), indent=2, ensure_ascii=False)
    _noted("exported", cycle, "summary json")
    return attachment(body, "application/json", f"summary-{cycle.id}.json")


@bp.route("/cycles/<int:cycle_id>/summary.csv")
@login_required
def summary_csv_file(cycle_id: int):
    cycle, summary, _language = _summary(cycle_id)
    _noted("exported", cycle, "summary csv")
    return attachment(summary_csv(summary), "text/csv", f"summary-{cycle.id}.csv")


@bp.route("/cycles/<int:cycle_id>/answers.csv")
@login_required
def answers_file(cycle_id: int):
    """Per-person answers for research, under the small-numbers rule: coordinators and admins,
    closed cycles only; a 404 for everyone else, as outside any scope."""
    cycle = get_cycle_or_404(cycle_id)
    if not may_export_answers(current_user, cycle):
        abort(404)
    body = research_answers_csv(cycle)
    _noted("exported", cycle, "answers csv for research")
    return attachment(body, "text/csv", f"answers-{cycle.id}.csv")


# The cycle's page offers that download only to the people it is for.
bp.add_app_template_global(may_export_answers)


@bp.route("/cycles/<int:cycle_id>/codebook.csv")
@login_required
def codebook_file(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    return attachment(codebook_csv(cycle), "text/csv", f"codebook-{cycle.id}.csv")


def _rollup():

    from ..extensions import db
    from ..groups.models import Network
    from .rollup import build_rollup

    network = db.session.get(Network, network_or_404())
    return build_rollup(network, rounded=request.args.get("round") == "5")


# The roll-up page shows this many groups at a time, beside the network's column.
ROLLUP_GROUPS_PER_PAGE = 25


@bp.route("/rollup")
@login_required
def rollup_page():
    from dataclasses import replace

    rollup = _rollup()
    groups, network = rollup.columns[:-1], rollup.columns[-1:]
    pages = max(1, -(-len(groups) // ROLLUP_GROUPS_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    first = (page - 1) * ROLLUP_GROUPS_PER_PAGE
    shown = groups[first : first + ROLLUP_GROUPS_PER_PAGE]
    return render_template(
        "reports/rollup_page.html",
        r=replace(rollup, columns=shown + network),
        page=page,
        pages=pages,
        first=first + 1,
        last=first + len(shown),
        total=len(groups),
    )


@bp.route("/rollup.pdf")
@login_required
def rollup_pdf():
    from ..printing.views import pdf_response
    from .render import render_rollup

    rollup = _rollup()
    _rollup_noted("printed", "rollup pdf")
    return pdf_response(render_rollup(rollup), "rollup.pdf", network_id=current_user.network_id)


@bp.route("/rollup.csv")
@login_required
def rollup_csv_file():
    from .rollup import rollup_csv

    body = rollup_csv(_rollup())
    _rollup_noted("exported", "rollup csv")
    return attachment(body, "text/csv", "rollup.csv")


def _rollup_noted(action: str, what: str) -> None:
    from ..core import audit
    from ..extensions import db

    rounded = " rounded" if request.args.get("round") == "5" else ""
    audit.record_on(action, "network", current_user.network_id, current_user.id, what + rounded)
    db.session.commit()
