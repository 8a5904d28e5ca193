"""Forms for a network's retention period and privacy details, and for erasing a cycle."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..core.forms import BaseForm, clean_text
from ..groups.forms import ThresholdForm
from .services import MAX_MONTHS


def _cut(limit: int):
    """Never echo back more than one character past a field's limit."""

    def cut(value):
        return value[: limit + 1] if isinstance(value, str) else value

    return cut


def _text(label, limit: int, description=None, field=StringField):
    return field(
        label,
        description=description,
        filters=[clean_text, _cut(limit)],
        validators=[
            Length(
                max=limit,
                message=_l("Keep this to %(limit)d characters or fewer", limit=limit),
            )
        ],
    )


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NetworkSettingsForm(ThresholdForm):
    """The network's settings page: the threshold, how long answers are kept, and who the
    network is for the privacy notice."""

    retention_months = StringField(
        _l("Delete answers this many months after a cycle closes (optional)"),
        description=_l(
            "A whole number of months from 1 to %(high)d, for example 24. The figures of each "
            "cycle's summary are kept. Leave it empty to keep answers until someone deletes "
            "them.",
            high=MAX_MONTHS,
        ),
        filters=[lambda v: v.strip()[:5] if isinstance(v, str) else v],
    )
    organisation_name = _text(
        _l("Organisation name (optional)"),
        200,
        _l("Who looks after the answers, as it appears on the privacy notice."),
    )
    contact_email = _text(_l("Contact email (optional)"), 200)
    contact_phone = _text(_l("Contact phone (optional)"), 50)
    contact_address = _text(
        _l("Contact address (optional)"), 500, _l("For letters, on paper."), TextAreaField
    )

    def validate_retention_months(self, field) -> None:
        text = field.data or ""
        if text and not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_MONTHS):
            raise ValidationError(
                _l(
                    "Enter a whole number of months from 1 to %(high)d, or leave it empty",
                    high=MAX_MONTHS,
                )
            )

    def validate_contact_email(self, field) -> None:
        if field.data and not EMAIL.match(field.data):
            raise ValidationError(_l("Enter an email address like name@example.org"))

    @property
    def months(self) -> int | None:
        return int(self.retention_months.data) if self.retention_months.data else None

    def details(self) -> dict:
        return {
            "retention_months": self.months,
            "organisation_name": self.organisation_name.data or "",
            "contact_email": self.contact_email.data or "",
            "contact_phone": self.contact_phone.data or "",
            "contact_address": self.contact_address.data or "",
        }


class EraseForm(BaseForm):
    summary = RadioField(
        _l("What happens to the summary"),
        choices=[
            SelectChoice("keep", _l("Keep the summary's figures")),
            SelectChoice("delete", _l("Delete the summary too")),
        ],
        validate_choice=False,
    )

    def validate_summary(self, field) -> None:
        if field.data not in ("keep", "delete"):
            raise ValidationError(_l("Choose whether to keep the summary's figures"))
