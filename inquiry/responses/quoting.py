"""A quote keeps the person's own words: the one check behind the quotes page and the
`approve-quote` command. Pure: no Flask, no database.

A facilitator may only leave things out of an answer, as if crossing parts of it through:
- leave out any words, and put "[…]" where they were if they like ("[...]" typed with three
  dots becomes "[…]");
- leave out punctuation and symbols, so cutting ", Alex" from "before, Alex. Now" leaves
  "before. Now";
- start the quote with a capital letter, since it may now start mid-sentence.
Anything else is refused: a word added, changed (its spelling or case included, so nobody's
writing is "corrected") or moved, two words joined into one, a word cut down to part of
itself ("well-being" and "don't" are one word each), punctuation added or moved earlier.
Spaces and line breaks do not matter, and straight and curly apostrophes count as the same.
"""

from __future__ import annotations

import re
import unicodedata

GAP = "[…]"
# "[…]" or "[...]", perhaps with spaces inside the brackets.
_GAP_TYPED = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]")
# Inside a word, between two letters: "don't", "well-being".
_JOINERS = frozenset("'’-‐")
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


class QuoteRefused(ValueError):
    """These words cannot be approved as a quote of this answer."""


class NoWords(QuoteRefused):
    """Nothing of the answer is left to quote."""


class NotTheirWords(QuoteRefused):
    """The words are not the person's own, in their order, with only some left out."""


def checked_quote(original: str, edited: str) -> str:
    """The edited words, ready to store, when they keep the original's words in order with
    only some left out (see the module's rules); raises NoWords or NotTheirWords."""
    edited = (edited or "").strip()
    if edited == (original or "").strip():
        return edited  # unchanged: stored exactly as the person wrote it
    if not edited:
        raise NoWords
    edited = _GAP_TYPED.sub(GAP, edited)
    source = _pieces(_fold(original))
    kept = _pieces(_fold(edited).replace(GAP, " "))
    if not any(_is_word(p) for p in kept) and (any(_is_word(p) for p in source) or not kept):
        raise NoWords
    _match(source, kept)
    return edited


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)


def _word_char(c: str) -> bool:
    # Letters, numbers and combining marks (an Arabic or Hindi vowel sign is part of a word).
    return unicodedata.category(c)[0] in "LMN"


def _is_word(piece: str) -> bool:
    return _word_char(piece[0])


def _pieces(text: str) -> list[str]:
    """The text as its whole words and its single other characters, spaces left out. Two
    words written together are one word here, so joining words never matches the original."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        j = i + 1
        if _word_char(text[i]):
            while j < len(text) and (
                _word_char(text[j])
                or (text[j] in _JOINERS and j + 1 < len(text) and _word_char(text[j + 1]))
            ):
                j += 1
        if not text[i].isspace():
            pieces.append(text[i:j])
        i = j
    return pieces


def _same(kept: str, source: str, may_capitalise: bool) -> bool:
    if kept == source:
        return True
    return may_capitalise and _is_word(source) and kept == source[0].upper() + source[1:]


def _match(source: list[str], kept: list[str]) -> None:
    """Every kept piece is the original's, in the original's order: leaving things out is
    the only change. Matching each piece at its earliest place finds a way whenever there is
    one, because an earlier place never leaves less of the original to match the rest."""
    i = 0
    first_word = True
    for piece in kept:
        may_capitalise = first_word and _is_word(piece)
        while i < len(source) and not _same(piece, source[i], may_capitalise):
            i += 1
        if i == len(source):
            raise NotTheirWords
        i += 1
        first_word = first_word and not _is_word(piece)
