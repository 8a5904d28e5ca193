"""Small SVG charts for the summary that read in black and white and in every script.

A chart draws only bars, lines and digits: every word (question numbers, labels, the
legend) is HTML text beside it, so that it is set in the page's own direction and font.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

# One question's bar, in SVG units: 200 wide and 14 high, drawn as wide as its table cell.
WIDTH, HEIGHT = 200, 14
MIDDLE = WIDTH / 2
FONT = 11
# A digit of Atkinson Hyperlegible Next is 0.57 em wide; a little more, to be safe.
DIGIT = 0.62 * FONT
PAD = 1.5
# From disagree to agree: the order of the table's columns, and of the bars in reading order.
ORDER = (1, 2, 3, 4, 5)
# Disagree side hatched, agree side solid, darker further from the middle: no colour needed.
FILLS = {1: "url(#h1)", 2: "url(#h2)", 3: "#ffffff", 4: "#a6a6a6", 5: "#3a3a3a"}
TEXT = {1: "#000", 2: "#000", 3: "#000", 4: "#000", 5: "#fff"}
DEFS = (
    '<defs><pattern id="h1" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#3a3a3a"/>'
    '<rect width="2" height="6" fill="#fff"/></pattern>'
    '<pattern id="h2" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d0d0d0"/>'
    '<rect width="2" height="6" fill="#fff"/></pattern></defs>'
)


@dataclass(frozen=True)
class Segment:
    value: int
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class Label:
    """A count written on its bar: centred on x, `width` wide."""

    value: int
    x: float
    width: float
    text: str

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2


def bar_layout(counts: Mapping[int, int], rtl: bool = False) -> tuple[list[Segment], list[Label]]:
    """Where each answer's bar goes, from 1 to 5, and where its count is written.

    "Not sure" straddles the middle line; disagree runs from it towards the start of the
    line (left, or right in a right-to-left page), agree towards the end, so the bars read
    in the table's order. A count is written only where it fits inside its bar, and never
    across the middle line (the table beside the bar has every count)."""
    c = {v: counts.get(v) or 0 for v in ORDER}
    total = sum(c.values())
    if not total:
        return [], []
    scale = (MIDDLE - 1) / total
    w = {v: c[v] * scale for v in ORDER}
    x = {3: MIDDLE - w[3] / 2}
    x[2] = x[3] - w[2]
    x[1] = x[2] - w[1]
    x[4] = x[3] + w[3]
    x[5] = x[4] + w[4]
    if rtl:
        x = {v: WIDTH - x[v] - w[v] for v in ORDER}
    segments = [Segment(v, x[v], w[v], c[v]) for v in ORDER if c[v]]
    labels = []
    for seg in segments:
        text = str(seg.count)
        width = DIGIT * len(text)
        if seg.value == 3:
            # Written in the right half of its bar, if it fits there.
            half = seg.width / 2
            if half >= width + 2 * PAD:
                labels.append(Label(3, MIDDLE + half / 2, width, text))
        elif seg.width >= width + 2 * PAD:
            labels.append(Label(seg.value, seg.x + seg.width / 2, width, text))
    return segments, labels


def bar_svg(counts: Mapping[int, int], rtl: bool = False) -> str:
    """One question's answers as a diverging bar: bars, the middle line and counts only."""
    segments, labels = bar_layout(counts, rtl)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-size="{FONT}" '
        'font-family="Atkinson Hyperlegible Next, sans-serif">',
        DEFS,
    ]
    for seg in segments:
        parts.append(
            f'<rect x="{seg.x:.2f}" y="1" width="{seg.width:.2f}" height="{HEIGHT - 2}" '
            f'fill="{FILLS[seg.value]}" stroke="#000" stroke-width="0.75"/>'
        )
    for label in labels:
        if label.value in (1, 2):  # a white ground for the digits on the hatching
            parts.append(
                f'<rect x="{label.left - 1:.2f}" y="{HEIGHT / 2 - FONT / 2:.2f}" '
                f'width="{label.width + 2:.2f}" height="{FONT}" fill="#fff"/>'
            )
        parts.append(
            f'<text x="{label.x:.2f}" y="{HEIGHT / 2 + FONT * 0.36:.2f}" text-anchor="middle" '
            f'fill="{TEXT[label.value]}">{label.text}</text>'
        )
    parts.append(
        f'<line x1="{MIDDLE}" y1="0" x2="{MIDDLE}" y2="{HEIGHT}" stroke="#000" '
        'stroke-width="1.5"/></svg>'
    )
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def legend_key(value: int) -> str:
    """A small swatch of one answer's fill, as used in the bars (report.css's .k1 to .k5)."""
    fill = FILLS[value]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="12" viewBox="0 0 18 12">'
        f'{DEFS}<rect x="0.5" y="0.5" width="17" height="11" fill="{fill}" stroke="#000"/></svg>'
    )


def meter(percent: int) -> str:
    """A small bar of a share out of 100, black on white, as a data: URI (its number is
    written beside it as text, so it reads in any script)."""
    width = max(0.0, min(100.0, float(percent)))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="102" height="12" viewBox="0 0 102 12">'
        '<rect x="0.5" y="0.5" width="101" height="11" fill="#fff" stroke="#000"/>'
        f'<rect x="1" y="1" width="{width:.1f}" height="10" fill="#3a3a3a"/></svg>'
    )
    return data_uri(svg)
