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
