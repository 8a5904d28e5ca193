"""Answers for research, one row per person, as SPSS (.sav), Stata (.dta) and CSV for R.

The same rule as the long research CSV (reports/exports.py, whose helpers it uses): closed
cycles only, audiences under k left out, people shuffled under names made for this file, no
dates, free text only from people who agreed to be quoted, rare languages and sources blanked.

Variable names come from question keys alone (so a researcher can stack cycles), made to fit
Stata (see `variable_name`). Likert answers are 1 to 5 with value labels; "I'd rather not
say" is a labelled missing value (9 in SPSS, .a in Stata); single-choice answers are
numbered in the question's order, with the options as value labels.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import tempfile
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.csvsafe import write_csv
from ..cycles.models import Cycle, CycleQuestion
from ..extensions import db
from ..questions.models import Question
from ..questions.types import LIKERT_CHOICES, LIKERT_VALUES, PREFER_NOT_TO_SAY, get_type
from ..reports.exports import _pseudonyms, shown_people
from ..responses.models import Answer, Response

PEOPLE_COLUMNS = ("person", "audience", "language", "source", "cycle_period")
SPSS_DECLINED = 9
STATA_DECLINED = "a"
AUDIENCE_CODES = {"member": 1, "peer_worker": 2}
AUDIENCE_LABELS = {"member": "Group member", "peer_worker": "Peer support worker"}
NAME_LIMIT = 28
STATA_LABEL = 80
SPSS_LABEL = 256


# Short names for the bank's themes, so that variable names stay readable within Stata's
# limits. Fixed like the keys: never change one.
THEME_NAMES = {
    "shared_aims": "aims",
    "negotiated_agenda": "agenda",
    "communication": "talk",
    "learning_organisation": "learn",
    "wider_community": "community",
    "mutual_support": "mutual",
    "hope": "hope",
    "optimism": "optimism",
    "self_esteem": "esteem",
    "empowerment": "empower",
    "peer_role": "role",
    "peer_support": "support",
    "open": "open",
}


def variable_name(key: str) -> str:
    """A question key as a variable name every package takes, the same in every cycle:
    letters, digits and underscores, at most 28 characters (Stata allows 32, and pyreadstat
    names each value label set after its variable with a number added)."""
    theme, _dot, item = key.partition(".")
    name = f"{THEME_NAMES.get(theme, theme)}_{item}" if item else theme
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not re.match(r"[A-Za-z]", name):
        name = "q" + name
    if len(name) > NAME_LIMIT:
        name = name[: NAME_LIMIT - 5] + "_" + hashlib.sha256(key.encode()).hexdigest()[:4]
    return name


@dataclass(frozen=True)
class Variable:
    name: str
    key: str
    pair_key: str
    theme: str
    audience: str
    qtype: str
    position: int
    text: str
    options: tuple[str, ...]
    option_labels: tuple[str, ...]


@dataclass(frozen=True)
class ResearchTable:
    """What may leave for research: the questions as variables and one dict per person."""

    variables: tuple[Variable, ...]
    rows: tuple[dict, ...]


def _variables(cycle: Cycle, audiences, language: str) -> tuple[Variable, ...]:
    found, names = [], set()
    for cq in sorted(cycle.questions, key=lambda q: (q.audience, q.position)):
        if cq.audience not in audiences:
            continue
        question = cq.question
        text = question.text_in(language)
        name = variable_name(question.key)
        if name.lower() in names:  # two keys that read the same once dots are underscores
            digest = hashlib.sha256(question.key.encode()).hexdigest()
            name = name[: NAME_LIMIT - 9] + "_" + digest[:8]
        names.add(name.lower())
        options = tuple(question.options or ())
        labels = list(text.option_labels or question.text_in("en_GB").option_labels or options)
        found.append(
            Variable(
                name,
                question.key,
                question.pair_key or "",
                question.theme,
                cq.audience,
                question.qtype,
                cq.position,
                text.text,
                options,
                tuple(labels[i] if i < len(labels) else v for i, v in enumerate(options)),
            )
        )
    return tuple(found)


def research_table(
    cycle: Cycle, rng: random.Random | None = None, language: str = "en_GB"
) -> ResearchTable:
    """A closed cycle's answers, one row per person, under the small-numbers rule."""
    rng = rng or random.SystemRandom()
    k = cycle.group.network.min_responses
    people = db.session.execute(
        sa.select(Response.id, Response.audience, Response.language, Response.source).where(
            Response.cycle_id == cycle.id
        )
    ).all()
    shown, language_of, source_of = shown_people(people, k)
    variables = _variables(cycle, shown, language)
    if not shown:
        return ResearchTable(variables, ())
    by_key = {v.key: v.name for v in variables}
    answers: dict[int, dict[str, str]] = {}
    query = (
        sa.select(
            Answer.response_id,
            Question.key,
            Answer.qtype,
            Answer.likert,
            Answer.prefer_not_to_say,
            Answer.text,
            Answer.choice,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(CycleQuestion, CycleQuestion.id == Answer.cycle_question_id)
        .join(Question, Question.id == CycleQuestion.question_id)
        .where(Answer.cycle_id == cycle.id, Response.audience.in_(list(shown)))
        .where(sa.or_(Answer.qtype != "text", Response.may_quote.is_(True)))
    )
    for rid, key, qtype, likert, declined, text, choice in db.session.execute(query):
        value = get_type(qtype).export_value(likert, declined, text, choice)
        answers.setdefault(rid, {})[by_key[key]] = value
    order = [p for rows in shown.values() for p in rows]
    rng.shuffle(order)
    names = _pseudonyms(len(order), rng)
    period = f"{cycle.starts_on.isoformat()}/{cycle.ends_on.isoformat()}"
    rows = tuple(
        {
            "person": name,
            "audience": person.audience,
            "language": language_of[person.id],
            "source": source_of[person.id],
            "cycle_period": period,
            **answers.get(person.id, {}),
        }
        for name, person in zip(names, order, strict=True)
    )
    return ResearchTable(variables, rows)


def questions_table(cycle: Cycle, language: str = "en_GB") -> ResearchTable:
    """Every question of a cycle as the wide files name it, with no one's answers."""
    return ResearchTable(_variables(cycle, ("member", "peer_worker"), language), ())


# --- CSV for R ----------------------------------------------------------------------------


def wide_csv(table: ResearchTable) -> str:
    """One row per person; the values are those of the long export (1-5, prefer_not_to_say,
    the option's value, the words); an empty cell is a question not answered."""
    header = [*PEOPLE_COLUMNS, *(v.name for v in table.variables)]
    return write_csv(header, ([row.get(c, "") for c in header] for row in table.rows))


WIDE_CODEBOOK_COLUMNS = (
    "variable",
    "question_key",
    "pair_key",
    "theme",
    "audience",
    "type",
    "position",
    "text",
    "values",
    "spss_and_stata_codes",
)


def wide_codebook_csv(table: ResearchTable) -> str:
    """What each column of the wide files means, and how the .sav and .dta code it."""
    rows = [
        ("person", "", "", "", "", "id", "", "A name made for this file only", "", ""),
        (
            "audience",
            "",
            "",
            "",
            "",
            "choice",
            "",
            "Who answered",
            "member; peer_worker",
            "; ".join(f"{AUDIENCE_CODES[a]}={AUDIENCE_LABELS[a]}" for a in AUDIENCE_CODES),
        ),
        ("language", "", "", "", "", "text", "", "Language (empty where few used it)", "", ""),
        ("source", "", "", "", "", "text", "", "web, paper or odk (empty where few)", "", ""),
        ("cycle_period", "", "", "", "", "text", "", "First and last day of the cycle", "", ""),
    ]
    for v in table.variables:
        qtype = get_type(v.qtype)
        rows.append(
            (
                v.name,
                v.key,
                v.pair_key,
                v.theme,
                v.audience,
                v.qtype,
                v.position,
                v.text,
                qtype.codebook_values(v.options, v.option_labels),
                _codes_described(v),
            )
        )
    return write_csv(WIDE_CODEBOOK_COLUMNS, rows)


def _codes_described(v: Variable) -> str:
    labels = value_labels(v)
    if v.qtype == "likert":
        steps = "; ".join(f"{code}={label}" for code, label in labels.items())
        return f"{steps}; {SPSS_DECLINED} (SPSS) or .{STATA_DECLINED} (Stata)={_declined_label()}"
    if v.qtype == "choice":
        return "; ".join(f"{code}={label}" for code, label in labels.items())
    return "text"


# --- SPSS and Stata -----------------------------------------------------------------------


def _declined_label() -> str:
    return str(next(c.label for c in LIKERT_CHOICES if c.value == PREFER_NOT_TO_SAY))


def value_labels(v: Variable) -> dict[int, str]:
    """The numeric codes of a Likert or single-choice variable and what each means."""
    if v.qtype == "likert":
        named = {c.value: str(c.label) for c in LIKERT_CHOICES}
        return {int(value): named[value] for value in LIKERT_VALUES}
    if v.qtype == "choice":
        return {i: label for i, label in enumerate(v.option_labels, start=1)}
    return {}


def _coded(v: Variable, value: str | None, declined):
    """A cell as the .sav or .dta holds it: a number, the declined code, or words."""
    if v.qtype == "text":
        return value or ""
    if value is None or value == "":
        return None
    if v.qtype == "likert":
        return declined if value == PREFER_NOT_TO_SAY else int(value)
    return v.options.index(value) + 1


def _frame(table: ResearchTable, declined):
    import pandas as pd

    columns: dict[str, list] = {c: [] for c in PEOPLE_COLUMNS}
    for v in table.variables:
        columns[v.name] = []
    for row in table.rows:
        for column in PEOPLE_COLUMNS:
            value = row[column]
            columns[column].append(AUDIENCE_CODES[value] if column == "audience" else value)
        for v in table.variables:
            columns[v.name].append(_coded(v, row.get(v.name), declined))
    frame = {}
    for name, values in columns.items():
        if name == "audience":
            frame[name] = pd.Series(values, dtype="int32")
        elif any(isinstance(x, str) for x in values) and name in {
            v.name for v in table.variables if v.qtype != "text"
        }:
            frame[name] = pd.Series(values, dtype=object)  # Stata's .a among numbers
        elif name in {v.name for v in table.variables if v.qtype != "text"}:
            frame[name] = pd.Series(values, dtype="float64")
        else:
            frame[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(frame)


def _labels(table: ResearchTable, limit: int) -> dict[str, str]:
    labels = {
        "person": "A name made for this file only",
        "audience": "Who answered",
        "language": "Language (empty where few used it)",
        "source": "How they answered: web, paper or odk (empty where few)",
        "cycle_period": "First and last day of the cycle",
    }
    labels.update({v.name: v.text for v in table.variables})
    return {name: shorten(text, limit) for name, text in labels.items()}


def shorten(text: str, limit: int) -> str:
    """A label cut to a package's limit at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _value_label_sets(table: ResearchTable, declined) -> dict[str, dict]:
    audiences = {AUDIENCE_CODES[a]: AUDIENCE_LABELS[a] for a in AUDIENCE_CODES}
    sets: dict[str, dict] = {"audience": audiences}
    for v in table.variables:
        labels = value_labels(v)
        if v.qtype == "likert":
            labels = {**labels, declined: _declined_label()}
        if labels:
            sets[v.name] = labels
    return sets


def _written(write) -> bytes:
    fd, path = tempfile.mkstemp(prefix="inquiry-research-")
    os.close(fd)
    try:
        write(path)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def sav_bytes(table: ResearchTable, file_label: str = "") -> bytes:
    """The table as an SPSS .sav file."""
    import pyreadstat

    likert = [v.name for v in table.variables if v.qtype == "likert"]
    measure = {v.name: "ordinal" if v.qtype == "likert" else "nominal" for v in table.variables}
    measure["audience"] = "nominal"
    frame = _frame(table, SPSS_DECLINED)
    return _written(
        lambda path: pyreadstat.write_sav(
            frame,
            path,
            file_label=file_label[:64],
            column_labels=_labels(table, SPSS_LABEL),
            variable_value_labels=_value_label_sets(table, SPSS_DECLINED),
            missing_ranges={name: [SPSS_DECLINED] for name in likert},
            variable_measure=measure,
        )
    )


def dta_bytes(table: ResearchTable, file_label: str = "") -> bytes:
    """The table as a Stata .dta file (version 15)."""
    import pyreadstat

    likert = [v.name for v in table.variables if v.qtype == "likert"]
    frame = _frame(table, STATA_DECLINED)
    return _written(
        lambda path: pyreadstat.write_dta(
            frame,
            path,
            file_label=file_label[:STATA_LABEL],
            column_labels=_labels(table, STATA_LABEL),
            variable_value_labels=_value_label_sets(table, STATA_DECLINED),
            missing_user_values={name: [STATA_DECLINED] for name in likert},
        )
    )


def file_label(cycle: Cycle) -> str:
    """A label for the file that names the cycle by its number and period, not its group."""
    return f"Inquiry cycle {cycle.id}, {cycle.starts_on.isoformat()}/{cycle.ends_on.isoformat()}"
