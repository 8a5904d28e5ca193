"""The cycle summary from a real database: the same figures in JSON, CSV, HTML and PDF,
and never a count that small numbers would give away."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry.cycles.models import Cycle
from inquiry.cycles.queries import list_cycle_questions
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.reports.formats import summary_csv, summary_json
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary
from inquiry.responses.linking import link_digests
from inquiry.responses.models import Response
from inquiry.responses.services import record_response

from ..factories import make_group, make_open_cycle

K = 5
KEY = "test-link-key"


def _respond(cycle, audience, answers, **kw):
    questions = list_cycle_questions(cycle.id, audience)
    return record_response(questions, audience=audience, language="en_GB", answers=answers, **kw)


def _hope(cycle, values, audience="member", **kw):
    for a, b in values:
        answers = {}
        if a is not None:
            answers["hope.gives_hope" if audience == "member" else "hope.pw_members_hopeful"] = a
        if b is not None:
            answers["hope.others_show_way" if audience == "member" else "hope.pw_own_story"] = b
        _respond(cycle, audience, answers, **kw)


def _json(cycle) -> dict:
    return summary_json(build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY))


def _theme(data, theme, audience="member"):
    return next(t for t in data["themes"] if t["theme"] == theme and t["audience"] == audience)


def test_the_json_has_the_figures_worked_by_hand(ctx):
    cycle = make_open_cycle()
    # (5,4)->4.5, (3,pns)->3, (skip,4)->4, (2,2)->2, (4,3)->3.5, (pns,pns) not counted
    _hope(cycle, [("5", "4"), ("3", "pns"), (None, "4"), ("2", "2"), ("4", "3"), ("pns", "pns")])
    close_cycle(cycle)
    db.session.commit()
    data = _json(cycle)
    assert data["k"] == 5 and data["figures"] is True
    assert data["responses"] == {"member": 6, "peer_team": 0, "peer_worker": 0}
    assert data["responses_total"] == 6
    hope = _theme(data, "hope")
    assert (hope["n"], hope["mean"], hope["agree"], hope["suppressed"]) == (5, 3.4, 40, False)
    # Each item answered by 4: withheld entirely.
    assert hope["items"][0]["counts"] == dict.fromkeys("12345")
    assert hope["items"][0]["n"] is None
    assert hope["change"] is None
    empty = _theme(data, "optimism")
    assert (empty["n"], empty["mean"], empty["suppressed"]) == (0, None, False)
    peer = _theme(data, "hope", "peer_worker")
    assert peer["n"] == 0


def test_an_open_cycle_shows_only_how_many_have_answered(ctx):
    cycle = make_open_cycle()
    _hope(cycle, [("5", "4")] * 7)
    _hope(cycle, [("4", "4")] * 2, audience="peer_worker", shares_openly=True)
    db.session.commit()
    summary = build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY)
    data = summary_json(summary)
    assert data["figures"] is False
    assert data["responses"] == {"member": 7, "peer_team": 2, "peer_worker": 0}
    for theme in data["themes"]:
        assert (theme["n"], theme["mean"], theme["agree"]) in ((None, None, None), (0, None, None))
        for item in theme["items"]:
            assert item["n"] in (None, 0)
            assert set(item["counts"].values()) <= {None, 0}
    assert data["gaps"] == [] and data["linked"] is None and data["quotes"] == []
    page = BeautifulSoup(render_summary(summary, "en_GB"), "html.parser")
    assert "still open" in page.get_text()
    assert (
        not page.select("table.answers") and not page.select(".stat") and not page.select("img.bar")
    )


def test_a_group_of_nine_sees_every_answer_and_the_peer_team_view(ctx):
    """9 members, 2 peer support workers who shared openly: every member question's whole
    distribution (ones and zeros included), and the peer support team's view."""
    cycle = make_open_cycle()
    values = ["5", "4", "4", "1", "3", "4", "2", "5", "4"]
    _hope(cycle, [(v, "4") for v in values])
    _hope(cycle, [("2", "3"), ("3", "3")], audience="peer_worker", shares_openly=True)
    close_cycle(cycle)
    db.session.commit()
    data = _json(cycle)
    hope = _theme(data, "hope")
    gives_hope = next(i for i in hope["items"] if i["key"] == "hope.gives_hope")
    assert gives_hope["counts"] == {"1": 1, "2": 1, "3": 1, "4": 4, "5": 2}
    assert gives_hope["n"] == 9
    team = next(t for t in data["themes"] if t["theme"] == "hope" and t["view"] == "peer_team")
    assert (team["n"], team["mean"], team["shared_openly"]) == (2, 2.75, True)
    assert not any(t["view"] == "peer_worker" for t in data["themes"])
    html = render_summary(build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY), "en_GB")
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "The peer support team" in text and "2 shared their answers" in text
    assert "fewer than" not in text.lower().replace("fewer than 5 answered", "")


