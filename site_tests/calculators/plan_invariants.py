"""The rules every return-to-run plan must obey, checked on the bridge's answer.

Each check is the protocol's own printed rule or a safety rule from issue 10, read from the
catalogue data (never a copied number), so a content change cannot quietly weaken a test.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

from calculators.catalogue import Catalogue, Protocol
from calculators.vocabulary import URGENCIES

STARTED = ("ready", "hold")
NO_RUNNING = ("refer", "stop", "clinician_led")


def runs(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every session with any running in it."""
    return [s for w in plan["weeks"] for s in w["sessions"] if s["running_minutes"] > 0]


def high_risk_site(protocol: Protocol, slug: str, site: str | None) -> bool:
    if site is None or protocol.fracture_sites is None:
        return False
    sites = {s.id: s.high_risk for s in protocol.fracture_sites.conditions.get(slug, ())}
    return sites.get(site, True)


def expected_status(payload: dict[str, Any], catalogue: Catalogue) -> str:
    """What the plan must be, from the inputs alone: red flags first, then today's colour,
    then a high-risk site, then the entry gate."""
    condition = catalogue.conditions[payload["condition"]]
    protocol = catalogue.protocols[condition.protocol or ""]
    if payload.get("red_flags"):
        return "refer"
    if payload["today_colour"] == "red":
        return "stop"
    if high_risk_site(protocol, condition.slug, payload.get("fracture_site")):
        return "clinician_led"
    entry = protocol.entry_gate
    hop_ok = bool(payload.get("hop_test_passed"))
    if (entry.failed_walk and not payload["walk_test_passed"]) or (entry.failed_hop and not hop_ok):
        return "refer"
    gate = payload["walk_test_passed"] and (not entry.hop_test or hop_ok)
    if not gate:
        return "not_yet"
    return "hold" if payload["today_colour"] == "amber" else "ready"


def check_plan(payload: dict[str, Any], plan: dict[str, Any], catalogue: Catalogue) -> None:
    """Every invariant, for one payload and the plan the bridge returned for it."""
    condition = catalogue.conditions[payload["condition"]]
    protocol = catalogue.protocols[plan["protocol"]]
    status = expected_status(payload, catalogue)
    assert plan["status"] == status, (plan["status"], status, plan["message"])
    if status in NO_RUNNING:
        _check_referral(payload, plan, catalogue)
        return
    assert plan["referral"] is None
    if status == "not_yet":
        assert runs(plan) == [], "no running before the entry gate is passed"
        assert plan["return_week"] is None
        return
    _check_schedule(plan, protocol)
    _check_volume(payload, plan)
    _check_single_run_rule(plan, protocol)
    _check_weekly_cap(plan, protocol)
    _check_time_before_speed(plan, protocol)
    _check_ladder_never_steps_down(plan)
    _check_start(payload, plan, protocol, catalogue)
    _check_length(plan, condition.timeline.max_weeks)


def _check_referral(payload: dict[str, Any], plan: dict[str, Any], catalogue: Catalogue) -> None:
    assert plan["weeks"] == [], "no sessions at all"
    assert plan["return_week"] is None
    referral = plan["referral"]
    assert referral is not None, "no plan means a referral"
    assert referral["text"]
    condition = catalogue.conditions[payload["condition"]]
    if plan["status"] == "refer":
        ticked = [f.urgency for f in condition.red_flags if f.id in payload.get("red_flags", ())]
        gate = catalogue.protocols[plan["protocol"]].entry_gate
        if payload.get("red_flags"):
            assert URGENCIES.index(referral["urgency"]) >= max(URGENCIES.index(u) for u in ticked)
        else:
            failed = [
                g.urgency
                for g, ok in (
                    (gate.failed_walk, payload["walk_test_passed"]),
                    (gate.failed_hop, bool(payload.get("hop_test_passed"))),
                )
                if g is not None and not ok
            ]
            assert failed, "a referral without a ticked sign comes from a failed entry test"
            assert URGENCIES.index(referral["urgency"]) >= max(URGENCIES.index(u) for u in failed)
    if payload["today_colour"] == "red" and payload.get("today_urgency"):
        assert URGENCIES.index(referral["urgency"]) >= URGENCIES.index(payload["today_urgency"])


def _check_schedule(plan: dict[str, Any], protocol: Protocol) -> None:
    """No back-to-back running days where the protocol forbids them; rest days every week."""
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    days = [s["day"] for s in sessions]
    assert days == sorted(set(days)), "one session a day, in order"
    always = protocol.schedule.no_back_to_back == "always"
    running = runs(plan)
    for before, after in pairwise(running):
        on_ladder = "build" not in (before["phase"], after["phase"])
        if always or on_ladder:
            assert after["day"] - before["day"] >= 2, ("back-to-back runs", before, after)
    for week in plan["weeks"]:
        if week["phase"] != "build":
            assert len(week["sessions"]) <= protocol.max_sessions_per_week, week["week"]
    most = 7 - protocol.schedule.min_rest_days_per_week
    run_days = {s["day"] for s in running}
    for start in range(1, max(run_days, default=0) + 1):
        in_week = sum(1 for d in range(start, start + 7) if d in run_days)
        assert in_week <= most, f"days {start}-{start + 6}: {in_week} running days"


