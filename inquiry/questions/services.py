"""Writes to the question bank."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from .bank import BANK
from .models import Question, QuestionText

BANK_TEXTS = Path(__file__).resolve().parent / "bank_texts"


def bank_translations() -> dict[str, dict[str, str]]:
    """language -> key -> text, from bank_texts/<language>.csv (reviewed by translators)."""
    found = {}
    for path in sorted(BANK_TEXTS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            found[path.stem] = {row["key"]: row["text"].strip() for row in csv.DictReader(fh)}
    return found


def sync_bank(language: str = "en_GB") -> int:
    """Add missing built-in questions and refresh their pair keys and their texts in every
    language we have; returns how many questions were added."""
    existing = {
        q.key: q for q in db.session.scalars(sa.select(Question).filter_by(is_builtin=True))
    }
    added = 0
    translations = bank_translations()
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
        question.pair_key = item.pair
        texts = {language: item.text}
        texts.update({lang: t[item.key] for lang, t in translations.items() if t.get(item.key)})
        for lang, wording in texts.items():
            text = question.texts.get(lang)
            if text is None:
                question.texts[lang] = QuestionText(language=lang, text=wording)
            else:
                text.text = wording
    db.session.flush()
    return added


class TextsError(ValueError):
    """Plain-words problems with a file of question texts."""


def import_texts(language: str, rows: list[dict]) -> int:
    """Replace question texts in one language from a reviewed spreadsheet: all or nothing.
    Returns how many texts were written."""
    by_key = {q.key: q for q in db.session.scalars(sa.select(Question))}
    problems = []
    for number, row in enumerate(rows, start=2):
        key, text = (row.get("key") or "").strip(), (row.get("text") or "").strip()
        if key not in by_key:
            problems.append(f"Line {number}: there is no question {key[:60]!r}")
        elif len(text) > 1000:
            problems.append(f"Line {number}: the text is longer than 1,000 characters")
    if problems:
        raise TextsError(problems)
    written = 0
    for row in rows:
        text = (row.get("text") or "").strip()
        if not text:
            continue  # an empty cell leaves the question untranslated in this language
        question = by_key[row["key"].strip()]
        existing = question.texts.get(language)
        if existing is None:
            question.texts[language] = QuestionText(language=language, text=text)
        else:
            existing.text = text
        written += 1
    db.session.flush()
    return written


def option_values(labels: list[str]) -> list[str]:
    """Stable values for a choice question's options, made from their labels."""
    import re

    values: list[str] = []
    for label in labels:
        value = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "option"
        while value in values:
            value += "_"
        values.append(value)
    return values


def update_own_question(
    question: Question,
    text: str,
    theme: str | None,
    options: list[str] | None,
    language: str = "en_GB",
) -> bool:
    """Correct a group's own question (never a built-in one) before anyone has answered it:
    its words, theme and, for a choice, its options. Texts in other languages no longer say
    the same, so they go (the cycle's page then shows them as not translated yet). Returns
    whether anything changed."""
    if question.is_builtin:
        raise ValueError("built-in questions are not changed here")
    current = question.texts[language]
    labels = list(options) if question.qtype == "choice" and options is not None else None
    changed_words = text != current.text or (
        labels is not None and labels != (current.option_labels or [])
    )
    changed_theme = theme is not None and theme != question.theme
    if not (changed_words or changed_theme):
        return False
    if changed_theme:
        question.theme = theme
    if changed_words:
        current.text = text
        if labels is not None:
            current.option_labels = labels
            question.options = option_values(labels)
        for other in [lang for lang in question.texts if lang != language]:
            del question.texts[other]
    db.session.flush()
    return True
