"""Importing answers cannot do harm: never into a closed cycle, the same sheets only once
(recognised by what they say, not by the file's bytes), and from the workspace all or
nothing, every bad line named, audited without content."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.services import close_cycle, create_cycle
from inquiry.extensions import db
from inquiry.responses.models import Answer, Response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, form_fields

HEADER = ["response_id", "audience", "language", "source", "submitted_on", "question_key"]
HEADER += ["theme", "value"]
CANARY = "Canary words 7Q"
# Three sheets: two people gave the very same answers on the same day (a and b).
SHEETS = [
    ("a", "member", "hope.gives_hope", "hope", "4"),
    ("a", "member", "open.anything_else", "open", "More walks, please"),
    ("b", "member", "hope.gives_hope", "hope", "4"),
    ("b", "member", "open.anything_else", "open", "More walks, please"),
    ("c", "member", "hope.gives_hope", "hope", "prefer_not_to_say"),
    ("c", "member", "open.anything_else", "open", f"{CANARY}\non two lines"),
]


def _csv(rows=SHEETS, *, order=None, newline="\n", bom=False, pad="", ids=None) -> bytes:
    """The sheets as a CSV; the same content however the file is laid out."""
    import csv

    columns = order or HEADER
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for rid, audience, key, theme, value in rows:
        cells = {
            "response_id": (ids or {}).get(rid, rid),
            "audience": audience,
            "language": "en_GB",
            "source": "paper",
            "submitted_on": "2026-11-20",
            "question_key": key,
            "theme": theme,
            "value": value,
        }
        writer.writerow([f"{pad}{cells[c]}{pad}" for c in columns])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def _count(cycle_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Response).filter_by(cycle_id=cycle_id)
    )


@pytest.fixture
def run(app, tmp_path):
    runner = app.test_cli_runner()

    def invoke(cycle_id: int, data: bytes):
        path = tmp_path / "sheets.csv"
        path.write_bytes(data)
        return runner.invoke(args=["import-responses", str(cycle_id), str(path)])

    return invoke


@pytest.fixture
def cycle_id(app):
    with app.app_context():
        return make_open_cycle().id


def test_a_closed_or_draft_cycle_takes_nothing(app, run):
    with app.app_context():
        cycle = make_open_cycle()
        close_cycle(cycle)
        draft = create_cycle(make_group().id, "Next", cycle.starts_on, cycle.ends_on)
        db.session.commit()
        closed_id, draft_id = cycle.id, draft.id
    refused = run(closed_id, _csv())
    assert refused.exit_code != 0
    assert "This cycle is closed: answers can no longer be added" in refused.output
    assert "Nothing was imported" in refused.output
    not_yet = run(draft_id, _csv())
    assert not_yet.exit_code != 0 and "Open the cycle first" in not_yet.output
    with app.app_context():
        assert _count(closed_id) == _count(draft_id) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_the_same_sheets_import_once_however_the_file_is_saved(app, run, cycle_id):
    first = run(cycle_id, _csv())
    assert first.exit_code == 0, first.output
    # The two identical sheets in one file are two people: both kept.
    assert "Imported 3 responses with 6 answers." in first.output
    reordered = [HEADER[i] for i in (7, 2, 0, 5, 1, 6, 4, 3)]
    for same in (
        _csv(),
        _csv(bom=True, newline="\r\n"),
        _csv(order=reordered),
        _csv(pad="  "),
        _csv(ids={"a": "17", "b": "18", "c": "19"}),  # renumbered, as spreadsheets do
        _csv(rows=[(r, a, k, "", v) for r, a, k, _t, v in reversed(SHEETS)]),
        _csv(rows=[(*s[:4], s[4].replace("\n", "\r\n  ")) for s in SHEETS]),
    ):
        again = run(cycle_id, same)
        assert again.exit_code != 0
        assert "3 already imported, skipped" in again.output
        assert "Nothing new to import." in again.output and "Fix the lines" not in again.output
    with app.app_context():
        assert _count(cycle_id) == 3
        prints = db.session.scalars(
            sa.select(Response.import_fingerprint).filter_by(cycle_id=cycle_id)
        ).all()
        assert len(set(prints)) == 3 and all(len(p) == 64 for p in prints)


def test_a_different_sheet_imports_and_the_rest_is_skipped(app, run, cycle_id):
    assert run(cycle_id, _csv()).exit_code == 0
    changed = [*SHEETS[:4], SHEETS[4][:4] + ("2",), SHEETS[5]]
    result = run(cycle_id, _csv(changed))
    assert result.exit_code == 0, result.output
    assert "Imported 1 response with 2 answers; 2 already imported, skipped." in result.output
    # A third identical sheet arriving in a later file of its own is taken for one of the
    # two already here: within one file identical sheets are people, across files copies.
    third = run(cycle_id, _csv([s for s in SHEETS if s[0] == "a"], ids={"a": "z"}))
    assert "1 already imported, skipped" in third.output
    with app.app_context():
        assert _count(cycle_id) == 4
        likert = db.session.scalars(
            sa.select(Answer.likert)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.cycle_id == cycle_id, Answer.qtype == "likert")
        ).all()
        assert sorted(v for v in likert if v) == [2, 4, 4]


def test_the_same_file_into_another_cycle_is_new_there(app, run, cycle_id):
    with app.app_context():
        other = make_open_cycle().id
    assert run(cycle_id, _csv()).exit_code == 0
    assert "Imported 3 responses" in run(other, _csv()).output
    with app.app_context():
        assert _count(cycle_id) == _count(other) == 3


def test_the_command_line_import_is_audited_with_counts_only(app, run, cycle_id):
    assert run(cycle_id, _csv()).exit_code == 0
    run(cycle_id, _csv())  # nothing new: nothing recorded
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent)).all()
        assert [
            (e.action, e.object_type, e.object_id, e.user_id, e.by_command) for e in events
        ] == [("imported", "cycle", cycle_id, None, True)]
        assert events[0].detail == "csv: 3 responses, 6 answers, 0 already imported, skipped"
        assert CANARY not in events[0].detail and "walks" not in events[0].detail


@pytest.fixture
def upload(app):
    """A facilitator of the cycle's group, signed in, at the workspace upload."""
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        make_user("facilitator", group.network, [group], email="typist@example.org")
        cycle_id = cycle.id
    client = app.test_client()
    sign_in(client, "typist@example.org")
    show = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    link = show.find("a", href=f"/workspace/cycles/{cycle_id}/import")
    assert link is not None and "CSV" in link.get_text()
    page = check_page(client.get(link["href"]))
    assert page.find("input", type="file", accept=".csv,text/csv") is not None
    fields = form_fields(page)

    def send(body: bytes, url: str | None = None):
        return client.post(
            url or link["href"],
            data={**fields, "file": (io.BytesIO(body), "sheets.csv")},
            content_type="multipart/form-data",
        )

    return cycle_id, client, send


