"""Journal scenarios (scenarios/journal.yml): a runner's log, a date, and the journal's answer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from calculators.catalogue import Catalogue
from site_tests.calculators.helpers import result, run
from site_tests.calculators.journal_invariants import check_adjusted, upcoming
from site_tests.calculators.journal_log import journal
from site_tests.conftest import PROJECT_ROOT

SCENARIOS = yaml.safe_load(
    (Path(__file__).parent / "scenarios" / "journal.yml").read_text(encoding="utf-8")
)
REFERENCES = yaml.safe_load((PROJECT_ROOT / "content" / "references.yml").read_text("utf-8"))
KNOWN = {
    "colour",
    "next_step",
    "status",
    "session",
    "level",
    "trend",
    "next_morning",
    "morning_prompt",
    "reasons_include",
    "changes_only",
    "last_change",
    "urgency",
    "urgency_text_contains",
    "no_upcoming",
    "phase",
    "step_levels",
    "level_change",
    "same_session_as_day",
    "same_session_as_plan_index",
    "next_session_day",
    "used_day",
    "error_fields",
    "same_answer_as_start",
}


def _plan(case: dict[str, Any]) -> dict[str, Any]:
    return {**SCENARIOS["defaults"], **case["plan"]}


def _day(plan: dict[str, Any], n: int) -> str:
    return (date.fromisoformat(plan["start_date"]) + timedelta(days=n)).isoformat()


def _answer(
    plan: dict[str, Any], log: list[str], today: int, catalogue_json: str, *, cut: bool = False
) -> dict[str, Any]:
    """The bridge's answer on day `today`; with `cut`, as the log stood that day."""
    document = journal(plan, log)
    if cut:
        for recovery in document["recoveries"]:
            recovery["entries"] = [e for e in recovery["entries"] if e["date"] <= _day(plan, today)]
    return run("journal", {"journal": document, "today": _day(plan, today)}, catalogue_json)


def test_scenarios_are_complete(real_cat: Catalogue) -> None:
    cases = SCENARIOS["cases"]
    assert len(cases) >= 25
    assert len({c["id"] for c in cases}) == len(cases)
    families = set()
    for case in cases:
        assert case["reason"].strip(), case["id"]
        assert case["source"] in REFERENCES, (case["id"], case["source"])
        assert set(case["expect"]) <= KNOWN, case["id"]
        families.add(real_cat.conditions[case["plan"]["condition"]].self_check)
    assert {"tendon", "bone", "muscle"} <= families


def _comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer with its dates replaced by day numbers, to compare two start dates."""
    r = answer["result"]
    start = date.fromisoformat(r["plan"]["start_date"])

    def day(text: str | None) -> int | None:
        return None if text is None else (date.fromisoformat(text) - start).days

    check = {k: v for k, v in r["today"]["check"].items() if "date" not in k}
    return {
        "check": check,
        "session": {**r["today"]["session"], "date": day(r["today"]["session"].get("date"))},
        "changes": [
            (c["kind"], c["from_level"], c["to_level"], day(c["date"]))
            for c in r["plan"]["changes"]
        ],
        "upcoming": [(s["label"], day(s["date"])) for s in upcoming(r)],
    }


@pytest.mark.parametrize("case", SCENARIOS["cases"], ids=lambda c: c["id"])
def test_scenario(case: dict[str, Any], real_cat: Catalogue, real_json: str) -> None:  # noqa: PLR0912
    plan = _plan(case)
    answer = _answer(plan, case["log"], case["today"], real_json)
    expect = case["expect"]
    if "error_fields" in expect:
        assert not answer["ok"]
        assert [e["field"] for e in answer["errors"]] == expect["error_fields"]
        return
    assert answer["ok"], answer
    r = answer["result"]
    today, check, p = r["today"], r["today"]["check"], r["plan"]
    changes = [c["kind"] for c in p["changes"]]
    simple = {
        "colour": check["colour"],
        "next_step": check["next_step"]["action"],
        "step_levels": check["next_step"]["levels"],
        "status": p["status"],
        "session": today["session"]["status"],
        "level": p["level"],
        "trend": check["trend"]["trend"] if check["trend"]["known"] else "unknown",
        "next_morning": check["next_morning"],
        "morning_prompt": today["morning_prompt"],
        "urgency": p["urgency"] or check["urgency"],
        "last_change": changes[-1] if changes else None,
    }
    for key, value in simple.items():
        if key in expect:
            assert value == expect[key], (key, value, expect[key])
    if "reasons_include" in expect:
        rules = {reason["rule"] for reason in check["reasons"]}
        assert set(expect["reasons_include"]) <= rules, rules
    if "changes_only" in expect:
        assert changes
        assert set(changes) <= set(expect["changes_only"]), changes
    if "urgency_text_contains" in expect:
        assert expect["urgency_text_contains"] in (p["urgency_text"] or "")
    if expect.get("no_upcoming"):
        assert upcoming(r) == []
    if "phase" in expect:
        assert upcoming(r)[0]["phase"] == expect["phase"]
    if "level_change" in expect:
        last = p["changes"][-1]
        assert last["to_level"] - last["from_level"] == expect["level_change"], last
    if "same_session_as_day" in expect:
        then = _answer(plan, case["log"], expect["same_session_as_day"], real_json, cut=True)
        then = then["result"]
        done = then["today"]["session"]
        assert done["status"] == "done"
        assert (today["session"]["label"], today["session"]["text"]) == (
            done["label"],
            done["text"],
        )
    if "same_session_as_plan_index" in expect:
        base = result("return_to_run_plan", plan, real_json)
        wanted = [s for w in base["weeks"] for s in w["sessions"]][
            expect["same_session_as_plan_index"]
        ]
        assert today["session"]["text"] == wanted["text"]
    if "next_session_day" in expect:
        assert today["next_session"]["date"] == _day(plan, expect["next_session_day"])
    if "used_day" in expect:
        assert today["date"] == _day(plan, expect["used_day"])
        assert today["device_date"] == _day(plan, case["today"])
    if "same_answer_as_start" in expect:
        moved = {**plan, "start_date": expect["same_answer_as_start"]}
        other = _answer(moved, case["log"], case["today"], real_json)
        assert _comparable(other) == _comparable(answer)
    base = run("return_to_run_plan", plan, real_json)
    if base["ok"]:
        check_adjusted(real_cat, journal(plan, case["log"]), r, base["result"])
