"""The printed summary as a facilitator holds it: its length, its first page, nothing cut
off, and bars that read in black and white in the table's order, in every script."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from inquiry.cycles.models import Cycle
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.reports import charts
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary

from ..factories import make_open_cycle
from .test_report import KEY, _hope

SVG = "{http://www.w3.org/2000/svg}"
A4_PAGES = 4  # the demo's small group's summary on A4
LARGE_PRINT_FACTOR = 2.5
MINUS = "\u2212"


# The bars, as geometry


counts = st.fixed_dictionaries({v: st.integers(0, 40) for v in (1, 2, 3, 4, 5)})


@given(counts, st.booleans())
def test_no_count_is_written_across_the_middle_line(answers, rtl):
    segments, labels = charts.bar_layout(answers, rtl=rtl)
    for label in labels:
        assert not label.left <= charts.MIDDLE <= label.right, (answers, label)
        segment = next(s for s in segments if s.value == label.value)
        # Written inside its own bar, with room to spare.
        assert segment.x <= label.left and label.right <= segment.x + segment.width
        assert label.text == str(answers[label.value])


@given(counts, st.booleans())
def test_the_bars_run_in_the_tables_order(answers, rtl):
    """1 (strongly disagree) to 5 (strongly agree) in reading order: left to right, or right
    to left in a right-to-left page, as the table's columns run."""
    segments, _labels = charts.bar_layout(answers, rtl=rtl)
    assert [s.value for s in segments] == [v for v in (1, 2, 3, 4, 5) if answers[v]]
    xs = [s.x for s in segments]
    assert xs == (sorted(xs, reverse=True) if rtl else sorted(xs))
    for a, b in zip(segments, segments[1:], strict=False):  # side by side, no gaps
        edge = (b.x + b.width) if rtl else b.x
        assert abs((a.x if rtl else a.x + a.width) - edge) < 1e-9
    total = sum(answers.values())
    for s in segments:  # each bar as long as its share
        assert abs(s.width - s.count * (charts.MIDDLE - 1) / total) < 1e-9
    if answers[3]:  # "not sure" straddles the middle line
        neutral = next(s for s in segments if s.value == 3)
        assert abs(neutral.x + neutral.width / 2 - charts.MIDDLE) < 1e-9
    else:  # disagree ends and agree starts at the middle line
        for s in segments:
            inner = s.x + s.width if (s.value < 3) != rtl else s.x
            if s.value in (2, 4) or not answers[2 if s.value == 1 else 4]:
                assert abs(inner - charts.MIDDLE) < 1e-9


def _svg(counts_, rtl=False) -> ET.Element:
    return ET.fromstring(charts.bar_svg(counts_, rtl=rtl))


def test_the_svg_draws_only_bars_the_middle_line_and_digits():
    svg = _svg({1: 1, 2: 0, 3: 20, 4: 5, 5: 22})
    drawn = {el.tag.removeprefix(SVG) for el in svg.iter()} - {"svg", "defs", "pattern"}
    assert drawn <= {"rect", "line", "text"}
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert texts and all(re.fullmatch(r"\d+", t) for t in texts)  # no words in any script
    [line] = svg.iter(SVG + "line")
    assert float(line.get("x1")) == float(line.get("x2")) == charts.MIDDLE
    # Two people unsure of 48: too narrow for its count on either side of the line.
    assert "20" in texts and "2" not in [t.text for t in _svg({3: 2, 5: 46}).iter(SVG + "text")]


def test_fills_read_in_black_and_white_and_have_no_grouped_kind():
    assert set(charts.FILLS) == {1, 2, 3, 4, 5}
    # Disagree hatched, not sure white, agree in two greys: five fills told apart in print.
    assert charts.FILLS[1].startswith("url(") and charts.FILLS[2].startswith("url(")
    assert len(set(charts.FILLS.values())) == 5


# The bars in the summary: the same order as their row


def _closed_cycle_of_nine():
    cycle = make_open_cycle()
    values = ["5", "4", "4", "1", "3", "4", "2", "5", "4"]
    _hope(cycle, [(v, "4" if i % 2 else "2") for i, v in enumerate(values)])
    _hope(cycle, [("2", "3"), ("3", "3")], audience="peer_worker", shares_openly=True)
    close_cycle(cycle)
    db.session.commit()
    return build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY)


def _decoded(src: str) -> ET.Element:
    assert src.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(src.split(",", 1)[1]))


