"""Joining with a code: by link, by typing it, and kindly refused when wrong."""

from __future__ import annotations

from ..factories import make_closed_cycle, make_open_cycle
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


def test_a_closed_cycles_code_says_the_reflection_has_closed(app, client):
    with app.app_context():
        cycle = make_closed_cycle()
        code, group = cycle.active_code("member"), cycle.group.name
    for response in (
        client.get(f"/j/{code}"),
        client.post("/", data={**form_fields(check_page(client.get("/"))), "code": code}),
    ):
        assert response.status_code == 410
        page = check_page(response)
        assert page.h1.get_text() == "This reflection has closed"
        text = page.get_text(" ", strip=True)
        assert group in text
        assert "closed on" in text and "next meeting" in text
        assert "Check the code" not in text


def test_a_closed_cycles_code_is_not_counted_as_a_wrong_code(app, client, cycle):
    with app.app_context():
        code = make_closed_cycle().active_code("member")
    for _ in range(12):
        assert client.get(f"/j/{code}").status_code == 410
    wrong = client.post("/", data={**form_fields(check_page(client.get("/"))), "code": "WRONG1"})
    assert wrong.status_code == 404


def _wrong_codes(client, count: int, prefix: str = "WRONG") -> list[int]:
    data = form_fields(check_page(client.get("/")))
    return [
        client.post("/", data={**data, "code": f"{prefix}{i}"}).status_code for i in range(count)
    ]


TOO_MANY = (
    "Lots of wrong codes have come from this internet connection. "
    "Wait a few minutes, then try again."
)


def test_a_right_code_works_after_ten_wrong_ones_from_the_same_address(client, cycle):
    assert _wrong_codes(client, 12) == [404] * 10 + [429, 429]
    limited = client.post("/", data={**form_fields(check_page(client.get("/"))), "code": "WRONGX"})
    assert limited.status_code == 429
    page = check_page(limited)
    assert error_summary(page) == [TOO_MANY]
    assert page.title.string.startswith("Error:")
    # The right code, typed or from the poster's QR link, still gets in.
    code = cycle.active_code("member")
    typed = client.post("/", data={**form_fields(check_page(client.get("/"))), "code": code})
    assert typed.status_code == 302 and typed.headers["Location"].endswith("/reflect")
    assert client.get(f"/j/{code}").status_code == 302
    # Another address is not affected.
    other = client.post(
        "/",
        data={**form_fields(check_page(client.get("/"))), "code": "WRONGY"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 404


def test_guessing_stays_slow_while_the_rooms_own_code_still_works(app, client, cycle):
    with app.app_context():
        other_code = make_open_cycle().active_code("member")
    rooms_code = cycle.active_code("member")
    assert client.get(f"/j/{rooms_code}").status_code == 302  # the room's code, used here
    assert _wrong_codes(client, 30) == [404] * 10 + [429] * 20
    # Past the guessing limit a code that never worked from here is not even looked up, so a
    # guesser cannot tell a right code from a wrong one...
    for code in (other_code, "WRONGZ"):
        refused = client.get(f"/j/{code}")
        assert refused.status_code == 429
        assert error_summary(check_page(refused)) == [TOO_MANY]
    # ... while the room's own code (and its QR link) still gets people in.
    assert client.get(f"/j/{rooms_code}").status_code == 302
    data = form_fields(check_page(client.get("/")))
    assert client.post("/", data={**data, "code": rooms_code.lower()}).status_code == 302
    # Elsewhere the other group's code works as ever.
    assert (
        client.get(f"/j/{other_code}", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 302
    )


def test_right_codes_do_not_use_up_the_limit(client, cycle):
    for _ in range(15):
        assert client.get(f"/j/{cycle.active_code('member')}").status_code == 302
    assert _wrong_codes(client, 10) == [404] * 10


def test_an_empty_or_refused_form_is_not_counted_as_a_wrong_code(client, cycle):
    data = form_fields(check_page(client.get("/")))
    for _ in range(12):
        assert client.post("/", data={**data, "code": " "}).status_code == 400
    assert _wrong_codes(client, 1) == [404]
