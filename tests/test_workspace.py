"""The facilitator's workspace: groups, cycles, codes and posters, through the test client."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import sqlalchemy as sa

from inquiry.core.audit import AuditEvent
from inquiry.cycles.models import Cycle
from inquiry.extensions import db

from .accounts.test_login import sign_in
from .factories import make_group, make_open_cycle, make_user
from .pages import check_page, error_summary, form_fields, parse
from .pdfs import fetch_pdf


def _facilitator(app):
    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        return group.id


def _signed_in(app, client):
    group_id = _facilitator(app)
    assert sign_in(client, "f@example.org").status_code == 302
    return group_id


def _post(client, url, data=None, page_url=None):
    page = parse(client.get(page_url or url))
    fields = (
        form_fields(page, url)
        if page.find("form", action=url)
        else {"csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"]}
    )
    return client.post(url, data={**fields, **(data or {})})


def test_a_facilitator_adds_a_group_they_then_run(app, client):
    _signed_in(app, client)
    check_page(client.get("/workspace/groups/new"))
    empty = _post(client, "/workspace/groups/new", {"name": " "})
    assert empty.status_code == 400
    assert error_summary(check_page(empty)) == ["Enter the name of the group"]
    taken = _post(client, "/workspace/groups/new", {"name": "allotment"})
    assert error_summary(check_page(taken)) == ["There is already a group with that name"]
    made = _post(client, "/workspace/groups/new", {"name": "Choir", "description": "We sing"})
    assert made.status_code == 302
    home = check_page(client.get("/workspace/"))
    assert [h.get_text() for h in home.select("section h2")] == ["Allotment", "Choir"]


def test_a_new_cycle_copies_the_last_ones_questions_then_opens_and_closes(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.cycles.services import create_cycle
        from inquiry.questions.queries import list_builtin_questions

        member = list_builtin_questions("member")[:3]
        peer = list_builtin_questions("peer_worker")[:2]
        keys = [q.key for q in member] + [q.key for q in peer]
        create_cycle(
            group_id,
            "Spring",
            date(2026, 3, 1),
            date(2026, 3, 20),
            {"member": member, "peer_worker": peer},
            strict=True,
        )
        db.session.commit()
    url = f"/workspace/groups/{group_id}/cycles/new"
    page = check_page(client.get(url))
    checked = [i["value"] for i in page.select("input[type=checkbox][checked]")]
    assert checked == keys
    bad = _post(
        client, url, {"title": "Summer", "starts_on": "2026-07-01", "ends_on": "2026-06-01"}
    )
    assert error_summary(check_page(bad)) == ["The last day must be on or after the first day"]
    data = {
        **form_fields(page),
        "title": "Summer",
        "starts_on": "2026-06-01",
        "ends_on": "2026-06-30",
    }
    made = client.post(url, data=data)
    assert made.status_code == 302, error_summary(parse(made))
    cycle_url = made.headers["Location"]
    cycle_id = int(re.search(r"/cycles/(\d+)", cycle_url)[1])
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        assert cycle.state == "draft" and len(cycle.questions) == 5
    opened = _post(client, f"/workspace/cycles/{cycle_id}/open", page_url=cycle_url)
    assert opened.status_code == 302
    shown = check_page(client.get(cycle_url))
    codes = [c.get_text() for c in shown.select(".code")]
    assert len(codes) == 2 and all(len(c) == 6 for c in codes)
    assert client.get(f"/j/{codes[0]}").status_code == 302
    # Replacing a code goes through its confirmation page.
    replaced = _post(client, f"/workspace/cycles/{cycle_id}/codes/member/replace")
    assert replaced.status_code == 302
    assert client.get(f"/j/{codes[0]}").status_code == 404
    room = check_page(client.get(f"/workspace/cycles/{cycle_id}/room"))
    new_code = room.select_one(".room-code").get_text()
    assert new_code != codes[0] and client.get(f"/j/{new_code}").status_code == 302
    closed = _post(client, f"/workspace/cycles/{cycle_id}/close")
    assert closed.status_code == 302
    # A closed cycle's code says the reflection has closed (not "check the code").
    gone = client.get(f"/j/{new_code}")
    assert gone.status_code == 410 and "closed" in gone.get_data(as_text=True)
    again = _post(client, f"/workspace/cycles/{cycle_id}/close", page_url=cycle_url)
    assert again.status_code == 409
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "cycle")
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["created", "opened", "replaced_code", "closed"]


def test_the_poster_has_the_code_the_link_and_a_qr_code(app, client, tmp_path):
    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        cycle = make_open_cycle(db.session.get(Group, group_id))
        cycle_id, code = cycle.id, cycle.active_code("member")
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(fetch_pdf(app, client, f"/workspace/cycles/{cycle_id}/poster.pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert code in text and f"/j/{code}" not in text  # the link is in the QR code
    assert "http://localhost/" in text  # the address to type the code at
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)


def test_paper_answers_are_typed_in_one_screen_each(app, client, tmp_path):
    from inquiry.responses.models import Response

    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        cycle_id = make_open_cycle(db.session.get(Group, group_id)).id
    url = f"/workspace/cycles/{cycle_id}/paper/member"
    page = check_page(client.get(url))
    data = {
        **form_fields(page),
        "q-shared_aims-know_aims": "5",
        "q-hope-gives_hope": "0",
        "q-open-anything_else": "More tea",
        "may_quote": "y",
    }
    bad = client.post(url, data={**data, "q-communication-listened_to": "7"})
    assert bad.status_code == 400
    assert error_summary(check_page(bad)) == [
        "Type a number from 1 to 5, 0 for “rather not say”, or leave it empty"
    ]
    saved = client.post(url, data=data)
    assert saved.status_code == 302
    again = client.post(url, data=data)  # the same sheet sent twice
    assert again.status_code == 302
    with app.app_context():
        [response] = db.session.scalars(sa.select(Response)).all()
        assert (response.source, response.may_quote) == ("paper", True)
        values = {(a.likert, a.prefer_not_to_say) for a in response.answers if a.qtype == "likert"}
        assert values == {(None, True), (5, False)}
        assert len(response.answers) == 3
    fresh = check_page(client.get(url))
    assert "Paper response saved" in fresh.get_text()
    path = tmp_path / "paper.pdf"
    path.write_bytes(fetch_pdf(app, client, f"/workspace/cycles/{cycle_id}/paper/member.pdf"))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "I know what our group is for." in text
    assert "Strongly agree" in text and "Do not write your name" in text
    assert "How should your answers be shown?" not in text  # members are not asked
    path.write_bytes(fetch_pdf(app, client, f"/workspace/cycles/{cycle_id}/paper/peer_worker.pdf"))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "How should your answers be shown?" in text
    assert "Keep my answers anonymous (they count only when 5 or more peer support" in text


def test_actions_agreed_after_a_cycle_reach_members_and_the_next_summary(app, client):
    import json

    from inquiry.cycles.services import close_cycle

    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        group = db.session.get(Group, group_id)
        before = make_open_cycle(
            group, title="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 20)
        )
        close_cycle(before)
        now = make_open_cycle(
            group, title="Summer", starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 20)
        )
        db.session.commit()
        before_id, now_id, code = before.id, now.id, now.active_code("member")
    url = f"/workspace/cycles/{before_id}/actions"
    empty = _post(client, url, {"what": ""})
    assert error_summary(check_page(empty)) == ["Enter what the group agreed to do"]
    for what in ("Meet in the warmer room", "Invite the allotment group"):
        assert (
            _post(client, url, {"what": what, "who": "Sam", "theme": "wider_community"}).status_code
            == 302
        )
    page = check_page(client.get(url))
    first_form = page.select("main form")[0]
    review = first_form["action"]
    assert (
        _post(
            client, review, {"status": "done", "status_note": "Since May"}, page_url=url
        ).status_code
        == 302
    )
    # Members see them on the next reflection's start page.
    member = app.test_client()
    start = check_page(member.get(f"/j/{code}", follow_redirects=True))
    text = start.get_text(" ", strip=True)
    assert "You said, we did" in text
    assert "Meet in the warmer room: Done (Since May)" in text
    assert "Invite the allotment group: Not reviewed yet" in text
    # ... and the next summary reports how they went.
    data = json.loads(app.test_cli_runner().invoke(args=["report", str(now_id)]).output)
    assert data["actions"] == [
        {
            "what": "Meet in the warmer room",
            "theme": "wider_community",
            "status": "done",
            "note": "Since May",
            # Members' "Did this happen?" answers: none while the cycle is open.
            "did_this_happen": None,
            "did_this_happen_withheld": "no_figures_yet",
        },
        {
            "what": "Invite the allotment group",
            "theme": "wider_community",
            "status": "planned",
            "note": "",
            "did_this_happen": None,
            "did_this_happen_withheld": "no_figures_yet",
        },
    ]
    # Actions belong to closed cycles only.
    assert client.get(f"/workspace/cycles/{now_id}/actions").status_code == 404


def test_the_negotiated_agenda_from_suggestions_to_choices_to_the_summary(app, client):
    import json

    from inquiry.cycles.queries import list_cycle_questions
    from inquiry.responses.services import record_response

    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        cycle = make_open_cycle(db.session.get(Group, group_id))
        questions = list_cycle_questions(cycle.id, "member")
        for idea in ("a trip to the sea", "Seaside trip!", "cooking on a budget"):
            record_response(
                questions,
                audience="member",
                language="en_GB",
                answers={"open.agenda_suggestion": idea},
            )
        db.session.commit()
        cycle_id, code = cycle.id, cycle.active_code("member")
    url = f"/workspace/cycles/{cycle_id}/agenda"
    page = check_page(client.get(url))
    assert [li.get_text() for li in page.select("main ul.list li")] == [
        "a trip to the sea",
        "Seaside trip!",
        "cooking on a budget",
    ]
    for title in ("A trip to the seaside", "Cooking on a budget"):
        assert _post(client, url, {"title": title}).status_code == 302
    # Six members choose; four of them want the seaside.
    for i in range(6):
        member = app.test_client()
        start = check_page(member.get(f"/j/{code}", follow_redirects=True))
        link = start.find("a", href="/topics")
        assert link is not None
        choose = check_page(member.get("/topics"))
        boxes = {label.get_text(): label["for"] for label in choose.select(".check label")}
        values = {name: choose.find("input", id=boxes[name])["value"] for name in boxes}
        chosen = ["A trip to the seaside"] if i < 4 else ["Cooking on a budget"]
        data = {**form_fields(choose), "topics": [values[c] for c in chosen]}
        assert member.post("/topics", data=data).status_code == 302
        # Choosing again replaces, never adds.
        assert member.post("/topics", data=data).status_code == 302
    too_many = member.post(
        "/topics", data={**form_fields(choose), "topics": list(values.values()) + ["999"]}
    )
    assert too_many.status_code == 400
    ranked = check_page(client.get(url))
    rows = [
        (r.th.get_text(), r.select_one("td.num").get_text()) for r in ranked.select("main tbody tr")
    ]
    assert rows == [("A trip to the seaside", "4"), ("Cooking on a budget", "2")]
    data = json.loads(app.test_cli_runner().invoke(args=["report", str(cycle_id)]).output)
    # In the summary, a count from fewer than 5 people is withheld.
    assert data["agenda"] == [
        {"topic": "A trip to the seaside", "votes": None},
        {"topic": "Cooking on a budget", "votes": None},
    ]


def test_a_group_adds_its_own_questions_until_answers_arrive(app, client):
    import json

    from inquiry.cycles.services import create_cycle

    group_id = _signed_in(app, client)
    with app.app_context():
        cycle = create_cycle(group_id, "Autumn", date(2026, 11, 1), date(2026, 11, 30))
        db.session.commit()
        cycle_id = cycle.id
    url = f"/workspace/cycles/{cycle_id}/questions"
    page = check_page(client.get(url))
    bad = client.post(
        url,
        data={
            **form_fields(page),
            "qtype": "choice",
            "text": "Which day suits you?",
            "options": "Monday",
        },
    )
    assert error_summary(check_page(bad)) == ["Give between 2 and 8 options, one on each line"]
    assert (
        client.post(
            url,
            data={
                **form_fields(page),
                "text": "I feel welcome at the allotment.",
                "theme": "mutual_support",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            data={
                **form_fields(page),
                "qtype": "choice",
                "text": "Which day suits you?",
                "options": "Monday\nSaturday morning\n",
            },
        ).status_code
        == 302
    )
    _post(client, f"/workspace/cycles/{cycle_id}/open", page_url=f"/workspace/cycles/{cycle_id}")
    with app.app_context():
        code = db.session.get(Cycle, cycle_id).active_code("member")
    # A member meets the group's own questions in the reflection.
    from .reflection import answer_page, send, start, step_count

    member = app.test_client()
    start(member, code)
    together = check_page(member.get("/reflect/3"))
    assert "I feel welcome at the allotment." in together.get_text()
    more = check_page(member.get("/reflect/6"))
    assert more.h1.get_text() == "More questions"
    labels = [label.get_text() for label in more.select(".radio label")]
    assert labels == ["Monday", "Saturday morning"]
    answer_page(member, 3, {"q-group" + str(group_id) + "-q1": "4"})
    answer_page(member, 6, {"q-group" + str(group_id) + "-q2": "saturday_morning"})
    assert step_count(member) == 9
    assert send(member).status_code == 302
    with app.app_context():
        from inquiry.responses.models import Answer

        stored = {(a.qtype, a.likert, a.choice) for a in db.session.scalars(sa.select(Answer))}
        assert stored == {("likert", 4, None), ("choice", None, "saturday_morning")}
    # Answers have arrived: the questions are fixed now.
    frozen = check_page(client.get(url))
    assert frozen.find("form", action=url) is None
    assert "questions are fixed" in frozen.get_text()
    assert client.post(url, data={**form_fields(page), "text": "Late one"}).status_code == 409
    # A new cycle from this one carries the group's own questions.
    new = f"/workspace/groups/{group_id}/cycles/new?from={cycle_id}"
    made = client.post(
        new,
        data={
            **form_fields(check_page(client.get(new))),
            "title": "Winter",
            "starts_on": "2027-01-04",
            "ends_on": "2027-01-29",
        },
    )
    assert made.status_code == 302
    rows = json.loads(
        app.test_cli_runner()
        .invoke(args=["questions", made.headers["Location"].rsplit("/", 1)[1], "--json"])
        .output
    )
    own = [r for r in rows if r["key"].startswith(f"group{group_id}.")]
    assert [(r["type"], r["options"]) for r in own] == [
        ("likert", ["1", "2", "3", "4", "5", "prefer_not_to_say"]),
        ("choice", ["monday", "saturday_morning"]),
    ]


def test_the_audit_log_records_exports_but_never_answers_or_codes(app, client):
    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        group = db.session.get(Group, group_id)
        cycle = make_open_cycle(group)
        make_user("coordinator", group.network, email="c@example.org")
        cycle_id, code = cycle.id, cycle.active_code("member")
    for path in ("summary.csv", "summary.json"):
        assert client.get(f"/workspace/cycles/{cycle_id}/{path}").status_code == 200
    # Per-person answers never reach a facilitator: refused, so nothing to record.
    assert client.get(f"/workspace/cycles/{cycle_id}/answers.csv").status_code == 404
    assert client.get("/workspace/audit").status_code == 404  # facilitators do not see it
    coordinator = app.test_client()
    sign_in(coordinator, "c@example.org")
    page = check_page(coordinator.get("/workspace/audit"))
    text = page.get_text(" ", strip=True)
    downloads = [
        td
        for td in page.select("td")
        if td.get_text(" ", strip=True).startswith("downloaded: cycle ")
    ]
    assert len(downloads) == 2
    assert "f@example.org" in text
    assert code not in text


def test_a_facilitator_prints_the_summary_in_arabic(app, client, tmp_path):
    group_id = _signed_in(app, client)
    with app.app_context():
        from inquiry.groups.models import Group

        cycle_id = make_open_cycle(db.session.get(Group, group_id)).id
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}"))
    link = page.find("a", hreflang="ar")
    assert link is not None and link.get_text() == "العربية"
    path = tmp_path / "ar.pdf"
    path.write_bytes(fetch_pdf(app, client, link["href"]))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Naskh-Arabic" in fonts
    client.set_cookie("inquiry_lang", "pl")  # the reader's own language is the default
    html = client.get(f"/workspace/cycles/{cycle_id}/summary").get_data(as_text=True)
    assert '<html lang="pl"' in html
    with app.test_request_context():
        from flask_babel import force_locale
        from flask_babel import gettext as translate

        with force_locale("pl"):
            heading = translate("How to read this")
    assert heading != "How to read this" and heading in html
