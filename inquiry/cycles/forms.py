"""Forms for cycles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import BaseForm, clean_text


class CycleForm(BaseForm):
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
    member_questions = SelectMultipleField(_l("Questions for group members"), choices=[])
    peer_worker_questions = SelectMultipleField(
        _l("Questions for peer support workers"), choices=[]
    )

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must be on or after the first day"))

    def validate_member_questions(self, field):
        if not field.data and not self.peer_worker_questions.data:
            raise ValidationError(_l("Choose at least one question"))


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""
