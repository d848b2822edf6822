"""The plan as an iCalendar file: parsed back with the `icalendar` library, event by event."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators.cli
from calculators.bridge import call
from calculators.catalogue import Catalogue
from calculators.cli import main
from calculators.ics import MAX_OCTETS, escape_text, fold
from site_tests.calculators.strategies import plan_payloads
from site_tests.conftest import examples

# Europe and the USA both change their clocks inside this plan's first weeks (2027-03-14 in
# the USA, 2027-03-28 in Europe), so every check below runs across a daylight-saving change.
START = "2027-03-08"
PLAN = {
    "condition": "plantar-heel-pain",
    "days_since_stopped": 30,
    "walk_test_passed": True,
    "hop_test_passed": True,
    "pre_injury_minutes_per_week": 150,
    "pre_injury_runs_per_week": 3,
    "running_days_per_week": 3,
    "start_date": START,
    "today_colour": "green",
}
LINK = "https://handbook.example/conditions/plantar-heel-pain/"


def _answer(real_json: str, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(call(name, json.dumps(payload), real_json))
    return result


def _calendar(real_json: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    answer = _answer(real_json, "plan_calendar", {**PLAN, **extra})
    assert answer["ok"], answer
    plan = _answer(real_json, "return_to_run_plan", PLAN)["result"]
    return answer["result"]["ics"], plan


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_one_event_per_session_on_its_date(real_json: str) -> None:
    text, plan = _calendar(real_json, reminder="07:30", link=LINK)
    sessions = [s for week in plan["weeks"] for s in week["sessions"]]
    events = _events(text)
    assert len(events) == len(sessions) > 10
    for event, session in zip(events, sessions, strict=True):
        start = event.decoded("DTSTART")
        # A date, not a time: no time zone can move a session to another day.
        assert type(start) is date
        assert start.isoformat() == session["date"]
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Return to running: {session['text']}"
        about = str(event["DESCRIPTION"])
        assert session["text"] in about
        assert f"{session['total_minutes']} minutes in all" in about
        assert LINK in about
        assert str(event["URL"]) == LINK
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(hours=7, minutes=30)
        assert str(alarm["ACTION"]) == "DISPLAY"
    # Rest days are not events: the events' dates are exactly the sessions' dates.
    days = {e.decoded("DTSTART") for e in events}
    first, last = min(days), max(days)
    rest = {first + timedelta(d) for d in range((last - first).days)} - days
    assert rest, "a plan has rest days"
    assert {s["date"] for s in sessions} == {d.isoformat() for d in days}
    # The plan spans both countries' clock changes.
    assert first < date(2027, 3, 14)
    assert last > date(2027, 3, 28)


def test_the_reminder_is_the_same_local_time_each_side_of_a_clock_change(real_json: str) -> None:
    """A floating date plus a duration is 07:30 wherever and whenever the runner is."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - only this test needs a zone

    text, _plan = _calendar(real_json, reminder="07:30")
    for zone in ("Europe/London", "America/New_York", "Australia/Sydney"):
        times = set()
        for event in _events(text):
            (alarm,) = event.walk("VALARM")
            day = event.decoded("DTSTART")
            local = datetime.combine(day, datetime.min.time(), ZoneInfo(zone))
            fires = local + alarm.decoded("TRIGGER")
            times.add((fires.hour, fires.minute))
        assert times == {(7, 30)}, zone


def test_no_reminder_no_alarm_and_no_link_no_url(real_json: str) -> None:
    text, _plan = _calendar(real_json)
    for event in _events(text):
        assert not event.walk("VALARM")
        assert "URL" not in event


