"""The return-to-run plan: published tables (golden), guardrails (properties), states."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.catalogue import Catalogue, parse_catalogue_json
from calculators.defaults import default_payload, default_plan
from site_tests.calculators.helpers import result
from site_tests.calculators.plan_invariants import check_plan
from site_tests.calculators.strategies import plan_payloads
from site_tests.conftest import examples
from site_tests.real_catalogue import real_catalogue_json

REAL = real_catalogue_json()
REAL_CAT = parse_catalogue_json(REAL)

# OxSport leaflet (Reid & Newton 2024), weeks 1-6, every other day:
# (jog minutes, walk minutes, repetitions). Weeks 1-4 say "for a total of 30 minutes";
# week 5 ("jog 15 minutes then walk 1 minute") gives no total: the protocol repeats it twice.
OXSPORT = [(1, 1, 15), (2, 1, 10), (4, 1, 6), (9, 1, 3), (15, 1, 2), (30, 0, 1)]
# Ohio State Basic Return to Running Guideline (2019): (walk, run) per phase, 3-6 repetitions,
# progress at 6; phase 5 is 30 minutes on 3 days.
OSU = [(4, 1), (3, 2), (2, 3), (1, 4)]


def _with_condition(protocol: str, family: str) -> tuple[Catalogue, str]:
    """The real catalogue plus one made-up condition that uses `protocol` and `family`."""
    base = next(iter(REAL_CAT.conditions.values()))
    slug = f"golden-{protocol}"
    extra = dataclasses.replace(
        base, slug=slug, name="Golden", protocol=protocol, self_check=family, self_managed=True
    )
    return dataclasses.replace(REAL_CAT, conditions={**REAL_CAT.conditions, slug: extra}), slug


def _plan_for(protocol: str, family: str, **overrides: Any) -> dict[str, Any]:
    from calculators.inputs import parse_plan  # noqa: PLC0415
    from calculators.plan import build_plan  # noqa: PLC0415

    cat, slug = _with_condition(protocol, family)
    inp, proto = parse_plan({**default_payload(slug), **overrides}, cat)
    return build_plan(cat, inp, proto).to_dict(cat, None)


def _sessions(plan: dict[str, Any], phase: str) -> list[dict[str, Any]]:
    return [s for w in plan["weeks"] for s in w["sessions"] if s["phase"] == phase]


def test_oxford_reproduces_the_leaflet() -> None:
    """oxford-walk-run: weeks 1-6 are the OxSport table, 3 sessions a week on days 1, 3, 5."""
    plan = _plan_for("oxford-walk-run", "generic")
    for number, (run, walk, reps) in enumerate(OXSPORT, start=1):
        week = plan["weeks"][number - 1]
        assert [s["day"] for s in week["sessions"]] == [d + (number - 1) * 7 for d in (1, 3, 5)]
        for s in week["sessions"]:
            assert (s["run_minutes"], s["walk_minutes"], s["reps"]) == (run, walk, reps)
            assert s["phase"] == "walk_run"
    assert [w["running_minutes"] for w in plan["weeks"][:6]] == [45, 60, 72, 81, 90, 90]
    assert all(s["total_minutes"] == 30 for w in plan["weeks"][:4] for s in w["sessions"])
    assert plan["weeks"][6]["phase"] == "build"


def test_osu_reproduces_the_phases() -> None:
    """osu-phases: phases 1-4 walk/run 4/1, 3/2, 2/3, 1/4 with 3-6 reps, then 30 min on 3 days."""
    plan = _plan_for("osu-phases", "generic")
    got = [(s["walk_minutes"], s["run_minutes"], s["reps"]) for s in _sessions(plan, "walk_run")]
    want = [(walk, run, reps) for walk, run in OSU for reps in (3, 4, 5, 6)]
    want += [(0, 30, 1)] * 3
    assert got == want
    text = _sessions(plan, "walk_run")[0]["text"]
    assert text == "3 × (walk 4 min / run 1 min), 15 min in all"


def test_bone_stress_walks_first_then_the_ladder() -> None:
    """bone-stress: two weeks of 30-minute walks, then the OxSport ladder, at least 12 weeks."""
    plan = _plan_for("bone-stress", "bone")
    walks = _sessions(plan, "walking")
    assert [w["week"] for w in plan["weeks"][:2]] == [1, 2]
    assert len(walks) == 6
    assert all(s["walk_minutes"] == 30 and s["running_minutes"] == 0 for s in walks)
    ladder = [(s["run_minutes"], s["walk_minutes"], s["reps"]) for s in _sessions(plan, "walk_run")]
    assert ladder[:18] == [row for row in OXSPORT for _ in range(3)]
    assert plan["return_week"] >= 12


def test_bone_stress_minimum_adds_consolidation_weeks() -> None:
    """A small pre-injury volume still gives a bone plan no shorter than its 12-week minimum."""
    plan = _plan_for("bone-stress", "bone", pre_injury_minutes_per_week=60)
    assert plan["total_weeks"] == 12
    assert any("consolidation" in w["label"] for w in plan["weeks"])
    assert plan["weeks"][-1]["running_minutes"] == 60


def test_muscle_strain_uses_short_intervals_and_two_levels_back() -> None:
    """muscle-strain: the OSU short intervals, and after a flare go back two levels."""
    plan = _plan_for("muscle-strain", "muscle")
    got = [(s["walk_minutes"], s["run_minutes"], s["reps"]) for s in _sessions(plan, "walk_run")]
    assert got == [(w, r, n) for w, r in OSU for n in (3, 4, 5, 6)] + [(0, 30, 1)] * 3
    assert (plan["after_amber"]["action"], plan["after_amber"]["levels"]) == ("step_back", 2)


def test_default_plan_has_day_numbers_only(real_cat: Catalogue) -> None:
    """default_plan never contains a real date, so the built site does not change daily."""
    slug = next(s for s, c in sorted(real_cat.conditions.items()) if c.protocol)
    plan = default_plan(real_cat, slug)
    assert plan is not None
    text = json.dumps(plan)
    assert '"date": null' in text
    assert "2024-" not in text
    assert plan["weeks"][0]["sessions"][0]["day"] == 1
    assert plan["weeks"][-1]["running_minutes"] == plan["target_minutes_per_week"] == 150


def test_default_plan_none_without_protocol(real_cat: Catalogue) -> None:
    """Conditions with no self-managed plan have no default plan."""
    slug = next(s for s, c in sorted(real_cat.conditions.items()) if c.protocol is None)
    assert default_plan(real_cat, slug) is None


def test_every_real_condition_with_a_plan_builds(real_cat: Catalogue, real_json: str) -> None:
    """Every condition in the real content that offers a plan gets one back to full volume."""
    for slug, condition in sorted(real_cat.conditions.items()):
        plan = default_plan(real_cat, slug)
        assert (plan is None) == (condition.protocol is None or not condition.self_managed)
        if plan is not None:
            assert plan["weeks"][-1]["running_minutes"] == 150, slug


def test_gate_not_passed_gives_walking_only(fixture_json: str) -> None:
    """Without the walk (or hop) test passed, the plan is a walking phase marked not_yet."""
    for failed in ({"walk_test_passed": False}, {"hop_test_passed": False}):
        r = result("return_to_run_plan", {**default_payload("sore-tendon"), **failed}, fixture_json)
        assert r["status"] == "not_yet"
        assert r["return_week"] is None
        assert {s["phase"] for w in r["weeks"] for s in w["sessions"]} == {"walking"}
        assert [w["sessions"][0]["walk_minutes"] for w in r["weeks"]] == [15, 30]
        assert r["message"].startswith("Not yet")


def test_red_today_means_no_plan(fixture_json: str) -> None:
    """A red self-check today stops the plan before it starts."""
    r = result(
        "return_to_run_plan",
        {**default_payload("sore-tendon"), "today_colour": "red"},
        fixture_json,
    )
    assert (r["status"], r["weeks"], r["return_date"]) == ("stop", [], None)
    assert r["referral"]["urgency"] == "soon"


def test_amber_today_holds_the_start(fixture_json: str) -> None:
    """An amber self-check today holds: the first session is the entry-level walk."""
    r = result(
        "return_to_run_plan",
        {**default_payload("sore-tendon"), "today_colour": "amber"},
        fixture_json,
    )
    assert r["status"] == "hold"
    assert "so hold" in r["message"]
    first = r["weeks"][0]["sessions"][0]
    assert (first["phase"], first["running_minutes"], first["walk_minutes"]) == ("walking", 0, 30)


def test_dates_follow_the_start_date(fixture_json: str) -> None:
    """Dates are the start date plus day offsets; the return date is the return week's start."""
    payload = {**default_payload("sore-tendon"), "start_date": "2027-03-01"}
    r = result("return_to_run_plan", payload, fixture_json)
    first = r["weeks"][0]["sessions"][0]
    assert (first["day"], first["date"]) == (1, "2027-03-01")
    back = r["weeks"][r["return_week"] - 1]["sessions"][0]
    assert r["return_date"] == back["date"]