@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_each_rows_bar_matches_its_counts_in_the_tables_order(ctx, language):
    summary = _closed_cycle_of_nine()
    page = BeautifulSoup(render_summary(summary, language), "html.parser")
    rtl = page.html["dir"] == "rtl"
    assert rtl == (language == "ar")
    fill_value = {fill: value for value, fill in charts.FILLS.items()}
    rows = [tr for tr in page.select("table.answers tr") if tr.select("img.bar")]
    assert len(rows) >= 4  # both questions, for members and the team
    for table in page.select("table.answers"):
        headers = [th.get_text(strip=True) for th in table.select("thead th.n-col")]
        assert headers == ["1", "2", "3", "4", "5"]
    for tr in rows:
        cells = [int(td.get_text()) for td in tr.find_all("td")[:5]]
        svg = _decoded(tr.select_one("img.bar")["src"])
        bars = [r for r in svg.findall(SVG + "rect") if r.get("fill") in fill_value]
        drawn = sorted(bars, key=lambda r: float(r.get("x")), reverse=rtl)
        # In reading order (the table's), each bar is the next answer given, as wide as its count.
        assert [fill_value[r.get("fill")] for r in drawn] == [
            v for v, c in enumerate(cells, start=1) if c
        ]
        widths = [float(r.get("width")) for r in drawn]
        given_counts = [c for c in cells if c]
        assert all(
            abs(w / widths[0] - c / given_counts[0]) < 0.01
            for w, c in zip(widths, given_counts, strict=True)
        )
        words = [t.text for t in svg.iter(SVG + "text")]
        assert all(w.isdigit() for w in words)
        # Its label is HTML text beside it, in the page's own direction.
        assert tr.th.get_text(strip=True)


def test_the_detail_has_one_table_per_view_and_a_legend(ctx):
    summary = _closed_cycle_of_nine()
    page = BeautifulSoup(render_summary(summary, "en_GB"), "html.parser")
    views = page.select("section.view")
    assert [v.h3.get_text(" ", strip=True) for v in views] == [
        "Group members",
        "The peer support team (2 shared their answers)",
    ]
    assert all(len(v.select("table.answers")) == 1 for v in views)
    legend = page.select_one(".running-legend").get_text(" ", strip=True)
    assert legend == "1 Strongly disagree 2 Disagree 3 Not sure 4 Agree 5 Strongly agree"
    # Themes nobody answered are left out; a shown theme's row has its figures.
    theme_rows = [r.get_text(" ", strip=True) for r in page.select("tr.theme-row")]
    assert len(theme_rows) == 2 and all(r.startswith("Hope n = ") for r in theme_rows)
    assert "Average" in theme_rows[0] and "Agree" in theme_rows[0]
    assert not page.select(".grouped")


# The demo's small group, printed


def _pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return dict(
        (k.strip(), v.strip()) for k, v in (line.split(":", 1) for line in out.stdout.splitlines())
    )


def _pages(path: Path) -> int:
    return int(_pdf_info(path)["Pages"])


