"""Clinician-written plan scenarios (scenarios/plans.yml), run through calculators.bridge."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from calculators.catalogue import Catalogue
from site_tests.calculators.helpers import run
from site_tests.calculators.plan_invariants import check_plan, runs
from site_tests.conftest import PROJECT_ROOT

SCENARIOS = yaml.safe_load(
    (Path(__file__).parent / "scenarios" / "plans.yml").read_text(encoding="utf-8")
)
REFERENCES = yaml.safe_load((PROJECT_ROOT / "content" / "references.yml").read_text("utf-8"))


def _payload(case: dict[str, Any]) -> dict[str, Any]:
    """The case's answers over the defaults; a null answer means the field is left out."""
    merged = {**SCENARIOS["defaults"], **case["input"]}
    return {key: value for key, value in merged.items() if value is not None}


def test_scenarios_are_complete(real_cat: Catalogue) -> None:
    """At least 12 cases, each with a reason, a real source and only known expectations."""
    cases = SCENARIOS["cases"]
    assert len(cases) >= 12
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case["reason"].strip(), case["id"]
        assert case["source"] in REFERENCES, (case["id"], case["source"])
        assert set(case["expect"]) <= KNOWN_EXPECTATIONS, case["id"]
        assert case["input"]["condition"] in real_cat.conditions, case["id"]
    assert sum(c.get("why") == "issue-10" for c in cases) >= 9


@pytest.mark.parametrize("case", SCENARIOS["cases"], ids=lambda c: c["id"])
def test_scenario(case: dict[str, Any], real_json: str, real_cat: Catalogue) -> None:
    """The plan for the case's answers has the property a clinician expects."""
    payload = _payload(case)
    expect = case["expect"]
    answer = run("return_to_run_plan", payload, real_json)
    if "error_fields" in expect:
        assert not answer["ok"], answer
        assert set(expect["error_fields"]) <= {e["field"] for e in answer["errors"]}
        return
    assert answer["ok"], answer
    plan = answer["result"]
    assert plan["condition"] == payload["condition"]
    _check_expectations(expect, plan)
    if expect.get("invariants"):
        check_plan(payload, plan, real_cat)


def _first(plan: dict[str, Any], want: dict[str, Any]) -> bool:
    first = plan["weeks"][0]["sessions"][0]
    return {k: first[k] for k in want} == want


def _no_back_to_back(plan: dict[str, Any], _want: bool) -> bool:
    return all(b["day"] - a["day"] >= 2 for a, b in pairwise(runs(plan)))


def _rest_days(plan: dict[str, Any], _want: bool) -> bool:
    return all(
        len({s["day"] for s in w["sessions"] if s["running_minutes"]}) <= 6 for w in plan["weeks"]
    )


def _length_ok(plan: dict[str, Any], _want: bool) -> bool:
    length = plan["length"]
    return length["weeks"] <= length["typical_max_weeks"] or length["reason"] in plan["warnings"]


# expectation name -> whether the plan meets it (error_fields and invariants are separate).
CHECKS: dict[str, Callable[[dict[str, Any], Any], bool]] = {
    "status": lambda plan, want: plan["status"] == want,
    "no_running": lambda plan, want: (runs(plan) == []) == want,
    "referral_urgency": lambda plan, want: plan["referral"]["urgency"] == want,
    "first_session": _first,
    "no_running_before_day": lambda plan, want: runs(plan)[0]["day"] >= want,
    "no_back_to_back_runs": _no_back_to_back,
    "rest_day_every_week": _rest_days,
    "max_week_minutes": lambda plan, want: max(w["running_minutes"] for w in plan["weeks"]) <= want,
    "max_session_minutes": lambda plan, want: max(s["running_minutes"] for s in runs(plan)) <= want,
    "return_minutes": lambda plan, want: plan["return_minutes_per_week"] == want,
    "length_within_typical_or_explained": _length_ok,
    "guardrail_says": lambda plan, want: any(want in g["text"] for g in plan["guardrails"]),
    "progression_says": lambda plan, want: any(want in line for line in plan["progression"]),
}
KNOWN_EXPECTATIONS = {*CHECKS, "error_fields", "invariants"}


def _check_expectations(expect: dict[str, Any], plan: dict[str, Any]) -> None:
    for name, want in expect.items():
        if name in CHECKS:
            assert CHECKS[name](plan, want), (name, want, plan["status"], plan["message"])
