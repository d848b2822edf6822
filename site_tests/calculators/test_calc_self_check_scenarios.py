"""Clinician-written self-check scenarios (scenarios/self_check.yml), run through the bridge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from site_tests.calculators.helpers import result
from site_tests.conftest import PROJECT_ROOT

SCENARIOS = Path(__file__).parent / "scenarios" / "self_check.yml"
PAIN_KEYS = ("pain_during", "pain_after", "pain_next_morning", "pain_baseline")
CASES: list[dict[str, Any]] = yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))


def _payload(case: dict[str, Any], family_asks_pain: bool) -> dict[str, Any]:
    answers = dict(case["answers"])
    if family_asks_pain:
        for key in PAIN_KEYS:
            answers.setdefault(key, 0)
    return {"condition": case["condition"], **answers}


def test_the_scenario_file_is_complete() -> None:
    """Enough cases, unique ids, each with a reason and a source that references.yml holds."""
    references = yaml.safe_load((PROJECT_ROOT / "content" / "references.yml").read_text("utf-8"))
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 22
    assert len(set(ids)) == len(ids)
    for case in CASES:
        assert case["reason"].strip(), case["id"]
        assert case["source"] in references, f"{case['id']}: unknown source {case['source']}"
        assert case["expect"]["colour"] in ("green", "amber", "red"), case["id"]
        if case["expect"]["colour"] == "red":
            assert "urgency" in case["expect"], f"{case['id']}: a red case states its urgency"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_scenario(real_json: str, real_cat: Any, case: dict[str, Any]) -> None:
    """The bridge gives the colour (and urgency, next step) a clinician expects, with a reason."""
    family = real_cat.self_checks[real_cat.conditions[case["condition"]].self_check]
    r = result("self_check", _payload(case, family.asks_pain), real_json)
    expect = case["expect"]
    got = {
        "colour": r["colour"],
        "urgency": r["urgency"],
        "next_step": r["next_step"]["action"],
        "levels": r["next_step"]["levels"],
    }
    assert {key: got[key] for key in expect} == expect, (case["id"], r["reasons"])
    assert r["reasons"], "every answer says why"
