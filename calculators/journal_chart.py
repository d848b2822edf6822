"""The journal's trends: an accessible inline SVG chart, its data table and weekly summaries.

Drawn here, in the engine, so the build's example and the app show the same picture. The SVG
has a <title> and <desc>, and every mark a class, never a style or a script, so it is safe
under the site's Content-Security-Policy; every text is escaped. Each day's colour is an icon
of its own shape plus words (in the marks' <title> and in the table), never colour alone.

CSS classes (the page's stylesheet colours them):
  jc-chart       the <svg>
  jc-grid        grid lines;  jc-axis  axis lines;  jc-label  axis and legend text
  jc-level       the plan's level for each day, a step band behind everything
  jc-minutes     a bar: minutes done that day (right-hand scale)
  jc-during, jc-after, jc-morning   pain lines (polyline) and their marks: circle, square and
                 triangle respectively, so they differ by shape as well as colour
  jc-day         a day's verdict icon, with jc-day-green, jc-day-amber or jc-day-red
  jc-today       the line marking today
  jc-legend      the legend group
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from calculators.catalogue import Catalogue
from calculators.journal_format import Entry, Recovery
from calculators.vocabulary import COLOUR_LIGHTS, COLOUR_NAMES

if TYPE_CHECKING:
    from calculators.journal import _Follow

CHART_CLASSES = (
    "jc-chart",
    "jc-grid",
    "jc-axis",
    "jc-label",
    "jc-level",
    "jc-minutes",
    "jc-during",
    "jc-after",
    "jc-morning",
    "jc-day",
    "jc-day-green",
    "jc-day-amber",
    "jc-day-red",
    "jc-today",
    "jc-legend",
)
"""Every class the chart uses, for the page's stylesheet (and a test that they are all)."""
CHART_DAYS = 28
"""Four weeks: enough to see this week against the last three."""
DAY_WIDTH = 20
LEFT, RIGHT, TOP, BOTTOM = 36, 40, 16, 56
PLOT_HEIGHT = 160
MAX_MINUTES_SCALE = 120
PAIN_SERIES = (
    ("pain_during", "jc-during", "pain during the session"),
    ("pain_after", "jc-after", "pain after it"),
    ("pain_morning", "jc-morning", "pain on waking"),
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Written out, not strftime: its words follow the machine's locale, and every platform must
draw the same bytes."""
DONE_WORDS = {
    "planned": "did the planned session",
    "less": "did less than planned",
    "more": "did more than planned",
    "skipped": "skipped the session",
}


def _light(colour: str) -> dict[str, str]:
    return next(v for k, v in COLOUR_LIGHTS.items() if k == colour)


def _x(i: int) -> int:
    return LEFT + i * DAY_WIDTH + DAY_WIDTH // 2


def _pain_y(value: int) -> int:
    return TOP + PLOT_HEIGHT - value * PLOT_HEIGHT // 10


def _colours(follow: _Follow) -> dict[date, str]:
    colours = {d: j.result.colour for d, j in follow.judged.items()}
    if follow.stopped is not None:
        colours[follow.stopped.session_day or follow.stopped.until] = "red"
    return colours


def _mark(kind: str, x: int, y: int, label: str) -> str:
    title = f"<title>{escape(label)}</title>"
    if kind == "jc-during":
        return f'<circle class="{kind}" cx="{x}" cy="{y}" r="4">{title}</circle>'
    if kind == "jc-after":
        return f'<rect class="{kind}" x="{x - 4}" y="{y - 4}" width="8" height="8">{title}</rect>'
    return (
        f'<polygon class="{kind}" points="{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}">'
        f"{title}</polygon>"
    )


def _levels_by_day(follow: _Follow, days: list[date]) -> dict[date, int]:
    """The plan level for each day: the level done that day, else the last one before."""
    levels: dict[date, int] = {}
    current = follow.steps[0].level if follow.steps else 0
    for d in days:
        if d in follow.done_at:
            current = follow.steps[follow.done_at[d]].level
        levels[d] = current
    return levels


@dataclass(frozen=True)
class _Frame:
    """The days the chart shows and what it shows for each."""

    name: str
    days: list[date]
    by_day: dict[date, Entry]
    colours: dict[date, str]
    levels: dict[date, int]
    most_levels: int

    @property
    def width(self) -> int:
        return LEFT + len(self.days) * DAY_WIDTH + RIGHT


def chart_parts(
    catalogue: Catalogue, recovery: Recovery, follow: _Follow, today: date
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """The chart's SVG, its data table and this week against last."""
    by_day = {e.day: e for e in recovery.entries if e.day <= today}
    first = min(by_day, default=today)
    start = max(first, today - timedelta(days=CHART_DAYS - 1))
    days = [start + timedelta(days=i) for i in range((today - start).days + 1)]
    colours = _colours(follow)
    levels = _levels_by_day(follow, days)
    frame = _Frame(
        name=catalogue.conditions[recovery.condition].name,
        days=days,
        by_day=by_day,
        colours=colours,
        levels=levels,
        most_levels=max((s.level for s in follow.steps), default=1) or 1,
    )
    return _svg(frame), _table(days, by_day, colours, levels), _weeks(by_day, colours, today)


def _svg(frame: _Frame) -> str:
    width, height = frame.width, TOP + PLOT_HEIGHT + BOTTOM
    return "".join(
        [
            f'<svg class="jc-chart" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="jc-title jc-desc">',
            f'<title id="jc-title">{escape(_title(frame.name, frame.days))}</title>',
            f'<desc id="jc-desc">'
            f"{escape(_description(frame.days, frame.by_day, frame.colours))}</desc>",
            *_grid(frame),
            *_level_band(frame),
            *_minute_bars(frame),
            *_pain_lines(frame),
            *_day_icons(frame),
            _legend(height),
            "</svg>",
        ]
    )


def _grid(frame: _Frame) -> list[str]:
    width, bottom, last = frame.width, TOP + PLOT_HEIGHT, len(frame.days) - 1
    parts = []
    for value in (0, 2, 4, 6, 8, 10):
        y = _pain_y(value)
        parts.append(f'<line class="jc-grid" x1="{LEFT}" y1="{y}" x2="{width - RIGHT}" y2="{y}"/>')
        parts.append(
            f'<text class="jc-label" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">{value}</text>'
        )
    for minutes in (0, 60, 120):
        y = bottom - minutes * PLOT_HEIGHT // MAX_MINUTES_SCALE
        parts.append(f'<text class="jc-label" x="{width - RIGHT + 6}" y="{y + 4}">{minutes}</text>')
    for i, d in enumerate(frame.days):
        if i % 7 == 0 or i == last:
            parts.append(
                f'<text class="jc-label" x="{_x(i)}" y="{bottom + 36}" text-anchor="middle">'
                f"{d.day} {MONTHS[d.month - 1]}</text>"
            )
    parts.append(
        f'<line class="jc-axis" x1="{LEFT}" y1="{bottom}" x2="{width - RIGHT}" y2="{bottom}"/>'
    )
    parts.append(
        f'<line class="jc-today" x1="{_x(last)}" y1="{TOP}" x2="{_x(last)}" y2="{bottom}"/>'
    )
    return parts


def _level_band(frame: _Frame) -> list[str]:
    bottom, parts = TOP + PLOT_HEIGHT, []
    for i, d in enumerate(frame.days):
        level = frame.levels[d]
        if level:
            h = level * PLOT_HEIGHT // frame.most_levels
            parts.append(
                f'<rect class="jc-level" x="{LEFT + i * DAY_WIDTH}" y="{bottom - h}" '
                f'width="{DAY_WIDTH}" height="{h}"><title>{d.isoformat()}: plan level '
                f"{level} of {frame.most_levels}</title></rect>"
            )
    return parts


def _minute_bars(frame: _Frame) -> list[str]:
    bottom, parts = TOP + PLOT_HEIGHT, []
    for i, d in enumerate(frame.days):
        entry = frame.by_day.get(d)
        if entry is None or not entry.minutes:
            continue
        h = min(entry.minutes, MAX_MINUTES_SCALE) * PLOT_HEIGHT // MAX_MINUTES_SCALE
        parts.append(
            f'<rect class="jc-minutes" x="{_x(i) - 5}" y="{bottom - h}" width="10" height="{h}">'
            f"<title>{d.isoformat()}: {entry.minutes} minutes</title></rect>"
        )
    return parts


def _pain_lines(frame: _Frame) -> list[str]:
    parts = []
    for field_name, cls, words in PAIN_SERIES:
        points = [
            (i, value)
            for i, d in enumerate(frame.days)
            if d in frame.by_day and (value := getattr(frame.by_day[d], field_name)) is not None
        ]
        if len(points) > 1:
            line = " ".join(f"{_x(i)},{_pain_y(v)}" for i, v in points)
            parts.append(f'<polyline class="{cls}" points="{line}"/>')
        parts += [
            _mark(cls, _x(i), _pain_y(v), f"{frame.days[i].isoformat()}: {words} {v} out of 10")
            for i, v in points
        ]
    return parts


def _day_icons(frame: _Frame) -> list[str]:
    bottom, parts = TOP + PLOT_HEIGHT, []
    for i, d in enumerate(frame.days):
        colour = frame.colours.get(d)
        if colour is None:
            continue
        light = _light(colour)
        parts.append(
            f'<text class="jc-day jc-day-{colour}" x="{_x(i)}" y="{bottom + 18}" '
            f'text-anchor="middle">{escape(light["icon"])}<title>{d.isoformat()}: '
            f"{escape(light['title'])}</title></text>"
        )
    return parts


def _legend(height: int) -> str:
    y = height - 8
    items = [
        _mark("jc-during", LEFT + 6, y - 4, "pain during"),
        f'<text class="jc-label" x="{LEFT + 14}" y="{y}">during</text>',
        _mark("jc-after", LEFT + 76, y - 4, "pain after"),
        f'<text class="jc-label" x="{LEFT + 84}" y="{y}">after</text>',
        _mark("jc-morning", LEFT + 136, y - 4, "pain on waking"),
        f'<text class="jc-label" x="{LEFT + 144}" y="{y}">morning</text>',
        f'<rect class="jc-minutes" x="{LEFT + 206}" y="{y - 9}" width="10" height="10"/>',
        f'<text class="jc-label" x="{LEFT + 220}" y="{y}">minutes</text>',
    ]
    return f'<g class="jc-legend">{"".join(items)}</g>'


def _title(name: str, days: list[date]) -> str:
    return f"{name}: pain and minutes per day, {days[0].isoformat()} to {days[-1].isoformat()}"


def _description(days: list[date], by_day: dict[date, Entry], colours: dict[date, str]) -> str:
    logged = [d for d in days if d in by_day]
    if not logged:
        return "No check-ins in these days yet."
    counts = {c: sum(1 for d in logged if colours.get(d) == c) for c in COLOUR_NAMES}
    verdicts = ", ".join(
        f"{n} {name.lower()}" for c, name in COLOUR_NAMES.items() if (n := counts[c])
    )
    sessions = sum(1 for d in logged if by_day[d].had_session)
    minutes = sum(by_day[d].minutes or 0 for d in logged)
    text = (
        f"{len(logged)} days logged, {sessions} sessions, {minutes} minutes in all."
        f" Session checks: {verdicts or 'none yet'}."
    )
    return text + " The table below gives every value."


def _table(
    days: list[date], by_day: dict[date, Entry], colours: dict[date, str], levels: dict[date, int]
) -> dict[str, Any]:
    rows = []
    for d in days:
        entry = by_day.get(d)
        if entry is None:
            continue
        colour = colours.get(d)
        rows.append(
            {
                "date": d.isoformat(),
                "weekday": WEEKDAYS[d.weekday()],
                "pain_morning": entry.pain_morning,
                "pain_during": entry.pain_during,
                "pain_after": entry.pain_after,
                "done": entry.done,
                "done_words": DONE_WORDS.get(entry.done or "", "no session"),
                "minutes": entry.minutes,
                "level": levels.get(d),
                "colour": colour,
                "colour_words": _light(colour)["title"] if colour else None,
            }
        )
    return {
        "caption": "Your check-ins, day by day",
        "columns": [
            {"key": "date", "label": "Date"},
            {"key": "pain_morning", "label": "On waking (0-10)"},
            {"key": "pain_during", "label": "During (0-10)"},
            {"key": "pain_after", "label": "After (0-10)"},
            {"key": "done_words", "label": "Session"},
            {"key": "minutes", "label": "Minutes"},
            {"key": "level", "label": "Plan level"},
            {"key": "colour_words", "label": "Check"},
        ],
        "rows": rows,
    }


def _week(
    label: str, start: date, by_day: dict[date, Entry], colours: dict[date, str]
) -> dict[str, Any]:
    days = [start + timedelta(days=i) for i in range(7)]
    logged = [by_day[d] for d in days if d in by_day]
    worst = [
        max(p for p in (e.pain_morning, e.pain_during, e.pain_after) if p is not None)
        for e in logged
        if any(p is not None for p in (e.pain_morning, e.pain_during, e.pain_after))
    ]
    return {
        "label": label,
        "start": start.isoformat(),
        "end": days[-1].isoformat(),
        "days_logged": len(logged),
        "sessions": sum(1 for e in logged if e.had_session),
        "skipped": sum(1 for e in logged if e.done == "skipped"),
        "minutes": sum(e.minutes or 0 for e in logged),
        "mean_worst_pain": round(sum(worst) / len(worst), 1) if worst else None,
        "highest_pain": max(worst) if worst else None,
        "checks": {c: sum(1 for d in days if colours.get(d) == c) for c in COLOUR_NAMES},
    }


def _weeks(
    by_day: dict[date, Entry], colours: dict[date, str], today: date
) -> list[dict[str, Any]]:
    this = _week("This week", today - timedelta(days=6), by_day, colours)
    last = _week("Last week", today - timedelta(days=13), by_day, colours)
    this["compared"] = _compare(this, last)
    return [this, last]


def _compare(this: dict[str, Any], last: dict[str, Any]) -> str:
    parts = [
        f"{this['sessions']} sessions ({this['minutes']} minutes) against "
        f"{last['sessions']} ({last['minutes']} minutes) last week"
    ]
    a, b = this["mean_worst_pain"], last["mean_worst_pain"]
    if a is not None and b is not None:
        word = "higher" if a > b else "lower" if a < b else "the same"
        parts.append(f"average daily worst pain {a} against {b}, {word}")
    return "; ".join(parts) + "."
