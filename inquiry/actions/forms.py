"""Forms for actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.forms import BaseForm, clean_text

STATUS_LABELS = {
    "planned": _l("Not reviewed yet"),
    "done": _l("Done"),
    "in_progress": _l("In progress"),
    "not_done": _l("Not done"),
    "dropped": _l("Dropped"),
}


class _FindingField(SelectField):
    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(_l("Choose what it answers from the list"))


class ActionForm(BaseForm):
    what = StringField(
        _l("What the group agreed to do"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter what the group agreed to do")),
            Length(max=500, message=_l("Keep this to 500 characters or fewer")),
        ],
    )
    who = StringField(
        _l("Who will do it (optional)"),
        filters=[clean_text],
        validators=[Length(max=200, message=_l("Keep this to 200 characters or fewer"))],
    )
    due_on = DateField(_l("By when (optional)"), validators=[Optional()])
    # A theme's key, "topic:<id>" or "story:<id>": only the choices the page offers.
    theme = _FindingField(_l("What it answers (optional)"), choices=[])


class ReviewForm(BaseForm):
    status = SelectField(
        _l("How it went"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    )
    status_note = StringField(
        _l("A short note (optional)"),
        filters=[clean_text],
        validators=[Length(max=500, message=_l("Keep this to 500 characters or fewer"))],
    )
