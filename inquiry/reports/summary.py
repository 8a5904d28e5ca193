"""A cycle summary: the figures of aggregate.py for one cycle, under the rule of privacy.py."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..actions.queries import list_actions
from ..agenda.queries import count_voters, list_ranked_topics, votes_final
from ..core.models import AUDIENCES
from ..cycles.models import Cycle
from ..questions.types import get_type
from . import aggregate, queries
from .aggregate import MEMBER, PEER_ANONYMOUS, PEER_TEAM, VIEWS, Gap, Linked, ThemeResult
from .privacy import figure_shown, figures_exist, quote_audience_shown


@dataclass(frozen=True)
class Quote:
    question_key: str
    text: str
    audience: str
    shared: bool  # from a peer support worker who shared their answers openly


@dataclass(frozen=True)
class QuestionResult:
    """A single-choice or free-text question's summary for one view, from its type in the
    registry; `summary` is None where the rule withholds it."""

    key: str
    view: str
    qtype: str
    summary: object | None
    suppressed: bool
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class StandOut:
    """One thing worth saying at the meeting, in plain words (the template says it)."""

    kind: str  # strongest, weakest, rise, fall, gap
    theme: str
    view: str
    result: ThemeResult | None = None
    gap: Gap | None = None


@dataclass(frozen=True)
class NextCycle:
    """The group's open cycle after this one: its codes for page 2 of the print."""

    title: str
    member_code: str | None
    peer_code: str | None


@dataclass(frozen=True)
class ActionReview:
    what: str
    theme: str | None
    status: str
    note: str
    # What it answers besides a theme: ("topic" or "story", its title).
    finding: tuple[str, str] | None = None
    # "Did this happen?": group members' answers in this cycle, every value (zeros too),
    # once the cycle closed and at least k answered about this action; else None.
    checks: dict[str, int] | None = None


@dataclass(frozen=True)
class ProfileRow:
    """One theme of the co-production profile: each score only where the rule shows it."""

    theme: str
    now: Decimal | None  # group members, this cycle
    before: Decimal | None  # group members, the previous closed cycle
    peer: Decimal | None  # the peer view shown (the peer support team, or anonymous ones)

    @property
    def drawn(self) -> bool:
        return any(v is not None for v in (self.now, self.before, self.peer))

    def image(self, rtl: bool = False) -> str:
        """The row drawn as a dot plot (charts.py), as a data: URI for an <img>."""
        from .charts import data_uri, profile_row_svg

        return data_uri(profile_row_svg(self.now, self.before, self.peer, rtl))

    @staticmethod
    def axis(rtl: bool = False) -> str:
        from .charts import data_uri, profile_axis_svg

        return data_uri(profile_axis_svg(rtl))

    @staticmethod
    def key(kind: str) -> str:
        from .charts import profile_key

        return profile_key(kind)


@dataclass(frozen=True)
class AgendaPriority:
    title: str
    votes: int | None  # withheld until enough people chose


