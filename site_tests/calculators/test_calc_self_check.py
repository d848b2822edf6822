"""The traffic-light self-check: family boundaries, red flags, monotonicity, rule text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.catalogue import Catalogue
from calculators.inputs import parse_self_check
from calculators.self_check import describe_rules, run_self_check
from site_tests.calculators.cases import BOUNDARIES, pains
from site_tests.calculators.fixtures import fixture_catalogue
from site_tests.calculators.helpers import result
from site_tests.calculators.strategies import self_check_answers, worsen
from site_tests.real_catalogue import real_catalogue_json

REAL = real_catalogue_json()
COLOUR_RANK = {"green": 0, "amber": 1, "red": 2}
URGENCY_RANK = {"soon": 0, "same_day": 1, "emergency": 2}


def _condition_of(cat: Catalogue, family: str) -> str:
    return sorted(
        s for s, c in cat.conditions.items() if c.self_check == family and c.self_managed
    )[0]


def _check(cat_json: str, slug: str, **answers: Any) -> dict[str, Any]:
    return result("self_check", {"condition": slug, **answers}, cat_json)


@pytest.mark.parametrize("case", BOUNDARIES)
def test_family_boundaries(
    real_cat: Catalogue, real_json: str, case: tuple[str, dict[str, Any], str, str, int, str | None]
) -> None:
    """Each real family puts published thresholds on the documented side (tendon 5 vs 6...)."""
    family, answers, colour, step, levels, urgency = case
    r = _check(real_json, _condition_of(real_cat, family), **answers)
    assert (r["colour"], r["next_step"]["action"], r["next_step"]["levels"], r["urgency"]) == (
        colour,
        step,
        levels,
        urgency,
    )
    assert r["reasons"], "a result always says why"


def test_zone_choice_and_gap_are_in_the_data(real_cat: Catalogue) -> None:
    """Tendon and generic keep both 2 and 3 versions, choose one, and decide 3/10 with a reason."""
    for key in ("tendon", "generic"):
        zones = real_cat.self_checks[key].pain_zones
        assert zones is not None
        assert {o.safe_max for o in zones.options} >= {2, 3}
        assert zones.chosen_option.safe_max == 2
        assert zones.reason
        gaps = {g.value: g for g in zones.gap_decisions}
        assert gaps[3].zone == "acceptable"
        assert gaps[3].source == "seed-runnersblueprint"
        assert gaps[3].reason


def test_red_reason_names_the_flag(fixture_json: str) -> None:
    """A ticked red flag is red with its own urgency and text, even when pain is zero."""
    r = _check(fixture_json, "sore-tendon", **pains(0), red_flags=["fall"])
    assert (r["colour"], r["urgency"]) == ("red", "same_day")
    assert r["reasons"][0]["rule"] == "red-flag:fall"
    assert r["reasons"][0]["text"] == "Red flag: After a fall."
    assert r["urgency_text"] == "Get seen today (call 111)."


def test_most_urgent_flag_wins(fixture_json: str) -> None:
    """Several red flags give the most urgent urgency, and the emergency number."""
    r = _check(fixture_json, "sore-tendon", **pains(0), red_flags=["night", "faint", "fall"])
    assert r["urgency"] == "emergency"
    assert r["urgency_text"] == "Call 999 now."


def test_red_is_never_averaged_away(fixture_json: str) -> None:
    """One red sign among otherwise perfect answers stays red."""
    r = _check(fixture_json, "sore-tendon", **pains(0), trend="better", signs=["swelling"])
    assert r["colour"] == "red"
    assert [x["rule"] for x in r["reasons"]] == ["swelling"]


def test_reasons_are_the_deciding_answers(fixture_json: str) -> None:
    """Reasons list every answer of the final colour and the bigger step back wins."""
    r = _check(fixture_json, "sore-tendon", **pains(4, 0, 3, 0), trend="worse")
    assert r["colour"] == "amber"
    assert sorted(x["rule"] for x in r["reasons"]) == ["morning", "pain-zone:acceptable", "trend"]
    assert (r["next_step"]["action"], r["next_step"]["levels"]) == ("step_back", 2)
    assert r["next_step"]["text"] == "Go back 2 levels at your next session."


def test_zone_reason_shows_the_threshold(fixture_json: str) -> None:
    """The pain-band reason quotes the runner's number and the safe limit."""
    r = _check(fixture_json, "sore-tendon", **pains(3))
    assert r["reasons"][0]["text"].endswith("(yours: 3/10; safe up to 2/10)")
    assert r["reasons"][0]["citation"] == "Alpha 2020"


