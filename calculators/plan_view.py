"""The return-to-run plan as HTML: one renderer for the default plan printed on every
condition page and for the runner's own plan in the browser.

Why here, in the standard-library package (design (a) of issue 12, not a Jinja `<template>`
the page script fills): the plan is a pure function of the bridge's plan result dict, so the
same Python renders it at build time (the page includes it) and in the browser's Web Worker
(the bridge returns it as the result's `html` field and the page inserts it). The two plans
cannot drift, the output is byte-identical under CPython and Pyodide (the Node parity test
compares it), and anything else that shows a plan, such as a printed handout, can reuse it.
A template filled by script would still need JavaScript to group sessions, word the
assumptions and format dates: a second renderer.

Safety: every value goes through `html.escape`, and nothing here writes a script, an event
handler or a style attribute, so the text may be included with Jinja's `|safe` and inserted
under a strict Content Security Policy. No line is blank, so Markdown passes it through.

What differs between the two plans comes from the data, never from where it is shown:
  - a plan made with a start date shows each day's date after its day number, inside
    `<span class="hb-plan-dates">` (the default plan has day numbers only);
  - a referral's urgency line holds the catalogue's words in `[data-urgency-action-for]`;
    the page replaces them with its own words for that urgency (its red-flag callout's,
    with the local numbers of a clinic copy).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from html import escape
from typing import Any

from calculators.vocabulary import URGENCY_TITLES

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """A plan repeats the same few texts (session words, days, minutes) many times, and the
    browser's worker renders plan after plan: each is escaped once."""
    return escape(text, quote=True)


def _e(value: object) -> str:
    if type(value) is int:  # digits and a sign: nothing to escape
        return str(value)
    return _escaped(value if type(value) is str else str(value))


def short_date(iso: str) -> str:
    """'2027-01-04' -> 'Mon 4 Jan', in English like the rest of the page, whatever the locale
    (strftime's names and its day-without-zero flag differ between platforms)."""
    day = date.fromisoformat(iso)
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


@lru_cache(maxsize=1024)
def _time(iso: str) -> str:
    return f'<time datetime="{_e(iso)}">{_e(short_date(iso))}</time>'


def _dates(isos: Sequence[str | None], before: str, after: str = "") -> str:
    """The dates of a dated plan, marked so a reader (or a test) can tell them from the days."""
    shown = [iso for iso in isos if iso is not None]
    if not shown:
        return ""
    return f'<span class="hb-plan-dates">{before}{", ".join(_time(i) for i in shown)}{after}</span>'


def _list(items: Sequence[str], css: str = "") -> Iterator[str]:
    yield f'<ul class="{css}">' if css else "<ul>"
    for item in items:
        yield f"<li>{item}</li>"
    yield "</ul>"


def _referral(referral: Mapping[str, Any]) -> Iterator[str]:
    urgency = referral["urgency"]
    yield '<div class="hb-light hb-light--red hb-plan-referral">'
    yield (
        f'<p class="hb-light-urgency hb-urgency--{_e(urgency)}">'
        f"<strong>{_e(URGENCY_TITLES[urgency])}. </strong>"
        f'<span data-urgency-action-for="{_e(urgency)}">{_e(referral["text"])}</span></p>'
    )
    if referral["reasons"]:
        yield "<p>Why:</p>"
        yield from _list([_e(reason) for reason in referral["reasons"]], "hb-light-reasons")
    yield "</div>"


def _warnings(warnings: Sequence[str]) -> Iterator[str]:
    yield '<div class="admonition warning" role="note">'
    yield '<p class="admonition-title">Please read</p>'
    yield from _list([_e(w) for w in warnings], "hb-plan-warnings")
    yield "</div>"


def _summary(plan: Mapping[str, Any]) -> Iterator[str]:
    assumed = plan["assumptions"]
    gate = "have passed" if assumed["entry_gate_passed"] else "have not yet passed"
    yield (
        f'<p class="hb-plan-summary">Plan: <strong>{_e(plan["protocol_name"])}</strong> '
        f"(evidence grade {_e(plan['protocol_grade'])}). It assumes you usually ran "
        f"{_e(plan['target_minutes_per_week'])} minutes a week, can run up to "
        f"{_e(plan['target_runs_per_week'])} times a week, stopped running "
        f"{_e(assumed['days_since_stopped'])} days ago, and {gate} the entry test: "
        f"{_e(plan['entry_gate'])}</p>"
    )
    site = assumed["fracture_site"]
    colour = _e(assumed["today_colour"])
    today = (
        f"that today's self-check is {colour}, and that the fracture is here: {_e(site.lower())}"
        if site
        else f"and that today's self-check is {colour}"
    )
    yield (
        f'<p class="hb-plan-assumptions">It also assumes that none of the warning signs on '
        f"this page is true for you, {today}. If any of that is not so, do not follow this "
        "plan: change your answers in the form, or see a clinician.</p>"
    )