def test_anonymous_peer_workers_below_k_are_said_once(ctx):
    cycle = make_open_cycle()
    _hope(cycle, [("4", "4")] * 9)
    _hope(cycle, [("2", "3"), ("3", "3")], audience="peer_worker")
    close_cycle(cycle)
    db.session.commit()
    data = _json(cycle)
    for theme in (t for t in data["themes"] if t["audience"] == "peer_worker"):
        assert theme["mean"] is None and theme["view"] == "peer_worker"
    html = render_summary(build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY), "en_GB")
    page = BeautifulSoup(html, "html.parser")
    said = [p for p in page.select("p.withheld") if "anonymously" in p.get_text()]
    assert len(said) == 1
    assert "2 peer support workers answered anonymously" in said[0].get_text()
    assert not [h for h in page.select("h4") if "Peer support" in h.get_text()]


def test_change_gap_and_linked_change_against_the_previous_closed_cycle(ctx):
    group = make_group()
    before = make_open_cycle(group, title="Spring")
    from datetime import date

    people = [{"initial": c, "day": "3", "siblings": "1", "town": "x"} for c in "abcdef"]
    for person in people:
        _respond(before, "member", {"hope.gives_hope": "3"}, link_digests=link_digests(KEY, person))
    close_cycle(before)
    now = make_open_cycle(
        group, title="Autumn", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 20)
    )
    for i, person in enumerate(people):
        # One person remembers a different town: still linked (one part may differ).
        parts = {**person, "town": "y"} if i == 0 else person
        _respond(
            now,
            "member",
            {"hope.gives_hope": "5" if i < 3 else "4"},
            link_digests=link_digests(KEY, parts),
        )
    for _ in range(5):
        _respond(now, "peer_worker", {"hope.pw_members_hopeful": "4"})
    db.session.commit()
    close_cycle(now)
    db.session.commit()
    data = _json(now)
    assert data["cycle"]["previous"] == "Spring"
    hope = _theme(data, "hope")
    assert (hope["mean"], hope["agree"]) == (4.5, 100)
    assert hope["change"] == {"mean": 1.5, "agree": 100, "direction": "rise"}
    assert data["linked"]["linked"] == 6
    [linked_hope] = [t for t in data["linked"]["themes"] if t["theme"] == "hope"]
    assert linked_hope == {"theme": "hope", "audience": "member", "n": 6, "mean_change": 1.5}


def test_the_gap_compares_paired_questions_like_with_like(ctx):
    cycle = make_open_cycle()
    for value in ("5", "4", "4", "4", "3", "4"):  # members: 24 / 6 = 4.00
        _respond(cycle, "member", {"shared_aims.know_aims": value, "shared_aims.aims_matter": "5"})
    for value in ("3", "2"):  # the team of two: 2.50
        _respond(
            cycle,
            "peer_worker",
            # An unpaired peer item in the same theme must not move the gap.
            {"shared_aims.pw_know_aims": value, "shared_aims.pw_aims_agreed": "5"},
            shares_openly=True,
        )
    close_cycle(cycle)
    db.session.commit()
    data = _json(cycle)
    assert data["gaps_available"] is True
    [aims] = [g for g in data["gaps"] if g["theme"] == "shared_aims"]
    assert aims["peer_view"] == "peer_team"
    # Theme: members' paired score (4.5 average of know_aims and aims_matter) = 4.50 mean;
    # the team answered only one paired item: 2.50.
    assert (aims["member_mean"], aims["peer_worker_mean"], aims["gap"]) == (4.5, 2.5, 2.0)
    know = next(i for i in aims["items"] if i["pair"] == "shared_aims.know_aims")
    assert (know["member_mean"], know["peer_worker_mean"], know["gap"]) == (4.0, 2.5, 1.5)
    matter = next(i for i in aims["items"] if i["pair"] == "shared_aims.aims_matter")
    assert (matter["member_mean"], matter["peer_worker_mean"]) == (5.0, None)  # nobody answered


