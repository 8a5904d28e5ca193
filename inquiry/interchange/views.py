"""XLSForm downloads and uploads, offline answers and research files in the workspace,
through the one access rule."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..core import audit
from ..core.access import get_cycle_or_404, may_export_answers
from ..core.downloads import attachment
from ..core.models import AUDIENCES
from ..extensions import db
from . import services

bp = Blueprint("interchange", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The importers' own limits (xlsform_read.MAX_BYTES, odk.MAX_BYTES).
UPLOAD_LIMIT = {"xlsform": 5 * 1024 * 1024, "odk": 20 * 1024 * 1024}


@bp.route("/cycles/<int:cycle_id>/xlsform/<audience>.xlsx")
@login_required
def xlsform_file(cycle_id: int, audience: str):
    """The cycle's questions as an XLSForm, for anyone who may see the cycle: it holds no
    answers."""
    from .xlsform import cycle_xlsform

    cycle = get_cycle_or_404(cycle_id)
    if audience not in AUDIENCES:
        abort(404)
    body = cycle_xlsform(cycle, audience)
    audit.record("exported", cycle, current_user.id, f"xlsform {audience}")
    db.session.commit()
    return attachment(body, XLSX, f"inquiry-cycle{cycle.id}-{audience}.xlsx")


def _uploaded(form, kind: str) -> bytes | None:
    """The file's bytes once the form is valid (None if not), read no further than one byte
    past its importer's limit, which then refuses it in plain words."""
    if not form.validate_on_submit():
        return None
    return form.file.data.read(UPLOAD_LIMIT[kind] + 1)


def _refused(form, problems: list[str]) -> None:
    form.file.errors = [
        _("Nothing was imported: the file has problems. Fix them and choose the file again")
    ]
    form.problems = problems


