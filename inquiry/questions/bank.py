"""The built-in question bank: our own plain-language items, in English.

Keys are stable across cycles and releases: change the wording, never the key.
Other languages are stored with the question (see ``services.sync_bank``).

Paired questions: a statement asked of both audiences in parallel words ("When I share an
idea, the group takes it up." / "When members share an idea, the group takes it up.") so the
gap between members and peer support workers compares like with like. Both items of a pair
carry the same pair key, and the pair key is always the member item's key (for example
``negotiated_agenda.ideas_taken_up``): like a key, it is given once and never changed or
reused. A pair is one member item and one peer support worker item, both Likert, of the same
theme. The peer worker's item asks the member's statement about members; where the statement
is about the group itself, both audiences read the same words. Where a pair uses an existing
item, its partner is new and written in that item's words: no existing item was reworded to
make a pair, and none has a new near-duplicate beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

THEMES = {
    "shared_aims": _l("Shared aims"),
    "negotiated_agenda": _l("Shaping what we do"),
    "communication": _l("Clear communication"),
    "wider_community": _l("The wider community"),
    "mutual_support": _l("Supporting each other"),
    "hope": _l("Hope"),
    "optimism": _l("Looking ahead"),
    "self_esteem": _l("Self-esteem"),
    "empowerment": _l("Having a say in your life"),
    "learning_organisation": _l("You said, we did"),
    "peer_role": _l("Your role"),
    "peer_support": _l("Support for you"),
    "open": _l("In your own words"),
    "own": _l("The group's own questions"),
}


@dataclass(frozen=True)
class Section:
    """One page of the reflection: a heading and the themes it asks about."""

    key: str
    title: str
    themes: tuple[str, ...]


SECTIONS = {
    "member": (
        Section("purpose", _l("What the group is for"), ("shared_aims", "negotiated_agenda")),
        Section("talking", _l("Talking and listening"), ("communication", "learning_organisation")),
        Section("together", _l("Being together"), ("mutual_support", "wider_community")),
        Section("feelings", _l("How you feel"), ("hope", "optimism")),
        Section("yourself", _l("You and the group"), ("self_esteem", "empowerment")),
        Section("own_words", _l("In your own words"), ("open",)),
    ),
    "peer_worker": (
        Section("role", _l("Your role"), ("peer_role", "peer_support")),
        Section("purpose", _l("What the group is for"), ("shared_aims", "negotiated_agenda")),
        Section("talking", _l("Talking and listening"), ("communication", "learning_organisation")),
        Section("together", _l("Being together"), ("mutual_support", "wider_community")),
        Section("hope", _l("Hope and looking ahead"), ("hope", "optimism")),
        Section("confidence", _l("Confidence and having a say"), ("self_esteem", "empowerment")),
        Section("own_words", _l("In your own words"), ("open",)),
    ),
}


@dataclass(frozen=True)
class BankItem:
    key: str
    audience: str
    qtype: str
    text: str
    hint: str | None = None
    # The pair key shared with the other audience's parallel item (see the module docstring).
    pair: str | None = None

    @property
    def theme(self) -> str:
        return self.key.split(".", 1)[0]


def _items(audience: str, rows: list[tuple[str, ...]]) -> list[BankItem]:
    """Rows of (key, qtype, text) or (key, qtype, text, pair key)."""
    return [
        BankItem(key, audience, qtype, text, pair=pair[0] if pair else None)
        for key, qtype, text, *pair in rows
    ]


MEMBER = _items(
    "member",
    [
        (
            "shared_aims.know_aims",
            "likert",
            "I know what our group is for.",
            "shared_aims.know_aims",
        ),
        (
            "shared_aims.aims_matter",
            "likert",
            "What the group is trying to do matters to me.",
            "shared_aims.aims_matter",
        ),
        ("negotiated_agenda.have_a_say", "likert", "I have a say in what the group does."),
        (
            "negotiated_agenda.ideas_taken_up",
            "likert",
            "When I share an idea, the group takes it up.",
            "negotiated_agenda.ideas_taken_up",
        ),
        (
            "negotiated_agenda.plans_change",
            "likert",
            "Plans change when we ask for something different.",
            "negotiated_agenda.plans_change",
        ),
        ("communication.know_whats_on", "likert", "I know what is going on in the group."),
        (
            "communication.easy_to_speak",
            "likert",
            "It feels easy to speak up in the group.",
            "communication.easy_to_speak",
        ),
        (
            "communication.listened_to",
            "likert",
            "People in the group listen to me.",
            "communication.listened_to",
        ),
        (
            "learning_organisation.acted_on",
            "likert",
            "When we say what we think, the people who run the group act on it.",
        ),
        (
            "learning_organisation.see_changes",
            "likert",
            "I can see things that changed because we spoke up.",
        ),
        ("mutual_support.help_others", "likert", "I help other people in the group."),
        ("mutual_support.get_help", "likert", "Other people in the group help me."),
        (
            "mutual_support.belong",
            "likert",
            "I feel I belong in this group.",
            "mutual_support.belong",
        ),
        ("wider_community.outside", "likert", "The group helps me do things outside the group."),
        (
            "wider_community.links",
            "likert",
            "The group has good links with other people and places near us.",
        ),
        (
            "wider_community.hear_of_things",
            "likert",
            "The group tells me about other things going on near us.",
            "wider_community.hear_of_things",
        ),
        (
            "wider_community.help_community",
            "likert",
            "The group does things to help other people near us.",
            "wider_community.help_community",
        ),
        ("hope.gives_hope", "likert", "Coming to the group gives me hope."),
        (
            "hope.others_show_way",
            "likert",
            "Seeing how others are doing makes me feel things can get better.",
        ),
        ("optimism.look_forward", "likert", "I look forward to what is coming next."),
        ("optimism.good_things", "likert", "I think good things will happen for me."),
        ("self_esteem.feel_good", "likert", "I feel good about myself."),
        ("self_esteem.something_to_give", "likert", "I feel I have something to give."),
        ("empowerment.own_choices", "likert", "I feel able to make my own choices."),
        ("empowerment.try_new_things", "likert", "The group gives me the nerve to try new things."),
        (
            "open.most_significant_change",
            "text",
            "What has changed for you since coming to the group?",
        ),
        (
            "open.agenda_suggestion",
            "text",
            "What would you like the group to talk about or do next?",
        ),
        ("open.anything_else", "text", "Is there anything else you would like to tell us?"),
    ],
)

PEER_WORKER = _items(
    "peer_worker",
    [
        ("peer_role.clear_role", "likert", "I am clear about what my role is in this group."),
        (
            "peer_role.use_experience",
            "likert",
            "I can use my own lived experience to help others in my role.",
        ),
        ("peer_support.get_support", "likert", "I get the support I need to do my role well."),
        (
            "peer_support.time_to_reflect",
            "likert",
            "I have time to talk through how my role is going.",
        ),
        (
            "shared_aims.pw_aims_agreed",
            "likert",
            "Members and staff agree on what the group is for.",
        ),
        ("shared_aims.pw_aims_revisited", "likert", "We look again at the group's aims together."),
        (
            "shared_aims.pw_know_aims",
            "likert",
            "Members know what the group is for.",
            "shared_aims.know_aims",
        ),
        (
            "shared_aims.pw_aims_matter",
            "likert",
            "What the group is trying to do matters to members.",
            "shared_aims.aims_matter",
        ),
        ("negotiated_agenda.pw_members_shape", "likert", "Members shape what the group does."),
        (
            "negotiated_agenda.pw_plans_change",
            "likert",
            "Plans change when members ask for something different.",
            "negotiated_agenda.plans_change",
        ),
        (
            "negotiated_agenda.pw_ideas_taken_up",
            "likert",
            "When members share an idea, the group takes it up.",
            "negotiated_agenda.ideas_taken_up",
        ),
        (
            "communication.pw_information",
            "likert",
            "Members get the news they need, in a way that suits them.",
        ),
        ("communication.pw_open_talk", "likert", "Problems in the group are talked about openly."),
        (
            "communication.pw_easy_to_speak",
            "likert",
            "It feels easy for members to speak up in the group.",
            "communication.easy_to_speak",
        ),
        (
            "communication.pw_listened_to",
            "likert",
            "People in the group listen to members.",
            "communication.listened_to",
        ),
        (
            "learning_organisation.pw_org_acts",
            "likert",
            "The organisation acts on what groups tell it.",
        ),
        (
            "learning_organisation.pw_hear_back",
            "likert",
            "We hear back about what changed because of what groups said.",
        ),
        ("mutual_support.pw_members_help", "likert", "Members help each other, not only get help."),
        (
            "mutual_support.pw_learn_from_members",
            "likert",
            "I learn from members as well as support them.",
        ),
        (
            "mutual_support.pw_belong",
            "likert",
            "Members feel they belong in this group.",
            "mutual_support.belong",
        ),
        (
            "wider_community.pw_links",
            "likert",
            "The group has good links with other services and places nearby.",
        ),
        (
            "wider_community.pw_members_connect",
            "likert",
            "The group helps members take part in the wider community.",
        ),
        (
            "wider_community.pw_hear_of_things",
            "likert",
            "The group tells members about other things going on near us.",
            "wider_community.hear_of_things",
        ),
        (
            "wider_community.pw_help_community",
            "likert",
            "The group does things to help other people near us.",
            "wider_community.help_community",
        ),
        ("hope.pw_members_hopeful", "likert", "Members seem more hopeful since they joined."),
        (
            "hope.pw_own_story",
            "likert",
            "My own story helps members see that things can get better.",
        ),
        ("optimism.pw_members_plans", "likert", "Members talk about plans for their future."),
        ("optimism.pw_group_future", "likert", "I feel good about where the group is going."),
        ("self_esteem.pw_members_confident", "likert", "Members grow in confidence in the group."),
        ("self_esteem.pw_valued", "likert", "I feel valued for the work I do."),
        ("empowerment.pw_members_lead", "likert", "Members take the lead on things in the group."),
        ("empowerment.pw_my_say", "likert", "I have a real say in how the service is run."),
        (
            "open.pw_most_significant_change",
            "text",
            "What is the biggest change you have seen in the group or its members?",
        ),
        (
            "open.pw_agenda_suggestion",
            "text",
            "What would you like the group to talk about or do next?",
        ),
        ("open.pw_anything_else", "text", "Is there anything else you would like to tell us?"),
    ],
)

BANK: tuple[BankItem, ...] = tuple(MEMBER + PEER_WORKER)

# Open questions whose answers are topics for the group's negotiated agenda.
AGENDA_KEYS = frozenset({"open.agenda_suggestion", "open.pw_agenda_suggestion"})


def paired_keys(rows: Iterable[tuple[str, str, str | None]]) -> dict[str, tuple[str, str]]:
    """The pairs present in both audiences among a cycle's questions, given as (audience,
    key, pair key) rows: pair key -> (member key, peer support worker key), in the order the
    pairs first appear. A pair asked more than once in one audience is left out, since it
    would no longer compare one statement with one statement."""
    seen: dict[str, dict[str, list[str]]] = {}
    for audience, key, pair in rows:
        if pair and audience in ("member", "peer_worker"):
            seen.setdefault(pair, {}).setdefault(audience, []).append(key)
    return {
        pair: (sides["member"][0], sides["peer_worker"][0])
        for pair, sides in seen.items()
        if len(sides.get("member", ())) == 1 and len(sides.get("peer_worker", ())) == 1
    }
