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


# The co-production profile: a dot plot, one row per theme on a 1 to 5 scale. Not a radar:
# a radar's area grows with the square of the scores and depends on the order of its
# spokes, so it overstates differences; a dot's place on a common line does not.
PROFILE_WIDTH, PROFILE_HEIGHT = 200, 16
PROFILE_PAD = 8  # room for half a marker at each end of the scale
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


def profile_x(score: float, rtl: bool = False) -> float:
    """Where a score from 1 to 5 sits along the row (5 at the end of the line)."""
    score = max(float(LOWEST_SCORE), min(float(HIGHEST_SCORE), float(score)))
    span = PROFILE_WIDTH - 2 * PROFILE_PAD
    x = PROFILE_PAD + (score - LOWEST_SCORE) / (HIGHEST_SCORE - LOWEST_SCORE) * span
    return PROFILE_WIDTH - x if rtl else x


def _svg_open(width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="{FONT}" '
        'font-family="Atkinson Hyperlegible Next, sans-serif">'
    )


def _gridlines(height: float, rtl: bool) -> list[str]:
    return [
        f'<line x1="{profile_x(v, rtl):.2f}" y1="0" x2="{profile_x(v, rtl):.2f}" '
        f'y2="{height}" stroke="#8c8c8c" stroke-width="0.5"/>'
        for v in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
    ]


def ring(x: float, y: float) -> str:
    """The previous cycle: a hollow ring."""
    return f'<circle cx="{x:.2f}" cy="{y}" r="4.5" fill="#fff" stroke="#000" stroke-width="1.5"/>'


def dot(x: float, y: float) -> str:
    """This cycle: a filled dot (small enough to sit inside the ring when nothing changed)."""
    return f'<circle cx="{x:.2f}" cy="{y}" r="3" fill="#000"/>'


def diamond(x: float, y: float) -> str:
    """The peer support workers: an open diamond, around a dot that falls in the same place."""
    r = 6
    points = f"{x:.2f},{y - r} {x + r:.2f},{y} {x:.2f},{y + r} {x - r:.2f},{y}"
    return f'<polygon points="{points}" fill="none" stroke="#000" stroke-width="1.25"/>'


def profile_row_svg(now=None, before=None, peer=None, rtl: bool = False) -> str:
    """One theme's row: the members' score this cycle (dot), in the previous cycle (ring,
    joined to the dot by a line), and the peer support workers' (diamond). Markers only
    for the scores given: a withheld score is never drawn."""
    y = PROFILE_HEIGHT / 2
    parts = [_svg_open(PROFILE_WIDTH, PROFILE_HEIGHT), *_gridlines(PROFILE_HEIGHT, rtl)]
    if now is not None and before is not None:
        parts.append(
            f'<line x1="{profile_x(before, rtl):.2f}" y1="{y}" x2="{profile_x(now, rtl):.2f}" '
            f'y2="{y}" stroke="#000" stroke-width="1.5"/>'
        )
    if before is not None:
        parts.append(ring(profile_x(before, rtl), y))
    if peer is not None:
        parts.append(diamond(profile_x(peer, rtl), y))
    if now is not None:
        parts.append(dot(profile_x(now, rtl), y))
    parts.append("</svg>")
    return "".join(parts)


def profile_axis_svg(rtl: bool = False) -> str:
    """The scale above the rows: its digits 1 to 5, each over its gridline."""
    height = FONT + 4
    parts = [_svg_open(PROFILE_WIDTH, height)]
    for v in range(LOWEST_SCORE, HIGHEST_SCORE + 1):
        parts.append(
            f'<text x="{profile_x(v, rtl):.2f}" y="{FONT}" text-anchor="middle">{v}</text>'
        )
    parts.append(
        f'<line x1="{PROFILE_PAD}" y1="{height - 0.5}" x2="{PROFILE_WIDTH - PROFILE_PAD}" '
        f'y2="{height - 0.5}" stroke="#000" stroke-width="1"/></svg>'
    )
    return "".join(parts)


def profile_key(kind: str) -> str:
    """One marker of the profile, for its legend, as a data: URI."""
    draw = {"now": dot, "before": ring, "peer": diamond}[kind]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
        f"{draw(8, 8)}</svg>"
    )
    return data_uri(svg)