def test_the_workspace_upload_names_every_bad_line_and_imports_nothing(app, upload):
    cycle_id, _client, send = upload
    bad = [
        *SHEETS[:2],
        ("d", "member", "hope.gives_hope", "hope", "7"),  # line 4
        ("e", "visitor", "hope.gives_hope", "hope", "4"),  # line 5
        ("f", "member", "no.such_question", "", "4"),  # line 6
        ("a", "member", "hope.gives_hope", "hope", "5"),  # line 7
    ]
    refused = send(_csv(bad))
    assert refused.status_code == 400
    page = check_page(refused)
    assert page.title.string.startswith("Error:")
    assert page.find(class_="error-summary").find("a")["href"] == "#file"
    problems = [li.get_text() for li in page.find(id="problems").find_next("ul").find_all("li")]
    assert problems == [
        "Line 4: value must be 1 to 5 or prefer_not_to_say, not '7'",
        "Line 5: audience must be member or peer_worker, not 'visitor'",
        "Line 6: 'no.such_question' is not a question for member in this cycle",
        "Line 7: response a answers hope.gives_hope twice",
    ]
    with app.app_context():
        assert _count(cycle_id) == 0
        assert db.session.scalars(sa.select(AuditEvent).filter_by(action="imported")).all() == []


def test_the_workspace_upload_imports_once_and_is_audited(app, upload):
    cycle_id, client, send = upload
    done = send(_csv(bom=True, newline="\r\n"))
    assert done.status_code == 302
    flashed = check_page(client.get(done.headers["Location"])).get_text()
    assert "Imported 3 responses with 6 answers." in flashed
    twice = send(_csv())
    assert twice.status_code == 400
    message = check_page(twice).find(class_="error-message").get_text()
    assert "3 already imported, skipped" in message
    with app.app_context():
        assert _count(cycle_id) == 3
        (event,) = db.session.scalars(sa.select(AuditEvent).filter_by(action="imported")).all()
        assert (event.object_id, event.by_command) == (cycle_id, False)
        assert event.user_id is not None
        assert event.detail == "csv: 3 responses, 6 answers, 0 already imported, skipped"
        close_cycle(_cycle(cycle_id))
        db.session.commit()
    # Once closed, the page says why not, and a form sent anyway changes nothing.
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/import"))
    assert "This cycle is closed" in page.get_text() and page.find("input", type="file") is None
    late = send(_csv([(*s[:4], "3") if s[3] == "hope" else s for s in SHEETS]))
    assert late.status_code == 409 and "This cycle is closed" in late.get_data(as_text=True)
    odk = send(b"hope.gives_hope,_uuid\n4,abc\n", f"/workspace/cycles/{cycle_id}/odk")
    assert odk.status_code == 409 and "This cycle is closed" in odk.get_data(as_text=True)
    with app.app_context():
        assert _count(cycle_id) == 3