def _check_volume(payload: dict[str, Any], plan: dict[str, Any]) -> None:
    """No session above the usual run and no week above the usual week."""
    target = plan["target_minutes_per_week"]
    usual_run = math.ceil(target / payload["pre_injury_runs_per_week"])
    assert plan["session_cap_minutes"] == usual_run
    for s in runs(plan):
        assert s["running_minutes"] <= usual_run, (s, usual_run)
    for w in plan["weeks"]:
        assert w["running_minutes"] <= target, (w["week"], w["running_minutes"], target)
    back = plan["return_minutes_per_week"]
    assert plan["weeks"][-1]["running_minutes"] == back <= target
    assert plan["return_week"] == plan["total_weeks"]
    if back < target:
        assert any(
            w.startswith(f"This plan brings you back to {back} of your usual")
            for w in plan["warnings"]
        ), "a lower return target says why"


def _check_single_run_rule(plan: dict[str, Any], protocol: Protocol) -> None:
    """From the first continuous run on, no run beyond 110% of the previous 30 days' longest;
    during the ladder (before it) the ladder applies."""
    b = protocol.build
    running = runs(plan)
    first = next((i for i, s in enumerate(running) if s["walk_minutes"] == 0), len(running))
    for s in running[first + 1 :]:
        window = [
            p["running_minutes"]
            for p in running
            if s["day"] - b.session_window_days <= p["day"] < s["day"]
        ]
        assert window, ("a gap of more than the window inside the plan", s)
        limit = max(window) * (100 + b.session_cap_percent) // 100
        assert s["running_minutes"] <= limit, (s, max(window))
    text = " ".join(g["text"] for g in plan["guardrails"])
    assert "during the ladder, the ladder applies" in text
    assert f"no run is more than {b.session_cap_percent}% longer" in text


def _check_weekly_cap(plan: dict[str, Any], protocol: Protocol) -> None:
    b = protocol.build
    totals = [w["running_minutes"] for w in plan["weeks"]]
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    for index, week in enumerate(plan["weeks"]):
        if week["phase"] != "build":
            continue
        assert week["running_minutes"] <= max(totals[:index]) * (100 + b.weekly_cap_percent) // 100
        new_longest = 0
        for s in week["sessions"]:
            window = [
                p["running_minutes"]
                for p in sessions
                if s["day"] - b.session_window_days <= p["day"] < s["day"]
            ]
            new_longest += s["running_minutes"] > max(window)
        assert new_longest <= b.new_longest_per_week


def _check_start(
    payload: dict[str, Any], plan: dict[str, Any], protocol: Protocol, catalogue: Catalogue
) -> None:
    """Amber holds the first session at the entry level; bone waits out the page's minimum."""
    first = plan["weeks"][0]["sessions"][0]
    if payload["today_colour"] == "amber":
        assert first["running_minutes"] == 0
        assert first["walk_minutes"] == protocol.entry_gate.walk_minutes
    condition = catalogue.conditions[payload["condition"]]
    rule = protocol.min_time_off
    if rule is not None and condition.tissue in rule.tissues:
        earliest = math.ceil(condition.timeline.min_weeks * 7) - payload["days_since_stopped"]
        assert runs(plan)[0]["day"] - 1 >= earliest, "no run before the page's minimum time off"
    if protocol.min_weeks is not None:
        assert plan["total_weeks"] >= protocol.min_weeks


def _check_length(plan: dict[str, Any], typical_max: float) -> None:
    """The plan fits the page's typical recovery, or says why it is longer."""
    length = plan["length"]
    assert length["weeks"] == plan["total_weeks"]
    assert length["longer_than_typical"] == (plan["total_weeks"] > typical_max)
    if length["longer_than_typical"]:
        assert length["reason"] in plan["warnings"]
        assert f"{typical_max:g} weeks this page gives" in length["reason"]


def _check_time_before_speed(plan: dict[str, Any], protocol: Protocol) -> None:
    """Speed or hills come back only in a week whose running time is not above the week
    before ("add time or intensity, not both in the same week"), and only from the
    protocol's share of the usual week."""
    b = protocol.build
    weeks = plan["weeks"]
    introduced = [i for i, w in enumerate(weeks) if w["intensity"] == "introduce"]
    assert len(introduced) <= 1, "intensity comes back once"
    for i in introduced:
        assert i > 0
        before, week = weeks[i - 1], weeks[i]
        assert week["running_minutes"] <= before["running_minutes"], (
            "time and intensity rose in the same week",
            week["week"],
            before["running_minutes"],
            week["running_minutes"],
        )
        assert not week["cutback"]
        assert (
            week["running_minutes"] * 100
            >= b.intensity_from_percent * plan["target_minutes_per_week"]
            or before["running_minutes"] * 100
            >= b.intensity_from_percent * plan["target_minutes_per_week"]
        )
    text = " ".join(g["text"] for g in plan["guardrails"])
    assert "in a week when the time does not go up" in text


def _check_ladder_never_steps_down(plan: dict[str, Any]) -> None:
    """A session trimmed to the usual run never has less running than the one before it:
    trimming holds or moves up, never steps down (the published ladders' own steps stay)."""
    ladder = [s for s in runs(plan) if s["phase"] == "walk_run"]
    for before, after in pairwise(ladder):
        if after["label"].endswith(("shortened to your usual run", "held at your usual run")):
            assert after["running_minutes"] >= before["running_minutes"], (before, after)
