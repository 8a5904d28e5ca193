"""A cycle's questions as an XLSForm: it converts with pyxform (and passes ODK Validate where
Java is installed), carries every language and comes back in unchanged; forms made elsewhere
come in as far as Inquiry can ask them, and anything else is refused row by row, changing
nothing."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from inquiry.cycles.models import Cycle, CycleQuestion
from inquiry.cycles.services import add_own_question, close_cycle, create_cycle
from inquiry.extensions import db
from inquiry.interchange.services import import_question_set
from inquiry.interchange.xlsform import cycle_xlsform
from inquiry.interchange.xlsform_read import read_xlsform
from inquiry.questions.models import Question, QuestionText
from inquiry.responses.services import record_response

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pages import check_page, form_fields, parse

LANGUAGES = ["en_GB", "pl", "so", "ar", "ro"]
COLUMNS = ["English (en)", "Polish (pl)", "Somali (so)", "Arabic (ar)", "Romanian (ro)"]


def _converted(xlsx: bytes, validate: bool = False):
    """pyxform's conversion, failing the test on any error or warning."""
    warnings: list[str] = []
    result = convert(xlsform=xlsx, warnings=warnings, file_type=".xlsx", validate=validate)
    assert warnings == []
    return result.xform


def _sheet(book, name) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _workbook(sheets: dict[str, list[dict]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = list(dict.fromkeys(c for row in rows for c in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _asked(cycle: Cycle) -> list[tuple[str, int, int]]:
    # By audience, then place: the relationship orders by place only, and PostgreSQL may
    # give two audiences' questions at the same place in either order.
    return sorted((cq.audience, cq.position, cq.question_id) for cq in cycle.questions)


@pytest.fixture
def demo_like(ctx):
    """A group's cycle asking the whole bank plus two questions of its own."""
    group = make_group()
    cycle = make_open_cycle(group)
    add_own_question(
        cycle, "member", "choice", "Which day suits you best?", "own", ["Tuesday", "Friday"]
    )
    own_text = add_own_question(cycle, "member", "text", "What should we cook?", "open", [])
    own_text.question.texts["pl"] = QuestionText(language="pl", text="Co mamy ugotować?")
    db.session.commit()
    return cycle


@pytest.mark.parametrize("audience", ["member", "peer_worker"])
def test_each_export_converts_with_pyxform_with_no_error_or_warning(demo_like, audience):
    xform = _converted(cycle_xlsform(demo_like, audience))
    for cq in demo_like.questions:
        if cq.audience == audience:
            assert f"<{cq.question.key}/>" in xform
    assert 'lang="Polish (pl)"' in xform and 'lang="Arabic (ar)"' in xform


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_the_export_passes_odk_validate(demo_like):
    _converted(cycle_xlsform(demo_like, "member"), validate=True)


def test_the_export_has_the_sheets_languages_and_shared_likert_list(demo_like):
    book = load_workbook(io.BytesIO(cycle_xlsform(demo_like, "member")))
    survey, choices, settings = (_sheet(book, s) for s in ("survey", "choices", "settings"))
    assert [f"label::{c}" for c in COLUMNS] == [k for k in survey[0] if k.startswith("label::")]
    asked = [cq for cq in demo_like.questions if cq.audience == "member"]
    rows = {row["name"]: row for row in survey}
    assert [r["name"] for r in survey if r["name"] in {cq.question.key for cq in asked}] == [
        cq.question.key for cq in asked
    ]
    know = rows["shared_aims.know_aims"]
    assert know["type"] == "select_one inquiry_agree"
    assert know["label::English (en)"] == "I know what our group is for."
    assert know["label::Polish (pl)"] == "Wiem, po co jest nasza grupa."
    likert = [
        (c["name"], c["label::English (en)"]) for c in choices if c["list_name"] == "inquiry_agree"
    ]
    assert likert == [
        ("5", "Strongly agree"),
        ("4", "Agree"),
        ("3", "Not sure"),
        ("2", "Disagree"),
        ("1", "Strongly disagree"),
        ("prefer_not_to_say", "I'd rather not say"),
    ]
    # Every Likert item shares the one list.
    assert {
        r["type"]
        for r in survey
        if r["name"] in {q.question.key for q in asked if q.qtype == "likert"}
    } == {"select_one inquiry_agree"}
    own = [cq.question for cq in asked if not cq.question.is_builtin]
    day = rows[own[0].key]
    assert day["type"].startswith("select_one options_")
    assert [c["name"] for c in choices if c["list_name"] == day["type"].split()[1]] == [
        "tuesday",
        "friday",
    ]
    cook = rows[own[1].key]
    assert (cook["type"], cook["label::Polish (pl)"]) == ("text", "Co mamy ugotować?")
    # Untranslated words show the English, so the phone never shows "-".
    assert cook["label::Somali (so)"] == "What should we cook?"
    assert rows["inquiry_may_quote"]["type"] == "select_one inquiry_yes_no"
    assert settings == [
        {
            "form_title": f"{demo_like.group.name}: Autumn (group members)",
            "form_id": f"inquiry_cycle{demo_like.id}_member",
            "version": settings[0]["version"],
            "default_language": "English (en)",
        }
    ]


def test_a_peer_support_workers_form_asks_how_to_show_their_answers(demo_like):
    book = load_workbook(io.BytesIO(cycle_xlsform(demo_like, "peer_worker")))
    survey, choices = _sheet(book, "survey"), _sheet(book, "choices")
    assert survey[1]["name"] == "inquiry_shares_openly"
    sharing = [c for c in choices if c["list_name"] == "inquiry_sharing"]
    assert [c["name"] for c in sharing] == ["open", "anonymous"]
    assert "5 or more peer support workers" in sharing[1]["label::English (en)"]


def test_words_that_look_like_a_formula_stay_words(ctx):
    cycle = make_open_cycle(make_group())
    add_own_question(cycle, "member", "text", '=HYPERLINK("http://x")', "open", [])
    db.session.commit()
    book = load_workbook(io.BytesIO(cycle_xlsform(cycle, "member")))
    cells = [
        c
        for row in book["survey"].iter_rows()
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_cycles_questions_come_back_unchanged_in_a_new_cycle(demo_like):
    """The done test: out as XLSForm, through pyxform, back in as a new cycle's questions."""
    new = create_cycle(demo_like.group_id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
    db.session.commit()
    for audience in ("member", "peer_worker"):
        xlsx = cycle_xlsform(demo_like, audience)
        _converted(xlsx)
        result = import_question_set(new, audience, xlsx, LANGUAGES)
        assert result.problems == [] and result.added == 0
    db.session.commit()
    assert _asked(new) == _asked(demo_like)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Question).filter_by(group_id=demo_like.group_id)
        )
        == 2
    )


def test_another_groups_form_gives_this_group_its_own_questions_with_every_language(demo_like):
    other = make_group()
    cycle = create_cycle(other.id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
    db.session.commit()
    result = import_question_set(cycle, "member", cycle_xlsform(demo_like, "member"), LANGUAGES)
    db.session.commit()
    assert result.problems == [] and (result.kept, result.added) == (28, 2)
    theirs = [cq.question for cq in demo_like.questions if not cq.question.is_builtin]
    ours = [cq.question for cq in cycle.questions if not cq.question.is_builtin]
    assert [q.key for q in ours] == [f"group{other.id}.q1", f"group{other.id}.q2"]
    for mine, original in zip(ours, theirs, strict=True):
        assert (mine.qtype, mine.options, mine.group_id) == (
            original.qtype,
            original.options,
            other.id,
        )
        assert {c: t.text for c, t in mine.texts.items()} == {
            c: t.text for c, t in original.texts.items()
        }
    assert ours[0].texts["en_GB"].option_labels == ["Tuesday", "Friday"]


KOBO = "label::English (en)"


def _kobo_form(survey, choices, settings=None) -> bytes:
    sheets = {"survey": survey, "choices": choices}
    if settings:
        sheets["settings"] = settings
    return _workbook(sheets)


def _agree(list_name, reverse=False, decline=True):
    labels = [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    names = ["sd", "d", "n", "a", "sa"]
    rows = list(zip(names, labels, strict=True))
    if reverse:
        rows.reverse()
    found = [
        {"list_name": list_name, "name": n, KOBO: lab, "label::Polish (pl)": f"{lab} (pl)"}
        for n, lab in rows
    ]
    if decline:
        found.append({"list_name": list_name, "name": "refused", KOBO: "Prefer not to say"})
    return found


def test_a_kobo_form_comes_in_as_far_as_inquiry_can_ask_it(ctx):
    group = make_group()
    cycle = create_cycle(group.id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
    db.session.commit()
    survey = [
        {"type": "note", "name": "welcome", KOBO: "Welcome"},
        {
            "type": "select_one agree",
            "name": "feel_welcome",
            KOBO: "I feel welcome.",
            "label::Polish (pl)": "Czuję się mile widziany.",
            "required": "yes",
        },
        {"type": "select_one agree_rev", "name": "made_friends", KOBO: "I have made friends here."},
        {
            "type": "select_one often",
            "name": "how_often",
            KOBO: "How often do you come?",
            "hint::English (en)": "Think of the last month",
        },
        {
            "type": "text",
            "name": "one_change",
            KOBO: "One thing to change?",
            "label::French (fr)": "Une chose?",
        },
        {
            "type": "select_one shared_aims",
            "name": "shared_aims.know_aims",
            KOBO: "I know what our group is for.",
        },
    ]
    often = [
        {"list_name": "often", "name": n, KOBO: lab}
        for n, lab in [
            ("1", "Never"),
            ("2", "Rarely"),
            ("3", "Sometimes"),
            ("4", "Often"),
            ("5", "Every week"),
        ]
    ]
    choices = (
        _agree("agree")
        + _agree("agree_rev", reverse=True, decline=False)
        + often
        + _agree("shared_aims")
    )
    xlsx = _kobo_form(survey, choices)
    _converted_ok = convert(xlsform=xlsx, file_type=".xlsx")  # a real XLSForm to begin with
    assert _converted_ok.xform
    result = import_question_set(cycle, "member", xlsx, LANGUAGES)
    db.session.commit()
    assert result.problems == []
    assert result.notes == [
        "The words in French (fr) were left out: it is not one of the languages Inquiry has here."
    ]
    asked = [cq.question for cq in cycle.questions if cq.audience == "member"]
    assert [(q.qtype, q.text_in("en_GB").text) for q in asked] == [
        ("likert", "I feel welcome."),
        ("likert", "I have made friends here."),
        ("choice", "How often do you come?"),
        ("text", "One thing to change?"),
        ("likert", "I know what our group is for."),
    ]
    assert asked[0].texts["pl"].text == "Czuję się mile widziany."
    assert asked[2].options == ["1", "2", "3", "4", "5"]
    assert asked[2].texts["en_GB"].option_labels == [
        "Never",
        "Rarely",
        "Sometimes",
        "Often",
        "Every week",
    ]
    assert asked[2].texts["en_GB"].hint == "Think of the last month"
    assert [q.theme for q in asked[:4]] == ["own", "own", "own", "open"]
    # A row named after a built-in question asks it: the same key across cycles.
    assert asked[4].is_builtin and asked[4].key == "shared_aims.know_aims"
    # The peer support workers' questions were left alone.
    assert len([cq for cq in cycle.questions if cq.audience == "peer_worker"]) == 35


def test_everything_else_is_refused_row_by_row_and_nothing_changes(ctx):
    group = make_group()
    cycle = create_cycle(group.id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
    db.session.commit()
    before = _asked(cycle)
    survey = [
        {"type": "start", "name": "start"},
        {"type": "integer", "name": "age", KOBO: "How old are you?"},
        {"type": "begin group", "name": "g1", KOBO: "Part 1"},
        {"type": "select_multiple colours", "name": "colours", KOBO: "Colours?"},
        {"type": "select_one yn", "name": "ok", KOBO: "OK?", "relevant": "${age} > 18"},
        {"type": "text", "name": "polish_only", "label::Polish (pl)": "Tylko po polsku"},
        {"type": "select_one missing_list", "name": "where", KOBO: "Where?"},
        {"type": "text", "name": "ok", KOBO: "Again"},
        {"type": "end group", "name": ""},
        {
            "type": "select_one shared_aims",
            "name": "shared_aims.know_aims",
            KOBO: "I know what we do.",
        },
        {"type": "text", "name": "shared_aims.pw_know_aims", KOBO: "I know what the group is for."},
    ]
    choices = [
        {"list_name": "colours", "name": "red", KOBO: "Red"},
        {"list_name": "yn", "name": "yes", KOBO: "Yes"},
        {"list_name": "yn", "name": "no", KOBO: "No"},
    ] + _agree("shared_aims")
    result = import_question_set(cycle, "member", _kobo_form(survey, choices), LANGUAGES)
    assert result.problems == [
        "survey sheet, row 2: Inquiry keeps no dates or times of answers: take this row out.",
        (
            "survey sheet, row 3: integer is not a kind of question Inquiry can ask: use "
            "select_one, text or note."
        ),
        (
            "survey sheet, row 4: Groups of questions are not supported: take out the begin group "
            "and end group rows (the questions inside can stay)."
        ),
        (
            "survey sheet, row 5: Questions with several answers are not supported: make it a "
            "select_one, or take this row out."
        ),
        (
            "survey sheet, row 6: relevant is not supported: everyone is asked every question. "
            "Empty that cell."
        ),
        (
            "survey sheet, row 7: the question has no words in English: fill in the "
            "label::English (en) column."
        ),
        "survey sheet, row 8: there is no list called missing_list on the choices sheet.",
        (
            "survey sheet, row 10: Groups of questions are not supported: take out the begin "
            "group and end group rows (the questions inside can stay)."
        ),
    ]
    db.session.rollback()
    assert _asked(db.session.get(Cycle, cycle.id)) == before
    # Once the rows themselves are right, the built-in names are checked against the bank.
    survey = [
        r
        for r in survey
        if r["type"] in ("text", "select_one shared_aims") and r["name"] != "polish_only"
    ]
    survey = [r for r in survey if r["name"] != "ok"]
    result = import_question_set(cycle, "member", _kobo_form(survey, choices), LANGUAGES)
    assert result.problems == [
        (
            "survey sheet, row 2: shared_aims.know_aims is the name of a built-in question, but "
            "its words or answers are different. Keep the built-in words, or give the row a new "
            "name to make it a question of the group's own."
        ),
        (
            "survey sheet, row 3: shared_aims.pw_know_aims is a built-in question for peer "
            "support workers: import this form for them, or give the row a new name."
        ),
    ]
    db.session.rollback()
    assert _asked(db.session.get(Cycle, cycle.id)) == before


def test_a_file_that_is_not_a_workbook_is_refused_in_plain_words(ctx):
    assert read_xlsform(b"type,name\ntext,a\n", LANGUAGES).problems == [
        "The file is not an Excel workbook. Save the XLSForm as .xlsx and try again."
    ]
    assert read_xlsform(_workbook({"questions": [{"type": "text"}]}), LANGUAGES).problems == [
        "The workbook has no sheet called survey."
    ]


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(ctx):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (51 * 1024 * 1024))
    assert len(packed.getvalue()) < 200_000
    assert read_xlsform(packed.getvalue(), LANGUAGES).problems == [
        "The workbook is too large once unpacked: save it again as .xlsx."
    ]


def test_closed_or_answered_cycles_keep_their_questions(ctx):
    group = make_group()
    answered = make_open_cycle(group)
    questions = [cq for cq in answered.questions if cq.audience == "member"]
    record_response(questions, audience="member", language="en_GB", answers={})
    xlsx = cycle_xlsform(answered, "member")
    result = import_question_set(answered, "member", xlsx, LANGUAGES)
    assert result.problems == [
        (
            "Answers have arrived, so this cycle's questions are fixed: start a new cycle and "
            "import the form into it."
        )
    ]
    closed = make_open_cycle(group)
    close_cycle(closed)
    result = import_question_set(closed, "member", xlsx, LANGUAGES)
    assert result.problems == ["This cycle is closed, so its questions stay as they were asked."]


def test_the_workspace_download_and_upload(app):
    with app.app_context():
        group = make_group()
        source = make_open_cycle(group)
        target = create_cycle(group.id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
        db.session.commit()
        make_user("facilitator", group.network, [group], email="fac@example.org")
        source_id, target_id = source.id, target.id
    client = app.test_client()
    sign_in(client, "fac@example.org")
    page = check_page(client.get(f"/workspace/cycles/{source_id}"))
    link = page.find("a", href=f"/workspace/cycles/{source_id}/xlsform/peer_worker.xlsx")
    assert link is not None and "XLSForm" in link.get_text()
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    xlsx = download.get_data()
    _converted(xlsx)
    upload = check_page(client.get(f"/workspace/cycles/{target_id}/xlsform"))
    assert upload.find("input", type="file", attrs={"name": "file"}) is not None
    fields = form_fields(upload)
    # A file with problems: the page says so, lists each, and nothing changes.
    bad = _workbook({"survey": [{"type": "integer", "name": "age", KOBO: "Age?"}]})
    refused = client.post(
        f"/workspace/cycles/{target_id}/xlsform",
        data={**fields, "audience": "peer_worker", "file": (io.BytesIO(bad), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    shown = check_page(refused)
    assert shown.title.string.startswith("Error:")
    assert "There is a problem" in shown.find(class_="error-summary").get_text()
    assert "survey sheet, row 2: integer is not a kind of question" in shown.get_text()
    done = client.post(
        f"/workspace/cycles/{target_id}/xlsform",
        data={**fields, "audience": "peer_worker", "file": (io.BytesIO(xlsx), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    with app.app_context():
        source, target = db.session.get(Cycle, source_id), db.session.get(Cycle, target_id)
        assert _asked(target) == _asked(source)
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(CycleQuestion).filter_by(cycle_id=target_id)
            )
            == 63
        )
    missing = client.post(f"/workspace/cycles/{target_id}/xlsform", data=fields)
    assert missing.status_code == 400
    assert "Choose the XLSForm to import" in parse(missing).find(class_="error-summary").get_text()


def test_a_file_too_large_is_refused_in_plain_words(app):
    with app.app_context():
        group = make_group()
        cycle = create_cycle(group.id, "Winter", date(2027, 1, 4), date(2027, 1, 29))
        db.session.commit()
        make_user("facilitator", group.network, [group], email="big@example.org")
        cycle_id = cycle.id
    client = app.test_client()
    sign_in(client, "big@example.org")
    fields = form_fields(check_page(client.get(f"/workspace/cycles/{cycle_id}/xlsform")))
    huge = io.BytesIO(b"0" * (6 * 1024 * 1024))
    # Encoded in memory: the test client would spool a body this large to a temporary file.
    upload = FileStorage(stream=huge, filename="form.xlsx", content_type="application/octet-stream")
    boundary, body = encode_multipart(MultiDict({**fields, "file": upload}))
    response = client.post(
        f"/workspace/cycles/{cycle_id}/xlsform",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    page = check_page(response)
    assert "Nothing was imported" in page.find(class_="error-summary").get_text()
    assert "The file is larger than 5 MB." in page.get_text()