def _session_lines(sessions: Sequence[Mapping[str, Any]], out: list[str]) -> None:
    """Neighbouring sessions with the same text share a line: "Days 1, 3, 5: ..."."""
    groups: list[list[Mapping[str, Any]]] = []
    for session in sessions:
        if groups and groups[-1][0]["text"] == session["text"]:
            groups[-1].append(session)
        else:
            groups.append([session])
    for group in groups:
        days = ", ".join(str(s["day"]) for s in group)
        plural = "s" if len(group) > 1 else ""
        dates = _dates([s["date"] for s in group], " (", ")")
        out.append(f"<li>Day{plural} {_e(days)}{dates}: {_e(group[0]['text'])}</li>")


def _week_row(week: Mapping[str, Any], out: list[str]) -> None:
    css = f"hb-plan-week hb-plan-week--{_e(week['phase'])}"
    if week["cutback"]:
        css += " hb-plan-week--cutback"
    heading = _e(week["week"])
    if week["label"] != f"Week {week['week']}":
        heading += f'<br><span class="hb-plan-stage">{_e(week["label"])}</span>'
    if week["cutback"]:
        heading += '<br><span class="hb-plan-stage">lighter week</span>'
    out += (f'<tr class="{css}">', f'<th scope="row">{heading}</th>', "<td><ul>")
    _session_lines(week["sessions"], out)
    strides = (
        "<p>You may add strides or hills to one run.</p>"
        if week["intensity"] == "introduce"
        else ""
    )
    out += (f"</ul>{strides}</td>", f"<td>{_e(week['running_minutes'])}</td>", "</tr>")


_TABLE_HEAD = (
    '<table class="hb-plan-table">',
    "<caption>Counting from day 1, your first session. Running minutes are the time "
    "spent running, not walking.</caption>",
    "<thead>",
    '<tr><th scope="col">Week</th><th scope="col">Sessions</th>'
    '<th scope="col">Running minutes</th></tr>',
    "</thead>",
    "<tbody>",
)


def weeks_table(weeks: Sequence[Mapping[str, Any]]) -> list[str]:
    """The week-by-week table alone, as lines: the plan below shows it whole, a handout its
    first weeks. (Lines are appended to one list: a plan renders in the browser after every
    answer, and nested generators cost more than the text.)"""
    out = list(_TABLE_HEAD)
    for week in weeks:
        _week_row(week, out)
    out += ("</tbody>", "</table>")
    return out


def _table(weeks: Sequence[Mapping[str, Any]]) -> list[str]:
    return [
        '<details class="hb-plan-details" data-pagefind-ignore="all">',
        f"<summary>Week-by-week plan ({len(weeks)} weeks)</summary>",
        '<div class="hb-table-scroll">',
        *weeks_table(weeks),
        "</div>",
        "</details>",
    ]


def _race(race: Mapping[str, Any]) -> str:
    longest = race["longest_run_minutes"]
    run = (
        f"your longest continuous run before it is about {_e(longest)} minutes "
        f"(about {_e(format(race['longest_run_km'], 'g'))} km)"
        if longest
        else "the plan has no continuous run before it"
    )
    return (
        f'<p class="hb-plan-race">Your race is on day {_e(race["day"])}'
        f"{_dates([race['date']], ' (', ')')}: {run}.</p>"
    )


def _advice_and_rules(plan: Mapping[str, Any]) -> Iterator[str]:
    yield f"<p><strong>After an amber session:</strong> {_e(plan['after_amber']['text'])}</p>"
    yield f"<p><strong>After a red session:</strong> {_e(plan['after_red']['text'])}</p>"
    yield "<p><strong>Move up a level when:</strong></p>"
    yield from _list([_e(item) for item in plan["progression"]])
    yield "<p><strong>Guardrails:</strong></p>"
    yield from _list(
        [
            f'{_e(g["text"])} <span class="hb-cite">({_e(g["citation"])}, evidence grade '
            f"{_e(g['grade'])})</span>"
            for g in plan["guardrails"]
        ],
        "hb-plan-guardrails",
    )


def render_plan(plan: Mapping[str, Any]) -> str:
    """The whole plan as one HTML block, from a plan result dict (`Plan.to_dict`)."""
    length = plan["length"] or {}
    explained = length.get("reason") if length.get("longer_than_typical") else None
    # The length explanation is also a warning; it is shown once, beside the return week.
    warnings = [w for w in plan["warnings"] if w != explained]
    lines = [
        f'<div class="hb-plan hb-plan--{_e(plan["status"])}" data-protocol="{_e(plan["protocol"])}"'
        f' data-status="{_e(plan["status"])}">',
        f'<p class="hb-plan-message"><strong>{_e(plan["message"])}</strong></p>',
    ]
    if plan["referral"]:
        lines += _referral(plan["referral"])
    if warnings:
        lines += _warnings(warnings)
    if plan["weeks"]:
        lines += _summary(plan)
        lines += _table(plan["weeks"])
        if plan["return_week"]:
            lines.append(
                f'<p class="hb-plan-return">Back to {_e(plan["return_minutes_per_week"])} '
                f"minutes a week in week {_e(plan['return_week'])} (from day "
                f"{_e(plan['return_day'])}{_dates([plan['return_date']], ', ')}), if every "
                "self-check stays green.</p>"
            )
        if explained:
            lines.append(f'<p class="hb-plan-length">{_e(explained)}</p>')
        if plan["race"]:
            lines.append(_race(plan["race"]))
        lines += _advice_and_rules(plan)
    lines.append("</div>")
    return "\n".join(lines)
