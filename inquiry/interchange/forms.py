"""Upload forms: an XLSForm for a cycle's questions, a CSV export of offline answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from ..core.forms import BaseForm


class XlsformForm(BaseForm):
    audience = RadioField(
        _l("Who is the form for?"),
        choices=[
            SelectChoice("member", _l("Group members")),
            SelectChoice("peer_worker", _l("Peer support workers")),
        ],
        default="member",
        validators=[InputRequired(_l("Choose who the form is for"))],
    )
    file = FileField(
        _l("The XLSForm (.xlsx)"),
        description=_l("Its questions replace this cycle's questions for the people you chose."),
        validators=[FileRequired(_l("Choose the XLSForm to import"))],
    )


class OdkAnswersForm(BaseForm):
    file = FileField(
        _l("The answers (.csv)"),
        description=_l(
            "The CSV export from ODK Central or KoboToolbox (in KoboToolbox, choose “XML "
            "values and headers”)."
        ),
        validators=[FileRequired(_l("Choose the CSV file of answers"))],
    )


class AnswersCsvForm(BaseForm):
    file = FileField(
        _l("The answers (.csv)"),
        description=_l(
            "A CSV file with one answer a line, in the columns of the sheet above: "
            "response_id, audience, language, source, submitted_on, question_key, theme and "
            "value."
        ),
        validators=[FileRequired(_l("Choose the CSV file of answers"))],
    )
