"""How a cycle's questions are laid out as the pages of a reflection."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..cycles.models import CycleQuestion
from ..questions.bank import SECTIONS, Section


@dataclass(frozen=True)
class Page:
    number: int
    key: str
    title: str
    questions: tuple[CycleQuestion, ...]


@dataclass(frozen=True)
class Plan:
    pages: tuple[Page, ...]
    # The actions agreed last time, asked about ("Did this happen?") on a step of their own.
    action_ids: tuple[int, ...] = ()

    @property
    def actions_step(self) -> int | None:
        return len(self.pages) + 1 if self.action_ids else None

    @property
    def about_step(self) -> int:
        return len(self.pages) + 1 + (1 if self.action_ids else 0)

    @property
    def check_step(self) -> int:
        return self.about_step + 1

    @property
    def total_steps(self) -> int:
        return self.check_step

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def questions(self) -> list[CycleQuestion]:
        return [q for page in self.pages for q in page.questions]


_MORE = Section("more", _l("More questions"), ())


def build_plan(
    audience: str, questions: list[CycleQuestion], action_ids: tuple[int, ...] = ()
) -> Plan:
    """Group questions into pages by theme, keeping the cycle's order within each page;
    then, for group members, the step about last time's actions, if there were any."""
    sections = SECTIONS[audience]
    placed: dict[str, list[CycleQuestion]] = {s.key: [] for s in sections}
    placed[_MORE.key] = []
    section_of = {theme: s.key for s in sections for theme in s.themes}
    for cq in questions:
        placed[section_of.get(cq.question.theme, _MORE.key)].append(cq)
    # Questions of themes outside the bank's pages come just before the open questions.
    ordered = (
        [s for s in sections if s.key != "own_words"]
        + [_MORE]
        + [s for s in sections if s.key == "own_words"]
    )
    pages = []
    for section in ordered:
        if placed[section.key]:
            pages.append(
                Page(len(pages) + 1, section.key, section.title, tuple(placed[section.key]))
            )
    return Plan(tuple(pages), tuple(action_ids) if audience == "member" else ())