def _cycle(cycle_id: int):
    from inquiry.cycles.models import Cycle

    return db.session.get(Cycle, cycle_id)


def test_odk_answers_keep_a_fingerprint_and_a_closed_cycle_takes_none(app, tmp_path):
    from inquiry.interchange.xlsform import cycle_xlsform

    from ..interchange.kobo import kobo_csv, submissions

    with app.app_context():
        cycle = make_open_cycle()
        form = cycle_xlsform(cycle, "member")
        cycle_id = cycle.id
    made = submissions(form, 4, seed=5)
    # Two people who gave the same answers on their phones are two submissions.
    made[1] = {**made[0], "instance": made[1]["instance"]}
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo_csv(form, made))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-odk", str(cycle_id), str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 4 submissions for member." in result.output
    again = runner.invoke(args=["import-odk", str(cycle_id), str(path)])
    assert again.exit_code != 0 and "imported into this cycle before" in again.output
    # A later export holds the earlier submissions too.
    path.write_bytes(kobo_csv(form, [*made, *submissions(form, 2, seed=8)]))
    later = runner.invoke(args=["import-odk", str(cycle_id), str(path)])
    assert "Imported 2 submissions for member; 4 already imported, skipped." in later.output
    with app.app_context():
        prints = db.session.scalars(
            sa.select(Response.import_fingerprint).filter_by(cycle_id=cycle_id)
        ).all()
        assert len(prints) == len(set(prints)) == 6
        events = db.session.scalars(sa.select(AuditEvent).filter_by(action="imported")).all()
        assert [(e.by_command, e.detail) for e in events] == [
            (True, "odk: 4 submissions, 0 already imported, skipped"),
            (True, "odk: 2 submissions, 4 already imported, skipped"),
        ]
        close_cycle(_cycle(cycle_id))
        db.session.commit()
    later = submissions(form, 2, seed=6)
    path.write_bytes(kobo_csv(form, later))
    closed = runner.invoke(args=["import-odk", str(cycle_id), str(path)])
    assert closed.exit_code != 0
    assert "This cycle is closed: answers can no longer be added" in closed.output
    with app.app_context():
        assert _count(cycle_id) == 6


def test_the_sheet_to_type_into_comes_back_in(app, upload):
    import csv

    cycle_id, client, send = upload
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/import"))
    link = page.find("a", href=f"/workspace/cycles/{cycle_id}/import/template.csv")
    sheet = client.get(link["href"])
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert {r["audience"] for r in rows} == {"member", "peer_worker"}
    assert all(r["value"] == "" and r["question"] and r["allowed_values"] for r in rows)
    hope = next(r for r in rows if r["question_key"] == "hope.gives_hope")
    assert "1=Strongly disagree" in hope["allowed_values"]
    # Nothing typed yet: nothing to import.
    empty = send(sheet.get_data())
    assert empty.status_code == 400 and "The file has no answers." in empty.get_data(as_text=True)
    # The typist fills in two of the member's answers and leaves the rest empty.
    member = [r for r in rows if r["audience"] == "member"]
    likert = next(r for r in member if r["theme"] == "hope")
    text = next(r for r in member if r["theme"] == "open")
    likert["value"], text["value"] = "5", "=We met by the river"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    done = send(out.getvalue().encode())
    assert done.status_code == 302
    assert (
        "Imported 1 response with 2 answers."
        in check_page(client.get(done.headers["Location"])).get_text()
    )
    with app.app_context():
        (response,) = db.session.scalars(sa.select(Response).filter_by(cycle_id=cycle_id))
        assert (response.audience, response.source) == ("member", "paper")
        assert {(a.likert, a.text) for a in response.answers} == {
            (None, "=We met by the river"),
            (5, None),
        }