def test_signs_only_family_needs_no_pain(fixture_json: str) -> None:
    """A family that asks no pain questions is green with no answers at all."""
    r = _check(fixture_json, "short-breath")
    assert (r["colour"], r["next_step"]["action"]) == ("green", "progress")
    assert r["reasons"][0]["rule"] == "no-warning-signs"


@given(self_check_answers(fixture_catalogue()))
def test_fixture_red_flag_always_red(payload: dict[str, Any]) -> None:
    """Any ticked red flag gives red with the most urgent ticked urgency (fixture catalogue)."""
    cat = fixture_catalogue()
    answers, _ = parse_self_check(payload, cat)
    r = run_self_check(cat, answers)
    flags = cat.conditions[payload["condition"]].red_flags
    ticked = [f.urgency for f in flags if f.id in payload["red_flags"]]
    if ticked:
        assert r.colour == "red"
        assert r.urgency is not None
        assert URGENCY_RANK[r.urgency] >= max(URGENCY_RANK[u] for u in ticked)
    if r.colour == "red":
        assert r.next_step == "stop_and_see_clinician"
        assert r.urgency is not None


_REAL_CAT = None


def _real() -> Catalogue:
    global _REAL_CAT  # noqa: PLW0603 - cached for hypothesis examples
    if _REAL_CAT is None:
        from calculators.catalogue import parse_catalogue_json  # noqa: PLC0415

        _REAL_CAT = parse_catalogue_json(REAL)
    return _REAL_CAT


@given(st.data())
def test_red_flag_always_red(data: st.DataObject) -> None:
    """With the real content, every condition's ticked red flag gives red, never amber."""
    cat = _real()
    payload = data.draw(self_check_answers(cat))
    if not payload["red_flags"]:
        flags = cat.conditions[payload["condition"]].red_flags
        payload["red_flags"] = [data.draw(st.sampled_from([f.id for f in flags]))]
    r = result("self_check", payload, REAL)
    assert r["colour"] == "red"
    assert r["next_step"]["action"] == "stop_and_see_clinician"
    assert r["urgency"] in URGENCY_RANK


@pytest.mark.parametrize("family", ["tendon", "bone", "muscle", "generic", "nerve", "respiratory"])
@given(data=st.data())
def test_worse_answer_never_better_colour(family: str, data: st.DataObject) -> None:
    """Per family: making any one answer worse never gives a milder colour."""
    cat = _real()
    payload = data.draw(self_check_answers(cat, family))
    worse = worsen(payload, cat, data)
    before = result("self_check", payload, REAL)["colour"]
    after = result("self_check", worse, REAL)["colour"]
    assert COLOUR_RANK[after] >= COLOUR_RANK[before], (payload, worse)


@pytest.mark.parametrize("family", ["tendon", "bone", "muscle", "generic", "nerve", "respiratory"])
def test_describe_rules_states_thresholds(real_cat: Catalogue, family: str) -> None:
    """describe_rules gives plain sentences naming red flags, thresholds and sources."""
    lines = describe_rules(real_cat, family)
    assert lines[0].startswith("Any red flag")
    assert all(isinstance(line, str) and line for line in lines)
    text = " ".join(lines)
    assert "evidence grade" in text
    if family == "tendon":
        assert "of 3 to 5/10: amber" in text
        assert "of 6 to 10/10: red" in text
        assert "Exactly 3/10 counts as acceptable" in text
    if family == "bone":
        assert "Any pain during the run, after it or the next morning: red" in text
    if family in ("tendon", "muscle", "generic", "nerve"):
        assert "Absolute limit, whatever your usual level" in text
        assert "Your usual level on a rest day above" in text


def test_see_a_clinician_condition_is_never_cleared(fixture_json: str) -> None:
    """A condition with no self-managed plan is red (book a clinician) even with perfect answers."""
    r = _check(fixture_json, "see-someone", **pains(0), trend="better")
    assert (r["colour"], r["urgency"]) == ("red", "soon")
    assert r["reasons"][0]["rule"] == "not-self-managed"
