"""Nothing a member typed, and no join or receipt code, ever reaches the logs."""

from __future__ import annotations

import logging

from .pages import form_fields, parse
from .reflection import answer_page, send, start

CANARY = "CANARY7f3a"


def test_no_answer_or_code_reaches_the_logs(
    app, client, cycle, caplog, tmp_path, read_only_database_later
):
    caplog.set_level(logging.DEBUG)
    code = cycle.active_code("member")
    start(client, code)
    answer_page(
        client,
        6,
        {
            "q-open-most_significant_change": f"{CANARY} change",
            "q-open-agenda_suggestion": f"{CANARY} agenda",
            "q-open-anything_else": f"{CANARY} else",
        },
    )
    answer_page(client, 7, {"initial": "Q", "day": "29", "siblings": "7", "town": "Z"})
    # A refused page and a failed code are logged no more than a good one.
    answer_page(client, 6, {"q-open-anything_else": CANARY * 2000})
    client.post("/", data={**form_fields(parse(client.get("/"))), "code": f"{CANARY}X"})
    send(client)
    receipt = parse(client.get("/reflect/done")).find(class_="receipt").get_text()
    client.post(
        "/withdraw", data={**form_fields(parse(client.get("/withdraw"))), "receipt": receipt}
    )
    other = app.test_client()
    start(other, code)
    read_only_database_later()  # a failure that is logged, with the member's text on the page
    failed = answer_page(other, 6, {"q-open-anything_else": f"{CANARY} kept"})
    assert failed.status_code == 503 and CANARY in failed.get_data(as_text=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "response_id,audience,language,source,submitted_on,question_key,theme,value\n"
        f"a,member,en_GB,paper,2026-11-20,open.anything_else,open,{CANARY}\n"
        f"b,member,en_GB,paper,2026-11-20,hope.gives_hope,hope,{CANARY}\n"
    )
    app.test_cli_runner().invoke(args=["import-responses", str(cycle.id), str(bad)])
    logged = caplog.text
    assert "could not save a reflection" in logged  # the logs are being read here
    for secret in (CANARY, code, code.lower(), receipt, receipt.replace("-", "")):
        assert secret not in logged, secret
