"""The one check that a quote keeps the person's own words, worked by hand."""

from __future__ import annotations

import pytest

from inquiry.responses.quoting import GAP, NotTheirWords, NoWords, checked_quote

SAID = "I was lonely before, Alex. Now I come every week (even in the rain)!"


@pytest.mark.parametrize(
    ("edited", "stored"),
    [
        # Unchanged: stored exactly as written.
        (SAID, SAID),
        # Words left out, with or without a mark where they were.
        ("I was lonely before, […] every week", "I was lonely before, […] every week"),
        ("I was lonely before, […]. Now I come", "I was lonely before, […]. Now I come"),
        ("I was lonely […] Now I come every week", "I was lonely […] Now I come every week"),
        # Typed with three dots, perhaps with spaces inside the brackets: becomes one sign.
        ("I was lonely before, [...]", "I was lonely before, […]"),
        ("I was lonely [ ... ] every week", "I was lonely […] every week"),
        # Punctuation left out: the comma before a cut, the brackets and the "!".
        ("I was lonely before", "I was lonely before"),
        ("Now I come every week even in the rain", "Now I come every week even in the rain"),
        # A capital letter where the quote now starts mid-sentence, with or without a mark.
        ("Lonely before", "Lonely before"),
        ("[…] Every week (even in the rain)!", "[…] Every week (even in the rain)!"),
        # Spaces and line breaks do not matter; what is kept is stored as the facilitator put it.
        ("I was lonely\nbefore", "I was lonely\nbefore"),
        ("  Now I come  ", "Now I come"),
        # Cutting ", Alex" brings the full stop after it next to "before"; cutting the
        # brackets' words brings the "!" next to "week".
        ("I was lonely before. Now I come", "I was lonely before. Now I come"),
        ("Now I come every week!", "Now I come every week!"),
        # A kept word may be split from its punctuation.
        ("Alex .", "Alex ."),
    ],
)
def test_leaving_words_out_is_accepted(edited, stored):
    assert checked_quote(SAID, edited) == stored


@pytest.mark.parametrize(
    "edited",
    [
        "I was very lonely before",  # a word added
        "I was lonely before, [name].",  # a name replaced by other words
        "I was sad before",  # a word changed
        "I was Lonely before",  # a capital inside the quote: a change
        "i was lonely before",  # and a small letter at the start is one too
        "Now I come every week. I was lonely before",  # moved
        "before lonely",  # moved
        "Now I come every week?",  # punctuation added
        "I was, lonely before",  # punctuation moved earlier
        "I waslonely",  # two words joined into one
        "Now I come every weekend",  # a word made longer
        "Now I come every wee",  # a word cut down to part of itself
        "I was lonely before… Now",  # an ellipsis without brackets is added punctuation
        "I was lonely before, Alex. Alex",  # a word used twice
    ],
)
def test_anything_but_leaving_out_is_refused(edited):
    with pytest.raises(NotTheirWords):
        checked_quote(SAID, edited)


@pytest.mark.parametrize("edited", ["", "   ", "[…]", "[...] […]", ", . !"])
def test_a_quote_keeps_at_least_one_word(edited):
    with pytest.raises(NoWords):
        checked_quote(SAID, edited)


def test_words_are_kept_whole_including_their_inner_apostrophes_and_hyphens():
    said = "I don’t feel well-being is the word, it's more than that"
    assert checked_quote(said, "I don't feel […] it’s more") == "I don't feel […] it’s more"
    for part_of_a_word in ("I don feel", "I feel well", "being is the word", "it more"):
        with pytest.raises(NotTheirWords):
            checked_quote(said, part_of_a_word)


def test_letters_and_marks_of_other_scripts_are_words_too():
    said = "المجموعة تساعدني كثيرا"  # "The group helps me a lot"
    assert checked_quote(said, f"المجموعة {GAP} كثيرا") == f"المجموعة {GAP} كثيرا"
    with pytest.raises(NotTheirWords):
        checked_quote(said, "المجموعة لا تساعدني")  # "does not help me": a word added
    hindi = "समूह अच्छा है"  # combining vowel signs are part of their word, not punctuation
    with pytest.raises(NotTheirWords):
        checked_quote(hindi, "समह अचछ है")


def test_an_answer_without_words_may_be_quoted_whole_or_in_part():
    assert checked_quote("👍 👍", "👍") == "👍"
    with pytest.raises(NoWords):
        checked_quote("👍 👍", "[…]")
