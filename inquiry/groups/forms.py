"""Forms for groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import BaseForm, clean_text
from ..reports.privacy import K_DEFAULT, K_MAX, K_MIN, valid_threshold


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
    # Only an admin, who looks after every network, says which one a new group is in.
    network = SelectField(
        _l("Network"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(_l("Choose the network the group is in"))],
    )


def _name_length(value):
    """Never echo back more than one character past the limit (enough to say it is long)."""
    return value[:201] if isinstance(value, str) else value


class NetworkForm(BaseForm):
    name = StringField(
        _l("Name of the network"),
        description=_l("The organisation and its partners, as members and staff know it."),
        filters=[clean_text, _name_length],
        validators=[
            DataRequired(_l("Enter the name of the network")),
            Length(max=200, message=_l("The name must be 200 characters or fewer")),
        ],
    )
    requires_two_step = BooleanField(
        _l("Everyone who signs in to this network's groups uses a second step"),
        description=_l(
            "A code from an app on their phone after their password. Staff without one are "
            "asked to set it up at their next sign-in."
        ),
    )


def _short(value):
    """A threshold is one or two digits: never echo back more than a few characters."""
    return value.strip()[:4] if isinstance(value, str) else value


class ThresholdForm(BaseForm):
    min_responses = StringField(
        _l("Smallest number of people whose answers we show together"),
        description=_l(
            "A whole number from %(low)d to %(high)d. We suggest %(default)d.",
            low=K_MIN,
            high=K_MAX,
            default=K_DEFAULT,
        ),
        filters=[_short],
    )

    def validate_min_responses(self, field) -> None:
        text = field.data or ""
        if not (text.isascii() and text.isdigit() and valid_threshold(int(text))):
            raise ValidationError(
                _l("Enter a whole number from %(low)d to %(high)d", low=K_MIN, high=K_MAX)
            )

    @property
    def threshold(self) -> int:
        return int(self.min_responses.data)
