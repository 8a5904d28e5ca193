"""What every member page promises: light, script-free, uncached, and safely headed."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from inquiry.core.models import utcnow
from inquiry.extensions import db
from inquiry.responses.models import Draft

from ..pages import check_page, form_fields, parse
from ..reflection import join, send, start

BUDGET = 14 * 1024
CSS = (Path(__file__).resolve().parents[2] / "inquiry" / "static" / "style.css").read_bytes()


def _walk(client, code):
    """Every member page, as (path, response), from the home page to withdrawal."""
    seen = [("/", client.get("/")), ("/reflect", join(client, code))]
    start(client, code)
    total = int(parse(client.get("/reflect/1")).find(class_="caption").get_text().split()[-1])
    for number in range(1, total + 1):
        seen.append((f"/reflect/{number}", client.get(f"/reflect/{number}")))
    send(client)
    seen.append(("/reflect/done", client.get("/reflect/done")))
    seen.append(("/withdraw", client.get("/withdraw")))
    return seen


def test_every_member_page_is_light_script_free_and_uniquely_titled(client, cycle):
    css_gz = len(gzip.compress(CSS))
    titles = []
    for path, response in _walk(client, cycle.active_code("member")):
        assert response.status_code == 200, path
        page = check_page(response)
        weight = len(gzip.compress(response.data)) + css_gz
        assert weight <= BUDGET, f"{path} weighs {weight} bytes gzipped with its CSS"
        assert page.find("script") is None, path
        assert page.find(style=True) is None and page.find("style") is None, path
        assert page.find("meta", attrs={"name": "viewport"}), path
        titles.append(page.title.string)
    assert len(titles) == len(set(titles)), titles


def test_member_pages_carry_the_security_headers(client, cycle):
    for path, response in _walk(client, cycle.active_code("member")):
        headers = response.headers
        assert headers["Cache-Control"] == "no-store", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert "unsafe-inline" not in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path


def test_the_stylesheet_is_cacheable_and_versioned(client):
    href = parse(client.get("/")).find("link", rel="stylesheet")["href"]
    assert "?v=" in href
    response = client.get(href)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_every_step_shows_its_progress_and_a_back_button(client, cycle):
    first = check_page(start(client, cycle.active_code("member")))
    assert first.find(class_="caption").get_text() == "Step 1 of 8"
    back = first.find("button", attrs={"name": "go", "value": "back"})
    assert back is not None and back.get_text() == "Back"
    continue_button = first.find("form").find("button")
    assert continue_button.get_text() == "Continue"  # Enter in a field continues, not back


def test_likert_radios_have_words_and_prefer_not_to_say(client, cycle):
    page = check_page(start(client, cycle.active_code("member")))
    fieldset = page.find("fieldset")
    assert fieldset.legend.get_text() == "I know what our group is for."
    labels = [label.get_text() for label in fieldset.find_all("label")]
    assert labels == [
        "Strongly agree",
        "Agree",
        "Not sure",
        "Disagree",
        "Strongly disagree",
        "I'd rather not say",
    ]


def test_expired_drafts_are_purged(app, client, cycle):
    start(client, cycle.active_code("member"))
    with app.app_context():
        db.session.execute(sa.update(Draft).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-drafts"])
    assert "Deleted 1 expired drafts." in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    assert client.get("/reflect/1").status_code == 410


def test_the_start_page_is_shown_again_after_the_code(client, cycle):
    # Joining a second time on the same phone carries on with the same draft.
    start(client, cycle.active_code("member"))
    again = check_page(join(client, cycle.active_code("member")))
    assert again.find("button").get_text() == "Carry on"
    client.post("/reflect", data=form_fields(again))
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
