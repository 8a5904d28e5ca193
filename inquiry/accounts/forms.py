"""Forms for signing in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

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