def test_unrealistic_race_is_flagged(fixture_json: str) -> None:
    """A goal race before the plan's return date, or longer than its longest run, warns."""
    payload = {
        **default_payload("sore-tendon"),
        "start_date": "2027-03-01",
        "goal_race_date": "2027-04-01",
        "goal_race_km": 21.1,
    }
    r = result("return_to_run_plan", payload, fixture_json)
    assert r["race"]["realistic"] is False
    assert any("Your race is on day 32" in w for w in r["warnings"])
    assert any("shorter than the race (21.1 km)" in w for w in r["warnings"])


def test_guardrails_are_labelled(fixture_json: str) -> None:
    """The 10% weekly cap is labelled as not shown to prevent injury, with its source."""
    r = result("return_to_run_plan", default_payload("sore-tendon"), fixture_json)
    by_start = {g["text"].split(" ")[0]: g for g in r["guardrails"]}
    weekly = by_start["Weekly"]
    assert "at most 10%" in weekly["text"]
    assert "Not shown to prevent injury." in weekly["text"]
    ladder = by_start["The"]["text"]
    assert "during the ladder, the ladder applies" in ladder
    assert "From the first run after it, no run is more than 10% longer" in ladder


@examples(300)
@given(plan_payloads(REAL_CAT))
def test_plan_properties_real(payload: dict[str, Any]) -> None:
    """Real content: every invariant holds for any input the form accepts."""
    check_plan(payload, result("return_to_run_plan", payload, REAL), REAL_CAT)


