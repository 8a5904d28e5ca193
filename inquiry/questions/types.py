"""The one registry of question types: what each kind of question is, in one place.

Each type supplies its field on the member's page and on the paper-entry screen, how a typed
or stored value becomes the answer's columns (or is refused), how an answer is written in
exports and described in the codebook, its label, and a pure summary of its answer counts.

The summaries know nothing of the small-numbers rule: the report decides from their `n`
whether one is shown (reports/privacy.py). Nothing here touches Flask's request or the
database, so it is tested with plain pytest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..core.forms import clean_text

TEXT_LIMIT = 5000
# The one value for "I'd rather not say", in drafts, forms, exports and imports alike.
PREFER_NOT_TO_SAY = "prefer_not_to_say"
# What drafts (and pages opened) before this value was chosen hold: still read as it.
LEGACY_PREFER_NOT_TO_SAY = "pns"
LIKERT_VALUES = ("1", "2", "3", "4", "5")
LIKERT_CHOICES = [
    SelectChoice("5", _l("Strongly agree")),
    SelectChoice("4", _l("Agree")),
    SelectChoice("3", _l("Not sure")),
    SelectChoice("2", _l("Disagree")),
    SelectChoice("1", _l("Strongly disagree")),
    SelectChoice(PREFER_NOT_TO_SAY, _l("I'd rather not say")),
]
# On paper forms people tick 1-5; 0 stands for "I'd rather not say".
PAPER_LIKERT = {**{v: v for v in LIKERT_VALUES}, "0": PREFER_NOT_TO_SAY}


def whole_percent(count: int, n: int) -> int:
    """count out of n as a whole percent, halves rounded up (1 of 8 is 13); 0 when n is 0."""
    return (200 * count + n) // (2 * n) if n else 0


@dataclass(frozen=True)
class LikertSummary:
    """How many chose each step 1 to 5 (zeros included); "rather not say" is kept apart."""

    kind: ClassVar[str] = "likert"
    counts: tuple[tuple[str, int], ...]
    n: int
    prefer_not_to_say: int

    def count(self, value: str) -> int:
        return dict(self.counts)[value]


@dataclass(frozen=True)
class OptionShare:
    value: str
    count: int
    percent: int


@dataclass(frozen=True)
class ChoiceSummary:
    """Every option in the question's order, zeros included, with whole percents of n."""

    kind: ClassVar[str] = "choice"
    options: tuple[OptionShare, ...]
    n: int


@dataclass(frozen=True)
class TextSummary:
    """How many wrote something; never what they wrote."""

    kind: ClassVar[str] = "text"
    n: int


class AnswerRadioField(RadioField):
    """An optional radio group: nothing chosen is fine, an unknown value is not."""

    def pre_validate(self, form):
        if self.data is not None and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(_l("Choose one of the answers shown"))


def _likert_coerce(value) -> str:
    return PREFER_NOT_TO_SAY if value == LEGACY_PREFER_NOT_TO_SAY else str(value)


def _answer(qtype: str, **value) -> dict:
    return {
        "qtype": qtype,
        "likert": None,
        "prefer_not_to_say": False,
        "text": None,
        "choice": None,
        **value,
    }


def in_its_language(words, text):
    """A question's words (or hint, or option) as a page shows them: when they are another
    language's, because this one has no translation yet, inside an element saying which, so
    that a screen reader reads them in it."""
    if not words or not getattr(text, "is_fallback", False):
        return words
    tag = text.language.replace("_", "-")
    return Markup('<span lang="{}" dir="auto">{}</span>').format(tag, words)


class QuestionType:
    """What every kind of question supplies. `question` is a Question, `text` its
    QuestionText in the reader's language."""

    key: ClassVar[str]
    label: ClassVar[object]

    def field(self, question, text) -> Field:
        """The unbound field on the member's page."""
        raise NotImplementedError

    def paper_field(self, question, text) -> Field:
        """The unbound field a facilitator types a paper answer into."""
        raise NotImplementedError

    def from_paper(self, value: str) -> str:
        """A value typed from paper, as the reflection stores it."""
        return value

    def parse(self, value, options: Sequence[str] | None) -> dict | None:
        """The answer's columns for a raw value, or None when it is not a valid answer."""
        raise NotImplementedError

    def problem(self, value: str, options: Sequence[str] | None) -> str:
        """Why a value in an import file was refused (for the person running the import)."""
        raise NotImplementedError

    def export_value(self, likert, prefer_not_to_say, text, choice) -> str:
        """An answer's columns as one cell of an export."""
        raise NotImplementedError

    def codebook_values(self, options: Sequence[str] | None, labels=None) -> str:
        """The values an export may hold for this question, and what they mean."""
        raise NotImplementedError

    def summarise(self, counts: Mapping[str, int], options: Sequence[str] | None):
        """A frozen summary of how many gave each value."""
        raise NotImplementedError