@dataclass(frozen=True)
class CycleSummary:
    cycle_id: int
    group_name: str
    title: str
    starts_on: date
    ends_on: date
    state: str
    k: int
    figures: bool  # only a closed cycle has figures
    # How many took part, per view (members, peer support team, anonymous peer support
    # workers): a count of who answered, not of what anyone said, so shown at any number.
    responses: dict[str, int]
    previous_title: str | None
    views: list[str]
    themes: list[ThemeResult]
    gaps: list[Gap]
    gaps_available: bool  # the cycle asks paired questions of both audiences
    linked: Linked | None
    quotes: list[Quote]
    questions: dict[str, str]  # key -> text in the report's language
    others: list[QuestionResult]  # single-choice and free-text questions
    option_labels: dict[str, dict[str, str]]  # choice question key -> option -> label
    actions: list[ActionReview]  # agreed after the previous closed cycle
    agenda: list[AgendaPriority]  # most wanted first (in the order shortlisted when withheld)
    agenda_voters: int
    next_cycle: NextCycle | None = None
    # Once the cycle's answers were deleted (retention/): when, and why ("retention" or
    # "request"); the figures then come from what was kept.
    answers_deleted_on: date | None = None
    deleted_because: str | None = None
    # The story the group chose in the previous cycle's story round, and why.
    story: object | None = None
    # The members' theme averages in the previous closed cycle, where its summary shows
    # them: the profile's rings.
    previous_means: dict[str, Decimal] = field(default_factory=dict)
    # The language tag (as in <html lang>) of each question whose words are another
    # language's, not yet translated into the report's (English words in a Polish summary).
    question_languages: dict[str, str] = field(default_factory=dict)

    def stands_out(self) -> list[StandOut]:
        """The meeting's headlines: the members' strongest and weakest themes, every change
        bigger than chance, and the biggest gaps on the questions asked of both."""
        out = []
        members = [t for t in self.themes_for(MEMBER) if t.shown and t.theme in self.theme_order()]
        if len(members) >= 2:
            ranked = sorted(members, key=lambda t: (t.agree, t.mean))
            out.append(StandOut("strongest", ranked[-1].theme, MEMBER, ranked[-1]))
            out.append(StandOut("weakest", ranked[0].theme, MEMBER, ranked[0]))
        for t in self.themes:
            if t.change is not None and t.change.direction in (aggregate.RISE, aggregate.FALL):
                out.append(StandOut(t.change.direction, t.theme, t.view, t))
        wide = sorted(
            (g for g in self.gaps if g.gap is not None and abs(g.gap) >= GAP_WORTH_SAYING),
            key=lambda g: -abs(g.gap),
        )
        out.extend(StandOut("gap", g.theme, g.peer_view, gap=g) for g in wide[:2])
        return out

    def overview(self) -> list[tuple[str, ThemeResult | None, ThemeResult | None]]:
        """(theme, members' result, the peer view's result) for the meeting's chart, for the
        themes with anything shown."""
        peer_view = next(
            (v for v in (PEER_TEAM, PEER_ANONYMOUS) if v in self.views and self.view_shown(v)),
            None,
        )
        by_key = {(t.view, t.theme): t for t in self.themes}
        rows = []
        for theme in self.theme_order():
            member = by_key.get((MEMBER, theme))
            peer = by_key.get((peer_view, theme)) if peer_view else None
            member = member if member is not None and member.shown else None
            peer = peer if peer is not None and peer.shown else None
            if member or peer:
                rows.append((theme, member, peer))
        return rows

    def profile(self) -> list[ProfileRow]:
        """Every research theme's row of the co-production profile (none before closing)."""
        if not self.figures:
            return []
        peer_view = self.profile_peer_view()
        by_key = {(t.view, t.theme): t for t in self.themes if t.shown}
        rows = []
        for theme in self.theme_order():
            member, peer = by_key.get((MEMBER, theme)), by_key.get((peer_view, theme))
            rows.append(
                ProfileRow(
                    theme,
                    member.mean if member else None,
                    self.previous_means.get(theme),
                    peer.mean if peer else None,
                )
            )
        return rows

    def profile_peer_view(self) -> str | None:
        """The peer support workers' view the profile draws: the team's, if shown, else the
        anonymous one's, if shown."""
        return next(
            (v for v in (PEER_TEAM, PEER_ANONYMOUS) if v in self.views and self.view_shown(v)),
            None,
        )

    def overview_peer_view(self) -> str | None:
        return next((p.view for _t, _m, p in self.overview() if p is not None), None)

    def choices(self) -> list[QuestionResult]:
        return [q for q in self.others if q.qtype == "choice" and self.view_shown(q.view)]

    def written(self, key: str) -> list[QuestionResult]:
        """How many of each view shown wrote an answer to a free-text question."""
        return [q for q in self.others if q.key == key and self.view_shown(q.view)]

    @property
    def responses_total(self) -> int:
        return sum(self.responses.values())

    @property
    def peer_workers(self) -> int:
        return self.responses.get(PEER_TEAM, 0) + self.responses.get(PEER_ANONYMOUS, 0)

    def themes_for(self, view: str, own: bool = False) -> list[ThemeResult]:
        """A view's research themes (or, with `own`, the group's own questions)."""
        return [t for t in self.themes if t.view == view and (t.theme == OWN_THEME) == own]

    def view_shown(self, view: str) -> bool:
        """Whether anything about this view is shown."""
        return any(t.shown for t in self.themes if t.view == view)

    def blocks(self, theme: str) -> list[ThemeResult]:
        """A theme's results for each view that has anything shown (a view with nothing
        shown is said once, not theme by theme); a theme nobody answered is left out."""
        found = [t for t in self.themes if t.theme == theme and self.view_shown(t.view)]
        return found if any(t.n != 0 for t in found) else []

    def theme_order(self) -> list[str]:
        """The research themes, in order (not the group's own, nor the peer workers' role)."""
        seen: list[str] = []
        for result in self.themes:
            if result.theme not in seen and result.theme not in (OWN_THEME, *ROLE_THEMES):
                seen.append(result.theme)
        return seen


OWN_THEME = "own"
# A gap between members and peer support workers worth a sentence on the meeting page.
GAP_WORTH_SAYING = Decimal("0.5")
# The peer support workers' own role and support: their own section, never in a gap.
ROLE_THEMES = ("peer_role", "peer_support")


