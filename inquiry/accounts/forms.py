"""Forms for signing in and for looking after people's accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..core.forms import BaseForm, clean_text


class LoginForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        filters=[clean_text],
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=1000)],
    )


def _short_code(value):
    """A code is a few characters: never echo back more than that."""
    return value.strip()[:40] if isinstance(value, str) else value


class SecondStepForm(BaseForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "The 6 numbers your authenticator app shows now, or one of your recovery codes."
        ),
        filters=[_short_code],
        validators=[DataRequired(_l("Enter the code from your authenticator app"))],
    )


class TwoStepSetupForm(BaseForm):
    code = StringField(
        _l("The 6 numbers your app shows"),
        filters=[_short_code],
        validators=[DataRequired(_l("Enter the 6 numbers your app shows"))],
    )


_CHOOSE_ROLE = _l("Choose their role")
_CHOOSE_GROUPS = _l("Choose groups from the list")


def _email_length(value):
    """Never echo back more than one character past an address's limit."""
    return value[:255] if isinstance(value, str) else value


class InviteForm(BaseForm):
    email = EmailField(
        _l("Their email address"),
        filters=[clean_text, _email_length],
        validators=[DataRequired(_l("Enter their email address")), Length(max=254)],
    )
    role = SelectField(_l("Their role"), choices=[], invalid_choice_message=_CHOOSE_ROLE)
    network = SelectField(
        _l("The network they will work in"),
        choices=[],
        invalid_choice_message=_l("Choose the network they will work in"),
    )
    groups = SelectMultipleField(
        _l("Groups they will run"), choices=[], invalid_choice_message=_CHOOSE_GROUPS
    )


class PersonForm(BaseForm):
    role = SelectField(_l("Their role"), choices=[], invalid_choice_message=_CHOOSE_ROLE)
    groups = SelectMultipleField(
        _l("Groups they run"), choices=[], invalid_choice_message=_CHOOSE_GROUPS
    )


class ButtonForm(BaseForm):
    """A button that changes something: only the CSRF token."""


_NEW_PASSWORD_HINT = _l("At least 12 characters. Three or four unrelated words work well.")


def _confirm_field():
    return PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again")),
            EqualTo("password", _l("The two passwords are not the same")),
        ],
    )


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("Choose a password"),
        description=_NEW_PASSWORD_HINT,
        validators=[DataRequired(_l("Choose a password")), Length(max=1000)],
    )
    confirm = _confirm_field()


class ChangePasswordForm(BaseForm):
    current = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(_l("Enter your current password")), Length(max=1000)],
    )
    password = PasswordField(
        _l("Your new password"),
        description=_NEW_PASSWORD_HINT,
        validators=[DataRequired(_l("Choose a new password")), Length(max=1000)],
    )
    confirm = _confirm_field()


class CurrentPasswordForm(BaseForm):
    current = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=1000)],
    )
