"""Questions: the built-in bank and a group's own, with their text in each language."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import AUDIENCES, CreatedMixin, enum_check
from ..extensions import db
from . import types

# The keys of the registry in questions/types.py, which knows what each type is.
QUESTION_TYPES = tuple(types.QUESTION_TYPES)


class Question(CreatedMixin, db.Model):
    __tablename__ = "question"
    __table_args__ = (
        enum_check("audience", AUDIENCES),
        enum_check("qtype", QUESTION_TYPES),
        # Target of cycle_question's foreign key, so a cycle cannot change a question's kind.
        sa.UniqueConstraint("id", "audience", "qtype", name="uq_question_id_audience_qtype"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    theme: Mapped[str] = mapped_column(sa.String(50))
    audience: Mapped[str] = mapped_column(sa.String(20))
    qtype: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int] = mapped_column(default=0)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community_group.id"))
    # Stable values for single-choice questions; their labels live in QuestionText.
    options: Mapped[list | None] = mapped_column(sa.JSON)
    # One stable key for a statement asked of both audiences in parallel words, so the gap
    # between members and peer support workers compares like with like.
    pair_key: Mapped[str | None] = mapped_column(sa.String(100))

    texts: Mapped[dict[str, QuestionText]] = relationship(
        collection_class=sa.orm.attribute_keyed_dict("language"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def text_in(self, language: str, fallback: str = "en_GB") -> QuestionText:
        return self.texts.get(language) or self.texts[fallback]


class QuestionText(db.Model):
    __tablename__ = "question_text"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    hint: Mapped[str | None] = mapped_column(sa.Text)
    option_labels: Mapped[list | None] = mapped_column(sa.JSON)
