"""Writes to the question bank."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .bank import BANK
from .models import Question, QuestionText


def sync_bank(language: str = "en_GB") -> int:
    """Add missing built-in questions, refresh their English text; returns how many added."""
    existing = {
        q.key: q for q in db.session.scalars(sa.select(Question).filter_by(is_builtin=True))
    }
    added = 0
    for position, item in enumerate(BANK):
        question = existing.get(item.key)
        if question is None:
            question = Question(
                key=item.key,
                theme=item.theme,
                audience=item.audience,
                qtype=item.qtype,
                is_builtin=True,
            )
            db.session.add(question)
            added += 1
        question.position = position
        text = question.texts.get(language)
        if text is None:
            question.texts[language] = QuestionText(language=language, text=item.text)
        else:
            text.text = item.text
    db.session.flush()
    return added
