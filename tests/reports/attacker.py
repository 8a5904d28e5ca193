"""An attacker for the small-numbers rule, and the raw data it is tested against.

The attacker reads what a reader of every output gets (each closed cycle's summary as JSON
and CSV, the network roll-up as CSV, plain and rounded, and the roll-up page's "Responses"
line) and turns it into linear facts over unknown non-negative counts:

- per (cycle, view, item, value) how many gave that answer (`c`);
- per (cycle, view, theme) how many have a theme score (`Tn`), the sum of their theme scores
  (`Ts`) and how many scored 4 or more (`Ta`); on paired questions the same over the paired
  items only (`Pn`, `Ps`), which the gap's averages are about;
- per (cycle, view) how many took part (`R`).

Every identity between these that holds for any set of answers is added too: they are found
by writing each unknown as a function of the answer patterns a person can give to one theme's
items and taking the linear relations between those functions (for a one-item theme:
Tn = sum of c, Ts = sum of v*c, Ta = c4 + c5; for two items there are none). So is every
inequality that always holds (Ta <= Tn, Tn <= Ts <= 5*Tn, an item's n <= Tn <= the items' n
together, Tn <= R, ...) and what the rule itself says of a withheld figure (1 to k-1 people).
A figure shown rounded is used as exact where the rounding leaves one possible value (a
stronger attacker than the reader), else as the interval it stands for.

A hidden quantity is a figure about a view that is null everywhere it appears. It is worked
out when its vector lies in the row space of the facts (exact Gaussian elimination with
Fraction), when a fact forces a sum of non-negative unknowns to 0, when bounds propagated
through every fact (whole numbers, theme scores in halves) leave one value, or, for what
someone said, when a search over a tiny remaining system (at most 2 free unknowns) does.
Each finding lists the facts it came from. Not searched: several people's answer patterns
within one theme (the unknowns stop at counts per item and the theme's totals).

The second half of the file is the world the outputs come from (the tests' side): small
networks of raw answers, and the true value of every unknown, so that the tests can check that
every fact the attacker reads holds and every value it works out is right. `attack()` never
reads it.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cache

LIKERT = (1, 2, 3, 4, 5)
GROUPED = {"disagree": (1, 2), "neutral": (3,), "agree": (4, 5)}
SHARED_VIEWS = frozenset({"peer_team"})
HALF_CENT = Fraction(1, 200)  # a mean shown to 2 decimals, rounded half up
HALF_POINT = Fraction(1, 2)  # a whole percent, rounded half up

# ---------------------------------------------------------------------------------------
# Intervals and linear algebra over Fraction
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Iv:
    """A closed interval of exact numbers (lo == hi for an exact value)."""

    lo: Fraction
    hi: Fraction

    def __add__(self, other: Iv) -> Iv:
        return Iv(self.lo + other.lo, self.hi + other.hi)

    def scale(self, a: Fraction) -> Iv:
        return Iv(a * self.lo, a * self.hi) if a >= 0 else Iv(a * self.hi, a * self.lo)

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __str__(self) -> str:
        return str(self.lo) if self.exact else f"[{self.lo}, {self.hi}]"


def point(x) -> Iv:
    return Iv(Fraction(x), Fraction(x))


def _q(value) -> Fraction:
    """A shown number (JSON float, CSV text) as the exact decimal it was written as."""
    return Fraction(str(value))


def canon(expr: dict) -> tuple:
    return tuple(sorted((u, Fraction(a)) for u, a in expr.items() if a != 0))


class RowSpace:
    """Rows kept in reduced form: each has a pivot unknown that no other row contains.
    Every row carries the interval its value lies in and the facts it was made from."""

    def __init__(self) -> None:
        self.rows: dict[tuple, tuple[dict, Iv, frozenset]] = {}
        self.where: dict[tuple, set[tuple]] = defaultdict(set)  # unknown -> pivots using it

    def express(self, coeffs: dict) -> tuple[dict, Iv, frozenset]:
        """Write coeffs as (a combination of the rows) + remainder: returns the remainder
        (no pivot in it), the combination's value and the facts it used."""
        rest = {u: Fraction(a) for u, a in coeffs.items()}
        value, used = point(0), frozenset()
        for pivot in [u for u in coeffs if u in self.rows]:
            a = rest.pop(pivot)
            row, rhs, prov = self.rows[pivot]
            for u, b in row.items():
                if u == pivot:
                    continue
                c = rest.get(u, 0) - a * b
                if c:
                    rest[u] = c
                else:
                    rest.pop(u, None)
            value, used = value + rhs.scale(a), used | prov
        return rest, value, used

    def add(self, coeffs: dict, rhs: Iv, prov: frozenset) -> bool:
        """Add a fact; False when it follows from the rows already there."""
        rest, value, used = self.express(coeffs)
        rhs = rhs + value.scale(Fraction(-1))
        prov = prov | used
        if not rest:
            return False
        pivot = max(rest, key=_pivot_order)
        a = rest[pivot]
        row = {u: b / a for u, b in rest.items()}
        rhs = rhs.scale(1 / a)
        for other in list(self.where.get(pivot, ())):
            orow, orhs, oprov = self.rows[other]
            b = orow[pivot]
            for u in orow:
                if u != other and u in self.where:
                    self.where[u].discard(other)
            for u, c in row.items():
                d = orow.get(u, 0) - b * c
                if d:
                    orow[u] = d
                else:
                    orow.pop(u, None)
            self.rows[other] = (orow, orhs + rhs.scale(-b), oprov | prov)
            for u in orow:
                if u != other:
                    self.where[u].add(other)
        self.where.pop(pivot, None)
        self.rows[pivot] = (row, rhs, prov)
        for u in row:
            if u != pivot:
                self.where[u].add(pivot)
        return True


def _pivot_order(u: tuple):
    # Any pivot gives the same row space; a fixed order keeps the rows, and so the sources a
    # finding lists, the same from run to run.
    return ({"R": 0, "Tn": 1, "Pn": 2, "Ta": 3, "Ts": 4, "Ps": 5, "c": 6}[u[0]], u)


