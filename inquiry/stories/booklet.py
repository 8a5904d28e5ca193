"""The coordinator's booklet of every group's chosen stories, for commissioners: the same
HTML-to-PDF path as the summary (reports/pdf.py through the render worker)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..reports.render import stylesheet_path


def render_booklet(network, stories, language: str = "en_GB") -> str:
    """The booklet's finished HTML, with the report stylesheet."""
    with force_locale(language):
        return render_template(
            "stories/booklet.html",
            network=network,
            stories=stories,
            stylesheet=stylesheet_path().as_uri(),
        )
