"""Diverging stacked bar charts as small SVG images that read in black and white."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

WIDTH, ROW, GAP, LABEL = 440, 26, 8, 34
HALF = (WIDTH - LABEL) / 2
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


def _segments(counts: Mapping[int, int]) -> list[tuple[int, float, float, int]]:
    """(value, x, width, count) for each answer, neutral split across the middle. Grouped
    counts come as {1: disagree, 3: neutral, 5: agree}."""
    total = sum(counts.values()) or 1
    scale = HALF / total
    middle = LABEL + HALF
    out = []
    left = middle - counts.get(3, 0) * scale / 2
    x = left
    for value in (2, 1):
        width = counts.get(value, 0) * scale
        x -= width
        out.append((value, x, width, counts.get(value, 0)))
    out.append((3, left, counts.get(3, 0) * scale, counts.get(3, 0)))
    x = left + counts.get(3, 0) * scale
    for value in (4, 5):
        width = counts.get(value, 0) * scale
        out.append((value, x, width, counts.get(value, 0)))
        x += width
    return out


def diverging_bars(
    rows: Sequence[tuple[str, Mapping[int, int] | None]],
    hidden_label: str = "–",
    title: str = "",
    description: str = "",
) -> str:
    """An SVG of one bar per question label; None counts leave the row empty (withheld)."""
    height = len(rows) * (ROW + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-size="12" role="img" '
        'font-family="Atkinson Hyperlegible Next, Noto Sans Arabic, sans-serif">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
        DEFS,
    ]
    for index, (label, counts) in enumerate(rows):
        y = GAP + index * (ROW + GAP)
        parts.append(f'<text x="0" y="{y + ROW / 2 + 4}" font-weight="bold">{escape(label)}</text>')
        if counts is None:
            parts.append(
                f'<text x="{LABEL + 4}" y="{y + ROW / 2 + 4}" font-style="italic">'
                f"{escape(hidden_label)}</text>"
            )
            continue
        for value, x, width, count in _segments(counts):
            if width <= 0:
                continue
            parts.append(
                f'<rect x="{x:.2f}" y="{y}" width="{width:.2f}" height="{ROW}" '
                f'fill="{FILLS[value]}" stroke="#000" stroke-width="0.75"/>'
            )
            if width >= 16:
                parts.append(
                    f'<rect x="{x + width / 2 - 8:.2f}" y="{y + 6}" width="16" height="14" '
                    f'fill="#fff"/>'
                    if value in (1, 2)
                    else ""
                )
                parts.append(
                    f'<text x="{x + width / 2:.2f}" y="{y + ROW / 2 + 4}" text-anchor="middle" '
                    f'fill="{TEXT[value] if value not in (1, 2) else "#000"}">{count}</text>'
                )
    middle = LABEL + HALF
    parts.append(
        f'<line x1="{middle}" y1="0" x2="{middle}" y2="{height}" stroke="#000" '
        'stroke-width="1.5"/></svg>'
    )
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def legend_key(value: int) -> str:
    """A small swatch of one answer's fill, as used in the bars."""
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