def nullspace(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of {x : row . x = 0 for every row}, exactly."""
    matrix = [list(map(Fraction, r)) for r in rows]
    pivots: list[int] = []
    r = 0
    for col in range(width):
        found = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if found is None:
            continue
        matrix[r], matrix[found] = matrix[found], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [x / lead for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                f = matrix[i][col]
                matrix[i] = [x - f * y for x, y in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for i, col in enumerate(pivots):
            vector[col] = -matrix[i][free]
        basis.append(vector)
    return basis


def _theme_score(answers: list[int]) -> Fraction:
    return Fraction(sum(answers), len(answers))


@cache
def block_relations(items: int, paired: tuple[int, ...]) -> tuple[tuple[tuple, ...], ...]:
    """Every linear identity between one theme's unknowns (for one cycle and view) that holds
    whatever people answered: the relations between the unknowns as functions of the answer
    patterns a person can give. Names: ("c", item, value), ("Tn",), ("Ts",), ("Ta",),
    ("Pn",), ("Ps",)."""
    names = [("c", i, v) for i in range(items) for v in LIKERT] + [("Tn",), ("Ts",), ("Ta",)]
    if paired:
        names += [("Pn",), ("Ps",)]
    rows = []
    for pattern in itertools.product((None, *LIKERT), repeat=items):
        answered = [v for v in pattern if v is not None]
        if not answered:
            continue
        score = _theme_score(answered)
        values = [int(pattern[i] == v) for i in range(items) for v in LIKERT]
        values += [1, score, int(score >= 4)]
        if paired:
            on_pairs = [pattern[i] for i in paired if pattern[i] is not None]
            values += [int(bool(on_pairs)), _theme_score(on_pairs) if on_pairs else 0]
        rows.append(values)
    return tuple(
        tuple((names[j], x) for j, x in enumerate(vector) if x != 0)
        for vector in nullspace(rows, len(names))
    )


# ---------------------------------------------------------------------------------------
# What the attacker knows
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """lo <= expr <= hi (None: unbounded). An equation is a shown figure or an identity and
    goes into the row space; the others (inequalities, what the rule implies) only bound."""

    expr: tuple  # canonical ((unknown, coefficient), ...)
    lo: Fraction | None
    hi: Fraction | None
    source: str
    equation: bool

    def holds(self, values: dict) -> bool:
        x = sum((a * values.get(u, 0) for u, a in self.expr), Fraction(0))
        return (self.lo is None or self.lo <= x) and (self.hi is None or x <= self.hi)


@dataclass(frozen=True)
class Hidden:
    name: tuple  # ("count", cycle, view, key, value), ("theme_n", cycle, view, theme), ...
    expr: tuple
    kind: str  # "answers" (what people said) or "people" (how many answered)
    grid: Fraction  # the value is a multiple of this
    block: tuple | None  # (cycle, view, theme) it belongs to


@dataclass(frozen=True)
class Finding:
    hidden: Hidden
    method: str  # "row space", "forced zero", "bounds", "search"
    value: Iv
    sources: tuple[str, ...]

    def __str__(self) -> str:
        facts = "\n    ".join(self.sources)
        return f"{self.hidden.name} = {self.value} by {self.method}, from:\n    {facts}"


@dataclass
class Report:
    hidden: list[Hidden]
    findings: list[Finding]
    facts: list[Fact]
    unmodelled: list[str]
    # (cycle, view, theme) withheld everywhere yet pooled into a network figure of the roll-up
    pooled: set[tuple] = field(default_factory=set)

    @property
    def answers(self) -> list[Finding]:
        """What someone said, worked out though withheld."""
        return [f for f in self.findings if f.hidden.kind == "answers"]

    @property
    def people(self) -> list[Finding]:
        """How many answered a theme or an item, worked out though withheld."""
        return [f for f in self.findings if f.hidden.kind == "people"]

    def found(self, name: tuple) -> Finding | None:
        return next((f for f in self.findings if f.hidden.name == name), None)


@dataclass(frozen=True)
class Publication:
    """Everything a reader of every output gets."""

    summaries: list[dict]  # summary_json of each closed cycle
    summary_csvs: list[str]
    rollup_csvs: list[tuple[str, bool]]  # (rollup_csv, rounded)
    # The roll-up page's "Responses" line: (rounded, [(column, cycle title, responses)]).
    rollup_responses: list[tuple[bool, list[tuple[str, str, int | None]]]] = field(
        default_factory=list
    )


@dataclass(frozen=True)
class CycleInfo:
    group: str
    title: str
    previous: str | None
    k: int
    figures: bool


class Attacker:
    def __init__(self, pooled_network_figures: bool = True) -> None:
        # False: leave out the roll-up's network figures that pool parts withheld everywhere.
        self.pooled_network_figures = pooled_network_figures
        self.pooled: set[tuple] = set()
        self.facts: list[Fact] = []
        self._seen: set[tuple] = set()
        self.hidden: dict[tuple, Hidden] = {}
        self.shown: set[tuple] = set()  # functionals some output shows
        self.exact: dict[tuple, Fraction] = {}  # functional -> its shown exact value
        self.grid: dict[tuple, Fraction] = {}
        self.blocks: dict[tuple, list[str]] = {}  # (cycle, view, theme) -> item keys
        self.paired_blocks: set[tuple] = set()
        self.audience: dict[tuple, str] = {}  # (cycle, view) -> audience
        self.cycles: dict[int, CycleInfo] = {}
        self.summary_n: dict[tuple, int] = {}  # (cycle, view, theme) -> n its summary shows
        self.unmodelled: list[str] = []

    # -- facts --------------------------------------------------------------------------

    def fact(self, expr: dict, lo, hi, source: str, equation=True, figure=None) -> None:
        """lo <= expr <= hi. A figure is something an output shows (by default, any equation):
        what it is about is not hidden."""
        figure = equation if figure is None else figure
        key = canon(expr)
        lo = None if lo is None else Fraction(lo)
        hi = None if hi is None else Fraction(hi)
        if figure:
            self.shown.add(key)
        if equation and lo is not None and lo == hi:
            self.exact[key] = lo
        if (key, lo, hi, equation) in self._seen:
            return
        self._seen.add((key, lo, hi, equation))
        self.facts.append(Fact(key, lo, hi, source, equation))

    def target(self, name: tuple, expr: dict, kind: str, grid=Fraction(1)) -> None:
        if name not in self.hidden:
            block = self._block_of(name)
            self.hidden[name] = Hidden(name, canon(expr), kind, Fraction(grid), block)

    def _block_of(self, name: tuple) -> tuple | None:
        if name[0] in ("theme_n", "theme_mean", "theme_agree", "paired_mean"):
            return name[1:4]
        if name[0] in ("count", "item_n", "item_mean", "grouped"):
            cycle, view, key = name[1:4]
            return next(
                (b for b, keys in self.blocks.items() if b[:2] == (cycle, view) and key in keys),
                None,
            )
        return None

    def unknown(self, u: tuple, grid=Fraction(1)) -> tuple:
        self.grid.setdefault(u, Fraction(grid))
        return u

    def people_bound(self, cycle: int, views: Iterable[str]) -> Fraction:
        """The most people these views can hold: who took part, as shown or as the rule
        bounds a withheld count."""
        total = Fraction(0)
        for view in views:
            shown = self.exact.get(canon({("R", cycle, view): 1}))
            total += shown if shown is not None else self.cycles[cycle].k - 1
        return total

    # -- one theme's unknowns -----------------------------------------------------------

    def block(self, cycle: int, view: str, theme: str, items: list[str]) -> None:
        b = (cycle, view, theme)
        if b in self.blocks:
            return
        self.blocks[b] = items
        self._identities(b, ())
        c = {(key, v): self.unknown(("c", *b[:2], key, v)) for key in items for v in LIKERT}
        tn, ts, ta = self.unknown(("Tn", *b)), self._score(("Ts", *b), len(items)), ("Ta", *b)
        self.unknown(ta)
        r = self.unknown(("R", cycle, view))
        s = "identity"
        item_n = [{c[(key, v)]: 1 for v in LIKERT} for key in items]
        item_sum = {c[(key, v)]: v for key in items for v in LIKERT}
        agree_any = {c[(key, v)]: 1 for key in items for v in (4, 5)}
        self.fact({ta: 1, tn: -1}, None, 0, s, equation=False, figure=False)
        self.fact({tn: 1, ts: -1}, None, 0, s, equation=False, figure=False)
        self.fact({ts: 1, tn: -5}, None, 0, s, equation=False, figure=False)
        self.fact({tn: 1, r: -1}, None, 0, s, equation=False, figure=False)
        for n in item_n:
            self.fact({**n, tn: -1}, None, 0, s, equation=False, figure=False)
        self.fact({tn: 1, **{u: -1 for n in item_n for u in n}}, None, 0, s, False, False)
        # A theme score of 4 or more needs an answer of 4 or more; a score is at most the
        # sum of its answers and at least that sum over the number of items.
        self.fact({ta: 1, **{u: -1 for u in agree_any}}, None, 0, s, False, False)
        self.fact({ts: 1, **{u: -a for u, a in item_sum.items()}}, None, 0, s, False, False)
        low = {u: Fraction(a, len(items)) for u, a in item_sum.items()}
        self.fact({**low, ts: -1}, None, 0, s, equation=False, figure=False)

    def paired(self, cycle: int, view: str, theme: str, keys: list[str]) -> None:
        b = (cycle, view, theme)
        if b in self.paired_blocks:
            return
        self.paired_blocks.add(b)
        items = self.blocks[b]
        self._identities(b, tuple(items.index(k) for k in keys))
        pn, ps = self.unknown(("Pn", *b)), self._score(("Ps", *b), len(keys))
        tn = ("Tn", *b)
        s = "identity"
        self.fact({pn: 1, tn: -1}, None, 0, s, equation=False, figure=False)
        self.fact({pn: 1, ps: -1}, None, 0, s, equation=False, figure=False)
        self.fact({ps: 1, pn: -5}, None, 0, s, equation=False, figure=False)
        for key in keys:
            n = {("c", cycle, view, key, v): 1 for v in LIKERT}
            self.fact({**n, pn: -1}, None, 0, s, equation=False, figure=False)

    def _score(self, u: tuple, items: int) -> tuple:
        return self.unknown(u, Fraction(1, math.lcm(*range(1, items + 1))))

    def _identities(self, b: tuple, paired: tuple[int, ...]) -> None:
        items = self.blocks[b]
        for relation in block_relations(len(items), paired):
            expr = {}
            for name, a in relation:
                if name[0] == "c":
                    expr[("c", b[0], b[1], items[name[1]], name[2])] = a
                else:
                    expr[(name[0], *b)] = a
            self.fact(expr, 0, 0, f"identity of {b} with {len(items)} item(s)", figure=False)

    # -- rounded figures ------------------------------------------------------------------

    def mean(self, sums, ns, shown, grid: Fraction, n_most, source: str, figure=True) -> None:
        """A shown mean of sums over ns: exact where ns is shown exactly and the rounding
        leaves one multiple of `grid`; else the interval it stands for."""
        m = _q(shown)
        n = self.exact.get(canon(ns))
        if n is not None:
            lo, hi = n * (m - HALF_CENT), n * (m + HALF_CENT)
            self.fact(sums, *_grid_range(lo, hi, grid), source, figure=figure)
        else:
            slack = HALF_CENT * n_most
            expr = {**sums, **{u: -m * a for u, a in ns.items()}}
            self.fact(expr, -slack, slack, source, figure=figure)

    def agree(self, counts: dict, ns: dict, shown, n_most, source: str, figure=True) -> None:
        pct = _q(shown)
        n = self.exact.get(canon(ns))
        if n is not None:
            lo, hi = n * (pct - HALF_POINT) / 100, n * (pct + HALF_POINT) / 100
            self.fact(counts, *_grid_range(lo, hi, Fraction(1)), source, figure=figure)
        else:
            slack = HALF_POINT * n_most / 100
            expr = {**counts, **{u: -pct / 100 * a for u, a in ns.items()}}
            self.fact(expr, -slack, slack, source, figure=figure)

    # -- the cycle summary ----------------------------------------------------------------

    def read_summary(self, data: dict) -> None:
        cycle = data["cycle"]["id"]
        self.cycles[cycle] = CycleInfo(
            data["cycle"]["group"],
            data["cycle"]["title"],
            data["cycle"]["previous"],
            data["k"],
            data.get("figures", True),
        )
        src = f"summary_json cycle {cycle}"
        for view, n in data["responses"].items():
            self.responses(cycle, view, n, src)
        if data["responses_total"] is not None:
            total = data["responses_total"]
            expr = {("R", cycle, view): 1 for view in data["responses"]}
            self.fact(expr, total, total, f"{src} responses_total = {total}", figure=False)
        for t in data["themes"]:
            view = t.get("view", t["audience"])
            self.audience[(cycle, view)] = t["audience"]
            self.block(cycle, view, t["theme"], [item["key"] for item in t["items"]])
        for t in data["themes"]:
            view, theme = t.get("view", t["audience"]), t["theme"]
            shared = bool(t.get("shared_openly")) or view in SHARED_VIEWS
            where = f"{src} {view} {theme}"
            self.theme_n(cycle, view, theme, t["n"], where, t["suppressed"], shared)
            self.theme_mean(cycle, view, theme, t["mean"], where)
            self.theme_agree(cycle, view, theme, t["agree"], where)
            for item in t["items"]:
                key = item["key"]
                for v in LIKERT:
                    self.count(cycle, view, key, v, item["counts"][str(v)], where)
                if "n" in item:
                    self.item_n(cycle, view, key, item["n"], where, shared)
                elif any(x is None for x in item["counts"].values()):
                    self._item_targets(cycle, view, key)
                for group, value in (item.get("grouped") or {}).items():
                    self.grouped(cycle, view, key, group, value, where)
            change = t.get("change")
            if change is not None:
                self.change(cycle, view, theme, change["mean"], change["agree"], where)
                # Rise, fall or about the same: from the two shown figures' own answers (a
                # Welch interval), so it says nothing about a withheld one; only with both.
                if change.get("direction") is not None and change["mean"] is None:
                    self.unmodelled.append(f"{where}: a direction without both means")
        for gap in data["gaps"]:
            self.gap(cycle, gap, src)
        linked = data.get("linked")
        if linked and (linked.get("linked") or linked.get("themes")):
            self.unmodelled.append(f"{src}: linked change {linked}")
        for part in ("quotes", "agenda", "questions"):
            if data.get(part):
                self.unmodelled.append(f"{src}: {part}")

    def responses(self, cycle: int, view: str, n, source: str) -> None:
        r = self.unknown(("R", cycle, view))
        if n is None:
            self.target(("responses", cycle, view), {r: 1}, "people")
            k = self.cycles[cycle].k
            self.fact({r: 1}, 1, k - 1, f"{source}: {view} responses withheld", False, False)
        else:
            self.fact({r: 1}, n, n, f"{source} {view} responses = {n}")

    def theme_n(self, cycle, view, theme, n, source, suppressed=None, shared=False) -> None:
        tn = ("Tn", cycle, view, theme)
        if n is not None:
            self.fact({tn: 1}, n, n, f"{source} n = {n}")
            self.summary_n[(cycle, view, theme)] = int(n)
            return
        self.target(("theme_n", cycle, view, theme), {tn: 1}, "people")
        info = self.cycles[cycle]
        if suppressed and not shared and info.figures:
            self.fact({tn: 1}, 1, info.k - 1, f"{source}: n withheld", False, False)

    def _theme_shown_empty(self, cycle, view, theme) -> bool:
        return self.summary_n.get((cycle, view, theme)) == 0

    def theme_mean(self, cycle, view, theme, mean, source) -> None:
        ts, tn = ("Ts", cycle, view, theme), ("Tn", cycle, view, theme)
        if mean is not None:
            most = self.people_bound(cycle, [view])
            self.mean({ts: 1}, {tn: 1}, mean, self.grid[ts], most, f"{source} mean = {mean}")
        elif not self._theme_shown_empty(cycle, view, theme):
            self.target(("theme_mean", cycle, view, theme), {ts: 1}, "answers", self.grid[ts])

    def theme_agree(self, cycle, view, theme, agree, source) -> None:
        ta, tn = ("Ta", cycle, view, theme), ("Tn", cycle, view, theme)
        if agree is not None:
            most = self.people_bound(cycle, [view])
            self.agree({ta: 1}, {tn: 1}, agree, most, f"{source} agree = {agree}%")
        elif not self._theme_shown_empty(cycle, view, theme):
            self.target(("theme_agree", cycle, view, theme), {ta: 1}, "answers")

    def count(self, cycle, view, key, v, value, source) -> None:
        c = ("c", cycle, view, key, v)
        if value is None:
            self.target(("count", cycle, view, key, v), {c: 1}, "answers")
        else:
            self.fact({c: 1}, value, value, f"{source} {key} count {v} = {value}")

    def _item_targets(self, cycle, view, key) -> None:
        n = {("c", cycle, view, key, v): 1 for v in LIKERT}
        total = {("c", cycle, view, key, v): v for v in LIKERT}
        self.target(("item_n", cycle, view, key), n, "people")
        self.target(("item_mean", cycle, view, key), total, "answers")

    def item_n(self, cycle, view, key, n, source, shared=False) -> None:
        expr = {("c", cycle, view, key, v): 1 for v in LIKERT}
        if n is not None:
            self.fact(expr, n, n, f"{source} {key} n = {n}")
            return
        self._item_targets(cycle, view, key)
        info = self.cycles[cycle]
        if not shared and info.figures:
            self.fact(expr, 1, info.k - 1, f"{source} {key}: n withheld", False, False)

    def grouped(self, cycle, view, key, group, value, source) -> None:
        expr = {("c", cycle, view, key, v): 1 for v in GROUPED[group]}
        if value is None:
            self.target(("grouped", cycle, view, key, group), expr, "answers")
        else:
            self.fact(expr, value, value, f"{source} {key} count {group} = {value}")

    def change(self, cycle, view, theme, mean, agree, source) -> None:
        info = self.cycles[cycle]
        before = self._cycle_of(info.group, info.previous)
        if before is None or (before, view, theme) not in self.blocks:
            if mean is not None or agree is not None:
                self.unmodelled.append(f"{source}: change against an unknown cycle")
            return
        n1 = self.exact.get(canon({("Tn", cycle, view, theme): 1}))
        n0 = self.exact.get(canon({("Tn", before, view, theme): 1}))
        if not n1 or not n0:
            if mean is not None or agree is not None:
                self.unmodelled.append(f"{source}: change where n is withheld")
            return
        now, then = (cycle, view, theme), (before, view, theme)
        if mean is not None:
            m = _q(mean)
            expr = {("Ts", *now): 1 / n1, ("Ts", *then): -1 / n0}
            text = f"{source} change {mean}"
            self.fact(expr, m - 2 * HALF_CENT, m + 2 * HALF_CENT, text, figure=False)
        if agree is not None:
            a = _q(agree)
            expr = {("Ta", *now): Fraction(100) / n1, ("Ta", *then): Fraction(-100) / n0}
            self.fact(expr, a - 1, a + 1, f"{source} change {agree} points", figure=False)

    def _cycle_of(self, group: str, title: str | None) -> int | None:
        return next(
            (c for c, i in self.cycles.items() if i.group == group and i.title == title), None
        )

    def gap(self, cycle: int, gap: dict, source: str) -> None:
        theme = gap["theme"]
        where = f"{source} gap {theme}"
        if "peer_view" not in gap:  # the old gap: member mean minus peer mean, whole themes
            for view, key in (("member", "member_mean"), ("peer_worker", "peer_worker_mean")):
                if gap[key] is not None and (cycle, view, theme) in self.blocks:
                    self.theme_mean(cycle, view, theme, gap[key], where)
            return
        sides = (
            ("member", "member_key", "member_mean"),
            (gap["peer_view"], "peer_worker_key", "peer_worker_mean"),
        )
        for view, key_field, mean_field in sides:
            b = (cycle, view, theme)
            if b not in self.blocks:
                self.unmodelled.append(f"{where}: no theme {b}")
                continue
            self.paired(cycle, view, theme, [i[key_field] for i in gap["items"]])
            ps, pn = ("Ps", *b), ("Pn", *b)
            most = self.people_bound(cycle, [view])
            if gap[mean_field] is not None:
                text = f"{where} {view} paired mean = {gap[mean_field]}"
                self.mean({ps: 1}, {pn: 1}, gap[mean_field], self.grid[ps], most, text)
            elif not self._theme_shown_empty(*b):
                self.target(("paired_mean", *b), {ps: 1}, "answers", self.grid[ps])
            for item in gap["items"]:
                key, mean = item[key_field], item[mean_field]
                if mean is None:
                    continue
                n = {("c", cycle, view, key, v): 1 for v in LIKERT}
                total = {("c", cycle, view, key, v): v for v in LIKERT}
                self.mean(total, n, mean, Fraction(1), most, f"{where} {key} mean = {mean}")
        for item in gap["items"]:
            if item["gap"] is not None and None in (item["member_mean"], item["peer_worker_mean"]):
                self.unmodelled.append(f"{where}: an item gap without both means")
        if gap["gap"] is not None and None in (gap["member_mean"], gap["peer_worker_mean"]):
            self.unmodelled.append(f"{where}: a gap without both means")

    def read_summary_csv(self, text: str) -> None:
        """The same figures in long form: read on their own, so that a figure only the CSV
        gives is not missed."""
        for row in csv.DictReader(io.StringIO(text)):
            cycle = int(row["cycle_id"])
            view = row.get("view") or row["audience"]
            theme, key, measure = row["theme"], row["question_key"], row["measure"]
            value = row["value"] if row["value"] != "" else None
            where = f"summary_csv cycle {cycle} {view} {theme} {key}".rstrip()
            if measure == "responses":
                if view != "all":
                    self.responses(cycle, view, None if value is None else int(value), where)
                continue
            if view.startswith("member_minus_"):
                continue  # a gap: the difference of two means the JSON shows (or withholds)
            if (cycle, view, theme) not in self.blocks:
                self.unmodelled.append(f"{where}: {measure} of a theme the JSON lacks")
                continue
            if measure == "change_direction":
                continue  # see read_summary: from two shown figures only
            number = None if value is None else _q(value)
            if measure == "n" and not key:
                self.theme_n(cycle, view, theme, number, where)
            elif measure == "n":
                self.item_n(cycle, view, key, number, where, shared=True)
            elif measure == "mean":
                self.theme_mean(cycle, view, theme, value, where)
            elif measure == "agree_percent":
                self.theme_agree(cycle, view, theme, value, where)
            elif measure.startswith("count_") and measure[6:] in GROUPED:
                self.grouped(cycle, view, key, measure[6:], number, where)
            elif measure.startswith("count_"):
                self.count(cycle, view, key, int(measure[6:]), number, where)
            elif measure in ("change_mean", "change_agree_points"):
                mean = value if measure == "change_mean" else None
                agree = value if measure == "change_agree_points" else None
                self.change(cycle, view, theme, mean, agree, where)
            else:
                self.unmodelled.append(f"{where}: measure {measure}")

    # -- the roll-up ----------------------------------------------------------------------

    def _parts(self, cycle: int, audience: str, theme: str) -> list[tuple]:
        return [
            (c, view, theme)
            for (c, view), a in self.audience.items()
            if c == cycle and a == audience and (c, view, theme) in self.blocks
        ]

    def _shown_in_summary(self, b: tuple) -> bool:
        return bool(self.summary_n.get(b))

    def read_rollup_csv(self, text: str, rounded: bool) -> None:
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows:
            return
        network = rows[0]["network"]
        cycles = {}
        for row in rows:
            if row["column"] != network and row["cycle"]:
                cycles[row["column"]] = self._cycle_of(row["column"], row["cycle"])
        for row in rows:
            audience, theme = row["audience"], row["theme"]
            where = f"rollup_csv{' rounded' if rounded else ''} {row['column']} {audience} {theme}"
            if row["column"] == network:
                parts = [b for c in cycles.values() for b in self._parts(c, audience, theme)]
            elif row["cycle"]:
                parts = self._parts(cycles[row["column"]], audience, theme)
            else:
                continue
            left_out = row.get("left_out") or ""
            kept = [b for b in parts if not left_out or self._shown_in_summary(b)]
            if row["column"] == network:
                hidden = {b for b in kept if not self._shown_in_summary(b)}
                hidden -= {b for b in hidden if self._theme_shown_empty(*b)}
                if hidden and not self.pooled_network_figures:
                    continue
                self.pooled |= hidden
            # left_out says how many took part in the parts left out: the same published
            # counts every summary gives, so it adds no fact about what anyone answered.
            ns = {("Tn", *b): 1 for b in kept}
            sums = {("Ts", *b): 1 for b in kept}
            agrees = {("Ta", *b): 1 for b in kept}
            most = sum((self.people_bound(b[0], [b[1]]) for b in kept), Fraction(0))
            if row["n"]:
                n = int(row["n"])
                lo, hi = _unround_5(n) if rounded else (n, n)
                most = min(most, Fraction(hi))
                self.fact(ns, lo, hi, f"{where} n = {row['n']}", figure=False)
            if row["mean"]:
                grid = min((self.grid[u] for u in sums), default=Fraction(1))
                text = f"{where} mean = {row['mean']}"
                self.mean(sums, ns, row["mean"], grid, most, text, figure=False)
            if row["agree_percent"]:
                text_ = f"{where} agree = {row['agree_percent']}%"
                self.agree(agrees, ns, row["agree_percent"], most, text_, figure=False)

    def read_rollup_responses(self, rounded: bool, columns: list[tuple]) -> None:
        cycles = {label: self._cycle_of(label, title) for label, title, _ in columns if title}
        for label, title, n in columns:
            if n is None:
                continue
            chosen = [cycles[label]] if title else list(cycles.values())
            expr = {u: 1 for c in chosen for u in self.grid if u[0] == "R" and u[1] == c}
            lo, hi = _unround_5(n) if rounded else (n, n)
            where = f"rollup page{' rounded' if rounded else ''} {label} responses = {n}"
            self.fact(expr, lo, hi, where, figure=False)

    # -- working it out -------------------------------------------------------------------

    def solve(self) -> Report:
        hidden = [h for h in self.hidden.values() if h.expr not in self.shown]
        space = RowSpace()
        for i, f in enumerate(self.facts):
            if f.equation and f.lo is not None and f.hi is not None:
                space.add(dict(f.expr), Iv(f.lo, f.hi), frozenset([i]))
        self._force_zeros(space)
        findings: dict[tuple, Finding] = {}
        for h in hidden:
            rest, value, used = space.express(dict(h.expr))
            if not rest:
                method = "forced zero" if "zero" in used else "row space"
                findings[h.name] = Finding(h, method, value, self._sources(used))
        bounds = self._propagate(space)
        for h in hidden:
            if h.name in findings:
                continue
            lo, hi = _evaluate(dict(h.expr), bounds)
            if lo is None or hi is None:
                continue
            lo, hi = _grid_range(lo, hi, h.grid, closed=True)
            if lo == hi:
                findings[h.name] = Finding(h, "bounds", Iv(lo, hi), self._near(h, space))
        cache: dict = {}
        for h in hidden:
            # A tiny search for what someone said (counts of people it leaves to the bounds).
            if h.name not in findings and h.kind == "answers":
                found = self._search(h, space, bounds, cache)
                if found is not None:
                    findings[h.name] = found
        return Report(hidden, list(findings.values()), self.facts, self.unmodelled, self.pooled)

    def _near(self, h: Hidden, space: RowSpace) -> tuple[str, ...]:
        """The facts that bound a target: those on its own unknowns, and those the rows
        holding its unknowns were made from."""
        mine = {u for u, _ in h.expr}
        if h.block is not None:
            cycle, view, theme = h.block
            keys = self.blocks[h.block]
            mine |= {
                u
                for u in self.grid
                if u[1:4] == h.block or (u[0] == "c" and u[1:3] == (cycle, view) and u[3] in keys)
            }
        used = {i for i, f in enumerate(self.facts) if any(u in mine for u, _ in f.expr)}
        for u in mine:
            for p in space.where.get(u, set()) | ({u} if u in space.rows else set()):
                used |= space.rows[p][2]
        return self._sources(used)

    def _sources(self, used: Iterable) -> tuple[str, ...]:
        return tuple(sorted({self.facts[i].source for i in used if isinstance(i, int)}))

    def _force_zeros(self, space: RowSpace) -> None:
        """A sum of non-negative unknowns that equals 0 makes each of them 0."""
        while True:
            candidates = [
                (dict(f.expr), frozenset([i]))
                for i, f in enumerate(self.facts)
                if f.equation and f.lo == f.hi == 0
            ]
            candidates += [
                (dict(row), prov) for row, rhs, prov in space.rows.values() if rhs.lo == rhs.hi == 0
            ]
            added = False
            for row, prov in candidates:
                signs = {a > 0 for a in row.values()}
                if len(signs) != 1:
                    continue
                for u in row:
                    added |= space.add({u: 1}, point(0), prov | {"zero"})
            if not added:
                return

    def _propagate(self, space: RowSpace, rounds: int = 40) -> dict[tuple, list]:
        """Tighten every unknown's [lo, hi] through every fact and row (None: no bound), in
        whole numbers: each unknown counted in steps of its grid, each constraint scaled by
        its common denominator (exact, and much quicker than Fraction)."""
        constraints = [(dict(f.expr), f.lo, f.hi) for f in self.facts]
        constraints += [(row, rhs.lo, rhs.hi) for row, rhs, _ in space.rows.values()]
        for expr, _, _ in constraints:
            for u in expr:
                self.grid.setdefault(u, Fraction(1))
        scaled = [_whole(expr, lo, hi, self.grid) for expr, lo, hi in constraints]
        bounds: dict[tuple, list] = {u: [0, None] for u in self.grid}
        using = defaultdict(list)
        for i, (expr, _, _) in enumerate(scaled):
            for u in expr:
                using[u].append(i)
        queue, queued = deque(range(len(scaled))), set(range(len(scaled)))
        steps = 0
        while queue and steps < rounds * len(scaled):
            steps += 1
            i = queue.popleft()
            queued.discard(i)
            for u in _tighten(scaled[i], bounds):
                for j in using[u]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
        return {
            u: [self.grid[u] * lo, None if hi is None else self.grid[u] * hi]
            for u, (lo, hi) in bounds.items()
        }

    def _search(self, h: Hidden, space: RowSpace, bounds, cache: dict) -> Finding | None:
        """Try every value of the few unknowns left free in the target, checking every row
        and fact they touch (the rest only through their bounds)."""
        rest, value, used = space.express(dict(h.expr))
        free = tuple(sorted(rest))
        if free not in cache:
            cache[free] = self._feasible(free, space, bounds)
        feasible, sources = cache[free]
        if feasible is None:
            return None
        values: set[Fraction] = set()
        for fixed in feasible:
            lo, hi = _evaluate(rest, fixed)
            lo, hi = _grid_range(value.lo + lo, value.hi + hi, h.grid, closed=True)
            while lo <= hi and len(values) < 2:
                values.add(lo)
                lo += h.grid
            if len(values) > 1:
                return None
        if len(values) != 1:
            return None
        sources = tuple(sorted(set(self._sources(used) + sources + self._near(h, space))))
        return Finding(h, "search", point(values.pop()), sources)

    def _feasible(self, free: tuple, space: RowSpace, bounds, limit: int = 30):
        if not free or len(free) > 2:
            return None, ()
        domains = []
        for u in free:
            lo, hi = bounds[u]
            if hi is None:
                return None, ()
            g = self.grid.get(u, Fraction(1))
            domains.append([lo + g * j for j in range(int((hi - lo) / g) + 1)])
        if math.prod(len(d) for d in domains) > limit:
            return None, ()
        pivots = sorted({p for u in free for p in space.where.get(u, ())})
        if len(pivots) > 6 or sum(len(space.rows[p][0]) for p in pivots) > 30:
            return None, ()  # not a tiny system
        if not pivots and len(free) == 1:
            return None, ()  # one unknown under linear facts: the bounds already say it all
        # The rows fix the pivots from the free unknowns; the facts on the free unknowns
        # themselves (inequalities) are checked too, the rest through the bounds.
        facts = [f for f in self.facts if not f.equation and any(u in free for u, _ in f.expr)]
        feasible = []
        for choice in itertools.product(*domains):
            fixed = {u: [x, x] for u, x in zip(free, choice, strict=True)}
            trial = {**bounds, **fixed}
            if self._fits(pivots, facts, space, bounds, trial):
                feasible.append(fixed)
        return feasible, tuple(sorted({f.source for f in facts}))

    def _fits(self, pivots, facts, space, bounds, trial) -> bool:
        for p in pivots:
            row, rhs, _ = space.rows[p]
            lo, hi = _evaluate({u: -a for u, a in row.items() if u != p}, trial)
            lo = None if lo is None else rhs.lo + lo
            hi = None if hi is None else rhs.hi + hi
            blo, bhi = bounds[p]
            lo = blo if lo is None else max(lo, blo)
            hi = bhi if hi is None else hi if bhi is None else min(hi, bhi)
            if hi is not None:
                lo, hi = _grid_range(lo, hi, self.grid.get(p, Fraction(1)), closed=True)
                if lo > hi:
                    return False
            trial[p] = [lo, hi]
        for f in facts:
            lo, hi = _evaluate(dict(f.expr), trial)
            if f.lo is not None and hi is not None and hi < f.lo:
                return False
            if f.hi is not None and lo is not None and lo > f.hi:
                return False
        return True


def _grid_range(lo, hi, grid: Fraction, closed: bool = False) -> tuple[Fraction, Fraction]:
    """The least and greatest multiples of grid in [lo, hi) (or [lo, hi] when closed); the
    least is above the greatest when there is none."""
    first = math.ceil(lo / grid) * grid
    last = math.floor(hi / grid) * grid
    if not closed and last == hi:
        last -= grid
    return first, last


def _unround_5(n: int) -> tuple[int, int]:
    """Which counts round to n (to the nearest 5, never down to 0 once shown)."""
    if n == 0:
        return 0, 0
    return (1, 7) if n == 5 else (n - 2, n + 2)


def _evaluate(expr: dict, bounds: dict) -> tuple[Fraction | None, Fraction | None]:
    """The least and greatest value of expr over the bounds (None: no bound)."""
    lo: Fraction | None = Fraction(0)
    hi: Fraction | None = Fraction(0)
    for u, a in expr.items():
        blo, bhi = bounds.get(u, [Fraction(0), None])
        top = None if bhi is None else a * bhi
        low, high = (a * blo, top) if a > 0 else (top, a * blo)
        lo = None if lo is None or low is None else lo + low
        hi = None if hi is None or high is None else hi + high
    return lo, hi


def _whole(expr: dict, lo, hi, grid: dict) -> tuple[dict, int | None, int | None]:
    """lo <= sum(a*u) <= hi over u = grid*x, as whole numbers: sum(A*x) in [L, H]."""
    coeffs = {u: a * grid[u] for u, a in expr.items()}
    d = math.lcm(
        *(c.denominator for c in coeffs.values()),
        *(b.denominator for b in (lo, hi) if b is not None),
    )
    whole = {u: int(c * d) for u, c in coeffs.items()}
    return whole, None if lo is None else int(lo * d), None if hi is None else int(hi * d)


def _tighten(constraint, bounds: dict) -> list[tuple]:
    """Bounds each (whole) unknown of lo <= sum(a*x) <= hi can be given from the others'."""
    expr, lo, hi = constraint
    parts = {}
    min_sum = max_sum = 0
    min_inf = max_inf = 0  # how many terms have no least / greatest value
    for u, a in expr.items():
        blo, bhi = bounds[u]
        top = None if bhi is None else a * bhi
        pmin, pmax = (a * blo, top) if a > 0 else (top, a * blo)
        parts[u] = (pmin, pmax)
        if pmin is None:
            min_inf += 1
        else:
            min_sum += pmin
        if pmax is None:
            max_inf += 1
        else:
            max_sum += pmax
    # Nothing to learn when no value of the unknowns can break the constraint.
    if (lo is None or (not min_inf and min_sum >= lo)) and (
        hi is None or (not max_inf and max_sum <= hi)
    ):
        return []
    changed = []
    for u, a in expr.items():
        pmin, pmax = parts[u]
        if pmin is not None and pmin == pmax:
            continue  # already fixed
        # the others' least and greatest: a*x lies in [lo - their max, hi - their min]
        others_max = None if max_inf - (pmax is None) else max_sum - (pmax or 0)
        others_min = None if min_inf - (pmin is None) else min_sum - (pmin or 0)
        low = None if lo is None or others_max is None else lo - others_max
        high = None if hi is None or others_min is None else hi - others_min
        if a < 0:
            low, high, a = (None if high is None else -high), (None if low is None else -low), -a
        blo, bhi = bounds[u]
        new_lo = blo if low is None else max(blo, -(-low // a))
        new_hi = bhi
        if high is not None:
            new_hi = high // a if bhi is None else min(bhi, high // a)
        if new_hi is not None and new_lo > new_hi:
            raise ValueError(f"the facts contradict each other at {u}: {constraint}")
        if (new_lo, new_hi) != (blo, bhi):
            bounds[u] = [new_lo, new_hi]
            changed.append(u)
    return changed


def attack(publication: Publication, pooled_network_figures: bool = True) -> Report:
    """Everything hidden that the outputs together give away (optionally without the
    roll-up's network figures that pool parts withheld everywhere)."""
    attacker = Attacker(pooled_network_figures)
    for data in publication.summaries:
        attacker.read_summary(data)
    for text in publication.summary_csvs:
        attacker.read_summary_csv(text)
    for text, rounded in publication.rollup_csvs:
        attacker.read_rollup_csv(text, rounded)
    for rounded, columns in publication.rollup_responses:
        attacker.read_rollup_responses(rounded, columns)
    return attacker.solve()


# ---------------------------------------------------------------------------------------
# The world the outputs come from (the tests' side; attack() never reads this)
# ---------------------------------------------------------------------------------------

# A few questions per audience: a two-item theme and a one-item theme, the latter asked of
# both audiences in parallel words (a pair), so gaps appear.
QUESTIONS = {
    "member": ["hope.gives_hope", "hope.others_show_way", "mutual_support.belong"],
    "peer_worker": ["hope.pw_members_hopeful", "hope.pw_own_story", "mutual_support.pw_belong"],
}
PAIRS = {"mutual_support.belong": ("mutual_support.belong", "mutual_support.pw_belong")}


def theme_of(key: str) -> str:
    return key.split(".")[0]


@dataclass(frozen=True)
class Person:
    """One response: answers by question key ("1".."5" or "pns"; a missing key is a skip)."""

    audience: str
    answers: tuple[tuple[str, str], ...]
    shares_openly: bool = False


@dataclass(frozen=True)
class RawCycle:
    title: str
    starts_on: date
    responses: tuple[Person, ...]


@dataclass(frozen=True)
class RawGroup:
    name: str
    cycles: tuple[RawCycle, ...]  # all closed, earliest first


@dataclass(frozen=True)
class RawNetwork:
    name: str
    k: int
    groups: tuple[RawGroup, ...]


def person(audience: str, *values, shares_openly: bool = False) -> Person:
    """A response giving values to its audience's QUESTIONS in order (None: skipped)."""
    keys = QUESTIONS[audience]
    return Person(
        audience,
        tuple((k, v) for k, v in zip(keys, values, strict=False) if v is not None),
        shares_openly,
    )


def view_today(p: Person) -> str:
    if p.audience == "member":
        return "member"
    return "peer_team" if p.shares_openly else "peer_worker"


def view_before(p: Person) -> str:
    return p.audience  # the previous rules knew no open sharing


def truth(network: RawNetwork, ids: dict[tuple[int, int], int], view_of) -> dict:
    """The true value of every unknown: ids maps (group index, cycle index) to cycle id."""
    values: dict[tuple, Fraction] = defaultdict(Fraction)
    paired_keys = {key for pair in PAIRS.values() for key in pair}
    for (g, c), cycle_id in ids.items():
        for p in network.groups[g].cycles[c].responses:
            view = view_of(p)
            values[("R", cycle_id, view)] += 1
            answers = dict(p.answers)
            themes = dict.fromkeys(theme_of(k) for k in QUESTIONS[p.audience])
            for theme in themes:
                keys = [k for k in QUESTIONS[p.audience] if theme_of(k) == theme]
                given = [int(answers[k]) for k in keys if answers.get(k, "pns") != "pns"]
                for k in keys:
                    if answers.get(k, "pns") != "pns":
                        values[("c", cycle_id, view, k, int(answers[k]))] += 1
                b = (cycle_id, view, theme)
                if given:
                    score = _theme_score(given)
                    values[("Tn", *b)] += 1
                    values[("Ts", *b)] += score
                    values[("Ta", *b)] += int(score >= 4)
                on_pairs = [
                    int(answers[k])
                    for k in keys
                    if k in paired_keys and answers.get(k, "pns") != "pns"
                ]
                if on_pairs:
                    values[("Pn", *b)] += 1
                    values[("Ps", *b)] += _theme_score(on_pairs)
    return values


def check_against_truth(attacker_report: Report, values: dict) -> None:
    """Every fact the attacker read holds for the real answers, and every value it worked
    out is the real one: the attacker neither misreads nor invents."""
    wrong = [f for f in attacker_report.facts if not f.holds(values)]
    assert not wrong, wrong[:5]
    for finding in attacker_report.findings:
        real = sum((a * values.get(u, 0) for u, a in finding.hidden.expr), Fraction(0))
        assert finding.value.lo <= real <= finding.value.hi, (str(finding), real)
