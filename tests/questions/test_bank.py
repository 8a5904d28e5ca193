"""The built-in question bank: coverage of every theme, stable keys, plain words."""

from __future__ import annotations

import pytest
import textstat

from inquiry.questions.bank import AGENDA_KEYS, BANK, MEMBER, PEER_WORKER, SECTIONS, THEMES

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
