"""A return-to-run plan as an iCalendar file (RFC 5545), for the runner's own calendar.

Standard library only, so CPython and the browser's Pyodide write the same bytes. One all-day
event per session on its date (rest days are not events), each with its pattern, its minutes
and a link back; an optional reminder (VALARM) at a chosen time of that day.

Why all-day events with a floating date: a session is "on Tuesday", not at an hour, and a
date has no time zone, so a daylight-saving change can never move a session to another day.
The reminder's trigger is a duration from the start of that day (PT7H30M is 07:30 local time),
which calendar apps apply in the runner's own zone on each date, before and after a change.

UIDs name the plan's condition and the session's number ("session 5 of your plan for this
condition"), never the dates: a runner who changes the plan, or starts again after a setback,
imports a file whose events replace the old ones instead of doubling them. SEQUENCE rises
with the time the file was made, so calendars that compare it accept the newer copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from calculators.errors import FieldError, InputError

CRLF = "\r\n"
MAX_OCTETS = 75
"""RFC 5545 3.1: lines longer than this many octets (not counting CRLF) are folded."""
PRODID = "-//Runner's Injury Handbook//Return-to-run plan//EN"
UID_DOMAIN = "runners-injury-handbook"
CALENDAR_FIELDS = ("reminder", "link", "stamp")
"""What a calendar request adds to a plan request's fields."""
MAX_LINK = 2000
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_REMINDER = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])", re.ASCII)
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", re.ASCII)
_LINK = re.compile(r"https?://[!-~]+", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarOptions:
    """What the runner chose: a reminder time (None for none), the page's address, and when
    the file was made (UTC); without a stamp the plan's start date at midnight is used."""

    reminder: time | None = None
    link: str | None = None
    stamp: datetime | None = None


def split_calendar_payload(payload: Any) -> tuple[Any, CalendarOptions]:
    """The plan's own fields, and the calendar's options checked; every error is collected."""
    if not isinstance(payload, Mapping):
        raise InputError([FieldError("payload", "must be a JSON object of named fields")])
    errors: list[FieldError] = []
    plan_fields = {k: v for k, v in payload.items() if k not in CALENDAR_FIELDS}
    reminder = payload.get("reminder")
    when: time | None = None
    if reminder is not None:
        match = _REMINDER.fullmatch(reminder) if isinstance(reminder, str) else None
        if match is None:
            errors.append(
                FieldError("reminder", "must be a time of day written HH:MM, 00:00 to 23:59")
            )
        else:
            when = time(int(match[1]), int(match[2]))
    link = payload.get("link")
    if link is not None and (
        not isinstance(link, str) or len(link) > MAX_LINK or not _LINK.fullmatch(link)
    ):
        errors.append(
            FieldError(
                "link",
                "must be a web address starting http:// or https://, "
                f"at most {MAX_LINK} characters",
            )
        )
        link = None
    stamp_text = payload.get("stamp")
    stamp: datetime | None = None
    if stamp_text is not None:
        if not isinstance(stamp_text, str) or not _STAMP.fullmatch(stamp_text):
            errors.append(FieldError("stamp", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ"))
        else:
            try:
                stamp = datetime.strptime(stamp_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            except ValueError:
                errors.append(FieldError("stamp", f"{stamp_text!r} is not a real time"))
    if errors:
        raise InputError(errors)
    return plan_fields, CalendarOptions(when, link, stamp)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped;
    other control characters, which no calendar shows, are dropped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (3.1), never inside a UTF-8 character; each
    continuation starts with a space, which counts towards its 75."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, MAX_OCTETS
        current.append(char)
        size += width
    parts.append("".join(current))
    return CRLF.join(parts)


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(at: time) -> str:
    """The trigger from the start of the day: 07:30 is PT7H30M, midnight PT0M."""
    hours = f"{at.hour}H" if at.hour else ""
    minutes = f"{at.minute}M" if at.minute or not at.hour else ""
    return f"PT{hours}{minutes}"


def _describe(
    plan: Mapping[str, Any],
    week: Mapping[str, Any],
    s: Mapping[str, Any],
    *,
    number: int,
    count: int,
    link: str | None,
) -> str:
    lines = [
        f"Session {number} of {count} in week {week['week']} of your return-to-run plan "
        f"for {plan['condition_name']} ({plan['protocol_name']}).",
        f"Today: {s['text']}.",
        f"{s['total_minutes']} minutes in all, {s['running_minutes']} of them running.",
        "Do the self-check after the session. Red means stop and get help; amber means "
        "repeat this level next time.",
    ]
    if link:
        lines.append(f"Your plan: {link}")
    return "\n".join(lines)


def _events(plan: Mapping[str, Any], options: CalendarOptions, stamp: datetime) -> Iterator[str]:
    sessions = [(w, s) for w in plan["weeks"] for s in w["sessions"]]
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    for number, (week, s) in enumerate(sessions, start=1):
        day = date.fromisoformat(s["date"])
        summary = f"Return to running: {s['text']}"
        yield "BEGIN:VEVENT"
        yield f"UID:{escape_text(plan['condition'])}-session-{number:03d}@{UID_DOMAIN}"
        yield f"DTSTAMP:{_utc(stamp)}"
        yield f"SEQUENCE:{sequence}"
        yield f"DTSTART;VALUE=DATE:{_date(day)}"
        yield f"DTEND;VALUE=DATE:{_date(day + timedelta(days=1))}"
        yield f"SUMMARY:{escape_text(summary)}"
        about = _describe(plan, week, s, number=number, count=len(sessions), link=options.link)
        yield f"DESCRIPTION:{escape_text(about)}"
        if options.link:
            yield f"URL:{options.link}"
        yield "TRANSP:TRANSPARENT"
        yield f"CATEGORIES:{escape_text('Return to running')}"
        if options.reminder is not None:
            yield "BEGIN:VALARM"
            yield "ACTION:DISPLAY"
            yield f"DESCRIPTION:{escape_text(summary)}"
            yield f"TRIGGER;RELATED=START:{_duration(options.reminder)}"
            yield "END:VALARM"
        yield "END:VEVENT"


def plan_calendar(plan: Mapping[str, Any], options: CalendarOptions = CalendarOptions()) -> str:
    """The iCalendar text of a dated plan result (`Plan.to_dict` with a start date)."""
    if plan["start_date"] is None:
        raise ValueError("a calendar needs a plan made with a start date")
    stamp = options.stamp or datetime.combine(
        date.fromisoformat(plan["start_date"]), time(0), tzinfo=UTC
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Return to running: ' + plan['condition_name'])}",
        *_events(plan, options, stamp),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)


def calendar_filename(plan: Mapping[str, Any]) -> str:
    return f"return-to-run-{plan['condition']}-{plan['start_date']}.ics"
