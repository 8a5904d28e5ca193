"""Forms for the member's reflection."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..core.forms import (
    EIGHT_CHARACTER_HINT,
    BaseForm,
    GroupCodeForm,
    clean_text,
    code_field,
    receipt_field,
)
from ..questions.types import (  # noqa: F401 - names other modules import from here
    LIKERT_CHOICES,
    PREFER_NOT_TO_SAY,
    TEXT_LIMIT,
    get_type,
)
from .plan import Page


def field_name(question_key: str) -> str:
    return "q-" + question_key.replace(".", "-")


def page_form(page: Page, language: str, formdata=None, answers: dict | None = None) -> BaseForm:
    """The form for one page of questions, filled with the answers saved so far."""
    fields: dict[str, Field] = {}
    for cq in page.questions:
        question = cq.question
        fields[field_name(question.key)] = get_type(question.qtype).field(
            question, question.text_in(language)
        )
    form_class = type("PageForm", (BaseForm,), fields)
    data = {field_name(k): v for k, v in (answers or {}).items()}
    return form_class(formdata=formdata, data=data)


def answers_from(form: BaseForm, page: Page) -> dict[str, str | None]:
    """The page's answers by question key; None where skipped."""
    values = {}
    for cq in page.questions:
        value = form[field_name(cq.question.key)].data
        values[cq.question.key] = value or None
    return values


# "Did this happen?", about each action the group agreed last time (actions/).
CHECK_CHOICES = (
    ("yes", _l("Yes")),
    ("partly", _l("Partly")),
    ("no", _l("No")),
    ("dont_know", _l("I don't know")),
)
ACTIONS_KEY = "_actions"  # in a draft's answers: the actions its member is asked about


def action_answer_key(action_id: int) -> str:
    """Where a draft keeps the answer about one action (never a question's key)."""
    return f"action:{action_id}"


class _CheckField(RadioField):
    def pre_validate(self, form):
        if self.data and self.data not in dict(CHECK_CHOICES):
            raise ValidationError(_l("Choose one of the answers, or leave it empty"))


def actions_form(actions, formdata=None, answers: dict | None = None) -> BaseForm:
    """One optional "Did this happen?" per action, filled with the answers saved so far."""
    answers = answers or {}
    fields = {
        f"action-{a.id}": _CheckField(
            a.what,
            choices=[SelectChoice(v, label) for v, label in CHECK_CHOICES],
            validators=[Optional()],
            validate_choice=False,
        )
        for a in actions
    }
    form_class = type("ActionsForm", (BaseForm,), fields)
    data = {f"action-{a.id}": answers.get(action_answer_key(a.id)) for a in actions}
    return form_class(formdata=formdata, data=data)


class _Letter:
    def __call__(self, form, field):
        if field.data and not (len(field.data) == 1 and field.data.isalpha()):
            raise ValidationError(_l("Enter one letter"))


class NumberField(IntegerField):
    """A whole number with our own message when something else is typed."""

    def __init__(self, *args, invalid_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error


class AboutForm(BaseForm):
    """Consent to quote, and the optional self-chosen code."""

    may_quote = RadioField(
        _l("May we quote your words?"),
        choices=[
            SelectChoice("yes", _l("Yes, you may quote my words. Do not use my name.")),
            SelectChoice("no", _l("No, do not quote my words")),
        ],
        description=_l(
            "If you say yes, the group may see some of your words in its summary, "
            "without your name."
        ),
        validators=[Optional()],
    )
    initial = StringField(
        _l("First letter of your mother's first name"),
        description=_l("Or of the person who brought you up"),
        filters=[clean_text],
        validators=[Optional(), _Letter()],
    )
    day = NumberField(
        _l("Day of the month you were born"),
        invalid_message=_l("Enter a day from 1 to 31"),
        description=_l("A number from 1 to 31"),
        validators=[Optional(), NumberRange(1, 31, _l("Enter a day from 1 to 31"))],
    )
    siblings = NumberField(
        _l("How many older brothers and sisters you have"),
        invalid_message=_l("Enter a number from 0 to 30"),
        description=_l("Enter 0 if you have none"),
        validators=[Optional(), NumberRange(0, 30, _l("Enter a number from 0 to 30"))],
    )
    town = StringField(
        _l("First letter of the town or village where you were born"),
        filters=[clean_text],
        validators=[Optional(), _Letter()],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        parts = [self.initial, self.day, self.siblings, self.town]
        given = [f for f in parts if f.raw_data and f.raw_data[0].strip()]
        if given and len(given) < len(parts):
            # One message, on the first part still empty: that is where to carry on.
            missing = next(field for field in parts if field not in given)
            missing.errors = list(missing.errors) + [
                _l("Fill in all 4 parts of your code, or leave them all empty")
            ]
            ok = False
        return ok

    @property
    def code_parts(self) -> dict[str, str] | None:
        if self.initial.data and self.town.data and None not in (self.day.data, self.siblings.data):
            return {
                "initial": self.initial.data,
                "day": str(self.day.data),
                "siblings": str(self.siblings.data),
                "town": self.town.data,
            }
        return None


class SubmitForm(BaseForm):
    submission_token = HiddenField(validators=[InputRequired(), Length(min=36, max=36)])


class JoinForm(GroupCodeForm):
    """The group's code, to join its reflection."""


class WithdrawForm(BaseForm):
    receipt = receipt_field(_l("Your receipt code"), required=_l("Enter your receipt code"))


SHARE_OPENLY, STAY_ANONYMOUS = "open", "anonymous"
_CHOOSE_SHARING = _l("Choose whether to share your answers with the group or keep them anonymous")


class _SharingField(RadioField):
    """Required, and one of its two answers: a missing or unknown one gets one instruction."""

    def pre_validate(self, form):
        if self.data not in (SHARE_OPENLY, STAY_ANONYMOUS):
            raise ValidationError(_CHOOSE_SHARING)


class SharingForm(BaseForm):
    """A peer support worker's choice: share openly as the team's view, or stay anonymous."""

    shares_openly = _SharingField(
        _l("How should your answers be shown?"),
        description=_l(
            "If you share, the group sees the peer support team's answers even if you are "
            "the only one who answers."
        ),
        validators=[InputRequired(_CHOOSE_SHARING)],
    )

    def __init__(self, *args, k: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares_openly.choices = [
            SelectChoice(
                SHARE_OPENLY,
                _l(
                    "Share my answers with the group as part of the peer support team's view "
                    "(the team will know they include mine)"
                ),
            ),
            SelectChoice(
                STAY_ANONYMOUS,
                _l(
                    "Keep my answers anonymous (they count only when %(k)d or more peer "
                    "support workers answer, and in the network's figures)",
                    k=k,
                ),
            ),
        ]

    @property
    def chosen(self) -> bool:
        """True when they chose to share openly."""
        return self.shares_openly.data == SHARE_OPENLY


class KioskForm(BaseForm):
    """The one-time code a facilitator gives to make this device the group's tablet."""

    code = code_field(
        _l("Tablet code"),
        description=EIGHT_CHARACTER_HINT,
        required=_l("Enter the tablet code"),
        too_long=_l("Enter the 8 letters and numbers of the tablet code"),
    )
