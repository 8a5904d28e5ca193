"""'Did this happen?' in the summary's JSON and CSV: exactly what the summary page says, under
the same small-numbers rule (every value once the figures are final and at least k group
members answered about the action; else none, why, and never how many answered)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from bs4 import BeautifulSoup

from inquiry.actions.models import Action, ActionCheck
from inquiry.cycles.models import Cycle
from inquiry.cycles.services import close_cycle
from inquiry.extensions import db
from inquiry.reports.formats import summary_csv, summary_json
from inquiry.reports.render import render_summary
from inquiry.reports.summary import build_summary

from ..accounts.test_login import sign_in
from ..factories import make_closed_cycle, make_group, make_network, make_open_cycle, make_user
from .test_report import KEY, _respond

K = 5
# A group of 8 members and 2 peer support workers. About the trip, 5 members answered (k);
# about the walks, 4 (one fewer than k): a peer support worker's answer must not make it 5.
TRIP = ["yes", "yes", "partly", "yes", "no"]
WALKS = ["no", "yes", "no", "dont_know"]


def _group_of_eight(app) -> dict:
    with app.app_context():
        group = make_group(make_network(min_responses=K), name="Craft café")
        make_user("facilitator", group.network, [group], email="cafe@example.org")
        spring = make_closed_cycle(
            group, title="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)
        )
        trip = Action(cycle_id=spring.id, what="Plan a seaside trip", theme="hope")
        walks = Action(cycle_id=spring.id, what="Walk on Sundays too")
        db.session.add_all([trip, walks])
        db.session.commit()
        summer = make_open_cycle(
            group, title="Summer", starts_on=date(2026, 6, 1), ends_on=date(2026, 7, 1)
        )
        for n in range(8):
            response = _respond(summer, "member", {"hope.gives_hope": "4"})
            if n < len(TRIP):
                db.session.add(
                    ActionCheck(response_id=response.id, action_id=trip.id, value=TRIP[n])
                )
            if n < len(WALKS):
                db.session.add(
                    ActionCheck(response_id=response.id, action_id=walks.id, value=WALKS[n])
                )
        for shares in (True, False):
            peer = _respond(
                summer, "peer_worker", {"hope.pw_members_hopeful": "3"}, shares_openly=shares
            )
            db.session.add(ActionCheck(response_id=peer.id, action_id=walks.id, value="yes"))
        db.session.commit()
        return {"summer": summer.id, "trip": trip.id, "walks": walks.id}


def _close(app, cycle_id: int) -> None:
    with app.app_context():
        close_cycle(db.session.get(Cycle, cycle_id))
        db.session.commit()


def _outputs(app, cycle_id: int):
    """The summary as JSON, its CSV rows, and the summary page's action lines, in one read."""
    with app.app_context():
        summary = build_summary(db.session.get(Cycle, cycle_id), "en_GB", KEY)
        page = BeautifulSoup(render_summary(summary, "en_GB"), "html.parser")
        texts = [" ".join(li.get_text().split()) for li in page.select("ul.actions li")]
        lines = {
            what: next(text for text in texts if what in text)
            for what in ("Plan a seaside trip", "Walk on Sundays too")
        }
        rows = list(csv.DictReader(io.StringIO(summary_csv(summary))))
        return summary_json(summary), rows, lines


def _action(data: dict, what: str) -> dict:
    return next(a for a in data["actions"] if a["what"] == what)


def _action_rows(rows: list[dict], key: str) -> dict[str, tuple[str, str]]:
    return {
        r["measure"]: (r["value"], r["withheld"])
        for r in rows
        if r["question_key"] == key and r["measure"].startswith("did_this_happen")
    }


