"""Forms for cycles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.forms import BaseForm, clean_text


class CycleDetailsForm(BaseForm):
    """A cycle's name and dates: set when it is made, corrected at any time."""

    title = StringField(
        _l("Name of the cycle"),
        description=_l("For example, Spring 2027"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a name for the cycle")),
            Length(max=200, message=_l("The name must be 200 characters or fewer")),
        ],
    )
    starts_on = DateField(
        _l("First day"), validators=[DataRequired(_l("Enter the first day, like 2027-03-01"))]
    )
    ends_on = DateField(
        _l("Last day"), validators=[DataRequired(_l("Enter the last day, like 2027-03-26"))]
    )

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must be on or after the first day"))


class CycleForm(CycleDetailsForm):
    member_questions = SelectMultipleField(_l("Questions for group members"), choices=[])
    peer_worker_questions = SelectMultipleField(
        _l("Questions for peer support workers"), choices=[]
    )

    def validate_member_questions(self, field):
        if not field.data and not self.peer_worker_questions.data:
            raise ValidationError(_l("Choose at least one question"))


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class OwnQuestionForm(BaseForm):
    audience = RadioField(
        _l("Who is it for?"),
        choices=[
            SelectChoice("member", _l("Group members")),
            SelectChoice("peer_worker", _l("Peer support workers")),
        ],
        default="member",
        validators=[InputRequired(_l("Choose who the question is for"))],
    )
    qtype = RadioField(
        _l("What kind of answer?"),
        choices=[
            SelectChoice("likert", _l("Agree or disagree (5 steps)")),
            SelectChoice("text", _l("Their own words")),
            SelectChoice("choice", _l("One of a few options")),
        ],
        default="likert",
        validators=[InputRequired(_l("Choose what kind of answer"))],
    )
    text = StringField(
        _l("The question"),
        description=_l(
            "Short and plain. For agree or disagree, write a sentence like "
            "“I feel welcome in the group.”"
        ),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the question")),
            Length(max=300, message=_l("Keep the question to 300 characters or fewer")),
        ],
    )
    theme = SelectField(_l("Which theme it belongs to"), choices=[])
    options = TextAreaField(
        _l("Options, one on each line (for “one of a few options”)"),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Keep the options to 2,000 characters"))],
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def validate_options(self, field):
        if self.qtype.data == "choice":
            options = self.option_list()
            if not 2 <= len(options) <= 8:
                raise ValidationError(_l("Give between 2 and 8 options, one on each line"))
            if any(len(o) > 100 for o in options):
                raise ValidationError(_l("Keep each option to 100 characters or fewer"))


class OwnQuestionEditForm(BaseForm):
    """Correcting a group's own question before anyone answers: its words, theme and options
    (who it is for and its kind of answer stay; to change those, remove it and add another)."""

    text = OwnQuestionForm.text
    theme = SelectField(_l("Which theme it belongs to"), choices=[])
    options = OwnQuestionForm.options
    option_list = OwnQuestionForm.option_list

    def __init__(self, *args, qtype: str = "likert", **kwargs):
        super().__init__(*args, **kwargs)
        self.qtype = qtype
        if qtype != "choice":
            del self.options
        if qtype == "text":
            del self.theme  # answers in people's own words all sit under "In their own words"

    def validate_options(self, field):
        options = self.option_list()
        if not 2 <= len(options) <= 8:
            raise ValidationError(_l("Give between 2 and 8 options, one on each line"))
        if any(len(o) > 100 for o in options):
            raise ValidationError(_l("Keep each option to 100 characters or fewer"))
