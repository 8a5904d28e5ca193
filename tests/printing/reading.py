"""Reading a printed PDF back as people's tools do: the text layer (pdftotext), the fonts
(pdffonts), the size text is set at, the structure a screen reader walks, the PDF/UA-1
checker (the pdfua package)."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf

# Poppler sets a raised or lowered Arabic mark (shadda, fatha, tanween...) apart from its
# letter, on a line of its own, and may then read the pieces of that line out of order: so
# letters and marks are compared apart, and a phrase with marks word by word.
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
# Spaces, and the direction marks pdftotext puts around right-to-left runs.
IGNORED = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def pdf_text(pdf: bytes, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def letters(text: str) -> str:
    return IGNORED.sub("", ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text))).casefold()


def reads_back(phrase: str, text: str) -> bool:
    """Whether a phrase is in the text layer: its letters in order (each word's, where it
    has Arabic marks) and each of its marks."""
    phrase = unicodedata.normalize("NFC", phrase)
    marks = set(ARABIC_MARKS.findall(phrase))
    if not marks <= set(text):
        return False
    if letters(phrase) in letters(text):
        return True
    return bool(marks) and all(letters(word) in letters(text) for word in phrase.split())


def pages_text(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Each font's name (without the subset tag) and whether it is embedded."""
    out = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    fonts = {}
    for line in out.splitlines()[2:]:
        name, *rest = line.split()
        fonts[name.split("+", 1)[-1]] = rest[-5] == "yes"
    return fonts


WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def word_sizes(pdf: bytes, first_page: int = 1, last_page: int = 1) -> list[tuple[str, float]]:
    """Each word and the size in points it is set at. pdftotext gives a word's box, as high
    as its font's ascent less its descent, which the PDF's font descriptors give."""
    document = pikepdf.open(io.BytesIO(pdf))
    heights = set()
    for page in document.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            heights.add(float(descriptor.Ascent) - float(descriptor.Descent))
    assert len(heights) == 1, "read sizes from pages set in fonts of one design only"
    em = heights.pop() / 1000
    xml = pdf_text(pdf, "-bbox", "-f", str(first_page), "-l", str(last_page))
    words = re.findall(WORD, xml)
    return [(word, (float(y_max) - float(y_min)) / em) for y_min, y_max, word in words]


def structure(path: Path) -> list[tuple[int, str, bool]]:
    """The structure tree in reading order: (depth, role, whether it marks content itself)."""
    out = []

    def walk(node, depth):
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        elements = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        out.append((depth, str(node.S), len(elements) < len(kids)))
        for kid in elements:
            walk(kid, depth + 1)

    with pikepdf.open(path) as pdf:
        for top in pdf.Root.StructTreeRoot.K:
            walk(top, 0)
    return out


def empty_headings(path: Path) -> list[str]:
    """Headings that mark no content: what pdfua's UA-14-001 looks for, which its 0.1.3
    cannot run on WeasyPrint's files (it reads every /K array as a number, and pikepdf
    answers with a ValueError)."""
    tree = structure(path)
    empty = []
    for i, (depth, role, marks) in enumerate(tree):
        if re.fullmatch(r"/H[1-6]", role):
            below = []
            for d, _role, m in tree[i + 1 :]:
                if d <= depth:
                    break
                below.append(m)
            if not marks and not any(below):
                empty.append(role)
    return empty


# pdfua 0.1.3's empty-heading rule cannot read WeasyPrint's files (see empty_headings).
PDFUA_CANNOT_RUN = {"UA-14-001"}


def pdfua_problems(path: Path) -> list[str]:
    """Every finding of the PDF/UA-1 checker, and every rule it could not run, as text;
    for the one rule it cannot run on these files, our own check stands in."""
    from pdfua import validate

    report = validate(str(path))
    problems = [
        f"{f.rule_id} {f.severity.name} page {f.location.page}: {f.message}"
        for f in report.findings
    ]
    for outcome in report.skipped:
        if outcome.rule_id in PDFUA_CANNOT_RUN and "is_integer" in outcome.skipped_reason:
            problems += [f"UA-14-001 empty heading {role}" for role in empty_headings(path)]
        else:
            problems.append(f"{outcome.rule_id} not run: {outcome.skipped_reason}")
    return problems