def test_a_cycle_without_paired_questions_says_the_gap_is_not_available(ctx):
    from inquiry.cycles.services import create_cycle, open_cycle
    from inquiry.questions.models import Question

    group = make_group()
    unpaired = {
        audience: list(
            db.session.scalars(
                sa.select(Question).filter_by(audience=audience, is_builtin=True, pair_key=None)
            )
        )
        for audience in ("member", "peer_worker")
    }
    cycle = create_cycle(
        group.id, "Older", date(2026, 1, 1), date(2026, 2, 1), unpaired, strict=True
    )
    open_cycle(cycle)
    _hope(cycle, [("4", "4")] * 6)
    _hope(cycle, [("4", "4")] * 2, audience="peer_worker", shares_openly=True)
    close_cycle(cycle)
    db.session.commit()
    summary = build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY)
    assert summary_json(summary)["gaps_available"] is False
    assert "gap is not available" in render_summary(summary, "en_GB")


def test_every_question_type_is_reported_and_own_questions_stand_apart(ctx):
    from inquiry.cycles.services import add_own_question

    cycle = make_open_cycle()
    when = add_own_question(cycle, "member", "choice", "When?", "own", ["Mornings", "Evenings"])
    ours = add_own_question(cycle, "member", "likert", "The tea is good.", "hope", [])
    db.session.commit()
    for i in range(6):
        _respond(
            cycle,
            "member",
            {
                when.question.key: "mornings" if i < 4 else "evenings",
                ours.question.key: "1",  # filed under hope: must not move hope's figures
                "hope.gives_hope": "5",
                "open.anything_else": "Thanks" if i < 5 else None,
            },
        )
    close_cycle(cycle)
    db.session.commit()
    data = _json(cycle)
    choice = next(q for q in data["questions"] if q["key"] == when.question.key)
    assert choice["n"] == 6 and choice["view"] == "member"
    assert choice["options"] == [
        {"value": "mornings", "count": 4, "percent": 67},
        {"value": "evenings", "count": 2, "percent": 33},
    ]
    hope = _theme(data, "hope")
    assert (hope["n"], hope["mean"]) == (6, 5.0)
    own = _theme(data, "own")
    assert [i["key"] for i in own["items"]] == [ours.question.key]
    assert own["items"][0]["counts"]["1"] == 6
    text = next(q for q in data["questions"] if q["key"] == "open.anything_else")
    assert (text["n"], text["options"]) == (5, None)
    html = render_summary(build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY), "en_GB")
    page = BeautifulSoup(html, "html.parser")
    assert "The group's own questions" in page.get_text()
    assert [td.get_text() for td in page.select("#choices ~ table td")][:2] == ["4", "67%"]
    assert "5 wrote an answer" in page.get_text()


def test_csv_matches_json_and_neutralises_formulas(ctx):
    group = make_group(name='=HYPERLINK("http://x")')
    cycle = make_open_cycle(group)
    _hope(cycle, [("5", "4")] * 6)
    close_cycle(cycle)
    db.session.commit()
    summary = build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY)
    rows = list(csv.DictReader(io.StringIO(summary_csv(summary))))
    mean = next(
        r for r in rows if r["theme"] == "hope" and r["view"] == "member" and r["measure"] == "mean"
    )
    assert mean["value"] == "4.50" and mean["withheld"] == ""
    assert rows[0]["cycle_id"] == str(cycle.id)
    assert all(not r["value"].startswith("=") for r in rows)
    peer = next(r for r in rows if r["view"] == "peer_worker" and r["measure"] == "responses")
    assert peer["value"] == "0"


