"""The cycle summary as HTML, under the report's own language."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import text_direction
from ..questions.bank import THEMES
from .aggregate import LIKERT_VALUES, MEMBER, PEER_TEAM, ItemResult
from .charts import bar_svg, data_uri, meter
from .summary import CycleSummary

MINUS = "\u2212"


def _mean(value: Decimal) -> str:
    return format_decimal(value, format="0.00")


def _signed(value: Decimal) -> str:
    text = format_decimal(abs(value), format="0.00")
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else text


def _signed_points(value: int) -> str:
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return ngettext("%(sign)s%(num)d point", "%(sign)s%(num)d points", abs(value), sign=sign)


def _pct(value: int) -> str:
    return f"{value}%"


def _or(formatter):
    def formatted(value, fallback):
        return fallback if value is None else formatter(value)

    return formatted


def _count_or(value, fallback):
    return fallback if value is None else str(value)


def theme_title(theme: str) -> str:
    title = THEMES.get(theme)
    return str(title) if title is not None else theme.replace("_", " ").capitalize()


def audience_title(view: str) -> str:
    """Who a figure is about: an audience, or one of the summary's views."""
    if view == "member":
        return _("Group members")
    if view == PEER_TEAM:
        return _("The peer support team")
    return _("Peer support workers")


def who_answered(summary) -> list[str]:
    """The meeting's first line, as separate phrases (each one message, none inside another,
    so every language words and punctuates its own)."""
    phrases = [
        ngettext("%(num)d group member", "%(num)d group members", summary.responses["member"]),
        ngettext(
            "%(num)d peer support worker", "%(num)d peer support workers", summary.peer_workers
        ),
    ]
    shared = summary.responses["peer_team"]
    if shared:
        phrases.append(
            ngettext(
                "%(num)d shared their answers with the group",
                "%(num)d shared their answers with the group",
                shared,
            )
        )
    return phrases


def direction_label(direction: str | None) -> str:
    """A change in words: a rise or a fall only when it is bigger than chance."""
    return {
        "rise": _("a rise"),
        "fall": _("a fall"),
    }.get(direction or "", _("about the same"))


def quote_source(quote) -> str:
    if quote.audience == "member":
        return _("A group member")
    return _("A peer support worker")


def bar(item: ItemResult) -> str:
    """One question's answers as a bar, running the way the page reads (as the table does)."""
    return data_uri(bar_svg(item.counts, rtl=text_direction() == "rtl"))


def bar_alt(number: int, item: ItemResult) -> str:
    """The bar in words, for a screen reader: the same counts as its row."""
    labels = dict(likert_legend())
    counts = ", ".join(f"{labels[v]} {item.counts[v]}" for v in LIKERT_VALUES)
    return _("Q%(number)d as a bar: %(counts)s", number=number, counts=counts)


def question_number(number: int) -> str:
    return _("Q%(number)d", number=number)


def member_linked(summary: CycleSummary, result):
    """The linked change of group members in this result's theme, where it is shown: it is
    written in the members' own theme row."""
    if summary.linked is None or result.view != MEMBER:
        return None
    return next(
        (
            t
            for t in summary.linked.themes
            if t.audience == MEMBER and t.theme == result.theme and t.mean_change is not None
        ),
        None,
    )


def shown_views(summary: CycleSummary) -> list[str]:
    """The views the detail has figures for, in the summary's order."""
    return [v for v in summary.views if summary.figures and summary.view_shown(v)]


EASY_STATEMENTS = {
    "shared_aims": _l("We know what the group is for"),
    "negotiated_agenda": _l("We have a say in what the group does"),
    "communication": _l("We can speak up and people listen"),
    "learning_organisation": _l("Things change when we speak up"),
    "mutual_support": _l("We help each other"),
    "wider_community": _l("The group helps us do things outside it"),
    "hope": _l("The group gives us hope"),
    "optimism": _l("We look forward to what is next"),
    "self_esteem": _l("We feel good about ourselves"),
    "empowerment": _l("We feel able to make our own choices"),
}


def easy_statement(theme: str) -> str:
    return str(EASY_STATEMENTS.get(theme) or theme_title(theme))


def in_ten(agree_percent: int) -> int:
    """Agree as "n in 10", rounded half up."""
    return (agree_percent + 5) // 10


def trend(change) -> str:
    """The change in plain words for the wall: more or fewer people agree only when the
    change is bigger than chance (its direction), else about the same."""
    if change.direction == "rise" and change.agree > 0:
        return _("More people agree than last time")
    if change.direction == "fall" and change.agree < 0:
        return _("Fewer people agree than last time")
    return _("About the same as last time")


def likert_legend() -> list[tuple[int, str]]:
    labels = (_("Strongly disagree"), _("Disagree"), _("Not sure"), _("Agree"), _("Strongly agree"))
    return list(enumerate(labels, start=1))


def stylesheet_path() -> Path:
    return Path(current_app.static_folder) / "report.css"


def render_summary(
    summary: CycleSummary,
    language: str,
    *,
    large_print: bool = False,
    easy_read: bool = False,
    standalone: bool = False,
) -> str:
    """The summary document (or its one-page easy-read version); standalone carries its
    stylesheet inside, for a saved file."""
    css = stylesheet_path()
    with force_locale(language):
        return render_template(
            "reports/easy_read.html" if easy_read else "reports/document.html",
            s=summary,
            large_print=large_print,
            stylesheet=css.as_uri(),
            inline_css=css.read_text() if standalone else None,
        )


VARIANTS = ("", "large-print", "easy-read")


def summary_document(cycle, language: str, variant: str = "") -> tuple[str, str]:
    """The finished HTML of a cycle's summary for printing, and the PDF's file name."""
    from .summary import stored_or_built

    summary = stored_or_built(cycle, language, current_app.config["LINK_KEY"])
    html = render_summary(
        summary, language, large_print=variant == "large-print", easy_read=variant == "easy-read"
    )
    return html, f"summary-{cycle.id}{'-' + variant if variant else ''}-{language}.pdf"


def render_rollup(rollup, language: str = "en_GB", *, standalone: bool = False) -> str:
    css = stylesheet_path()
    with force_locale(language):
        return render_template(
            "reports/rollup.html",
            r=rollup,
            stylesheet=css.as_uri(),
            inline_css=css.read_text() if standalone else None,
        )


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mean=_mean,
        mean_or=_or(_mean),
        signed=_signed,
        signed_or=_or(_signed),
        signed_points=_signed_points,
        signed_points_or=_or(_signed_points),
        pct=_pct,
        pct_or=_or(_pct),
        count_or=_count_or,
    )
    app.jinja_env.globals.update(
        theme_title=theme_title,
        audience_title=audience_title,
        quote_source=quote_source,
        direction_label=direction_label,
        who_answered=who_answered,
        meter=meter,
        bar=bar,
        bar_alt=bar_alt,
        question_number=question_number,
        shown_views=shown_views,
        member_linked=member_linked,
        likert_legend=likert_legend,
        easy_statement=easy_statement,
        in_ten=in_ten,
        trend=trend,
    )