def _text(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


VARIANTS = {
    "a4": [],
    "large": ["--large-print"],
    "wall": ["--easy-read"],
    "a4-ar": ["--lang", "ar"],
    "large-ar": ["--lang", "ar", "--large-print"],
    "wall-ar": ["--lang", "ar", "--easy-read"],
}


@pytest.fixture(scope="module")
def printed(app, tmp_path_factory):
    """The demo's small group's summary (Riverside Walking Group, Summer 2026: 10 members,
    2 peer support workers who shared openly) in every printed variant, and its JSON."""
    out = tmp_path_factory.mktemp("printed")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cycles = json.loads(runner.invoke(args=["cycles", "--json"]).output)
    cycle = next(
        c["id"]
        for c in cycles
        if c["title"] == "Summer 2026" and c["group"] == "Riverside Walking Group"
    )
    data = json.loads(runner.invoke(args=["report", str(cycle), "--format", "json"]).output)
    for name, flags in VARIANTS.items():
        path = out / f"{name}.pdf"
        args = ["report", str(cycle), "--format", "pdf", *flags, "-o", str(path)]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return out, data


def test_the_demo_summary_keeps_to_its_page_budget(printed):
    out, data = printed
    # The demo's small group: 6 to 14 members and its two peer support workers, shared openly.
    assert 6 <= data["responses"]["member"] <= 14
    assert (data["responses"]["peer_team"], data["responses"]["peer_worker"]) == (2, 0)
    for suffix in ("", "-ar"):
        a4 = _pages(out / f"a4{suffix}.pdf")
        assert a4 <= A4_PAGES, (suffix, a4)
        assert _pages(out / f"large{suffix}.pdf") <= LARGE_PRINT_FACTOR * a4
        assert _pages(out / f"wall{suffix}.pdf") == 1
    for name in VARIANTS:
        info = _pdf_info(out / f"{name}.pdf")
        assert info["Tagged"] == "yes" and info["Page size"].endswith("(A4)")


def test_the_meeting_is_pages_one_and_two_and_page_one_says_what_stands_out(printed):
    out, data = printed
    path = out / "a4.pdf"
    first = " ".join(_text(path, "-f", "1", "-l", "1").split())
    assert "What stands out" in first
    members = [t for t in data["themes"] if t["view"] == "member" and t["mean"] is not None]
    strongest = max(members, key=lambda t: (t["agree"], t["mean"]))
    weakest = min(members, key=lambda t: (t["agree"], t["mean"]))
    with_titles = _theme_titles()
    assert (
        f"Group members agree most about “{with_titles[strongest['theme']]}”: "
        f"{strongest['agree']}% agree." in first
    )
    assert f"agree least about “{with_titles[weakest['theme']]}”" in first
    rises = [t for t in data["themes"] if (t["change"] or {}).get("direction") == "rise"]
    assert rises
    for t in rises:
        assert f"“{with_titles[t['theme']]}” rose since last time" in first
    up_to_two = " ".join(_text(path, "-f", "1", "-l", "2").split())
    assert "What we will do next" in up_to_two and "The detail" not in up_to_two
    assert "The detail" in _text(path, "-f", "3", "-l", "3")


def _theme_titles() -> dict[str, str]:
    from inquiry.questions.bank import THEMES

    return {key: str(title) for key, title in THEMES.items()}


def _words_with_boxes(path: Path):
    """(page, word, xMin, xMax, page width) for every word of the PDF."""
    tree = ET.fromstring(
        re.sub(r"<!DOCTYPE[^>]*>", "", _text(path, "-bbox")).replace(
            ' xmlns="http://www.w3.org/1999/xhtml"', ""
        )
    )
    for number, page in enumerate(tree.iter("page"), start=1):
        width = float(page.get("width"))
        for word in page.iter("word"):
            yield number, word.text or "", float(word.get("xMin")), float(word.get("xMax")), width


def _ink_near_the_edges(path: Path, band_mm: float = 7) -> list[int]:
    """The pages with anything printed within band_mm of their left or right edge."""
    from PIL import Image

    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), f"{tmp}/p"], check=True)
        for number, image in enumerate(sorted(Path(tmp).iterdir()), start=1):
            with Image.open(image) as page:
                band = round(band_mm / 25.4 * 40)
                width, height = page.size
                for box in ((0, 0, band, height), (width - band, 0, width, height)):
                    if page.crop(box).getextrema()[0] < 128:
                        pages.append(number)
    return pages


@pytest.mark.parametrize("name", ["a4", "large", "a4-ar", "large-ar"])
def test_nothing_is_cut_off_at_the_edge_of_the_page(printed, name):
    out, _data = printed
    path = out / f"{name}.pdf"
    assert _ink_near_the_edges(path) == []
    if name.endswith("-ar"):
        return  # Poppler's boxes for Arabic words are wider than their ink: seen above
    margin = 25  # points: every word stays inside the page's printed area, well off its edge
    outside = [
        (page, word, round(x0), round(x1))
        for page, word, x0, x1, width in _words_with_boxes(path)
        if x0 < margin or x1 > width - margin
    ]
    assert outside == []