@given(plan_payloads(REAL_CAT, "bone-stress"))
def test_bone_plan_never_shorter_than_minimum(payload: dict[str, Any]) -> None:
    """Every bone-stress plan that starts lasts at least the protocol's minimum weeks."""
    r = result("return_to_run_plan", payload, REAL)
    if r["status"] in ("ready", "hold"):
        assert r["total_weeks"] >= (REAL_CAT.protocols["bone-stress"].min_weeks or 0)


@pytest.mark.parametrize("days", [2, 3, 4, 5, 6, 7])
@given(minutes=st.integers(20, 1200), runs=st.integers(1, 14))
def test_plan_properties_fixture(
    fixture_cat: Catalogue, fixture_json: str, days: int, minutes: int, runs: int
) -> None:
    """Fixture ladder: every invariant holds for every volume and frequency."""
    payload = {
        **default_payload("sore-tendon"),
        "pre_injury_minutes_per_week": minutes,
        "pre_injury_runs_per_week": runs,
        "running_days_per_week": days,
    }
    r = result("return_to_run_plan", payload, fixture_json)
    check_plan(payload, r, fixture_cat)
    assert r["total_weeks"] >= 10


def test_race_with_no_plan_yet_is_explained(fixture_json: str) -> None:
    """A goal race with the entry test not passed warns that no return date can be estimated."""
    payload = {
        **default_payload("sore-tendon"),
        "walk_test_passed": False,
        "goal_race_date": "2024-05-01",
    }
    r = result("return_to_run_plan", payload, fixture_json)
    assert r["status"] == "not_yet"
    assert any(w.startswith("No return date can be estimated") for w in r["warnings"])
