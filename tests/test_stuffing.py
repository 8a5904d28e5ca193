"""Stuffing: one address sending reflection after reflection (the issue: 10 in 7 s) or
choosing topics over and over (30 in 6 s) with a poster's code. Per address and per cycle,
limits a real room never reaches (a group of 30 on one Wi-Fi sends 30 and makes 30 first
choices in an hour; the limits are 60 an hour and 150 a day); past them a plain 429 that
keeps everything sent; and the facilitator can pause a code from the cycle page."""

from __future__ import annotations

import os
import urllib.parse

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from inquiry.agenda.models import AgendaTopic
from inquiry.core.security import STUFFING_LIMITS
from inquiry.cycles.models import Cycle
from inquiry.extensions import db
from inquiry.responses import services
from inquiry.responses.models import Draft, Response

from .accounts.test_login import sign_in
from .factories import make_group, make_open_cycle, make_user
from .pages import check_page, form_fields
from .test_scaling import redis_url  # noqa: F401 - the fixture


def _world(app, topics=3):
    with app.app_context():
        group = make_group()
        cycle = make_open_cycle(group)
        second = make_open_cycle(make_group(group.network))
        db.session.add_all(
            [AgendaTopic(cycle_id=cycle.id, title=f"Topic {i}") for i in range(topics)]
        )
        make_user("facilitator", group.network, [group], email="fac@example.org")
        db.session.commit()
        return cycle.id, second.id, cycle.active_code("member")


def _member(app, cycle_id, address="192.0.2.10"):
    """A member of the room with a reflection started (as after Start now), on one address."""
    with app.app_context():
        draft, token = services.start_draft(db.session.get(Cycle, cycle_id), "member", "en_GB", 14)
        db.session.commit()
        submission = draft.submission_token
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.set_cookie(app.config["RESUME_COOKIE"], token)
    return client, submission


def _send(client, submission):
    token = form_fields(check_page(client.get("/")))["csrf_token"]
    return client.post("/reflect/send", data={"csrf_token": token, "submission_token": submission})


def _choose(client, topic_ids):
    page = check_page(client.get("/topics"))
    return client.post(
        "/topics", data={**form_fields(page, "/topics"), "topics": [str(i) for i in topic_ids]}
    )


def _stored(app, cycle_id) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Response).filter_by(cycle_id=cycle_id)
        )


def _topic_ids(app, cycle_id):
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AgendaTopic.id).filter_by(cycle_id=cycle_id).order_by(AgendaTopic.id)
            )
        )


def test_the_limits_are_well_above_a_room_of_30(app):
    # 30 people in an hour, each sending once and making one first choice: twice that.
    for setting in ("SEND_RATE_LIMIT", "CHOOSE_RATE_LIMIT"):
        assert app.config[setting] == STUFFING_LIMITS[setting] == "60 per hour;150 per day"


def test_a_room_of_30_on_one_address_chooses_changes_its_mind_and_sends(app):
    cycle_id, _second, _code = _world(app)
    topics = _topic_ids(app, cycle_id)
    for person in range(30):
        client, submission = _member(app, cycle_id)
        assert _choose(client, topics[:2]).status_code == 302
        if person % 3 == 0:  # a third change their minds: never counted
            assert _choose(client, topics[1:]).status_code == 302
        assert _send(client, submission).status_code == 302
    assert _stored(app, cycle_id) == 30


def test_past_the_limit_a_send_waits_and_keeps_the_answers(app, monkeypatch):
    monkeypatch.setitem(app.config, "SEND_RATE_LIMIT", "3 per hour")
    cycle_id, second_id, _code = _world(app)
    for _ in range(3):
        assert _send(*_member(app, cycle_id)).status_code == 302
    # A replay of a sent reflection is not a new one: it shows the same confirmation.
    client, submission = _member(app, cycle_id)
    assert _send(client, submission).status_code == 429
    page = check_page(_send(client, submission))
    assert page.h1.get_text() == "Please wait before sending again"
    assert "Nothing is lost" in page.get_text() and "minutes" in page.get_text()
    kept = form_fields(page, "/reflect/send")
    assert kept["submission_token"] == submission
    assert _stored(app, cycle_id) == 3
    with app.app_context():  # the draft is still there, answers and all
        assert db.session.scalar(sa.select(Draft.id).filter_by(submission_token=submission))
    # Another address, and the same address for another group's cycle, are not held up.
    assert _send(*_member(app, cycle_id, address="198.51.100.7")).status_code == 302
    assert _send(*_member(app, second_id)).status_code == 302
    # Later (here: the limit lifted), Try again sends it as it was.
    monkeypatch.setitem(app.config, "SEND_RATE_LIMIT", "60 per hour")
    again = client.post("/reflect/send", data=kept)
    assert again.status_code == 302 and again.headers["Location"].endswith("/reflect/done")
    assert _stored(app, cycle_id) == 5


