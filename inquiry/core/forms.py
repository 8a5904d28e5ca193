"""The base form every page uses."""

from __future__ import annotations

from functools import cache

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import StringField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, ValidationError

from .errors import forget_tracebacks


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    """WTForms' own messages in one language, loaded once per process, not once per request."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _InTheReadersLanguage:
    """WTForms' messages in the reader's language, which is looked up only when a message is
    given: a form that passes (a member's send) never asks for the language at all."""

    def gettext(self, string):
        return _wtforms_translations(str(get_locale())).gettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_translations(str(get_locale())).ngettext(singular, plural, n)


_IN_THE_READERS_LANGUAGE = _InTheReadersLanguage()


class _CSRF(_FlaskFormCSRF):
    """Flask-WTF's check, leaving nothing of a refused token behind (see forget_tracebacks)."""

    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as error:
            message = error.args[0]
            forget_tracebacks(error)
        else:
            return
        raise ValidationError(message)


# What a refused form shows back of a field without a Length of its own.
ECHO_LIMIT = 1000


def _echo_limit(field) -> int:
    """Twice the field's limit: an answer a little too long comes back whole for the person
    to shorten (never cut without them seeing), a crafted one cannot be amplified."""
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max is not None and validator.max >= 0:
            return 2 * validator.max
    return ECHO_LIMIT


def _capped(value, limit: int):
    return value[:limit] if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        csrf_class = _CSRF

        def get_translations(self, form):
            return _IN_THE_READERS_LANGUAGE

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self._cap_what_is_shown_back(refused=not ok)
        return ok

    def _cap_what_is_shown_back(self, refused: bool) -> None:
        """A page shown again never echoes more of a typed value than its field may hold
        (a crafted post could send megabytes). Only a refused form's data is cut: it is not
        saved, so nothing typed within the limits is ever changed."""
        for field in self:
            limit = _echo_limit(field)
            if field.raw_data:
                field.raw_data = [_capped(value, limit) for value in field.raw_data]
            if refused:
                if isinstance(field.data, list):
                    field.data = [_capped(value, limit) for value in field.data]
                else:
                    field.data = _capped(field.data, limit)

    @property
    def errors(self) -> dict:
        # WTForms caches this; our views add messages after validation, so always recount.
        return {name: field.errors for name, field in self._fields.items() if field.errors}

    @property
    def csrf_failed(self) -> bool:
        """True when the only problem is an expired or missing security token."""
        return "csrf_token" in self.errors

    def field_errors(self) -> list[tuple[str, str]]:
        """(field id, first message) for the error summary, in page order, CSRF left out."""
        return [
            (field.id, field.errors[0])
            for field in self
            if field.name != "csrf_token" and field.errors
        ]


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(value):
    """Trim and drop control characters (PostgreSQL refuses NUL; none belong in an answer)."""
    if not isinstance(value, str):
        return value
    return value.translate(_CONTROL).replace("\r\n", "\n").strip()


# The longest code a person may type (a group's, a receipt's, a tablet's), with room for the
# spaces and dashes they add; a code in a link is cut to it too.
CODE_MAX = 20
EIGHT_CHARACTER_HINT = _l("It has 8 letters and numbers, for example KM4T-XR7C")


def code_field(label, *, description, required, too_long) -> StringField:
    """A code a person types: trimmed, required, and no longer than CODE_MAX."""
    return StringField(
        label,
        description=description,
        filters=[clean_text],
        validators=[DataRequired(required), Length(max=CODE_MAX, message=too_long)],
    )


def receipt_field(label, *, required) -> StringField:
    """The receipt code someone was shown, to take back what they sent."""
    return code_field(
        label,
        description=EIGHT_CHARACTER_HINT,
        required=required,
        too_long=_l("Enter the 8 letters and numbers of your receipt code"),
    )


class GroupCodeForm(BaseForm):
    """The group's code, as every member page asks for it (reflection, stories, topics)."""

    code = code_field(
        _l("Enter your group's code"),
        description=_l("It has 6 letters and numbers, for example KM4TXR"),
        required=_l("Enter your group's code"),
        too_long=_l("Enter the 6 letters and numbers of your group's code"),
    )

    @classmethod
    def from_link(cls, code: str):
        """The form as a poster's link fills it in, never holding more than the field may."""
        return cls(formdata=None, data={"code": code[:CODE_MAX]})
