"""Reads of the question bank."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Question


def list_builtin_questions(audience: str) -> list[Question]:
    """The built-in bank for one audience, in its order."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .filter_by(is_builtin=True, audience=audience)
            .order_by(Question.position)
        )
    )
