"""The base form every page uses."""

from __future__ import annotations

from functools import cache

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from .errors import forget_tracebacks


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    """WTForms' own messages in one language, loaded once per process, not once per request."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


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


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        csrf_class = _CSRF

        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))

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
