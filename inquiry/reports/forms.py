"""The facilitator's form for approving a member's words for the summary."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import BaseForm, clean_text
from ..responses.forms import TEXT_LIMIT
from ..responses.quoting import NotTheirWords, NoWords, checked_quote

NO_WORDS = _l("Enter the words to show, or take the quote out of the summary")
NOT_THEIR_WORDS = _l(
    "Use only the person's own words, in their order. To leave words out, delete them or "
    "put […] in their place."
)


class QuoteForm(BaseForm):
    text = TextAreaField(
        _l("Words to show in the summary"),
        description=_l(
            "You can shorten them or take out names: delete words or put […] in their place. "
            "Do not add or change words."
        ),
        filters=[clean_text],
        validators=[
            DataRequired(NO_WORDS),
            Length(max=TEXT_LIMIT, message=_l("Keep this to 5,000 characters or fewer")),
        ],
    )

    def __init__(self, *args, original: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original  # the person's answer, which the words must come from

    def validate_text(self, field) -> None:
        try:
            field.data = checked_quote(self.original, field.data)
        except NoWords as error:
            raise ValidationError(NO_WORDS) from error
        except NotTheirWords as error:
            raise ValidationError(NOT_THEIR_WORDS) from error
