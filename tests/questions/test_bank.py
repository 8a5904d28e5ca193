"""The built-in question bank: coverage of every theme, stable keys, plain words, and the
statements asked of both audiences in parallel words."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import textstat

from inquiry.cycles.models import Cycle
from inquiry.extensions import db
from inquiry.questions.bank import (
    AGENDA_KEYS,
    BANK,
    MEMBER,
    PEER_WORKER,
    SECTIONS,
    THEMES,
    paired_keys,
)
from inquiry.questions.models import Question, QuestionText
from inquiry.questions.services import bank_translations, sync_bank

# The themes DOMAIN.md names: co-production's four practices, relationships, hope and growth,
# and the learning organisation.
RESEARCH_THEMES = {
    "shared_aims",
    "negotiated_agenda",
    "communication",
    "wider_community",
    "mutual_support",
    "hope",
    "self_esteem",
    "empowerment",
    "optimism",
    "learning_organisation",
}


@pytest.mark.parametrize("items", [MEMBER, PEER_WORKER], ids=["member", "peer_worker"])
def test_every_theme_has_at_least_two_likert_items(items):
    for theme in RESEARCH_THEMES:
        likert = [i for i in items if i.theme == theme and i.qtype == "likert"]
        assert len(likert) >= 2, theme


@pytest.mark.parametrize("items", [MEMBER, PEER_WORKER], ids=["member", "peer_worker"])
def test_open_questions_for_change_agenda_and_anything_else(items):
    texts = {i.key.split(".", 1)[1].removeprefix("pw_"): i.text for i in items if i.qtype == "text"}
    assert set(texts) == {"most_significant_change", "agenda_suggestion", "anything_else"}
    assert texts["agenda_suggestion"] == "What would you like the group to talk about or do next?"
    assert {i.key for i in items if i.key.endswith("agenda_suggestion")} <= AGENDA_KEYS


def test_member_change_question_is_worded_as_agreed():
    assert any(i.text == "What has changed for you since coming to the group?" for i in MEMBER)


def test_peer_workers_are_asked_about_role_support_and_the_organisation():
    themes = {i.theme for i in PEER_WORKER}
    assert {"peer_role", "peer_support", "learning_organisation"} <= themes
    org = [i.text for i in PEER_WORKER if i.theme == "learning_organisation"]
    assert any("organisation" in text for text in org)


def test_keys_are_unique_and_name_a_known_theme():
    keys = [i.key for i in BANK]
    assert len(keys) == len(set(keys))
    assert all(i.theme in THEMES for i in BANK)


def test_every_question_has_a_page():
    for audience, items in (("member", MEMBER), ("peer_worker", PEER_WORKER)):
        paged = {t for section in SECTIONS[audience] for t in section.themes}
        assert {i.theme for i in items} <= paged


@pytest.mark.parametrize("item", MEMBER, ids=lambda i: i.key)
def test_member_items_read_easily(item):
    # Flesch reading ease of at least 70: "fairly easy" or easier.
    assert textstat.flesch_reading_ease(item.text) >= 70, item.text


# Paired questions: one statement asked of both audiences in parallel words.

CO_PRODUCTION = ("shared_aims", "negotiated_agenda", "communication", "wider_community")

# Pair keys are stable, like question keys: pairs may be added, never changed or taken away.
PINNED_PAIRS = {
    "shared_aims.know_aims": ("shared_aims.know_aims", "shared_aims.pw_know_aims"),
    "shared_aims.aims_matter": ("shared_aims.aims_matter", "shared_aims.pw_aims_matter"),
    "negotiated_agenda.ideas_taken_up": (
        "negotiated_agenda.ideas_taken_up",
        "negotiated_agenda.pw_ideas_taken_up",
    ),
    "negotiated_agenda.plans_change": (
        "negotiated_agenda.plans_change",
        "negotiated_agenda.pw_plans_change",
    ),
    "communication.easy_to_speak": (
        "communication.easy_to_speak",
        "communication.pw_easy_to_speak",
    ),
    "communication.listened_to": ("communication.listened_to", "communication.pw_listened_to"),
    "wider_community.hear_of_things": (
        "wider_community.hear_of_things",
        "wider_community.pw_hear_of_things",
    ),
    "wider_community.help_community": (
        "wider_community.help_community",
        "wider_community.pw_help_community",
    ),
    "mutual_support.belong": ("mutual_support.belong", "mutual_support.pw_belong"),
}

# The questions this change added; a database synced before it lacks them.
ADDED_WITH_PAIRS = {
    "negotiated_agenda.plans_change",
    "wider_community.hear_of_things",
    "wider_community.help_community",
    "shared_aims.pw_know_aims",
    "shared_aims.pw_aims_matter",
    "negotiated_agenda.pw_ideas_taken_up",
    "communication.pw_easy_to_speak",
    "communication.pw_listened_to",
    "mutual_support.pw_belong",
    "wider_community.pw_hear_of_things",
    "wider_community.pw_help_community",
}


def _bank_pairs() -> dict[str, tuple[str, str]]:
    return paired_keys((i.audience, i.key, i.pair) for i in BANK)


@pytest.mark.parametrize("theme", CO_PRODUCTION)
def test_every_co_production_theme_has_two_pairs_asked_of_both(theme):
    by_key = {i.key: i for i in BANK}
    pairs = [p for p, (member, _) in _bank_pairs().items() if by_key[member].theme == theme]
    assert len(pairs) >= 2, theme


def test_every_pair_is_one_likert_item_per_audience_in_one_theme():
    pair_keys = {i.pair for i in BANK if i.pair}
    for pair in pair_keys:
        items = [i for i in BANK if i.pair == pair]
        assert sorted(i.audience for i in items) == ["member", "peer_worker"], pair
        member, peer = sorted(items, key=lambda i: i.audience)
        assert member.qtype == peer.qtype == "likert", pair
        assert member.theme == peer.theme, pair
        # The documented rule: a pair is named after its member item.
        assert pair == member.key
        # Parallel words: the peer worker's item says it of members, or says the same words.
        assert "members" in peer.text.lower() or peer.text == member.text, peer.text
    assert set(_bank_pairs()) == pair_keys


def test_pair_keys_never_change():
    assert PINNED_PAIRS.items() <= _bank_pairs().items()


def test_the_peer_workers_own_role_and_support_items_stay_unpaired():
    own = [i for i in PEER_WORKER if i.theme in ("peer_role", "peer_support")]
    assert [i.key for i in own] == [
        "peer_role.clear_role",
        "peer_role.use_experience",
        "peer_support.get_support",
        "peer_support.time_to_reflect",
    ]
    assert all(i.pair is None for i in own)


def test_every_bank_item_has_a_text_in_every_language_file(app):
    texts = bank_translations()
    assert set(texts) == set(app.config["LANGUAGES"]) - {"en_GB"} == {"pl", "so", "ar", "ro"}
    for language, by_key in texts.items():
        assert set(by_key) == {i.key for i in BANK}, language
        assert all(by_key[i.key] for i in BANK), language
        # A translation is not the English left in place.
        assert not [i.key for i in BANK if by_key[i.key] == i.text], language


def test_paired_keys_keeps_pairs_present_in_both_audiences():
    rows = [
        ("member", "a.one", "a.one"),
        ("member", "a.two", "a.two"),  # no peer support worker item in this cycle
        ("member", "b.mine", None),
        ("peer_worker", "b.pw_theirs", None),
        ("peer_worker", "c.pw_three", "c.three"),
        ("peer_worker", "a.pw_one", "a.one"),
        ("member", "c.three", "c.three"),
        ("peer_worker", "d.pw_lonely", "d.lonely"),  # no member item in this cycle
    ]
    assert paired_keys(rows) == {
        "a.one": ("a.one", "a.pw_one"),
        "c.three": ("c.three", "c.pw_three"),
    }
    assert list(paired_keys(rows)) == ["a.one", "c.three"]  # in the order they first appear
    assert paired_keys(iter(rows)) == paired_keys(rows)  # any iterable, read once
    assert paired_keys([]) == {}


def test_paired_keys_leaves_out_a_pair_asked_twice_in_one_audience():
    rows = [
        ("member", "a.one", "a.one"),
        ("member", "group1.q1", "a.one"),
        ("peer_worker", "a.pw_one", "a.one"),
        ("member", "b.two", "b.two"),
        ("peer_worker", "b.pw_two", "b.two"),
        ("nobody", "b.other", "b.two"),  # not an audience: ignored
    ]
    assert paired_keys(rows) == {"b.two": ("b.two", "b.pw_two")}


def _stored_pairs() -> dict[str, str | None]:
    return dict(
        db.session.execute(
            sa.select(Question.key, Question.pair_key).filter_by(is_builtin=True)
        ).all()
    )


def test_sync_bank_sets_pair_keys_on_a_fresh_database(ctx):
    try:
        db.session.execute(sa.delete(QuestionText))
        db.session.execute(sa.delete(Question))
        assert _stored_pairs() == {}
        assert sync_bank() == len(BANK)
        assert _stored_pairs() == {i.key: i.pair for i in BANK}
        db.session.expire_all()
        assert sync_bank() == 0  # again: nothing added, nothing changed
        assert _stored_pairs() == {i.key: i.pair for i in BANK}
        assert (
            paired_keys(
                db.session.execute(
                    sa.select(Question.audience, Question.key, Question.pair_key).filter_by(
                        is_builtin=True
                    )
                )
            )
            == _bank_pairs()
        )
    finally:
        db.session.rollback()


def test_sync_bank_adds_pairs_to_a_database_synced_before_them(ctx):
    try:
        # As a database synced before pairs existed: no pair keys, no new questions.
        new_ids = sa.select(Question.id).where(Question.key.in_(ADDED_WITH_PAIRS))
        db.session.execute(sa.delete(QuestionText).where(QuestionText.question_id.in_(new_ids)))
        db.session.execute(sa.delete(Question).where(Question.key.in_(ADDED_WITH_PAIRS)))
        db.session.execute(sa.update(Question).values(pair_key=None))
        # And one pair key gone wrong, which a sync puts right.
        db.session.execute(
            sa.update(Question).filter_by(key="hope.gives_hope").values(pair_key="hope.wrong")
        )
        db.session.expire_all()
        ids_before = dict(db.session.execute(sa.select(Question.key, Question.id)).all())
        assert set(_stored_pairs().values()) == {None, "hope.wrong"}

        assert sync_bank() == len(ADDED_WITH_PAIRS)
        assert _stored_pairs() == {i.key: i.pair for i in BANK}
        ids_after = dict(db.session.execute(sa.select(Question.key, Question.id)).all())
        assert {k: ids_after[k] for k in ids_before} == ids_before  # refreshed, not replaced
        db.session.expire_all()
        assert sync_bank() == 0
        assert _stored_pairs() == {i.key: i.pair for i in BANK}
        plans = db.session.scalars(
            sa.select(Question).filter_by(key="negotiated_agenda.pw_plans_change")
        ).one()
        assert plans.pair_key == "negotiated_agenda.plans_change"
        assert plans.texts["pl"].text == (
            "Plany się zmieniają, kiedy uczestnicy grupy proszą o coś innego."
        )
        added = db.session.scalars(
            sa.select(Question).filter_by(key="negotiated_agenda.plans_change")
        ).one()
        assert set(added.texts) == {"en_GB", "pl", "so", "ar", "ro"}
        assert added.texts["en_GB"].text == "Plans change when we ask for something different."
    finally:
        db.session.rollback()


def test_the_questions_command_shows_each_pair_key(app, cycle):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["questions", str(cycle.id), "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["audience"], r["key"]): r["pair_key"] for r in json.loads(result.output)}
    assert rows[("member", "shared_aims.know_aims")] == "shared_aims.know_aims"
    assert rows[("peer_worker", "shared_aims.pw_know_aims")] == "shared_aims.know_aims"
    assert rows[("member", "negotiated_agenda.have_a_say")] is None
    assert rows[("peer_worker", "peer_role.clear_role")] is None
    assert {k: v for k, v in rows.items() if v} == {
        (i.audience, i.key): i.pair for i in BANK if i.pair
    }

    text = runner.invoke(args=["questions", str(cycle.id)])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert len(lines) == len(BANK)
    [know] = [line for line in lines if line.split()[2] == "shared_aims.pw_know_aims"]
    assert know.split() == [
        "peer_worker",
        "likert",
        "shared_aims.pw_know_aims",
        "(pair",
        "shared_aims.know_aims)",
    ]
    [say] = [line for line in lines if line.split()[2] == "negotiated_agenda.have_a_say"]
    assert say.split() == ["member", "likert", "negotiated_agenda.have_a_say"]


def test_the_questions_page_marks_pairs_asked_of_both_in_this_cycle(app, client):
    from datetime import date

    from inquiry.cycles.services import create_cycle
    from inquiry.questions.models import Question as Q

    from ..accounts.test_login import sign_in
    from ..factories import make_group, make_user
    from ..pages import check_page

    def bank(*keys):
        return [db.session.scalars(sa.select(Q).filter_by(key=k)).one() for k in keys]

    with app.app_context():
        group = make_group(name="Allotment")
        make_user("facilitator", group.network, [group], email="f@example.org")
        # Members are asked both shared-aims items; peer workers only one of their partners.
        cycle = create_cycle(
            group.id,
            "Autumn",
            date(2026, 11, 1),
            date(2026, 11, 30),
            {
                "member": bank("shared_aims.know_aims", "shared_aims.aims_matter"),
                "peer_worker": bank("shared_aims.pw_know_aims", "peer_role.clear_role"),
            },
            strict=True,
        )
        db.session.commit()
        cycle_id = cycle.id
    assert sign_in(client, "f@example.org").status_code == 302
    page = check_page(client.get(f"/workspace/cycles/{cycle_id}/questions"))
    items = {
        li.get_text(" ", strip=True): [t.get_text() for t in li.select(".tag")]
        for li in page.select("main ol li")
    }
    assert items == {
        "I know what our group is for. asked of both": ["asked of both"],
        "What the group is trying to do matters to me.": [],
        "Members know what the group is for. asked of both": ["asked of both"],
        "I am clear about what my role is in this group.": [],
    }
    assert "matching words" in page.select_one("main h1").find_next("p").get_text()

    with app.app_context():
        lone = create_cycle(
            group_id=db.session.get(Cycle, cycle_id).group_id,
            title="Winter",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 2, 1),
            questions={"member": bank("shared_aims.know_aims"), "peer_worker": []},
            strict=True,
        )
        db.session.commit()
        lone_id = lone.id
    page = check_page(client.get(f"/workspace/cycles/{lone_id}/questions"))
    assert page.select("main ol .tag") == []
    assert "matching words" not in page.get_text()


def test_the_demo_answers_every_paired_question_from_both_audiences(ctx):
    from inquiry.cycles.models import CycleQuestion
    from inquiry.demo import seed_demo
    from inquiry.responses.models import Answer

    assert seed_demo()
    db.session.commit()
    answered = db.session.execute(
        sa.select(Cycle.id, Question.pair_key, CycleQuestion.audience, sa.func.count(Answer.id))
        .join(CycleQuestion, CycleQuestion.cycle_id == Cycle.id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .join(Answer, Answer.cycle_question_id == CycleQuestion.id)
        .where(Cycle.state == "closed", Question.pair_key.is_not(None))
        .group_by(Cycle.id, Question.pair_key, CycleQuestion.audience)
    ).all()
    closed = db.session.scalars(sa.select(Cycle.id).filter_by(state="closed")).all()
    assert len(closed) == 8  # four groups, two closed cycles each
    counts = {(c, pair, audience): n for c, pair, audience, n in answered}
    for cycle_id in closed:
        for pair in PINNED_PAIRS:
            for audience in ("member", "peer_worker"):
                assert counts.get((cycle_id, pair, audience), 0) > 0, (cycle_id, pair, audience)
