"""Nothing a member typed is lost: concurrent double submits, and a database that fails."""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.parse
import urllib.request

import sqlalchemy as sa

from inquiry.extensions import db
from inquiry.responses.models import Draft, Response

from ..pages import check_page, form_fields, parse
from ..reflection import answer_page, send, start


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_twenty_parallel_submits_of_one_token_store_one_response(app, live_server, cycle):
    """Twenty taps of "Send" racing over real HTTP: one response, the same receipt for all."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def get(path):
        with opener.open(live_server + path) as reply:
            return reply.read().decode()

    def post(path, data, follow=True):
        body = urllib.parse.urlencode(data).encode()
        handler = (
            opener
            if follow
            else urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        )
        try:
            with handler.open(live_server + path, body) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    from bs4 import BeautifulSoup

    start_page = BeautifulSoup(get(f"/j/{cycle.active_code('member')}"), "html.parser")
    post("/reflect", form_fields(start_page))
    page1 = BeautifulSoup(get("/reflect/1"), "html.parser")
    post("/reflect/1", {**form_fields(page1), "q-shared_aims-know_aims": "4"})
    check = BeautifulSoup(get("/reflect/8"), "html.parser")
    data = form_fields(check, "/reflect/send")

    statuses, barrier = [], threading.Barrier(20)

    def tap():
        barrier.wait()
        statuses.append(post("/reflect/send", data, follow=False)[0])

    threads = [threading.Thread(target=tap) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302] * 20
    with app.app_context():
        assert _count(Response) == 1
        assert _count(Draft) == 0
        assert db.session.scalar(sa.select(Response.submission_token)) == data["submission_token"]


def test_a_failed_save_shows_503_with_the_answers_kept(client, cycle, read_only_database_later):
    start(client, cycle.active_code("member"))
    read_only_database_later()
    data = form_fields(parse(client.get("/reflect/6")))
    data["q-open-anything_else"] = "The bus times changed."
    failed = client.post("/reflect/6", data=data)
    assert failed.status_code == 503
    page = check_page(failed)
    assert page.title.string.startswith("Error:")
    assert "We could not save this" in page.get_text()
    assert "saved" not in page.find(class_="panel-warning").get_text().replace("could not save", "")
    assert page.find("textarea", attrs={"name": "q-open-anything_else"}).get_text() == (
        "The bus times changed."
    )


def test_a_failed_send_shows_503_and_stores_nothing(app, client, cycle, read_only_database_later):
    start(client, cycle.active_code("member"))
    answer_page(client, 1, {"q-shared_aims-know_aims": "5"})
    read_only_database_later()
    failed = send(client)
    assert failed.status_code == 503
    page = check_page(failed)
    assert "We could not save this" in page.get_text()
    assert "Thank you" not in page.get_text()
    rows = {
        row.dt.get_text(): row.find("dd").get_text(strip=True)
        for row in page.select(".summary .row")
    }
    assert rows["I know what our group is for."] == "Strongly agree"
