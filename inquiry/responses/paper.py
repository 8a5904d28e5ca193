"""Typing in answers given on paper: one screen per response, keyboard only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import BaseForm
from ..questions.types import get_type
from .forms import SHARE_OPENLY, STAY_ANONYMOUS, field_name


def paper_form(
    questions, language: str, formdata=None, *, sharing_threshold: int | None = None
) -> BaseForm:
    """One field per question of the audience, in the cycle's order. With the network's
    threshold, it also asks how a peer support worker chose to show their answers."""
    fields = {
        "submission_token": HiddenField(validators=[DataRequired(), Length(36, 36)]),
        "may_quote": BooleanField(_l("They ticked “yes, you may quote my words”")),
    }
    if sharing_threshold is not None:
        fields["shares_openly"] = _sharing_field(sharing_threshold)
    for cq in questions:
        question = cq.question
        fields[field_name(question.key)] = get_type(cq.qtype).paper_field(
            question, question.text_in(language)
        )
    return type("PaperForm", (BaseForm,), fields)(formdata=formdata)


def _sharing_field(k: int) -> RadioField:
    return RadioField(
        _l("How did they choose to show their answers?"),
        description=_l("If they did not choose, keep their answers anonymous."),
        choices=[
            SelectChoice(
                STAY_ANONYMOUS,
                _l(
                    "Anonymous: they count only when %(k)d or more peer support workers answer, "
                    "and in the network's figures",
                    k=k,
                ),
            ),
            SelectChoice(
                SHARE_OPENLY,
                _l("Shared with the group as part of the peer support team's view"),
            ),
        ],
        default=STAY_ANONYMOUS,
        validate_choice=False,
        validators=[_sharing_value],
    )


def _sharing_value(form, field):
    if field.data not in (SHARE_OPENLY, STAY_ANONYMOUS):
        raise ValidationError(_l("Choose how they chose to show their answers"))


def paper_shares_openly(form) -> bool:
    """Whether the paper's peer support worker chose to share their answers openly."""
    return "shares_openly" in form and form.shares_openly.data == SHARE_OPENLY


def paper_answers(form, questions) -> dict[str, str]:
    """The answers typed, by question key, as the reflection stores them."""
    answers = {}
    for cq in questions:
        value = form[field_name(cq.question.key)].data
        if not value:
            continue
        answers[cq.question.key] = get_type(cq.qtype).from_paper(value)
    return answers


# Correcting typed sheets ---------------------------------------------------------------


def may_correct_sheets(cycle) -> bool:
    """Typed sheets may be corrected or deleted while the cycle is open, or closed until its
    summary is first printed (cycle.first_printed_at, as for withdrawal): after that the
    figures the group saw would change under it."""
    return cycle.state == "open" or (cycle.state == "closed" and cycle.first_printed_at is None)


def list_paper_sheets(cycle_id: int) -> list:
    """The sheets typed in for a cycle, newest first: when, by whom, for which audience,
    whether corrected. Never what they said."""
    import sqlalchemy as sa

    from ..accounts.models import User
    from ..extensions import db
    from .models import Response

    return list(
        db.session.execute(
            sa.select(
                Response.id,
                Response.audience,
                Response.submitted_at,
                Response.corrected_at,
                User.email.label("entered_by"),
            )
            .outerjoin(User, User.id == Response.entered_by_id)
            .where(Response.cycle_id == cycle_id, Response.source == "paper")
            .order_by(Response.submitted_at.desc(), Response.id.desc())
        )
    )


def get_paper_sheet(cycle_id: int, response_id: int):
    """One typed sheet of this cycle, or None (a web response is never a sheet)."""
    import sqlalchemy as sa

    from ..extensions import db
    from .models import Response

    return db.session.scalar(
        sa.select(Response).where(
            Response.id == response_id, Response.cycle_id == cycle_id, Response.source == "paper"
        )
    )


def sheet_values(response, questions) -> dict[str, str]:
    """A stored sheet as the facilitator typed it: field name -> what goes in the box."""
    from ..questions.types import PAPER_LIKERT

    number = {value: key for key, value in PAPER_LIKERT.items()}
    by_question = {a.cycle_question_id: a for a in response.answers}
    values = {}
    for cq in questions:
        answer = by_question.get(cq.id)
        if answer is None:
            continue
        if cq.qtype == "likert":
            value = number["prefer_not_to_say"] if answer.prefer_not_to_say else str(answer.likert)
        elif cq.qtype == "choice":
            value = answer.choice
        else:
            value = answer.text
        values[field_name(cq.question.key)] = value
    return values


def correct_sheet(
    response, questions, answers: dict[str, str], *, may_quote: bool, shares_openly: bool
) -> bool:
    """Put a typed sheet right: its answers (by question key, as paper_answers gives them),
    its consent to quote and a peer support worker's choice. An answer that changed, or whose
    quote is no longer allowed, loses its approval as a quote; the cycle's PDFs go, as they
    counted the sheet as it was. Returns whether anything changed."""
    import sqlalchemy as sa

    from ..core.models import utcnow
    from ..extensions import db
    from ..questions.types import get_type
    from .models import Answer, QuoteApproval
    from .services import answers_changed

    if response.audience != "peer_worker":
        shares_openly = False
    changed = (may_quote, shares_openly) != (response.may_quote, response.shares_openly)
    columns = ("likert", "prefer_not_to_say", "text", "choice")
    unapproved: list[int] = []
    by_question = {a.cycle_question_id: a for a in response.answers}
    for cq in questions:
        old = by_question.get(cq.id)
        value = answers.get(cq.question.key)
        parsed = None if value is None else get_type(cq.qtype).parse(value, cq.question.options)
        before = None if old is None else {c: getattr(old, c) for c in columns}
        after = None if parsed is None else {c: parsed[c] for c in columns}
        if before == after:
            continue
        changed = True
        if old is None:
            response.answers.append(
                Answer(
                    cycle_question_id=cq.id, cycle_id=cq.cycle_id, audience=cq.audience, **parsed
                )
            )
        elif after is None:
            response.answers.remove(old)
        else:
            # Changed in place (the answer stays one row); approved words no longer match.
            for column in columns:
                setattr(old, column, after[column])
            unapproved.append(old.id)
    if not changed:
        return False
    if response.may_quote and not may_quote:
        unapproved.extend(a.id for a in response.answers if a.id is not None)
    if unapproved:
        db.session.execute(sa.delete(QuoteApproval).where(QuoteApproval.answer_id.in_(unapproved)))
    response.may_quote, response.shares_openly = may_quote, shares_openly
    response.corrected_at = utcnow()
    answers_changed(response.cycle_id)
    db.session.flush()
    return True


def delete_sheet(response) -> None:
    """Delete a typed sheet and everything it said (a sheet typed twice, or by mistake)."""
    from .services import withdraw_response

    withdraw_response(response)
