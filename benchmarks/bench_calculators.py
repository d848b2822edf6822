"""Median microseconds per return-to-run plan, self-check and journal check-in, on this Python.

Run from the project root:

    .venv/bin/python benchmarks/bench_calculators.py

Two figures per case: the engine alone (validated input to result), and a full bridge call
(JSON text in, validation, engine, result to data, JSON text out) with the catalogue already
loaded, as in the browser worker. Target: under 1 ms each on CPython. A machine-speed
reference is printed, and each figure as a ratio to it, so figures from different machines
(or the same machine under different load) can be compared. The journal check-in is what the
app runs after "Save": the whole log read, today's check, the adjusted plan and the chart.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import timeit
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calculators.bridge import Bridge  # noqa: E402
from calculators.defaults import default_payload  # noqa: E402
from calculators.inputs import parse_plan, parse_self_check  # noqa: E402
from calculators.journal import run_journal  # noqa: E402
from calculators.journal_format import read_journal_payload  # noqa: E402
from calculators.plan import build_plan  # noqa: E402
from calculators.self_check import run_self_check  # noqa: E402
from macros.browser.catalogue import catalogue_from_content, dumps_catalogue  # noqa: E402

REPEAT = 7
TARGET_US = 1000.0


def _median_us(call: object, number: int) -> float:
    times = timeit.repeat(call, number=number, repeat=REPEAT)  # type: ignore[arg-type]
    return statistics.median(times) / number * 1e6


def main() -> int:
    bridge = Bridge.from_json(dumps_catalogue(catalogue_from_content()))
    conditions = bridge.catalogue.conditions
    plan_slug = next(s for s, c in sorted(conditions.items()) if c.protocol == "oxford-walk-run")
    bone_slug = next(s for s, c in sorted(conditions.items()) if c.protocol == "bone-stress")
    check_slug = next(s for s, c in sorted(conditions.items()) if c.self_check == "tendon")
    cases = {
        "plan (default, 150 min/week)": ("return_to_run_plan", default_payload(plan_slug)),
        "plan (bone stress, 600 min/week, race)": (
            "return_to_run_plan",
            {
                **default_payload(bone_slug),
                "pre_injury_minutes_per_week": 600,
                "pre_injury_runs_per_week": 6,
                "running_days_per_week": 6,
                "goal_race_date": "2024-06-01",
                "goal_race_km": 21.1,
            },
        ),
        "journal (tendon, 6 weeks of daily check-ins)": ("journal", _journal(plan_slug, 42)),
        "journal (tendon, a year of daily check-ins)": ("journal", _journal(plan_slug, 365)),
        "self-check (tendon, amber)": (
            "self_check",
            {
                "condition": check_slug,
                "pain_during": 4,
                "pain_after": 3,
                "pain_next_morning": 2,
                "pain_baseline": 1,
                "trend": "same",
            },
        ),
    }
    calibration = _median_us(lambda: sum(range(1000)), 2000)
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"median of {REPEAT} runs"
    )
    for label, (name, payload) in cases.items():
        text = json.dumps(payload)
        answer = json.loads(bridge.call(name, text))
        assert answer["ok"], answer
        number = {"return_to_run_plan": 100, "journal": 5}.get(name, 2000)
        us = _median_us(lambda name=name, text=text: bridge.call(name, text), number)
        engine = _median_us(_engine(bridge, name, payload), number)
        flags = "".join("✓" if t < TARGET_US else "✗" for t in (engine, us))
        print(
            f"  {label:<46} engine {engine:9.1f} µs ({engine / calibration:6.1f}×)   "
            f"bridge (JSON in/out) {us:9.1f} µs ({us / calibration:6.1f}×)   < 1 ms: {flags}"
        )
    print(f"  machine speed reference: sum(range(1000)) takes {calibration:.1f} µs")
    return 0


def _journal(slug: str, days: int) -> dict:
    """A journal with a check-in every day and a green session every other day, judged on
    the day after its last entry."""
    start = date(2026, 1, 5)
    entries = []
    for i in range(days):
        day = (start + timedelta(days=i)).isoformat()
        entry = {"date": day, "updated": f"{day}T07:00:00Z", "pain_morning": 1}
        if i % 2 == 0:
            entry.update({"done": "planned", "pain_during": 2, "pain_after": 1})
        entries.append(entry)
    plan = {**default_payload(slug), "start_date": start.isoformat()}
    recovery = {"id": "r", "condition": slug, "created": plan["start_date"], "plan": plan}
    document = {
        "format": "runners-injury-handbook/journal",
        "version": 1,
        "active": "r",
        "recoveries": [{**recovery, "entries": entries}],
    }
    return {"journal": document, "today": (start + timedelta(days=days)).isoformat()}


def _engine(bridge: Bridge, name: str, payload: dict) -> object:
    """The engine alone: validated input to result object, without JSON or to_dict."""
    catalogue = bridge.catalogue
    if name == "journal":
        journal, today, _version = read_journal_payload(payload, catalogue)
        return lambda: run_journal(catalogue, journal, today)
    if name == "self_check":
        answers, _family = parse_self_check(payload, catalogue)
        return lambda: run_self_check(catalogue, answers)
    inp, protocol = parse_plan(payload, catalogue)
    return lambda: build_plan(catalogue, inp, protocol)


if __name__ == "__main__":
    raise SystemExit(main())