@bp.route("/cycles/<int:cycle_id>/xlsform", methods=["GET", "POST"])
@login_required
def xlsform_import(cycle_id: int):
    from .forms import XlsformForm

    cycle = get_cycle_or_404(cycle_id)
    refusal = services.question_set_refusal(cycle)
    form = XlsformForm()
    form.problems = []
    notes: list[str] = []
    if request.method == "POST":
        if refusal:
            abort(409)
        data = _uploaded(form, "xlsform")
        if data is not None:
            result = services.import_question_set(
                cycle, form.audience.data, data, current_app.config["LANGUAGES"]
            )
            notes = result.notes
            if result.problems:
                db.session.rollback()
                _refused(form, result.problems)
            else:
                audit.record(
                    "edited", cycle, current_user.id, f"questions from xlsform {form.audience.data}"
                )
                db.session.commit()
                for note in notes:
                    flash(note)
                flash(
                    _(
                        "Imported %(count)d questions: %(new)d of them new questions of the "
                        "group's own.",
                        count=result.added + result.kept,
                        new=result.added,
                    )
                )
                return redirect(url_for("cycles.own_questions", cycle_id=cycle.id))
    return render_template(
        "interchange/xlsform_import.html", cycle=cycle, form=form, refusal=refusal, notes=notes
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/odk", methods=["GET", "POST"])
@login_required
def odk_import(cycle_id: int):
    from sqlalchemy.exc import IntegrityError

    from .forms import OdkAnswersForm

    cycle = get_cycle_or_404(cycle_id)
    refusal = services.answers_refusal(cycle)
    form = OdkAnswersForm()
    form.problems = []
    if request.method == "POST" and not refusal:
        data = _uploaded(form, "odk")
        if data is not None:
            try:
                result = services.import_odk_answers(cycle, data)
                if not result.problems:
                    audit.record(
                        "imported",
                        cycle,
                        current_user.id,
                        f"odk: {result.added} submissions, {result.skipped} already imported, "
                        "skipped",
                    )
                    db.session.commit()
            except IntegrityError:
                db.session.rollback()
                busy = _("Some of these submissions were imported at the same time. Try again.")
                result = services.ImportResult([busy])
            if result.problems:
                db.session.rollback()
                _refused(form, result.problems)
            else:
                message = _(
                    "Imported %(count)d answers from ODK or KoboToolbox.", count=result.added
                )
                if result.skipped:
                    message += " " + _("%(count)d already imported, skipped.", count=result.skipped)
                flash(message)
                return redirect(url_for("cycles.show", cycle_id=cycle.id))
    # A closed cycle's page says why nothing can be imported; a form sent anyway changes nothing.
    status = 409 if refusal and request.method == "POST" else 400 if form.errors else 200
    return render_template(
        "interchange/odk_import.html", cycle=cycle, form=form, refusal=refusal
    ), status


@bp.route("/cycles/<int:cycle_id>/import", methods=["GET", "POST"])
@login_required
def csv_import(cycle_id: int):
    """Answers from a CSV (paper batches typed in a spreadsheet, another tool's export), for
    anyone who may see the cycle: the whole file or nothing, each response once."""
    from sqlalchemy.exc import IntegrityError

    from ..responses.imports import (
        MAX_BYTES,
        ImportResult,
        import_detail,
        import_refusal,
        import_responses,
    )
    from .forms import AnswersCsvForm

    cycle = get_cycle_or_404(cycle_id)
    refusal = import_refusal(cycle)
    form = AnswersCsvForm()
    form.problems = []
    if request.method == "POST" and not refusal and form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            result = import_responses(cycle, data)
            if not result.errors:
                audit.record("imported", cycle, current_user.id, import_detail(result, "csv"))
                db.session.commit()
        except IntegrityError:
            db.session.rollback()
            busy = _("Some of these responses were imported at the same time. Try again.")
            result = ImportResult([busy])
        if result.errors:
            db.session.rollback()
            if result.skipped:
                form.file.errors = [result.errors[0]]
            else:
                _refused(form, result.errors)
        else:
            message = ngettext(
                "Imported %(num)d response with %(answers)d answers.",
                "Imported %(num)d responses with %(answers)d answers.",
                result.responses,
                answers=result.answers,
            )
            if result.skipped:
                message += " " + _("%(count)d already imported, skipped.", count=result.skipped)
            flash(message)
            return redirect(url_for("cycles.show", cycle_id=cycle.id))
    status = 409 if refusal and request.method == "POST" else 400 if form.errors else 200
    return render_template(
        "interchange/csv_import.html", cycle=cycle, form=form, refusal=refusal
    ), status


@bp.route("/cycles/<int:cycle_id>/import/template.csv")
@login_required
def csv_template(cycle_id: int):
    """A sheet to type paper answers into, with this cycle's questions: it holds no answers,
    so it is for anyone who may see the cycle."""
    from datetime import UTC, datetime

    from ..responses.imports import template_csv

    cycle = get_cycle_or_404(cycle_id)
    body = template_csv(cycle, datetime.now(UTC).date())
    return attachment(body, "text/csv", f"paper-answers-{cycle.id}.csv")


RESEARCH_FILES = {
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "csv": "text/csv",
}


@bp.route("/cycles/<int:cycle_id>/research/answers.<fmt>")
@login_required
def research_file(cycle_id: int, fmt: str):
    """One row per person for research, under the small-numbers rule: coordinators and admins,
    closed cycles only (a 404 for everyone else, as outside any scope)."""
    from .research import dta_bytes, file_label, research_table, sav_bytes, wide_csv

    cycle = get_cycle_or_404(cycle_id)
    if fmt not in RESEARCH_FILES or not may_export_answers(current_user, cycle):
        abort(404)
    table = research_table(cycle)
    if fmt == "sav":
        body = sav_bytes(table, file_label(cycle))
    elif fmt == "dta":
        body = dta_bytes(table, file_label(cycle))
    else:
        body = wide_csv(table)
    audit.record("exported", cycle, current_user.id, f"answers {fmt} for research, one row each")
    db.session.commit()
    return attachment(body, RESEARCH_FILES[fmt], f"answers-{cycle.id}-wide.{fmt}")


@bp.route("/cycles/<int:cycle_id>/research/codebook.csv")
@login_required
def research_codebook(cycle_id: int):
    """What each column of the wide files means: no answers, so for anyone who sees the cycle."""
    from .research import questions_table, wide_codebook_csv

    cycle = get_cycle_or_404(cycle_id)
    body = wide_codebook_csv(questions_table(cycle))
    return attachment(body, "text/csv", f"codebook-{cycle.id}-wide.csv")
