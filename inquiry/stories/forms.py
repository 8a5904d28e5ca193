"""Forms for the story round: one per page."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.forms import BaseForm, GroupCodeForm, clean_text, receipt_field
from .models import REASONS_MAX, TEXT_MAX, TITLE_MAX

_TITLE_LENGTH = Length(max=TITLE_MAX, message=_l("Keep the title to 80 characters or fewer"))
_TEXT_LENGTH = Length(max=TEXT_MAX, message=_l("Keep your story to 2000 characters or fewer"))


class StoryForm(BaseForm):
    """A member's or peer support worker's story of change."""

    title = StringField(
        _l("A short title for your story"),
        description=_l("A few words, for example: “Walking again”"),
        filters=[clean_text],
        validators=[DataRequired(_l("Give your story a short title")), _TITLE_LENGTH],
    )
    text = TextAreaField(
        _l("Your story"),
        description=_l(
            "What has changed for you since you came to the group? "
            "What was it like before, and what is it like now?"
        ),
        filters=[clean_text],
        validators=[DataRequired(_l("Write your story")), _TEXT_LENGTH],
    )
    may_share = RadioField(
        _l("May we read your story out to the group and put it in the summary?"),
        choices=[
            SelectChoice("yes", _l("Yes, you may read it out and share it. Do not use my name.")),
            SelectChoice("no", _l("No, only the person who runs the group may read it")),
        ],
        description=_l(
            "The person who runs the group may leave out some words, like names. "
            "They never add any."
        ),
        validate_choice=False,
        validators=[InputRequired(_l("Choose whether we may share your story"))],
    )
    # One story however often the form is sent; a missing or garbled token gets a new one
    # (see `token`), never an error the person cannot fix.
    submission_token = HiddenField()

    @property
    def token(self) -> str:
        try:
            return str(uuid.UUID(self.submission_token.data or ""))
        except ValueError:
            return str(uuid.uuid4())

    def validate_may_share(self, field):
        if field.data not in ("yes", "no"):
            raise ValidationError(_l("Choose whether we may share your story"))


class StoryCodeForm(GroupCodeForm):
    """The group's code, to reach its story round."""


class StoryWithdrawForm(BaseForm):
    receipt = receipt_field(
        _l("Your story's receipt code"), required=_l("Enter your story's receipt code")
    )


class ChooseStoryForm(BaseForm):
    story = RadioField(
        _l("Which story matters most to you?"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose one story"))],
    )

    def validate_story(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of the stories shown"))


class ShortenForm(BaseForm):
    """The words read out at the meeting: the writer's own, perhaps with some left out."""

    title = StringField(
        _l("Title"),
        filters=[clean_text],
        validators=[DataRequired(_l("Keep at least a few of the person's words")), _TITLE_LENGTH],
    )
    text = TextAreaField(
        _l("Story, as it will be read out"),
        description=_l(
            "You may leave words out, such as names, and put […] where they were. "
            "You cannot add or change words."
        ),
        filters=[clean_text],
        validators=[DataRequired(_l("Keep at least a few of the person's words")), _TEXT_LENGTH],
    )


class RecordChoiceForm(BaseForm):
    story = RadioField(
        _l("Which story did the group choose?"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the story the group chose"))],
    )
    reasons = TextAreaField(
        _l("Why did the group choose it?"),
        description=_l("In the group's own words: what made this change matter most."),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write why the group chose this story")),
            Length(max=REASONS_MAX, message=_l("Keep this to 2000 characters or fewer")),
        ],
    )

    def validate_story(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of the shortlisted stories"))
