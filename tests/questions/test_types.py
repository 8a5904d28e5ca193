"""The registry of question types, by hand: parsing, export values, summaries worked out on
paper, and the "pns" value drafts stored before "prefer_not_to_say" was the only one."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from types import SimpleNamespace

import pytest

from inquiry.questions import models
from inquiry.questions.types import (
    LEGACY_PREFER_NOT_TO_SAY,
    PREFER_NOT_TO_SAY,
    QUESTION_TYPES,
    TEXT_LIMIT,
    ChoiceSummary,
    LikertSummary,
    OptionShare,
    TextSummary,
    get_type,
    whole_percent,
)

LIKERT, CHOICE, TEXT = get_type("likert"), get_type("choice"), get_type("text")
OPTIONS = ["monday", "wednesday", "saturday_morning"]


def _columns(**value):
    return {"likert": None, "prefer_not_to_say": False, "text": None, "choice": None, **value}


def test_the_models_know_the_same_types_as_the_registry():
    assert models.QUESTION_TYPES == tuple(QUESTION_TYPES) == ("likert", "text", "choice")
    assert all(get_type(key).key == key for key in models.QUESTION_TYPES)
    with pytest.raises(KeyError):
        get_type("slider")


@pytest.mark.parametrize("value", ["1", "2", "3", "4", "5"])
def test_likert_steps_parse_to_their_number(value):
    assert LIKERT.parse(value, None) == {"qtype": "likert", **_columns(likert=int(value))}


@pytest.mark.parametrize("value", [PREFER_NOT_TO_SAY, LEGACY_PREFER_NOT_TO_SAY])
def test_rather_not_say_parses_in_both_spellings(value):
    # Drafts saved before there was one value hold "pns"; they still send.
    assert LIKERT.parse(value, None) == {"qtype": "likert", **_columns(prefer_not_to_say=True)}
    assert LEGACY_PREFER_NOT_TO_SAY == "pns" and PREFER_NOT_TO_SAY == "prefer_not_to_say"


@pytest.mark.parametrize("value", ["0", "6", " 3", "3.0", "", "PNS", "yes", None, 4, ["1"]])
def test_likert_refuses_anything_else(value):
    assert LIKERT.parse(value, None) is None


def test_each_parse_is_a_new_dict():
    first = LIKERT.parse("4", None)
    first["likert"] = 1
    assert LIKERT.parse("4", None)["likert"] == 4


def test_choice_takes_only_the_questions_own_options():
    assert CHOICE.parse("wednesday", OPTIONS) == {
        "qtype": "choice",
        **_columns(choice="wednesday"),
    }
    for value in ("Wednesday", "friday", "", None):
        assert CHOICE.parse(value, OPTIONS) is None
    assert CHOICE.parse("monday", None) is None


def test_text_is_trimmed_and_kept_within_its_limit():
    assert TEXT.parse("  More walks, please \x00", None) == {
        "qtype": "text",
        **_columns(text="More walks, please"),
    }
    assert TEXT.parse("x" * TEXT_LIMIT, None)["text"] == "x" * TEXT_LIMIT
    for value in ("", "   ", "\x00", "x" * (TEXT_LIMIT + 1), None):
        assert TEXT.parse(value, None) is None


def test_import_problems_say_what_was_wrong():
    assert LIKERT.problem("7", None) == "value must be 1 to 5 or prefer_not_to_say, not '7'"
    assert (
        CHOICE.problem("friday", OPTIONS) == "value 'friday' is not one of this question's options"
    )
    assert TEXT.problem("  ", None) == "value is empty"
    assert TEXT.problem("x" * 6000, None) == "value is longer than 5000 characters"


def test_export_values():
    assert LIKERT.export_value(4, False, None, None) == "4"
    assert LIKERT.export_value(None, True, None, None) == PREFER_NOT_TO_SAY
    assert CHOICE.export_value(None, False, None, "monday") == "monday"
    assert TEXT.export_value(None, False, "=1+1", None) == "=1+1"  # neutralised by write_csv


def test_exported_values_parse_back_to_the_same_answer():
    for answer in (LIKERT.parse("2", None), LIKERT.parse("pns", None)):
        value = LIKERT.export_value(
            answer["likert"], answer["prefer_not_to_say"], answer["text"], answer["choice"]
        )
        assert LIKERT.parse(value, None) == answer


def test_paper_values_become_what_the_reflection_stores():
    assert [LIKERT.from_paper(v) for v in ("0", "1", "5")] == [PREFER_NOT_TO_SAY, "1", "5"]
    assert CHOICE.from_paper("monday") == "monday"
    assert TEXT.from_paper("Tea") == "Tea"


def test_codebook_values(app):
    with app.test_request_context():
        likert = LIKERT.codebook_values(None)
        assert likert.split("; ") == [
            "5=Strongly agree",
            "4=Agree",
            "3=Not sure",
            "2=Disagree",
            "1=Strongly disagree",
            "prefer_not_to_say=I'd rather not say",
        ]
        assert CHOICE.codebook_values(["a", "b"], ["Mornings", "Evenings"]) == (
            "a=Mornings; b=Evenings"
        )
        assert CHOICE.codebook_values(["a", "b"], None) == "a; b"
        assert TEXT.codebook_values(None) == "free text"
        assert [str(get_type(k).label) for k in QUESTION_TYPES] == [
            "Agree or disagree (1 to 5)",
            "In your own words",
            "Choose one",
        ]


def test_likert_summary_worked_by_hand():
    # 7 answers on the scale, 2 rather not say, nobody chose 1.
    counts = {"5": 3, "4": 2, "2": 1, "3": 1, PREFER_NOT_TO_SAY: 2}
    summary = LIKERT.summarise(counts, None)
    assert summary == LikertSummary(
        counts=(("1", 0), ("2", 1), ("3", 1), ("4", 2), ("5", 3)), n=7, prefer_not_to_say=2
    )
    assert summary.count("1") == 0 and summary.kind == "likert"
    with pytest.raises(FrozenInstanceError):
        summary.n = 9


def test_likert_summary_counts_legacy_rather_not_say_and_ignores_strays():
    summary = LIKERT.summarise({"pns": 1, PREFER_NOT_TO_SAY: 1, "7": 4, "3": 2}, None)
    assert (summary.n, summary.prefer_not_to_say, summary.count("3")) == (2, 2, 2)
    assert LIKERT.summarise({}, None) == LikertSummary(
        counts=tuple((v, 0) for v in "12345"), n=0, prefer_not_to_say=0
    )


def test_choice_summary_in_option_order_with_whole_percents_rounded_half_up():
    # 8 answers: 1/8 = 12.5% -> 13, 3/8 = 37.5% -> 38, 4/8 = 50%; the unasked option shows 0.
    summary = CHOICE.summarise(
        {"saturday_morning": 4, "monday": 1, "wednesday": 3, "gone": 2}, OPTIONS + ["sunday"]
    )
    assert summary == ChoiceSummary(
        options=(
            OptionShare("monday", 1, 13),
            OptionShare("wednesday", 3, 38),
            OptionShare("saturday_morning", 4, 50),
            OptionShare("sunday", 0, 0),
        ),
        n=8,
    )
    assert summary.kind == "choice"


def test_choice_summary_of_three_and_of_nobody():
    # 1/3 = 33.3% -> 33, 2/3 = 66.7% -> 67: percents need not add up to 100.
    thirds = CHOICE.summarise({"monday": 1, "wednesday": 2}, OPTIONS)
    assert [(o.count, o.percent) for o in thirds.options] == [(1, 33), (2, 67), (0, 0)]
    nobody = CHOICE.summarise({}, OPTIONS)
    assert nobody.n == 0 and [o.percent for o in nobody.options] == [0, 0, 0]


@pytest.mark.parametrize(
    "count, n, percent",
    [(1, 8, 13), (3, 8, 38), (1, 200, 1), (1, 201, 0), (5, 6, 83), (1, 6, 17), (7, 7, 100)],
)
def test_whole_percent_rounds_halves_up(count, n, percent):
    assert whole_percent(count, n) == percent


def test_text_summary_counts_only():
    summary = TEXT.summarise({"answered": 6}, None)
    assert summary == TextSummary(n=6) and summary.kind == "text"
    assert not hasattr(summary, "texts")


def _question(options=None, hint=None, option_labels=None):
    question = SimpleNamespace(options=options)
    text = SimpleNamespace(
        text="I know what our group is for.", hint=hint, option_labels=option_labels
    )
    return question, text


def test_the_likert_field_reads_a_legacy_draft_and_a_page_opened_before(app):
    from werkzeug.datastructures import MultiDict

    from inquiry.core.forms import BaseForm

    question, text = _question(hint="Think of the last month")
    form_class = type("F", (BaseForm,), {"q": LIKERT.field(question, text)})
    with app.test_request_context():
        from_draft = form_class(formdata=None, data={"q": "pns"}, meta={"csrf": False})
        assert from_draft.q.data == PREFER_NOT_TO_SAY
        posted = form_class(formdata=MultiDict({"q": "pns"}), meta={"csrf": False})
        assert posted.validate() and posted.q.data == PREFER_NOT_TO_SAY
        wrong = form_class(formdata=MultiDict({"q": "9"}), meta={"csrf": False})
        assert not wrong.validate()
        assert wrong.q.errors == ["Choose one of the answers shown"]
        assert from_draft.q.description == "Think of the last month"
        assert [c.value for c in from_draft.q.choices][-1] == PREFER_NOT_TO_SAY


def test_the_choice_and_text_fields(app):
    from werkzeug.datastructures import MultiDict

    from inquiry.core.forms import BaseForm

    question, text = _question(OPTIONS, option_labels=["Monday", "Wednesday", "Saturday"])
    fields = {"c": CHOICE.field(question, text), "t": TEXT.field(question, text)}
    form_class = type("F", (BaseForm,), fields)
    with app.test_request_context():
        form = form_class(
            formdata=MultiDict({"c": "friday", "t": "x" * (TEXT_LIMIT + 1)}), meta={"csrf": False}
        )
        assert not form.validate()
        assert form.c.errors == ["Choose one of the answers shown"]
        assert form.t.errors == ["Your answer must be 5,000 characters or fewer"]
        assert [(c.value, c.label) for c in form.c.choices] == [
            ("monday", "Monday"),
            ("wednesday", "Wednesday"),
            ("saturday_morning", "Saturday"),
        ]
        fine = form_class(formdata=MultiDict({"c": "monday", "t": "  Tea  "}), meta={"csrf": False})
        assert fine.validate() and (fine.c.data, fine.t.data) == ("monday", "Tea")


def test_a_draft_saved_with_the_old_rather_not_say_value_reads_back_in_words(app):
    from types import SimpleNamespace

    from inquiry.questions.types import answer_label

    likert = SimpleNamespace(qtype="likert")
    with app.test_request_context():
        assert answer_label(likert, "pns", "en_GB") == "I'd rather not say"
        assert answer_label(likert, "prefer_not_to_say", "en_GB") == "I'd rather not say"
        assert answer_label(likert, "4", "en_GB") == "Agree"
