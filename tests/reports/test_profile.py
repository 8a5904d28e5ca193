"""The co-production profile on the summary's first page: a dot plot of every research
theme (this cycle a dot, the previous cycle a ring, the peer support workers a diamond),
its numbers in the same rows, and nothing drawn that the small-numbers rule withholds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from bs4 import BeautifulSoup

from inquiry.cycles.models import Cycle
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.reports import charts
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary

from ..factories import make_group, make_open_cycle
from .test_report import KEY, _hope

SVG = "{http://www.w3.org/2000/svg}"


def _svg(uri: str) -> ET.Element:
    import base64

    return ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))


def _two_cycles(members_before=6, members_now=6, peers_now=2):
    """Spring (hope 3.00 from members) then Summer (hope 4.50 from members, 2.00 from the
    peer support team), in one group."""
    group = make_group()
    spring = make_open_cycle(
        group, title="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)
    )
    _hope(spring, [("3", "3")] * members_before)
    close_cycle(spring)
    summer = make_open_cycle(
        group, title="Summer", starts_on=date(2026, 6, 1), ends_on=date(2026, 7, 1)
    )
    _hope(summer, [("5", "4")] * members_now)
    _hope(summer, [("2", "2")] * peers_now, audience="peer_worker", shares_openly=True)
    close_cycle(summer)
    db.session.commit()
    return build_summary(db.session.get(Cycle, summer.id), "en_GB", KEY)


def _profile_table(summary):
    page = BeautifulSoup(render_summary(summary, "en_GB"), "html.parser")
    meeting = page.select_one("section.meeting")
    return meeting.select_one("table.profile"), page


def test_the_profile_has_this_cycle_the_previous_one_and_the_peer_team(ctx):
    summary = _two_cycles()
    hope = next(r for r in summary.profile() if r.theme == "hope")
    assert (str(hope.now), str(hope.before), str(hope.peer)) == ("4.50", "3.00", "2.00")
    table, _page = _profile_table(summary)
    assert table is not None
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert headers[2:] == ["Group members", "Spring", "The peer support team"]
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text() == "Hope")
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[1:] == ["4.50", "3.00", "2.00"]
    img = row.select_one("img")
    assert img["alt"] == "Hope: group members 4.50, 3.00 in Spring, the peer support team 2.00"
    # Drawn where the numbers say, on the 1 to 5 scale: dot, ring and diamond.
    svg = _svg(img["src"])
    circles = svg.findall(f"{SVG}circle")
    ring = next(c for c in circles if c.get("fill") == "#fff")
    dot = next(c for c in circles if c.get("fill") == "#000")
    assert float(dot.get("cx")) == charts.profile_x(4.5)
    assert float(ring.get("cx")) == charts.profile_x(3)
    diamond = svg.find(f"{SVG}polygon")
    assert diamond.get("points").startswith(f"{charts.profile_x(2):.2f},")
    # Black, white and grey only: shapes carry the meaning, not colour.
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]+)"', ET.tostring(svg).decode()))
    assert all(c[1:3] == c[3:5] == c[5:7] or len(c) == 4 for c in colours), colours
    # The gist, in words, under the chart.
    gist = table.find_parent("div").find_next_sibling("p", class_="profile-gist")
    assert gist is not None and "A dot is this cycle, a ring Spring." in gist.get_text()


def test_a_theme_nobody_answered_is_listed_as_not_enough_answers_and_never_drawn(ctx):
    summary = _two_cycles()
    table, _page = _profile_table(summary)
    rows = {tr.th.get_text(): tr for tr in table.select("tbody tr")}
    # Every research theme has its row; only hope was answered.
    assert set(rows) >= {"Hope", "Shared aims", "Looking ahead"}
    optimism = rows["Looking ahead"]
    assert optimism.select("img") == []
    assert optimism.select_one("td.withheld").get_text() == "not enough answers"


def test_fewer_than_k_members_are_never_drawn_at_k_minus_1_and_drawn_at_k(ctx):
    below = _two_cycles(members_before=4, members_now=4, peers_now=0)
    assert all(not row.drawn for row in below.profile())
    table, page = _profile_table(below)
    assert table is None  # nothing to draw: no chart at all
    assert "4.50" not in page.select_one("section.meeting").get_text()

    at_k = _two_cycles(members_before=4, members_now=5, peers_now=0)
    hope = next(r for r in at_k.profile() if r.theme == "hope")
    # This cycle shown at k; the previous cycle's 4 members stay hidden (no ring).
    assert (str(hope.now), hope.before, hope.peer) == ("4.50", None, None)
    table, _page = _profile_table(at_k)
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text() == "Hope")
    assert [td.get_text(strip=True) for td in row.select("td")][1:] == ["4.50", "–"]
    svg = _svg(row.select_one("img")["src"])
    assert [c.get("fill") for c in svg.findall(f"{SVG}circle")] == ["#000"]


def test_an_open_cycle_has_no_profile(ctx):
    cycle = make_open_cycle()
    _hope(cycle, [("5", "4")] * 6)
    db.session.commit()
    summary = build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY)
    assert summary.profile() == []
    assert _profile_table(summary)[0] is None


def test_the_rows_run_right_to_left_in_a_right_to_left_page():
    assert charts.profile_x(5, rtl=True) < charts.profile_x(1, rtl=True)
    assert charts.profile_x(1) == charts.PROFILE_PAD
    assert charts.profile_x(5) == charts.PROFILE_WIDTH - charts.PROFILE_PAD
    # A row draws markers only for the scores it is given.
    svg = ET.fromstring(charts.profile_row_svg(now=None, before=None, peer=3))
    assert svg.findall(f"{SVG}circle") == [] and len(svg.findall(f"{SVG}polygon")) == 1


def test_the_roll_up_draws_each_groups_profile_only_from_figures_it_shows(ctx):
    from inquiry.reports.render import render_rollup
    from inquiry.reports.rollup import build_rollup

    from ..factories import make_network

    network = make_network(name="Net")
    for name, members in (("Shown", 5), ("Too few", 4)):
        cycle = make_open_cycle(make_group(network, name=name))
        _hope(cycle, [("4", "4")] * members)
        close_cycle(cycle)
    db.session.commit()
    page = BeautifulSoup(render_rollup(build_rollup(network)), "html.parser")
    tables = {t.caption.get_text(): t for t in page.select("table.profile")}
    shown = next(
        tr for tr in tables["Shown: Autumn"].select("tbody tr") if tr.th.get_text() == "Hope"
    )
    assert shown.img["alt"] == "Hope: group members 4.00"
    dot = _svg(shown.img["src"]).find(f"{SVG}circle")
    assert float(dot.get("cx")) == charts.profile_x(4)
    few = next(
        tr for tr in tables["Too few: Autumn"].select("tbody tr") if tr.th.get_text() == "Hope"
    )
    assert few.select("img") == [] and few.td.get_text() == "not enough answers"