class Likert(QuestionType):
    key = "likert"
    label = _l("Agree or disagree (1 to 5)")
    _answers: ClassVar[dict[str, dict]] = {
        **{v: _answer("likert", likert=int(v)) for v in LIKERT_VALUES},
        PREFER_NOT_TO_SAY: _answer("likert", prefer_not_to_say=True),
        LEGACY_PREFER_NOT_TO_SAY: _answer("likert", prefer_not_to_say=True),
    }

    def field(self, question, text) -> Field:
        return AnswerRadioField(
            in_its_language(text.text, text),
            choices=LIKERT_CHOICES,
            coerce=_likert_coerce,
            validators=[Optional()],
            description=in_its_language(text.hint or "", text),
        )

    def paper_field(self, question, text) -> Field:
        return StringField(text.text, filters=[clean_text], validators=[Optional(), _paper_likert])

    def from_paper(self, value: str) -> str:
        return PAPER_LIKERT[value]

    def parse(self, value, options=None) -> dict | None:
        # On the send's hot path: one dictionary look-up and a copy.
        found = self._answers.get(value) if isinstance(value, str) else None
        return None if found is None else dict(found)

    def problem(self, value, options=None) -> str:
        return f"value must be 1 to 5 or {PREFER_NOT_TO_SAY}, not {value[:20]!r}"

    def export_value(self, likert, prefer_not_to_say, text, choice) -> str:
        return PREFER_NOT_TO_SAY if prefer_not_to_say else str(likert)

    def codebook_values(self, options=None, labels=None) -> str:
        return "; ".join(f"{c.value}={c.label}" for c in LIKERT_CHOICES)

    def summarise(self, counts, options=None) -> LikertSummary:
        steps = tuple((v, int(counts.get(v, 0))) for v in LIKERT_VALUES)
        declined = int(counts.get(PREFER_NOT_TO_SAY, 0)) + int(
            counts.get(LEGACY_PREFER_NOT_TO_SAY, 0)
        )
        return LikertSummary(steps, sum(c for _v, c in steps), declined)


class Choice(QuestionType):
    key = "choice"
    label = _l("Choose one")

    def field(self, question, text) -> Field:
        options = question.options or []
        labels = text.option_labels or options
        return AnswerRadioField(
            in_its_language(text.text, text),
            choices=[
                SelectChoice(value, in_its_language(label, text))
                for value, label in zip(options, labels, strict=False)
            ],
            validators=[Optional()],
            description=in_its_language(text.hint or "", text),
        )

    def paper_field(self, question, text) -> Field:
        options = question.options or []
        return StringField(
            text.text,
            description=", ".join(options),
            filters=[clean_text],
            validators=[Optional(), _paper_choice(options)],
        )

    def parse(self, value, options) -> dict | None:
        if not isinstance(value, str) or value not in (options or ()):
            return None
        return _answer("choice", choice=value)

    def problem(self, value, options) -> str:
        return f"value {value[:20]!r} is not one of this question's options"

    def export_value(self, likert, prefer_not_to_say, text, choice) -> str:
        return choice

    def codebook_values(self, options, labels=None) -> str:
        options = list(options or [])
        named = dict(zip(options, labels or [], strict=False))
        return "; ".join(f"{v}={named[v]}" if named.get(v) else v for v in options)

    def summarise(self, counts, options) -> ChoiceSummary:
        # Only the question's own options count: its options are fixed with the cycle.
        options = list(options or [])
        given = [int(counts.get(v, 0)) for v in options]
        n = sum(given)
        shares = zip(options, given, strict=True)
        return ChoiceSummary(tuple(OptionShare(v, c, whole_percent(c, n)) for v, c in shares), n)


class Text(QuestionType):
    key = "text"
    label = _l("In your own words")

    def field(self, question, text) -> Field:
        return TextAreaField(
            in_its_language(text.text, text),
            filters=[clean_text],
            validators=[
                Optional(),
                Length(max=TEXT_LIMIT, message=_l("Your answer must be 5,000 characters or fewer")),
            ],
            description=in_its_language(text.hint or "", text),
        )

    def paper_field(self, question, text) -> Field:
        return TextAreaField(
            text.text,
            filters=[clean_text],
            validators=[
                Optional(),
                Length(max=TEXT_LIMIT, message=_l("Keep this to 5,000 characters or fewer")),
            ],
        )

    def parse(self, value, options=None) -> dict | None:
        if not isinstance(value, str):
            return None
        text = value.replace("\x00", "").strip()
        if not text or len(text) > TEXT_LIMIT:
            return None
        return _answer("text", text=text)

    def problem(self, value, options=None) -> str:
        if not value.replace("\x00", "").strip():
            return "value is empty"
        return f"value is longer than {TEXT_LIMIT} characters"

    def export_value(self, likert, prefer_not_to_say, text, choice) -> str:
        return text

    def codebook_values(self, options=None, labels=None) -> str:
        return "free text"

    def summarise(self, counts, options=None) -> TextSummary:
        return TextSummary(sum(int(c) for c in counts.values()))


def _paper_likert(form, field):
    if field.data and field.data not in PAPER_LIKERT:
        raise ValidationError(
            _l("Type a number from 1 to 5, 0 for “rather not say”, or leave it empty")
        )


def _paper_choice(options):
    def check(form, field):
        if field.data and field.data not in options:
            raise ValidationError(_l("Type one of the options shown"))

    return check


QUESTION_TYPES: dict[str, QuestionType] = {t.key: t for t in (Likert(), Text(), Choice())}


def answer_label(question, value: str, language: str) -> str:
    """How an answer reads back to the person who gave it, in their language."""
    if question.qtype == "likert":
        if value == LEGACY_PREFER_NOT_TO_SAY:
            value = PREFER_NOT_TO_SAY
        return str(next((c.label for c in LIKERT_CHOICES if c.value == value), value))
    if question.qtype == "choice":
        labels = question.text_in(language).option_labels or question.options or []
        return dict(zip(question.options or [], labels, strict=False)).get(value, value)
    return value


def get_type(qtype: str) -> QuestionType:
    """The type of a question by its key ("likert", "text", "choice")."""
    return QUESTION_TYPES[qtype]