def test_shown_whole_from_k_and_withheld_below_k_as_the_page_says(app):
    ids = _group_of_eight(app)
    _close(app, ids["summer"])
    data, rows, lines = _outputs(app, ids["summer"])
    assert data["responses"]["member"] == 8 and data["k"] == K

    # The trip: 5 answered, so every value, zeros included, as on the page.
    trip = _action(data, "Plan a seaside trip")
    assert trip["did_this_happen"] == {"yes": 3, "partly": 1, "no": 1, "dont_know": 0}
    assert trip["did_this_happen_withheld"] is None
    assert (
        "Did this happen? Group members said: Yes 3 · Partly 1 · No 1 · Don't know 0"
        in lines["Plan a seaside trip"]
    )
    assert _action_rows(rows, "action_1") == {
        "did_this_happen_yes": ("3", ""),
        "did_this_happen_partly": ("1", ""),
        "did_this_happen_no": ("1", ""),
        "did_this_happen_dont_know": ("0", ""),
    }
    assert {r["view"] for r in rows if r["question_key"] == "action_1"} == {"member"}
    assert {r["theme"] for r in rows if r["question_key"] == "action_1"} == {"hope"}

    # The walks: 4 members answered (the peer support workers' answers do not count), so
    # nothing, and why, in the page's words; no count of how many answered anywhere.
    walks = _action(data, "Walk on Sundays too")
    assert walks == {
        "what": "Walk on Sundays too",
        "theme": None,
        "status": "planned",
        "note": "",
        "did_this_happen": None,
        "did_this_happen_withheld": "fewer_than_k_answered",
    }
    assert (
        "Did this happen? Fewer than 5 group members answered, so we do not show their answers."
        in lines["Walk on Sundays too"]
    )
    assert "Group members said" not in lines["Walk on Sundays too"]
    assert _action_rows(rows, "action_2") == {
        "did_this_happen_yes": ("", "yes"),
        "did_this_happen_partly": ("", "yes"),
        "did_this_happen_no": ("", "yes"),
        "did_this_happen_dont_know": ("", "yes"),
        "did_this_happen_withheld": ("fewer_than_k_answered", ""),
    }
    # The only numbers about the walks' answers are none at all: the JSON and CSV give no
    # total to subtract from the group's 8, nor any single value.
    assert not [r for r in rows if r["question_key"] == "action_2" and r["value"].isdigit()]
    assert not any(isinstance(v, int) for v in walks.values())


def test_while_open_nothing_is_shown_and_the_reason_is_that_figures_are_not_final(app):
    ids = _group_of_eight(app)
    data, rows, lines = _outputs(app, ids["summer"])
    assert data["figures"] is False
    for action in data["actions"]:
        assert action["did_this_happen"] is None
        assert action["did_this_happen_withheld"] == "no_figures_yet"
    # The page says nothing about either (its notice says the reflection is still open).
    assert not any("Did this happen?" in line for line in lines.values())
    for key in ("action_1", "action_2"):
        shown = _action_rows(rows, key)
        assert shown.pop("did_this_happen_withheld") == ("no_figures_yet", "")
        assert set(shown.values()) == {("", "yes")}


def test_the_report_command_and_the_downloads_carry_the_same(app, client):
    ids = _group_of_eight(app)
    _close(app, ids["summer"])
    data, rows, _lines = _outputs(app, ids["summer"])
    runner = app.test_cli_runner()
    as_json = runner.invoke(args=["report", str(ids["summer"]), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["actions"] == data["actions"]
    as_csv = runner.invoke(args=["report", str(ids["summer"]), "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.DictReader(io.StringIO(as_csv.output))) == rows

    assert sign_in(client, "cafe@example.org").status_code == 302
    url = f"/workspace/cycles/{ids['summer']}/summary"
    downloaded = client.get(f"{url}.json")
    assert downloaded.status_code == 200
    assert json.loads(downloaded.get_data(as_text=True))["actions"] == data["actions"]
    downloaded = client.get(f"{url}.csv")
    assert downloaded.status_code == 200
    assert list(csv.DictReader(io.StringIO(downloaded.get_data(as_text=True)))) == rows


def test_the_answers_stay_in_the_summary_after_the_cycles_answers_are_deleted(app):
    from inquiry.reports.summary import stored_or_built
    from inquiry.retention.services import delete_answers

    ids = _group_of_eight(app)
    _close(app, ids["summer"])
    with app.app_context():
        delete_answers(db.session.get(Cycle, ids["summer"]), "request", None)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(ActionCheck)) == 0
        summary = stored_or_built(db.session.get(Cycle, ids["summer"]), "en_GB", KEY)
        data = summary_json(summary)
        page = BeautifulSoup(render_summary(summary, "en_GB"), "html.parser")
        texts = [" ".join(li.get_text().split()) for li in page.select("ul.actions li")]
    trip = _action(data, "Plan a seaside trip")
    assert trip["did_this_happen"] == {"yes": 3, "partly": 1, "no": 1, "dont_know": 0}
    assert any("Group members said: Yes 3 · Partly 1 · No 1 · Don't know 0" in t for t in texts), (
        texts
    )
    walks = _action(data, "Walk on Sundays too")
    assert walks["did_this_happen"] is None
    assert walks["did_this_happen_withheld"] == "fewer_than_k_answered"
