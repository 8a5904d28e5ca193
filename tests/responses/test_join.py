"""Joining with a code: by link, by typing it, and kindly refused when wrong."""

from __future__ import annotations

from ..factories import make_closed_cycle
from ..pages import check_page, error_summary, form_fields


def test_the_home_page_asks_for_the_code(client):
    page = check_page(client.get("/"))
    assert page.h1.get_text() == "How is the group going for you?"
    assert page.find("label", attrs={"for": "code"})


def test_a_typed_code_ignores_case_spaces_and_dashes(client, cycle):
    code = cycle.active_code("member")
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    page = check_page(client.get("/"))
    response = client.post("/", data={**form_fields(page), "code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reflect")


def test_a_link_code_in_small_letters_works(client, cycle):
    assert client.get(f"/j/{cycle.active_code('member').lower()}").status_code == 302


def test_a_wrong_code_gets_a_kind_message(client, cycle):
    page = check_page(client.get("/"))
    response = client.post("/", data={**form_fields(page), "code": "ZZZZZZ"})
    assert response.status_code == 404
    page = check_page(response)
    assert error_summary(page) == [
        "We could not find an open reflection with that code. Check the code and try again."
    ]
    assert page.title.string.startswith("Error:")
    assert page.find("input", attrs={"name": "code"})["value"] == "ZZZZZZ"


def test_an_empty_code_asks_for_one(client):
    page = check_page(client.get("/"))
    response = client.post("/", data={**form_fields(page), "code": "  "})
    assert response.status_code == 400
    assert error_summary(check_page(response)) == ["Enter your group's code"]


def test_a_closed_cycles_code_is_refused(app, client):
    with app.app_context():
        code = make_closed_cycle().active_code("member")
    response = client.get(f"/j/{code}")
    assert response.status_code == 404
    assert "could not find an open reflection" in response.get_data(as_text=True)


def test_wrong_codes_are_rate_limited_per_address(client, cycle):
    page = check_page(client.get("/"))
    data = form_fields(page)
    statuses = [client.post("/", data={**data, "code": f"WRONG{i}"}).status_code for i in range(12)]
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]
    limited = client.get(f"/j/{cycle.active_code('member')}")
    assert limited.status_code == 429
    assert "Please wait a moment" in limited.get_data(as_text=True)
    # Another address is not affected.
    other = client.get(
        f"/j/{cycle.active_code('member')}", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert other.status_code == 302


def test_right_codes_do_not_use_up_the_limit(client, cycle):
    for _ in range(15):
        assert client.get(f"/j/{cycle.active_code('member')}").status_code == 302
