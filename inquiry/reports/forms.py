"""The facilitator's form for approving a member's words for the summary."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm, clean_text
from ..responses.forms import TEXT_LIMIT


class QuoteForm(BaseForm):
    text = TextAreaField(
        _l("Words to show in the summary"),
        description=_l("You can shorten them or take out names. Do not add words."),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the words to show, or take the quote out of the summary")),
            Length(max=TEXT_LIMIT, message=_l("Keep this to 5,000 characters or fewer")),
        ],
    )