def _results(cycle_id: int, k: int, views, figures: bool, only_keys=None) -> list[ThemeResult]:
    return aggregate.theme_results(
        queries.list_score_rows(cycle_id, only_keys),
        [] if only_keys is not None else queries.list_item_rows(cycle_id),
        queries.list_likert_layout(cycle_id),
        k,
        views=views,
        figures=figures,
    )


def _linked(cycle_id: int, previous_id: int, k: int, theme_order: list[str]) -> Linked:
    pairs = queries.list_linked_pairs(cycle_id, previous_id)
    sums = queries.list_theme_sums_for([i for a, b, _ in pairs for i in (a, b)])
    by_theme: dict[tuple[str, str], list[tuple[Fraction, Fraction]]] = {}
    for now_id, before_id, audience in pairs:
        now, before = sums.get(now_id, {}), sums.get(before_id, {})
        for theme in now.keys() & before.keys():
            (c1, s1), (c0, s0) = now[theme], before[theme]
            by_theme.setdefault((audience, theme), []).append((Fraction(s1, c1), Fraction(s0, c0)))
    ordered = {
        (a, t): by_theme[(a, t)]
        for a in AUDIENCES
        for t in dict.fromkeys(theme_order)
        if (a, t) in by_theme
    }
    return aggregate.linked_change(ordered, len(pairs), k)


def _quotes(cycle_id: int, key: str, k: int, responses: dict[str, int]) -> list[Quote]:
    """Approved quotes from the audiences the summary shows, in a keyed order: not the order
    people answered in, and the same on every print."""
    rows = [
        row
        for row in queries.list_approved_quotes(cycle_id)
        if quote_audience_shown(
            row[3], row[4], responses.get(MEMBER, 0), responses.get(PEER_ANONYMOUS, 0), k
        )
    ]

    def order(row):
        return hashlib.sha256(f"{key}|{cycle_id}|{row[0]}".encode()).hexdigest()

    return [
        Quote(question_key, text, audience, bool(shared))
        for _, question_key, text, audience, shared in sorted(rows, key=order)
    ]


def question_texts(cycle, language: str) -> dict[str, str]:
    """Each of the cycle's questions by key, in this language (or English where missing)."""
    return {cq.question.key: cq.question.text_in(language).text for cq in cycle.questions}


def question_languages(cycle, language: str) -> dict[str, str]:
    """Each question whose words fall back to another language's, by key: that language's
    tag, so the summary marks those words with it."""
    out = {}
    for cq in cycle.questions:
        shown_in = cq.question.text_in(language).language
        if shown_in != language:
            out[cq.question.key] = shown_in.replace("_", "-")
    return out


def _others(cycle: Cycle, k: int, views: list[str], figures: bool) -> list[QuestionResult]:
    """Each single-choice and free-text question, per view, summarised by its own type."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for view, key, _qtype, value, n in queries.list_other_answer_counts(cycle.id):
        counts.setdefault((view, key), {})[value] = n
    out = []
    for view in views:
        for cq in cycle.questions:
            question = cq.question
            if cq.qtype not in ("choice", "text") or cq.audience != aggregate.VIEW_AUDIENCE[view]:
                continue
            summary = get_type(cq.qtype).summarise(
                counts.get((view, question.key), {}), question.options
            )
            visible = figures and figure_shown(summary.n, k, view in aggregate.SHARED_VIEWS)
            out.append(
                QuestionResult(
                    question.key,
                    view,
                    cq.qtype,
                    summary if visible or summary.n == 0 else None,
                    summary.n > 0 and not visible,
                    tuple(question.options or ()),
                )
            )
    return out


def _option_labels(cycle: Cycle, language: str) -> dict[str, dict[str, str]]:
    out = {}
    for cq in cycle.questions:
        if cq.qtype == "choice":
            options = cq.question.options or []
            labels = cq.question.text_in(language).option_labels or options
            out[cq.question.key] = dict(zip(options, labels, strict=False))
    return out


def _agenda(cycle_id: int, k: int, figures: bool) -> tuple[list[AgendaPriority], int]:
    """The shortlisted topics: most wanted first with their votes once at least k people
    chose (and the cycle closed and its meeting was held, so the votes are final); before
    that in the order they were shortlisted, no votes."""
    ranked = list_ranked_topics(cycle_id)
    voters = count_voters(cycle_id) if ranked else 0
    if figures and figure_shown(voters, k):
        return [AgendaPriority(topic.title, votes) for topic, votes in ranked], voters
    in_order = sorted((topic for topic, _ in ranked), key=lambda topic: topic.id)
    return [AgendaPriority(topic.title, None) for topic in in_order], voters


def _actions(cycle_id: int, previous: Cycle | None, k: int, figures: bool) -> list[ActionReview]:
    """The actions agreed after the previous cycle, with what each answers and group
    members' "Did this happen?" in this cycle, under the rule: figures only once this cycle
    closed and k or more answered about that action, then every value."""
    from ..actions.models import CHECK_VALUES
    from ..actions.queries import count_action_checks, finding_titles

    agreed = list_actions(previous.id) if previous else []
    checks = count_action_checks(cycle_id, [a.id for a in agreed])
    titles = finding_titles(agreed)
    out = []
    for a in agreed:
        counts = checks.get(a.id, {})
        shown = figures and figure_shown(sum(counts.values()), k)
        out.append(
            ActionReview(
                a.what,
                a.theme,
                a.status,
                a.status_note,
                (a.finding_kind, titles[a.id]) if a.id in titles else None,
                {v: counts.get(v, 0) for v in CHECK_VALUES} if shown else None,
            )
        )
    return out


def _next_cycle(cycle: Cycle) -> NextCycle | None:
    """The group's open cycle that comes after this one, if there is one."""
    later = [
        c
        for c in cycle.group.cycles
        if c.is_open and c.id != cycle.id and c.starts_on >= cycle.starts_on
    ]
    if not later:
        return None
    nxt = min(later, key=lambda c: (c.starts_on, c.id))
    return NextCycle(nxt.title, nxt.active_code("member"), nxt.active_code("peer_worker"))