@pytest.mark.parametrize("name", ["a4", "large"])
def test_every_figure_of_a_shown_view_is_in_the_print_whole(printed, name):
    """Read back from the PDF, as the JSON has them: n, average, agree and each change (in
    large print too, where a narrow column once cut "+43 points" to "+4 / poin")."""
    out, data = printed
    text = " ".join(_text(out / f"{name}.pdf").split())
    for theme in data["themes"]:
        if theme["mean"] is None:
            continue
        assert re.search(rf"n = {theme['n']}\b", text)
        assert f"Average {theme['mean']:.2f}" in text and f"Agree {theme['agree']}%" in text
        change = theme["change"]
        if change and change["mean"] is not None:
            points = change["agree"]
            sign = "+" if points > 0 else MINUS if points < 0 else ""
            word = "point" if abs(points) == 1 else "points"
            assert f"{sign}{abs(points)} {word}" in text, (theme["theme"], points)
            assert f"Change {_signed(change['mean'])}," in text
    for linked in data["linked"]["themes"]:
        if linked["mean_change"] is not None:
            people = "person" if linked["n"] == 1 else "people"
            assert (
                f"Linked change {_signed(linked['mean_change'])} ({linked['n']} {people})" in text
            )
    # Table rows read across with the page's layout kept.
    rows = " ".join(_text(out / f"{name}.pdf", "-layout").split())
    for gap in data["gaps"]:
        if gap["gap"] is not None:
            row = f"{gap['member_mean']:.2f} {gap['peer_worker_mean']:.2f} {_signed(gap['gap'])}"
            assert row in rows
            for item in gap["items"]:
                if item["gap"] is not None:
                    mean, peer, signed = item["member_mean"], item["peer_worker_mean"], item["gap"]
                    assert f"{mean:.2f} {peer:.2f} {_signed(signed)}" in rows


def _signed(value: float) -> str:
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return f"{sign}{abs(value):.2f}"


@pytest.mark.parametrize("name", ["a4", "large"])
def test_no_page_holds_only_a_heading_or_a_box(printed, name):
    out, _data = printed
    path = out / f"{name}.pdf"
    legend = {"Strongly", "disagree", "Disagree", "Not", "sure", "Agree", "agree"}
    for number in range(1, _pages(path) + 1):
        words = _text(path, "-f", str(number), "-l", str(number)).split()
        words = [w for w in words if w not in legend and not re.fullmatch(r"\d+|/", w)]
        if words[:5] == ["What", "we", "will", "do", "next"]:
            # Page 2 may be the box the group writes in, on its own by design, but never
            # the box alone: it carries the next reflection's codes too.
            assert "code" in words, (number, words)
            continue
        assert len(words) >= 40, (number, words)


# The easy-read wall sheet


def test_the_wall_sheet_shows_the_team_the_topics_and_last_cycles_actions(printed):
    out, data = printed
    text = " ".join(_text(out / "wall.pdf").split())
    assert "The peer support team: " in text and " in 10" in text
    for topic in data["agenda"][:3]:
        assert topic["topic"] in text
    assert data["agenda"][3]["topic"] not in text  # the top three only
    for action in data["actions"]:
        assert action["what"] in text
    assert "Done:" in text and "In progress:" in text
    # A change is "more people agree" only when it is bigger than chance.
    directions = {(t["change"] or {}).get("direction") for t in data["themes"]}
    assert "same" in directions and "About the same as last time" in text
    for jargon in ("average", "theme", "suppress", "n = "):
        assert jargon not in text.lower()


def _wall(cycle_id: int, tmp_path: Path, app) -> str:
    path = tmp_path / f"wall-{cycle_id}.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", str(cycle_id), "--format", "pdf", "--easy-read", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert _pages(path) == 1
    return " ".join(_text(path).split())


def test_the_wall_sheet_says_why_when_too_few_answered(app, tmp_path):
    with app.app_context():
        few = make_open_cycle()
        _hope(few, [("4", "4")] * 3)
        close_cycle(few)
        nobody = make_open_cycle(few.group, title="Quiet weeks")
        close_cycle(nobody)
        db.session.commit()
        few_id, nobody_id = few.id, nobody.id
    text = _wall(few_id, tmp_path, app)
    assert "Only 3 people answered. We show the answers when at least 5 people answer" in text
    assert "so that nobody can tell who said what" in text
    assert " in 10 " not in text.replace("“7 in 10”", "")  # no numbers at all
    text = _wall(nobody_id, tmp_path, app)
    assert "Nobody in the group answered this time" in text


def test_a_cycle_nobody_answered_prints_short_with_no_empty_page(app, tmp_path):
    with app.app_context():
        cycle = make_open_cycle()
        close_cycle(cycle)
        db.session.commit()
        cycle_id = cycle.id
    path = tmp_path / "empty.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", str(cycle_id), "--format", "pdf", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert _pages(path) <= 2
    text = " ".join(_text(path).split())
    assert "How to read this" in text
    assert "Question" not in text and "Nobody answered" not in text  # no empty tables
