"""A cycle in the workspace: set it up, open and close it, get its code into the room."""

from __future__ import annotations

from datetime import timedelta

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from ..core import audit
from ..core.access import get_cycle_or_404, get_group_or_404
from ..core.forms import BaseForm
from ..core.models import AUDIENCES
from ..extensions import db
from ..questions.models import Question
from ..questions.queries import list_builtin_questions
from ..reports.queries import count_responses, get_latest_cycle, get_previous_closed_cycle
from . import services
from .forms import ConfirmForm, CycleForm
from .models import REOPEN_WITHIN
from .queries import count_untranslated

bp = Blueprint("cycles", __name__)


def _join_links(cycle) -> dict[str, str | None]:
    return {
        audience: url_for("reflect.join", code=code, _external=True) if code else None
        for audience in AUDIENCES
        for code in [cycle.active_code(audience)]
    }


@bp.route("/cycles/<int:cycle_id>")
@login_required
def show(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    counts = count_responses(cycle.id)
    return render_template(
        "cycles/show.html",
        cycle=cycle,
        links=_join_links(cycle),
        counts=counts,
        frozen=sum(counts.values()) > 0,
        form=ConfirmForm(),
        previous=get_previous_closed_cycle(cycle),
        untranslated=count_untranslated(cycle, current_app.config["LANGUAGES"]),
    )


def _question_choices(audience: str) -> list[SelectChoice]:
    return [SelectChoice(q.key, q.text_in("en_GB").text) for q in list_builtin_questions(audience)]


@bp.route("/groups/<int:group_id>/cycles/new", methods=["GET", "POST"])
@login_required
def new(group_id: int):
    group = get_group_or_404(group_id)
    source_id = request.args.get("from", type=int)
    source = get_cycle_or_404(source_id) if source_id else get_latest_cycle(group.id)
    if source is not None and source.group_id != group.id:
        abort(404)
    if group.archived_at is not None:
        # An archived group takes no new cycles: its page says so and how to bring it back.
        return render_template("groups/archived.html", group=group, form=ConfirmForm()), 409
    form = CycleForm()
    form.member_questions.choices = _question_choices("member")
    form.peer_worker_questions.choices = _question_choices("peer_worker")
    if request.method == "GET":
        # Copying the previous cycle is the default, so cycles compare like with like.
        chosen = services.questions_of(source) if source else {}
        for audience, field in (
            ("member", form.member_questions),
            ("peer_worker", form.peer_worker_questions),
        ):
            field.data = [q.key for q in chosen.get(audience, [])] or [
                choice.value for choice in field.choices
            ]
    if form.validate_on_submit():
        by_key = {q.key: q for a in AUDIENCES for q in list_builtin_questions(a)}
        previous = services.questions_of(source) if source else {}
        questions: dict[str, list[Question]] = {}
        for audience, keys in (
            ("member", form.member_questions.data),
            ("peer_worker", form.peer_worker_questions.data),
        ):
            # The group's own questions from the cycle copied come along as they were.
            own = [q for q in previous.get(audience, []) if not q.is_builtin]
            questions[audience] = [by_key[k] for k in keys if k in by_key] + own
        cycle = services.create_cycle(
            group.id,
            form.title.data,
            form.starts_on.data,
            form.ends_on.data,
            questions,
            strict=True,
        )
        audit.record("created", cycle, current_user.id)
        db.session.commit()
        flash(_("Cycle created. Open it when the group is ready to answer."))
        return redirect(url_for(".show", cycle_id=cycle.id))
    return render_template(
        "cycles/form.html", form=form, group=group, source=source
    ), 400 if form.errors else 200


def _change_state(
    cycle_id: int,
    change,
    action: str,
    message: str,
    *,
    form: BaseForm | None = None,
    page: str | None = None,
    **context,
):
    """One change to a cycle in the state it needs. With a confirmation `page`, a GET shows
    in plain words what will happen and the POST from it acts; from any other state a GET
    goes back to the cycle's page and a POST is refused (409). `change` returns what the
    audit log notes about it (never codes or answers)."""
    cycle = get_cycle_or_404(cycle_id)
    form = form or ConfirmForm()
    allowed = services.may_change(cycle, action)
    if request.method == "GET":
        if not allowed and not context.get("why_not"):
            return redirect(url_for(".show", cycle_id=cycle.id))
        return render_template(page, cycle=cycle, form=form, allowed=allowed, **context)
    valid = form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    if not allowed:
        abort(409)
    if not valid:
        if page is None:
            abort(400)
        return render_template(page, cycle=cycle, form=form, allowed=allowed, **context), 400
    detail = change(cycle) or ""
    audit.record("opened" if action == "reopened" else action, cycle, current_user.id, detail)
    db.session.commit()
    flash(message() if callable(message) else message)
    return redirect(url_for(".show", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>/open", methods=["POST"])
@login_required
def open_(cycle_id: int):
    return _change_state(
        cycle_id, services.open_cycle, "opened", _("The cycle is open. Share its codes.")
    )


class CloseForm(BaseForm):
    """Closing a cycle: how long people who have started may still send their answers.
    (Kept beside its view while cycles/forms.py is being changed for corrections.)"""

    grace = RadioField(
        _l("How long can people who have started still send their answers?"),
        description=_l(
            "The summary's figures are ready when this time ends. "
            "To print the summary straight away, choose no extra time."
        ),
        choices=[
            SelectChoice("0", _l("No extra time: answers not sent yet are not kept")),
            SelectChoice("1", _l("1 hour")),
            SelectChoice("24", _l("24 hours")),
            SelectChoice("72", _l("3 days")),
        ],
        default=str(services.DEFAULT_GRACE_HOURS),
        validators=[InputRequired(_l("Choose how long people can still send their answers"))],
    )


@bp.route("/cycles/<int:cycle_id>/close", methods=["GET", "POST"])
@login_required
def close(cycle_id: int):
    form = CloseForm()
    closed = {}

    def change(cycle) -> str:
        hours = int(form.grace.data)
        _close(cycle, timedelta(hours=hours))
        closed["cycle"] = cycle
        return f"grace {hours}h"

    def message() -> str:
        cycle = closed["cycle"]
        if cycle.grace_until is None:
            return _("The reflection is closed. Its summary is being made.")
        return _(
            "The reflection is closed. People who had started can send their answers "
            "until %(when)s. The summary's figures are ready then.",
            when=_when(cycle.grace_until),
        )

    return _change_state(
        cycle_id, change, "closed", message, form=form, page="cycles/confirm_close.html"
    )


def _when(moment) -> str:
    """A day and time in the reader's words, such as "2 December 2026 at 14:30"."""
    from flask_babel import format_date, format_time

    return _(
        "%(day)s at %(time)s", day=format_date(moment, "long"), time=format_time(moment, "short")
    )


def _close(cycle, grace: timedelta = timedelta(0)) -> None:
    """Closing starts the summary in the group's language and the reader's (at once, or when
    first asked for once the grace period is over)."""
    from ..i18n import current_language

    services.close_and_start_summary(
        cycle, (cycle.group.default_language, current_language()), grace
    )


@bp.route("/cycles/<int:cycle_id>/reopen", methods=["GET", "POST"])
@login_required
def reopen(cycle_id: int):
    """Reopen a closed cycle while its summary has not been printed, or within 7 days of
    closing; otherwise the page says why not."""
    cycle = get_cycle_or_404(cycle_id)
    return _change_state(
        cycle_id,
        lambda cycle: services.reopen_cycle(cycle) or "reopened",
        "reopened",
        _("The reflection is open again. Its codes and posters work again."),
        page="cycles/confirm_reopen.html",
        why_not=services.why_not_reopen(cycle),
        reopen_until=cycle.closed_at + REOPEN_WITHIN if cycle.closed_at else None,
    )


@bp.route("/cycles/<int:cycle_id>/codes/<audience>/replace", methods=["GET", "POST"])
@login_required
def replace_code(cycle_id: int, audience: str):
    if audience not in AUDIENCES:
        abort(404)
    return _change_state(
        cycle_id,
        lambda cycle: services.issue_code(cycle, audience) and audience,
        "replaced_code",
        _("New code made. The old code no longer works."),
        page="cycles/confirm_replace.html",
        audience=audience,
    )


@bp.route("/cycles/<int:cycle_id>/codes/<audience>/<any(pause, resume):change>", methods=["POST"])
@login_required
def pause_code(cycle_id: int, audience: str, change: str):
    """Pause a code (nobody starts with it, and trying it never counts as a wrong code), as
    when far more is sent than the room would send; or let it work again."""
    from ..core.models import utcnow

    if audience not in AUDIENCES:
        abort(404)
    cycle = get_cycle_or_404(cycle_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = next((c for c in cycle.codes if c.audience == audience and c.is_active), None)
    if code is None or not cycle.is_open:
        abort(409)
    if (change == "pause") != code.is_paused:
        code.paused_at = utcnow() if change == "pause" else None
        audit.record("edited", cycle, current_user.id, f"{change}d the {audience} code")
        db.session.commit()
    if change == "pause":
        flash(_("The code is paused. Nobody can start with it until you resume it."))
    else:
        flash(_("The code works again."))
    return redirect(url_for(".show", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>/room")
@login_required
def room(cycle_id: int):
    return render_template("cycles/room.html", **_code_for_the_room(cycle_id))


def _code_for_the_room(cycle_id: int) -> dict:
    """An open cycle's code and join link for one audience (?audience=, members by default)."""
    cycle = get_cycle_or_404(cycle_id)
    audience = request.args.get("audience", "member")
    if audience not in AUDIENCES or not cycle.is_open:
        abort(404)
    return {
        "cycle": cycle,
        "audience": audience,
        "code": cycle.active_code(audience),
        "link": _join_links(cycle)[audience],
    }


@bp.route("/cycles/<int:cycle_id>/poster.pdf")
@login_required
def poster(cycle_id: int):
    from flask_babel import force_locale

    from ..printing.views import pdf_response
    from ..reports.render import stylesheet_path
    from .poster import qr_data_uri

    room = _code_for_the_room(cycle_id)
    cycle, audience = room["cycle"], room["audience"]
    language = _print_language(cycle)
    with force_locale(language):
        html = render_template(
            "cycles/poster.html",
            **room,
            qr=qr_data_uri(room["link"]),
            home=url_for("reflect.home", _external=True),
            stylesheet=stylesheet_path().as_uri(),
        )
    audit.record("printed", cycle, current_user.id, f"poster {audience} {language}")
    return pdf_response(
        html, _print_name(cycle, f"poster-{cycle.id}-{audience}", language), cycle_id=cycle.id
    )


def _print_language(cycle) -> str:
    """What to print in: ?lang= (any language Inquiry speaks, for a group whose members read
    more than one), else the group's own language."""
    language = request.args.get("lang") or cycle.group.default_language
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


def _print_name(cycle, stem: str, language: str) -> str:
    """The file name: the group's own language needs no tag, any other is named."""
    return f"{stem}.pdf" if language == cycle.group.default_language else f"{stem}-{language}.pdf"


def _paper_questions(cycle, audience):
    from .queries import list_cycle_questions

    if audience not in AUDIENCES:
        abort(404)
    return list_cycle_questions(cycle.id, audience)


@bp.route("/cycles/<int:cycle_id>/paper/<audience>", methods=["GET", "POST"])
@login_required
def paper_entry(cycle_id: int, audience: str):
    import uuid

    from ..responses.paper import paper_answers, paper_form, paper_shares_openly
    from ..responses.queries import is_stored
    from ..responses.services import record_response

    cycle = get_cycle_or_404(cycle_id)
    questions = _paper_questions(cycle, audience)
    if not cycle.is_open or not questions:
        abort(404)  # answers arrive only while the cycle is open, on paper as on phones
    language = cycle.group.default_language
    form = paper_form(
        questions,
        language,
        request.form if request.method == "POST" else None,
        # A peer support worker's paper says how they chose to show their answers.
        sharing_threshold=cycle.group.network.min_responses if audience == "peer_worker" else None,
    )
    if request.method == "GET":
        form.submission_token.data = str(uuid.uuid4())
    if request.method == "POST" and form.validate():
        token = form.submission_token.data
        if not is_stored(token):
            sheet = record_response(
                questions,
                audience=audience,
                language=language,
                answers=paper_answers(form, questions),
                source="paper",
                may_quote=form.may_quote.data,
                shares_openly=paper_shares_openly(form),
                submission_token=token,
            )
            sheet.entered_by_id = current_user.id
            audit.record("created", sheet, current_user.id, f"paper sheet, cycle {cycle.id}")
            db.session.commit()
        flash(_("Paper response saved. Enter the next one."))
        return redirect(url_for(".paper_entry", cycle_id=cycle.id, audience=audience))
    return render_template(
        "cycles/paper_entry.html",
        cycle=cycle,
        audience=audience,
        form=form,
        questions=questions,
        counts=count_responses(cycle.id),
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/paper/<audience>.pdf")
@login_required
def paper_pdf(cycle_id: int, audience: str):
    """The questionnaire on paper, in any language (?lang=) and in large print
    (?variant=large-print)."""
    from flask_babel import force_locale

    from ..printing.views import pdf_response
    from ..reports.render import stylesheet_path

    cycle = get_cycle_or_404(cycle_id)
    questions = _paper_questions(cycle, audience)
    language = _print_language(cycle)
    variant = request.args.get("variant", "")
    if variant not in ("", "large-print"):
        abort(404)
    with force_locale(language):
        html = render_template(
            "cycles/paper.html",
            cycle=cycle,
            audience=audience,
            sections=_paper_sections(questions, language),
            likert=_paper_likert(),
            code_parts=_code_parts(),
            large_print=variant == "large-print",
            stylesheet=stylesheet_path().as_uri(),
        )
    audit.record("printed", cycle, current_user.id, f"paper {audience} {variant} {language}")
    stem = f"paper-{cycle.id}-{audience}{'-' + variant if variant else ''}"
    return pdf_response(html, _print_name(cycle, stem, language), cycle_id=cycle.id)


def _paper_sections(questions, language: str) -> list[tuple[str, list[dict]]]:
    """The questions under their themes, in the cycle's order (a theme asked in two places
    is headed twice), with a choice question's options to tick."""
    sections: list[tuple[str, list[dict]]] = []
    for cq in questions:
        text = cq.question.text_in(language)
        if not sections or sections[-1][0] != cq.question.theme:
            sections.append((cq.question.theme, []))
        labels = text.option_labels or cq.question.options or []
        sections[-1][1].append(
            {
                "qtype": cq.qtype,
                "text": text.text,
                "options": [("", label) for label in labels],
            }
        )
    return sections


def _paper_likert() -> list[tuple[str, str]]:
    """Each answer with the number the facilitator types in for it (0: rather not say)."""
    from ..questions.types import LIKERT_CHOICES, PAPER_LIKERT

    number = {value: key for key, value in PAPER_LIKERT.items()}
    return [(number[c.value], str(c.label)) for c in LIKERT_CHOICES]


def _code_parts() -> list[tuple[str, str, int]]:
    """The self-chosen code's four parts as on the phone: label, hint, boxes to write in."""
    from ..responses.forms import AboutForm

    form = AboutForm(formdata=None, meta={"csrf": False})
    fields = ((form.initial, 1), (form.day, 2), (form.siblings, 2), (form.town, 1))
    return [(str(f.label.text), str(f.description or ""), boxes) for f, boxes in fields]


@bp.route("/cycles/<int:cycle_id>/questions", methods=["GET", "POST"])
@login_required
def own_questions(cycle_id: int):
    from ..questions.bank import THEMES, paired_keys
    from .forms import OwnQuestionForm

    cycle = get_cycle_or_404(cycle_id)
    frozen = sum(count_responses(cycle.id).values()) > 0
    form = OwnQuestionForm()
    form.theme.choices = [SelectChoice("own", str(THEMES["own"]))] + [
        SelectChoice(key, str(title))
        for key, title in THEMES.items()
        if key not in ("own", "open", "peer_role", "peer_support")
    ]
    if form.validate_on_submit():
        if frozen or cycle.state == "closed":
            abort(409)
        theme = "open" if form.qtype.data == "text" else form.theme.data
        services.add_own_question(
            cycle,
            form.audience.data,
            form.qtype.data,
            form.text.data,
            theme,
            form.option_list() if form.qtype.data == "choice" else [],
        )
        audit.record("edited", cycle, current_user.id, "added a question")
        db.session.commit()
        flash(_("Question added."))
        return redirect(url_for(".own_questions", cycle_id=cycle.id))
    own = [cq for cq in cycle.questions if not cq.question.is_builtin]
    pairs = paired_keys(
        (cq.audience, cq.question.key, cq.question.pair_key) for cq in cycle.questions
    )
    return render_template(
        "cycles/questions.html",
        cycle=cycle,
        form=form,
        frozen=frozen or cycle.state == "closed",
        own=own,
        questions=sorted(cycle.questions, key=lambda q: (q.audience, q.position)),
        asked_of_both={key for keys in pairs.values() for key in keys},
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/kiosk", methods=["POST"])
@login_required
def kiosk(cycle_id: int):
    """A one-time code (and its link and QR) that makes a tablet the group's tablet for an
    open cycle: each person's reflection ends on a fresh start page."""
    from ..responses.services import make_kiosk_code
    from .poster import qr_data_uri

    cycle = get_cycle_or_404(cycle_id)
    audience = request.form.get("audience", "member")
    if audience not in AUDIENCES:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not cycle.is_open:
        abort(409)
    minutes = current_app.config["KIOSK_CODE_MINUTES"]
    made, code = make_kiosk_code(
        cycle, audience, current_app.config["LINK_KEY"], minutes, current_user.id
    )
    audit.record("created", made, current_user.id, f"tablet code {audience}")
    db.session.commit()
    link = url_for("reflect.kiosk_link", code=code, _external=True)
    return render_template(
        "cycles/kiosk.html",
        cycle=cycle,
        audience=audience,
        code=f"{code[:4]}-{code[4:]}",
        link=link,
        qr=qr_data_uri(link),
        minutes=minutes,
        form=ConfirmForm(),
    )


# Corrections: a cycle's name and dates, a draft made by mistake, a group's own questions
# before anyone answers, typed paper sheets.


@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cycle_id: int):
    from .forms import CycleDetailsForm

    cycle = get_cycle_or_404(cycle_id)
    form = CycleDetailsForm(obj=cycle)
    if form.validate_on_submit():
        changed = services.update_details(
            cycle, form.title.data, form.starts_on.data, form.ends_on.data
        )
        if changed:
            audit.record("edited", cycle, current_user.id, " and ".join(changed))
            db.session.commit()
            flash(_("Changes saved."))
        else:
            flash(_("Nothing changed."))
        return redirect(url_for(".show", cycle_id=cycle.id))
    return render_template("cycles/edit.html", form=form, cycle=cycle), (
        400 if form.errors else 200
    )


@bp.route("/cycles/<int:cycle_id>/delete", methods=["GET", "POST"])
@login_required
def delete(cycle_id: int):
    """A draft cycle made by mistake, deleted after a confirmation page; a cycle that has
    opened is never deleted, and the page says why."""
    cycle = get_cycle_or_404(cycle_id)
    form = ConfirmForm()
    allowed = services.may_delete(cycle)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if not allowed:
            abort(409)
        group_id, title = cycle.group_id, cycle.title
        audit.record("deleted", cycle, current_user.id, f"draft in group {group_id}")
        services.delete_draft(cycle)
        db.session.commit()
        flash(_("Deleted the draft cycle %(title)s.", title=title))
        return redirect(url_for("groups.home", _anchor=f"group-{group_id}"))
    return render_template("cycles/delete.html", cycle=cycle, form=form, allowed=allowed)


def _own_question_or_404(cycle_id: int, cq_id: int):
    from .models import CycleQuestion

    cycle = get_cycle_or_404(cycle_id)
    cq = db.session.get(CycleQuestion, cq_id)
    if cq is None or cq.cycle_id != cycle.id or cq.question.is_builtin:
        abort(404)
    return cycle, cq


def _own_theme_choices() -> list[SelectChoice]:
    from ..questions.bank import THEMES

    return [SelectChoice("own", str(THEMES["own"]))] + [
        SelectChoice(key, str(title))
        for key, title in THEMES.items()
        if key not in ("own", "open", "peer_role", "peer_support")
    ]


@bp.route("/cycles/<int:cycle_id>/questions/<int:cq_id>/edit", methods=["GET", "POST"])
@login_required
def edit_own_question(cycle_id: int, cq_id: int):
    from ..questions.services import update_own_question
    from .forms import OwnQuestionEditForm

    cycle, cq = _own_question_or_404(cycle_id, cq_id)
    locked = services.own_question_locked(cq)
    question, text = cq.question, cq.question.text_in("en_GB")
    form = OwnQuestionEditForm(qtype=cq.qtype)
    if "theme" in form:
        form.theme.choices = _own_theme_choices()
    if request.method == "GET":
        form.text.data = text.text
        if "theme" in form:
            form.theme.data = question.theme
        if "options" in form:
            form.options.data = "\n".join(text.option_labels or question.options or [])
    if locked and request.method == "POST":
        # Answers arrived (or the cycle closed) after the page was opened: nothing changes.
        return render_template(
            "cycles/own_question_edit.html", cycle=cycle, cq=cq, form=form, locked=locked
        ), 409
    if form.validate_on_submit():
        changed = update_own_question(
            question,
            form.text.data,
            form.theme.data if "theme" in form else None,
            form.option_list() if "options" in form else None,
        )
        if changed:
            audit.record("edited", cycle, current_user.id, f"changed question {question.id}")
            db.session.commit()
            flash(_("Question changed."))
        else:
            flash(_("Nothing changed."))
        return redirect(url_for(".own_questions", cycle_id=cycle.id))
    return render_template(
        "cycles/own_question_edit.html", cycle=cycle, cq=cq, form=form, locked=locked
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/questions/<int:cq_id>/remove", methods=["GET", "POST"])
@login_required
def remove_own_question(cycle_id: int, cq_id: int):
    cycle, cq = _own_question_or_404(cycle_id, cq_id)
    locked = services.own_question_locked(cq, removing=True)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if locked:
            abort(409)
        question_id = cq.question_id
        services.remove_own_question(cq)
        audit.record("edited", cycle, current_user.id, f"removed question {question_id}")
        db.session.commit()
        flash(_("Question removed."))
        return redirect(url_for(".own_questions", cycle_id=cycle.id))
    return render_template(
        "cycles/own_question_remove.html", cycle=cycle, cq=cq, form=form, locked=locked
    )


@bp.route("/cycles/<int:cycle_id>/paper")
@login_required
def paper_sheets(cycle_id: int):
    """The sheets typed in for this cycle: when and by whom, never what they said."""
    from ..responses.paper import list_paper_sheets, may_correct_sheets

    cycle = get_cycle_or_404(cycle_id)
    return render_template(
        "cycles/paper_sheets.html",
        cycle=cycle,
        sheets=list_paper_sheets(cycle.id),
        may_correct=may_correct_sheets(cycle),
    )


class _SheetLocked(Exception):
    def __init__(self, cycle, sheet):
        self.cycle, self.sheet = cycle, sheet


def _sheet_or_404(cycle_id: int, response_id: int):
    """A typed sheet of a cycle whose sheets may still be corrected; _SheetLocked once the
    summary has been printed."""
    from ..responses.paper import get_paper_sheet, may_correct_sheets

    cycle = get_cycle_or_404(cycle_id)
    sheet = get_paper_sheet(cycle.id, response_id)
    if sheet is None:
        abort(404)
    if not may_correct_sheets(cycle):
        raise _SheetLocked(cycle, sheet)
    return cycle, sheet


def _sheet_locked(locked: _SheetLocked):
    """The page that says why a sheet stays as it is (a 409 for a change sent anyway)."""
    page = render_template("cycles/paper_sheet_locked.html", cycle=locked.cycle, sheet=locked.sheet)
    return page, 409 if request.method == "POST" else 200


@bp.route("/cycles/<int:cycle_id>/paper/sheets/<int:response_id>", methods=["GET", "POST"])
@login_required
def paper_sheet(cycle_id: int, response_id: int):
    """Open one typed sheet and put it right."""
    from ..responses.forms import SHARE_OPENLY, STAY_ANONYMOUS
    from ..responses.paper import (
        correct_sheet,
        paper_answers,
        paper_form,
        paper_shares_openly,
        sheet_values,
    )

    try:
        cycle, sheet = _sheet_or_404(cycle_id, response_id)
    except _SheetLocked as locked:
        return _sheet_locked(locked)
    questions = _paper_questions(cycle, sheet.audience)
    language = cycle.group.default_language
    form = paper_form(
        questions,
        language,
        request.form if request.method == "POST" else None,
        sharing_threshold=(
            cycle.group.network.min_responses if sheet.audience == "peer_worker" else None
        ),
    )
    del form.submission_token  # a correction changes the stored sheet, it sends nothing new
    if request.method == "GET":
        for name, value in sheet_values(sheet, questions).items():
            form[name].data = value
        form.may_quote.data = sheet.may_quote
        if "shares_openly" in form:
            form.shares_openly.data = SHARE_OPENLY if sheet.shares_openly else STAY_ANONYMOUS
    if request.method == "POST" and form.validate():
        changed = correct_sheet(
            sheet,
            questions,
            paper_answers(form, questions),
            may_quote=form.may_quote.data,
            shares_openly=paper_shares_openly(form),
        )
        if changed:
            audit.record("edited", sheet, current_user.id, f"paper sheet, cycle {cycle.id}")
            db.session.commit()
            flash(_("Sheet corrected."))
        else:
            flash(_("Nothing changed."))
        return redirect(url_for(".paper_sheets", cycle_id=cycle.id))
    return render_template(
        "cycles/paper_entry.html",
        cycle=cycle,
        audience=sheet.audience,
        form=form,
        questions=questions,
        sheet=sheet,
        counts=count_responses(cycle.id),
    ), 400 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/paper/sheets/<int:response_id>/delete", methods=["GET", "POST"])
@login_required
def delete_paper_sheet(cycle_id: int, response_id: int):
    from ..responses.paper import delete_sheet

    try:
        cycle, sheet = _sheet_or_404(cycle_id, response_id)
    except _SheetLocked as locked:
        return _sheet_locked(locked)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        audit.record("deleted", sheet, current_user.id, f"paper sheet, cycle {cycle.id}")
        delete_sheet(sheet)
        db.session.commit()
        flash(_("Sheet deleted."))
        return redirect(url_for(".paper_sheets", cycle_id=cycle.id))
    return render_template("cycles/paper_sheet_delete.html", cycle=cycle, sheet=sheet, form=form)