def stored_or_built(cycle: Cycle, language: str, key: str) -> CycleSummary | None:
    """The cycle's summary: from the figures kept once its answers were deleted, else built
    from its answers; None when its answers and its summary were both deleted."""
    from ..retention.queries import get_snapshot
    from ..retention.snapshot import summary_from_snapshot

    snapshot = get_snapshot(cycle.id)
    if snapshot is None:
        return build_summary(cycle, language, key)
    return summary_from_snapshot(snapshot, cycle, language) if snapshot.summary else None


def build_summary(cycle: Cycle, language: str, key: str) -> CycleSummary:
    """Everything the cycle summary shows, with everything the rule withholds left out."""
    k = cycle.group.network.min_responses
    figures = figures_exist(cycle.state, cycle.grace_until)
    counts = queries.count_views(cycle.id)
    responses = {view: counts.get(view, 0) for view in VIEWS}
    views = aggregate.views_present(responses)
    themes = _results(cycle.id, k, views, figures)
    previous = queries.get_previous_closed_cycle(cycle)
    linked = None
    previous_means = {}
    if previous is not None and figures:
        previous_views = aggregate.views_present(queries.count_views(previous.id))
        before = _results(previous.id, k, previous_views, True)
        themes = aggregate.with_change(themes, before)
        previous_means = {t.theme: t.mean for t in before if t.view == MEMBER and t.shown}
        linked = _linked(cycle.id, previous.id, k, [t.theme for t in themes])
    pairs = queries.list_pairs(cycle.id)
    gap_list = []
    if pairs and figures:
        items = {(t.view, item.key): item for t in themes for item in t.items}
        theme_of = {item.key: t.theme for t in themes for item in t.items}
        keys = [key for pair in pairs.values() for key in pair]
        paired = _results(cycle.id, k, views, figures, only_keys=keys)
        gap_list = aggregate.gaps(paired, items, pairs, theme_of)
    agenda, voters = _agenda(cycle.id, k, figures and votes_final(cycle))
    actions = _actions(cycle.id, previous, k, figures)
    return CycleSummary(
        cycle_id=cycle.id,
        group_name=cycle.group.name,
        title=cycle.title,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        state=cycle.state,
        k=k,
        figures=figures,
        responses=responses,
        previous_title=previous.title if previous else None,
        views=views,
        themes=themes,
        gaps=gap_list,
        gaps_available=bool(pairs),
        linked=linked,
        quotes=_quotes(cycle.id, key, k, responses) if figures else [],
        questions=question_texts(cycle, language),
        question_languages=question_languages(cycle, language),
        others=_others(cycle, k, views, figures),
        option_labels=_option_labels(cycle, language),
        actions=actions,
        agenda=agenda,
        agenda_voters=voters,
        next_cycle=_next_cycle(cycle) if figures else None,
        story=_chosen_story(previous),
        previous_means=previous_means,
    )


def _chosen_story(previous: Cycle | None):
    """The story the group chose after the previous cycle, with its reasons: people's own
    words they agreed to share, not a figure, so shown whatever the numbers."""
    from ..stories.queries import get_chosen_story

    return get_chosen_story(previous.id) if previous is not None else None
