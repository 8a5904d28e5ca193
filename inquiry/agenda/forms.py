"""Forms for the negotiated agenda."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import BaseForm, GroupCodeForm, clean_text


class TopicForm(BaseForm):
    title = StringField(
        _l("Topic, in a few words"),
        description=_l("Put similar suggestions together under one topic."),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the topic")),
            Length(max=200, message=_l("Keep this to 200 characters or fewer")),
        ],
    )


class ChooseForm(BaseForm):
    topics = SelectMultipleField(_l("Choose up to 3 topics"), choices=[], validate_choice=False)

    def validate_topics(self, field):
        if len(field.data or []) > 3:
            raise ValidationError(_l("Choose no more than 3 topics"))
        known = {choice.value for choice in field.choices}
        if not set(field.data or []) <= known:
            raise ValidationError(_l("Choose from the topics shown"))


class TopicsCodeForm(GroupCodeForm):
    """The group's code, to choose topics at the meeting after the reflection has closed."""
