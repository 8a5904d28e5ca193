"""Forms for signing in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField
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


class InviteForm(BaseForm):
    email = EmailField(
        _l("Their email address"),
        filters=[clean_text],
        validators=[DataRequired(_l("Enter their email address")), Length(max=254)],
    )
    role = SelectField(_l("Their role"), choices=[])
    groups = SelectMultipleField(_l("Groups they will run"), choices=[])


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 12 characters. Three or four unrelated words work well."),
        validators=[DataRequired(_l("Choose a password")), Length(max=1000)],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again")),
            EqualTo("password", _l("The two passwords are not the same")),
        ],
    )