@pytest.fixture
def demo_cycle(app):
    """A closed demo cycle with a previous one: the report a facilitator would print."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cycles = json.loads(runner.invoke(args=["cycles", "--json"]).output)
    return next(c for c in cycles if c["title"] == "Summer 2026")["id"]


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_pdf_shows_the_same_figures_as_the_json(app, demo_cycle, tmp_path):
    runner = app.test_cli_runner()
    data = json.loads(runner.invoke(args=["report", str(demo_cycle), "--format", "json"]).output)
    pdf = tmp_path / "summary.pdf"
    result = runner.invoke(args=["report", str(demo_cycle), "--format", "pdf", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    text = _pdf_text(pdf)
    assert f"{data['cycle']['group']}: {data['cycle']['title']}" in text
    for theme in data["themes"]:
        if theme["mean"] is not None:
            # pdftotext's layout may run "n = 9" together as "n=9".
            assert re.search(rf"n\s*=\s*{theme['n']}\b", text)
            assert f"Average {theme['mean']:.2f}" in text
            assert f"Agree {theme['agree']}%" in text
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Cycle summary: ", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    assert any("Atkinson" in line for line in fonts)


def test_large_print_body_is_at_least_18pt(app, demo_cycle, tmp_path):
    pdf = tmp_path / "large.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["report", str(demo_cycle), "--format", "pdf", "--large-print", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    html = runner.invoke(
        args=["report", str(demo_cycle), "--format", "html", "--large-print"]
    ).output
    assert 'class="report cycle-summary large-print"' in html
    assert ".large-print{font-size:18pt}" in html


def test_member_text_cannot_make_the_pdf_fetch_anything(app, tmp_path):
    import http.server
    import threading

    hits = []

    class Canary(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    hostile = (
        f'<img src="http://127.0.0.1:{port}/img"><link rel="attachment" '
        f'href="file:///etc/passwd"><style>@import "http://127.0.0.1:{port}/css";</style>'
    )
    with app.app_context():
        from inquiry.responses.models import Answer, QuoteApproval

        cycle = make_open_cycle()
        for _ in range(5):
            response = _respond(
                cycle,
                "member",
                {"open.anything_else": hostile, "hope.gives_hope": "4"},
                may_quote=True,
            )
            text_answer = next(a for a in response.answers if a.qtype == "text")
            db.session.add(QuoteApproval(answer_id=text_answer.id, text=hostile))
        close_cycle(cycle)
        db.session.commit()
        cycle_id = cycle.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 10
    pdf = tmp_path / "hostile.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", str(cycle_id), "--format", "pdf", "-o", str(pdf)]
    )
    server.shutdown()
    server.server_close()
    assert result.exit_code == 0, result.output
    assert hits == []
    attachments = subprocess.run(
        ["pdfdetach", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert attachments.strip().startswith("0 embedded files")
    assert "img src=" in _pdf_text(pdf)  # shown as the text it is


def test_export_writes_one_row_per_answer_and_a_codebook(app, tmp_path):
    with app.app_context():
        cycle = make_open_cycle()
        _respond(
            cycle,
            "member",
            {"hope.gives_hope": "pns", "open.anything_else": "=1+1", "shared_aims.know_aims": "4"},
        )
        db.session.commit()
        cycle_id = cycle.id
    out = tmp_path / "answers.csv"
    result = app.test_cli_runner().invoke(args=["export", str(cycle_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["question_key"] for r in rows] == [
        "shared_aims.know_aims",
        "hope.gives_hope",
        "open.anything_else",
    ]
    assert [r["value"] for r in rows] == ["4", "prefer_not_to_say", "'=1+1"]
    assert set(rows[0]) == {
        "response_id",
        "audience",
        "language",
        "source",
        "submitted_on",
        "question_key",
        "theme",
        "value",
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[0]["submitted_on"])
    codebook = list(csv.DictReader(io.StringIO((tmp_path / "answers.codebook.csv").read_text())))
    know = next(r for r in codebook if r["question_key"] == "shared_aims.know_aims")
    assert know["type"] == "likert" and "5=Strongly agree" in know["values"]


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def test_export_then_import_gives_an_identical_report(app, tmp_path):
    with app.app_context():
        network_group = make_group()
        source = make_open_cycle(network_group)
        rng = random.Random(7)
        for i in range(30):
            audience = "member" if i < 24 else "peer_worker"
            questions = list_cycle_questions(source.id, audience)
            answers = {}
            for cq in questions:
                if cq.qtype == "likert" and rng.random() < 0.9:
                    answers[cq.question.key] = rng.choice(["1", "2", "3", "4", "5", "pns"])
                elif cq.qtype == "text" and rng.random() < 0.3:
                    answers[cq.question.key] = rng.choice(["=SUM(A1)", "More walks", "-ok"])
            _respond(source, audience, answers, source="paper" if i % 3 else "web")
        target = make_open_cycle(make_group(network_group.network))
        db.session.commit()
        source_id, target_id = source.id, target.id
    out = tmp_path / "answers.csv"
    assert _cli(app, "export", source_id, "-o", out).exit_code == 0
    result = _cli(app, "import-responses", target_id, out)
    assert result.exit_code == 0, result.output
    assert "Imported 30 responses" in result.output
    first = json.loads(_cli(app, "report", source_id).output)
    second = json.loads(_cli(app, "report", target_id).output)
    for data in (first, second):
        del data["cycle"]
    assert first == second
    again = _cli(app, "export", target_id, "-o", tmp_path / "again.csv")
    assert again.exit_code == 0
    strip = [line.split(",", 1)[1] for line in out.read_text().splitlines()]
    strip_again = [
        line.split(",", 1)[1] for line in (tmp_path / "again.csv").read_text().splitlines()
    ]
    assert strip == strip_again
    # The same file twice is refused, and changes nothing.
    twice = _cli(app, "import-responses", target_id, out)
    assert twice.exit_code != 0 and "imported into this cycle before" in twice.output
    assert json.loads(_cli(app, "report", target_id).output)["responses_total"] == 30


def test_a_bad_file_imports_nothing_and_names_every_bad_line(app, tmp_path):
    with app.app_context():
        cycle_id = make_open_cycle().id
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "response_id,audience,language,source,submitted_on,question_key,theme,value\n"
        "a,member,en_GB,paper,2026-11-20,hope.gives_hope,hope,4\n"
        "a,member,en_GB,paper,2026-11-20,hope.others_show_way,hope,7\n"
        "b,visitor,en_GB,paper,2026-11-20,hope.gives_hope,hope,4\n"
        "c,member,en_GB,paper,20/11/2026,hope.gives_hope,hope,4\n"
        "d,member,en_GB,paper,2026-11-20,no.such_question,,4\n"
        "a,member,en_GB,paper,2026-11-20,hope.gives_hope,hope,5\n"
    )
    result = _cli(app, "import-responses", cycle_id, bad)
    assert result.exit_code != 0
    assert "Line 3: value must be 1 to 5" in result.output
    assert "Line 4: audience must be member or peer_worker" in result.output
    assert "Line 5: submitted_on must be a date" in result.output
    assert "Line 6: 'no.such_question' is not a question for member" in result.output
    assert "Line 7: response a answers hope.gives_hope twice" in result.output
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = _cli(app, "import-responses", cycle_id, binary)
    assert result.exit_code != 0 and "not UTF-8" in result.output


def test_easy_read_is_one_page_of_big_plain_numbers(app, demo_cycle, tmp_path):
    pdf = tmp_path / "wall.pdf"
    result = _cli(app, "report", demo_cycle, "--format", "pdf", "--easy-read", "-o", pdf)
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = _pdf_text(pdf)
    data = json.loads(_cli(app, "report", demo_cycle).output)
    hope = next(t for t in data["themes"] if t["theme"] == "hope" and t["audience"] == "member")
    assert f"{(hope['agree'] + 5) // 10} in 10" in text
    assert "The group gives us hope" in text
    for jargon in ("average", "theme", "suppress", "n = "):
        assert jargon not in text.lower()  # no jargon on the wall


def test_quotes_need_consent_approval_and_k_of_their_audience(app):
    from inquiry.reports.queries import list_approved_quotes
    from inquiry.responses.services import NotQuotable, approve_quote

    with app.app_context():
        cycle = make_open_cycle()
        said = {}
        for i in range(4):
            r = _respond(cycle, "member", {"open.anything_else": f"Words {i}"}, may_quote=i < 3)
            said[i] = next(a.id for a in r.answers)
        db.session.commit()
        approve_quote(said[0])
        approve_quote(said[1], "Words […]")
        with pytest.raises(NotQuotable):
            approve_quote(said[3])  # did not agree to be quoted
        close_cycle(cycle)
        db.session.commit()
        assert len(list_approved_quotes(cycle.id)) == 2
        small = _json(cycle)
        assert small["quotes"] == []  # only 4 members: fewer than k
        for _ in range(3):
            _respond(cycle, "peer_worker", {})
        db.session.commit()
        assert _json(cycle)["quotes"] == []  # peer workers do not make members k
        _respond(cycle, "member", {})
        db.session.commit()
        quotes = _json(cycle)["quotes"]
        assert sorted(q["text"] for q in quotes) == ["Words 0", "Words […]"]
        assert all(set(q) == {"question", "audience", "text"} for q in quotes)  # no date
        assert {q["audience"] for q in quotes} == {"member"}
        html = render_summary(build_summary(db.session.get(Cycle, cycle.id), "en_GB", KEY), "en_GB")
        assert "Words […]" in html and "Words 1" not in html
        assert "Words 2" not in html  # agreed, but not approved


def test_rollup_sets_groups_side_by_side_and_withholds_small_ones(app, tmp_path):
    from inquiry.reports.rollup import build_rollup, rollup_csv, round_to_5

    with app.app_context():
        big = make_group(name="Big group")
        small = make_group(big.network, name="Small group")
        for group, people in ((big, 12), (small, 3)):
            cycle = make_open_cycle(group)
            _hope(cycle, [("4", "5")] * people)
            close_cycle(cycle)
        db.session.commit()
        rollup = build_rollup(big.network)
        by_label = {c.label: c for c in rollup.columns}
        assert by_label["Big group"].results[("member", "hope")].n == 12
        assert by_label["Big group"].results[("member", "hope")].mean == Decimal("4.50")
        assert by_label["Small group"].results[("member", "hope")].n is None
        assert by_label["Small group"].responses == 3  # who took part, not what they said
        # 12 + the hidden 3 would give the 3 back by subtraction: they are left out, and
        # the network's figure says so.
        overall = by_label[big.network.name].results[("member", "hope")]
        assert (overall.n, overall.mean, overall.agree, overall.left_out) == (
            12,
            Decimal("4.50"),
            100,
            3,
        )
        rows = list(csv.DictReader(io.StringIO(rollup_csv(rollup))))
        assert all(not (r["n"].isdigit() and 0 < int(r["n"]) < K) for r in rows)
        network_row = next(
            r for r in rows if r["column"] == big.network.name and r["theme"] == "hope"
        )
        assert (network_row["n"], network_row["left_out"]) == ("12", "3")
        rounded = build_rollup(big.network, rounded=True)
        assert {c.label: c.responses for c in rounded.columns}[big.network.name] == 15
        assert rounded.columns[-1].results[("member", "hope")].n == 10
        assert [round_to_5(v) for v in (None, 0, 5, 7, 8, 12, 13)] == [None, 0, 5, 5, 10, 10, 15]
        network_id = big.network.id
    pdf = tmp_path / "rollup.pdf"
    assert _cli(app, "rollup", network_id, "--format", "pdf", "-o", pdf).exit_code == 0
    text = _pdf_text(pdf)
    assert "Big group" in text and "fewer than 5" in text


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(members=st.integers(min_value=5, max_value=9), seed=st.integers(0, 100))
def test_the_pdf_shows_members_whole_and_never_anonymous_peer_workers_below_k(
    app, tmp_path_factory, members, seed
):
    """Read back from the PDF: every member count as answered, nothing of anonymous peers."""
    rng = random.Random(seed)
    with app.app_context():
        cycle = make_open_cycle()
        answers = [(rng.choice("12345"), rng.choice("12345")) for _ in range(members)]
        _hope(cycle, answers)
        peers = rng.randint(0, 4)
        _hope(cycle, [("4", "4")] * peers, audience="peer_worker")
        close_cycle(cycle)
        db.session.commit()
        cycle_id = cycle.id
    pdf = tmp_path_factory.mktemp("pdf") / "small.pdf"
    result = _cli(app, "report", cycle_id, "--format", "pdf", "-o", pdf)
    assert result.exit_code == 0, result.output
    text = _pdf_text(pdf)
    assert re.findall(r"n\s*=\s*(\d+)", text) == [str(members)], text  # hope, members
    first = [a for a, _ in answers]
    # The table's columns run from 1 (strongly disagree) to 5, as the bars do.
    expected = " ".join(str(first.count(v)) for v in "12345")
    assert re.search(r"Q1 .*?" + r"\s+".join(expected.split()), text, re.S), text
    assert ("peer support workers answered anonymously" in text) == (peers > 1)
    assert ("peer support worker answered anonymously" in text) == (peers == 1)
    with app.app_context():
        db.session.execute(sa.delete(Response).where(Response.cycle_id == cycle_id))
        db.session.commit()


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_summary_pdf_speaks_the_groups_language(app, demo_cycle, tmp_path, language):
    """Read back from the PDF's text layer, as a screen reader or a search would: in Arabic
    too, whose letters once came back wrong (a font drawing dotted letters as a skeleton and
    shared dots, WeasyPrint issue 2841)."""
    from flask_babel import force_locale
    from flask_babel import gettext as translate

    from ..printing.reading import embedded_fonts, reads_back

    pdf = tmp_path / f"{language}.pdf"
    result = _cli(app, "report", demo_cycle, "--format", "pdf", "--lang", language, "-o", pdf)
    assert result.exit_code == 0, result.output
    with app.test_request_context(), force_locale(language):
        from inquiry.questions.bank import THEMES

        expected = [
            translate("Cycle summary"),
            str(THEMES["hope"]),
            str(THEMES["shared_aims"]),
            translate("How to read this"),
            translate("Group members"),
            translate("What stands out"),
        ]
    with app.app_context():
        from inquiry.questions.models import Question

        for key in ("hope.gives_hope", "shared_aims.know_aims"):
            question = db.session.query(Question).filter_by(key=key).one()
            expected.append(question.texts[language].text)  # the bank's own translation
    assert expected[0] != "Cycle summary"  # really translated
    text = _pdf_text(pdf)
    for phrase in expected:
        assert reads_back(phrase, text), phrase
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    fonts = embedded_fonts(pdf.read_bytes())
    assert all(fonts.values()), fonts
    if language == "ar":
        assert "Noto-Naskh-Arabic" in fonts and "Noto-Naskh-Arabic-Bold" in fonts


def test_the_demo_shows_the_whole_loop(app, demo_cycle):
    """A newcomer's first summary: the team's view, quotes, the agenda people chose and how
    last cycle's actions went."""
    with app.app_context():
        data = _json(db.session.get(Cycle, demo_cycle))
    assert data["cycle"]["group"] == "Riverside Walking Group"
    assert 6 <= data["responses"]["member"] <= 14 and data["responses"]["peer_team"] == 2
    assert any(t["view"] == "peer_team" and t["n"] for t in data["themes"])
    assert data["quotes"] and data["agenda"] and data["actions"]
    assert all(a["votes"] is not None for a in data["agenda"])
    assert {a["status"] for a in data["actions"]} == {"done", "in_progress"}
    assert any(g["gap"] is not None for g in data["gaps"])
    assert data["linked"]["linked"] >= 5