def test_uids_are_stable_so_an_updated_plan_replaces_the_old_one(real_json: str) -> None:
    old, _ = _calendar(real_json, stamp="2027-03-01T10:00:00Z")
    changed = {**PLAN, "start_date": "2027-03-15", "pre_injury_minutes_per_week": 200}
    answer = _answer(real_json, "plan_calendar", {**changed, "stamp": "2027-03-02T10:00:00Z"})
    new = answer["result"]["ics"]
    old_events, new_events = _events(old), _events(new)
    old_uids = [str(e["UID"]) for e in old_events]
    assert len(set(old_uids)) == len(old_uids)
    shared = min(len(old_events), len(new_events))
    assert old_uids[:shared] == [str(e["UID"]) for e in new_events][:shared]
    # The newer file says it is newer, for calendars that compare SEQUENCE.
    assert int(new_events[0]["SEQUENCE"]) > int(old_events[0]["SEQUENCE"])
    # The same request gives the same bytes.
    assert _calendar(real_json, stamp="2027-03-01T10:00:00Z")[0] == old


def test_lines_are_crlf_folded_at_75_octets(real_json: str) -> None:
    text, _plan = _calendar(real_json, reminder="06:05", link=LINK + "?" + "x" * 200)
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in "".join(lines)
    assert all(len(line.encode("utf-8")) <= MAX_OCTETS for line in lines)
    assert any(line.startswith(" ") for line in lines), "long lines were folded"
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


@given(st.text(min_size=0, max_size=300))
def test_folding_never_splits_a_character_and_unfolds_back(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= MAX_OCTETS
    assert folded.replace("\r\n ", "") == line


VISIBLE = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from('\n;,\\:"')


@given(st.text(VISIBLE, max_size=80))
def test_text_values_are_escaped_and_read_back(text: str) -> None:
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        f"DTSTAMP:20270101T000000Z\r\n{fold('SUMMARY:' + escape_text(text))}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = _events(calendar)
    assert str(event["SUMMARY"]) == text


def test_control_characters_are_dropped_and_line_breaks_kept() -> None:
    assert escape_text("a\x07b\r\nc\rd\x7f") == "ab\\nc\\nd"


@examples(30)
@given(data=st.data())
def test_every_plan_with_sessions_makes_a_valid_calendar(
    real_cat: Catalogue, real_json: str, data: st.DataObject
) -> None:
    payload = data.draw(plan_payloads(real_cat))
    plan = _answer(real_json, "return_to_run_plan", payload)
    answer = _answer(real_json, "plan_calendar", payload)
    sessions = [s for w in plan["result"]["weeks"] for s in w["sessions"]] if plan["ok"] else []
    if not sessions:
        assert not answer["ok"]
        return
    events = _events(answer["result"]["ics"])
    assert [e.decoded("DTSTART").isoformat() for e in events] == [s["date"] for s in sessions]
    assert answer["result"]["events"] == len(sessions)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reminder": "7:30"}, "reminder"),
        ({"reminder": "24:00"}, "reminder"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "https://a b/"}, "link"),
        ({"stamp": "2027-02-30T00:00:00Z"}, "stamp"),
        ({"today_colour": "red"}, "payload"),
    ],
)
def test_bad_calendar_requests_name_their_field(
    real_json: str, extra: dict[str, Any], field: str
) -> None:
    answer = _answer(real_json, "plan_calendar", {**PLAN, **extra})
    assert not answer["ok"]
    assert [e["field"] for e in answer["errors"]] == [field]


def test_cli_writes_the_calendar(
    monkeypatch: pytest.MonkeyPatch, real_json: str, tmp_path: Path
) -> None:
    monkeypatch.setattr(calculators.cli, "catalogue_from_content", lambda: real_json)
    target = tmp_path / "plan.ics"
    args = ["plan", "--condition", "plantar-heel-pain", "--days-since-stopped", "30"]
    args += ["--walk-test", "yes", "--hop-test", "yes", "--minutes-per-week", "150"]
    args += ["--runs-per-week", "3", "--days-per-week", "3", "--start", START, "--today", "green"]
    assert main([*args, "--ics", str(target), "--reminder", "07:30", "--link", LINK]) == 0
    expected = _answer(real_json, "plan_calendar", {**PLAN, "reminder": "07:30", "link": LINK})
    assert target.read_bytes() == expected["result"]["ics"].encode("utf-8")
    assert main([*args, "--ics", str(target), "--reminder", "7"]) == 1
