"""Forms for groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm, clean_text


class GroupForm(BaseForm):
    name = StringField(
        _l("Name of the group"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the name of the group")),
            Length(max=200, message=_l("The name must be 200 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("What the group does (optional)"),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Keep this to 2,000 characters or fewer"))],
    )
    default_language = SelectField(_l("The group's usual language"), choices=[])