def test_choosing_past_the_limit_keeps_the_choice_and_a_change_of_mind_is_free(app, monkeypatch):
    monkeypatch.setitem(app.config, "CHOOSE_RATE_LIMIT", "2 per hour")
    cycle_id, _second, _code = _world(app)
    topics = _topic_ids(app, cycle_id)
    first, _ = _member(app, cycle_id)
    for choice in (topics[:1], topics[1:], topics[:3], topics[2:]):
        assert _choose(first, choice).status_code == 302
    second, _ = _member(app, cycle_id)
    assert _choose(second, topics[:2]).status_code == 302
    # Four saves by the first (three changes of mind) and one by the second counted as two.
    third, _ = _member(app, cycle_id)
    refused = _choose(third, [topics[0], topics[2]])
    assert refused.status_code == 429
    page = check_page(refused)
    kept = page.select("form[action='/topics'] input[name=topics]")
    assert sorted(int(i["value"]) for i in kept) == [topics[0], topics[2]]
    monkeypatch.setitem(app.config, "CHOOSE_RATE_LIMIT", "60 per hour")
    resent = third.post(
        "/topics",
        data=MultiDict(
            [(i["name"], i["value"]) for i in page.select("form[action='/topics'] input")]
        ),
    )
    assert resent.status_code == 302


def test_a_facilitator_pauses_a_code_and_resumes_it(app):
    cycle_id, _second, code = _world(app)
    facilitator = app.test_client()
    assert sign_in(facilitator, "fac@example.org").status_code == 302
    page_url = f"/workspace/cycles/{cycle_id}"
    pause = f"{page_url}/codes/member/pause"
    page = check_page(facilitator.get(page_url))
    button = page.find("form", action=pause)
    assert "Pause code" in button.get_text()
    assert facilitator.post(pause, data=form_fields(page, pause)).status_code == 302
    page = check_page(facilitator.get(page_url))
    assert "The code is paused" in page.get_text() and "Paused" in page.find("tbody").get_text()
    resume = f"{page_url}/codes/member/resume"
    assert "Resume code" in page.find("form", action=resume).get_text()

    member = app.test_client()
    member.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    message = "The facilitator has paused this code for now. Please try again later."
    for _ in range(15):  # past the wrong-code limit: a paused code never counts as wrong
        link = member.get(f"/j/{code}")
        assert link.status_code == 423
        assert message in check_page(link).get_text()
    home = check_page(member.get("/"))
    typed = member.post("/", data={**form_fields(home), "code": code.lower()})
    assert typed.status_code == 423 and message in check_page(typed).get_text()
    wrong = member.post("/", data={**form_fields(home), "code": "ZZZZ99"})
    assert wrong.status_code == 404  # "check the code", not "wait": nothing was counted

    assert facilitator.post(resume, data=form_fields(page, resume)).status_code == 302
    assert member.get(f"/j/{code}").status_code == 302
    with app.app_context():
        from inquiry.core.audit import AuditEvent

        details = list(
            db.session.scalars(
                sa.select(AuditEvent.detail).filter_by(action="edited", object_id=cycle_id)
            )
        )
    assert details == ["paused the member code", "resumed the member code"]


def test_pausing_needs_an_open_cycle_and_a_known_audience(app):
    cycle_id, _second, _code = _world(app)
    facilitator = app.test_client()
    assert sign_in(facilitator, "fac@example.org").status_code == 302
    page = check_page(facilitator.get(f"/workspace/cycles/{cycle_id}"))
    token = form_fields(page, f"/workspace/cycles/{cycle_id}/codes/member/pause")["csrf_token"]
    base = f"/workspace/cycles/{cycle_id}/codes"
    assert facilitator.post(f"{base}/visitor/pause", data={"csrf_token": token}).status_code == 404
    assert facilitator.post(f"{base}/member/stop", data={"csrf_token": token}).status_code == 404
    assert facilitator.post(f"{base}/member/pause", data={}).status_code == 400


def test_the_counts_are_shared_through_redis(app, redis_url):  # noqa: F811 - the fixture
    """Two processes on one Redis count one address's sends together."""
    import http.client
    import subprocess

    from .test_scaling import GUNICORN, TOKEN, _port, _wait

    cycle_id, _second, _code = _world(app)
    drafts = []
    with app.app_context():
        for _ in range(3):
            draft, token = services.start_draft(
                db.session.get(Cycle, cycle_id), "member", "en_GB", 14
            )
            drafts.append((token, draft.submission_token))
        db.session.commit()
    env = {
        **os.environ,
        "INQUIRY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INQUIRY_SECRET_KEY": app.config["SECRET_KEY"],
        "INQUIRY_LINK_KEY": app.config["LINK_KEY"],
        "INQUIRY_RATELIMIT_STORAGE_URI": redis_url,
        "INQUIRY_SEND_RATE_LIMIT": "2 per hour",
    }
    env.pop("DATABASE_URL", None)
    ports = [_port(), _port()]
    servers = [
        subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "inquiry:create_app()",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            _wait(port)

        def send(port, resume, submission):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/")
            reply = conn.getresponse()
            session = reply.getheader("Set-Cookie").split(";", 1)[0]
            token = TOKEN.search(reply.read().decode())[1]
            body = urllib.parse.urlencode({"csrf_token": token, "submission_token": submission})
            conn.request(
                "POST",
                "/reflect/send",
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"{session}; {app.config['RESUME_COOKIE']}={resume}",
                },
            )
            status = conn.getresponse().status
            conn.close()
            return status

        statuses = [
            send(port, *draft)
            for port, draft in zip([ports[0], ports[1], ports[0]], drafts, strict=True)
        ]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    assert statuses == [302, 302, 429]
    assert _stored(app, cycle_id) == 2
