"""The rules every adjusted plan from the journal must obey, checked on the bridge's answer.

The journal never invents a session: what is left of the plan is the plan's own sessions, in
the plan's order, re-dated with the plan's own spacing. So the plan's rules still hold:
checked here from the protocol data, like plan_invariants.py, plus the seam between the log
and what comes next (no back-to-back runs where the protocol forbids them).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from calculators.catalogue import Catalogue
from calculators.vocabulary import URGENCIES

NO_RUNNING = ("refer", "stop", "clinician_led")


def upcoming(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in result["plan"]["weeks"] for s in w["sessions"]]


def _base_sessions(base: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [
        (s["label"], s["text"], s["running_minutes"]) for w in base["weeks"] for s in w["sessions"]
    ]


def check_adjusted(
    catalogue: Catalogue,
    document: dict[str, Any],
    result: dict[str, Any],
    base: dict[str, Any],
) -> None:
    """Every invariant for one journal answer; `base` is the bridge's plan for the same inputs."""
    recovery = next(r for r in document["recoveries"] if r["id"] == document["active"])
    plan_payload = recovery["plan"]
    condition = catalogue.conditions[recovery["condition"]]
    protocol = catalogue.protocols[condition.protocol or ""]
    plan = result["plan"]
    today = date.fromisoformat(result["today"]["date"])
    entries = [e for e in recovery["entries"] if date.fromisoformat(e["date"]) <= today]
    flags = [f for e in entries for f in e.get("red_flags", ())]
    sessions = upcoming(result)
    if flags:
        assert plan["status"] == "refer", plan["status"]
        urgency = {flag.id: flag.urgency for flag in condition.red_flags}
        worst = max(URGENCIES.index(urgency[f]) for f in flags)
        assert URGENCIES.index(plan["urgency"]) >= worst
    if plan["status"] in NO_RUNNING:
        assert sessions == [], "no sessions once the plan has stopped"
        assert result["today"]["session"]["status"] == "stopped"
        assert plan["urgency"] is not None or plan["status"] == "clinician_led"
        return
    if result["today"]["check"]["colour"] == "red":
        raise AssertionError("a red check today always stops the plan")
    assert plan["status"] in ("ready", "not_yet", "finished"), plan["status"]
    # The plan's own sessions, in its order: what is left is a run of the plan's sessions.
    mine = [(s["label"], s["text"], s["running_minutes"]) for s in sessions]
    theirs = _base_sessions(base)
    if mine:
        assert any(theirs[i : i + len(mine)] == mine for i in range(len(theirs))), "not the plan's"
    days = [date.fromisoformat(s["date"]) for s in sessions]
    assert days == sorted(set(days)), "one session a day, in order"
    if days:
        assert days[0] >= today
    _check_spacing(protocol, entries, sessions)
    usual_run = math.ceil(
        base["target_minutes_per_week"] / plan_payload["pre_injury_runs_per_week"]
    )
    for s in sessions:
        assert s["running_minutes"] <= usual_run, (s, usual_run)
    for week in plan["weeks"]:
        assert week["running_minutes"] <= base["target_minutes_per_week"]
    _check_single_run_rule(protocol, plan["history"], days, sessions)
    run_days = [d for d, s in zip(days, sessions, strict=True) if s["running_minutes"] > 0]
    most = 7 - protocol.schedule.min_rest_days_per_week
    for first in run_days:
        in_week = sum(1 for d in run_days if first <= d < first + timedelta(days=7))
        assert in_week <= most, f"{in_week} running days from {first}"


def _check_single_run_rule(
    protocol: Any, history: list[dict[str, Any]], days: list[date], sessions: list[dict[str, Any]]
) -> None:
    """Continuous-running sessions: none more than session_cap_percent above the longest run
    in the window before it, the runs logged (as done) and the plan's own before it."""
    b = protocol.build
    done = [(date.fromisoformat(h["date"]), h["running_done"]) for h in history]
    planned = [(d, s["running_minutes"]) for d, s in zip(days, sessions, strict=True)]
    runs = [(d, m) for d, m in done + planned if m > 0]
    for d, s in zip(days, sessions, strict=True):
        if s["phase"] != "build":
            continue
        window = [m for dd, m in runs if d - timedelta(days=b.session_window_days) <= dd < d]
        if window:
            limit = max(window) * (100 + b.session_cap_percent) // 100
            assert s["running_minutes"] <= limit, (s, max(window))


def _check_spacing(
    protocol: Any, entries: list[dict[str, Any]], sessions: list[dict[str, Any]]
) -> None:
    """No back-to-back sessions where the protocol forbids them, across the seam too."""
    always = protocol.schedule.no_back_to_back == "always"
    logged = [
        (date.fromisoformat(e["date"]), "logged")
        for e in entries
        if e.get("done") in ("planned", "less", "more")
    ]
    planned = [(date.fromisoformat(s["date"]), s["phase"]) for s in sessions]
    timeline = ([logged[-1]] if logged else []) + planned
    for (before, _), (after, phase) in pairwise(timeline):
        if always or phase != "build":
            assert (after - before).days >= 2, ("back-to-back", before, after, phase)
