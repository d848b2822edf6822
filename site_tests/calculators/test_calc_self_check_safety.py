"""Safety properties of the self-check over every condition and family of the real content.

Orders: colour green < amber < red; urgency none < soon < same_day < emergency. A wrong green
is the worst bug, so these hold for every input the form accepts:
- more pain (during, after or next morning), one more sign, one more red flag or a worse
  trend never gives a milder colour, nor a less urgent red;
- any ticked red flag is red, at least as urgent as the flag;
- pain above a family's absolute ceiling is never green, and never milder than that ceiling,
  whatever the usual level; a usual level above its ceiling is likewise never milder.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.catalogue import Catalogue, Ceilings, parse_catalogue_json
from calculators.self_check import SIGN_WORDS
from calculators.vocabulary import Sign
from site_tests.calculators.helpers import result
from site_tests.calculators.strategies import self_check_answers
from site_tests.conftest import examples
from site_tests.real_catalogue import real_catalogue_json

REAL = real_catalogue_json()
CATALOGUE: Catalogue = parse_catalogue_json(REAL)
COLOUR_ORDER = ("green", "amber", "red")
URGENCY_ORDER = (None, "soon", "same_day", "emergency")
RUN_PAINS = ("pain_during", "pain_after", "pain_next_morning")
FAMILIES = sorted(CATALOGUE.self_checks)


def _rank(r: dict[str, Any]) -> tuple[int, int]:
    """Severity of an answer: colour first, then urgency (only red has one)."""
    return COLOUR_ORDER.index(r["colour"]), URGENCY_ORDER.index(r["urgency"])


def _check(payload: dict[str, Any]) -> dict[str, Any]:
    return result("self_check", payload, REAL)


def _one_step_worse(payload: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The same answers with one thing made worse. The usual level is left alone: it is not
    monotone (a higher usual level can explain pain, yet is itself a finding)."""
    condition = CATALOGUE.conditions[payload["condition"]]
    family = CATALOGUE.self_checks[condition.self_check]
    options = ["trend"]
    if family.asks_pain:
        options += [name for name in RUN_PAINS if payload[name] < 10]
    if set(family.signs) - set(payload["signs"]):
        options.append("signs")
    if {f.id for f in condition.red_flags} - set(payload["red_flags"]):
        options.append("red_flags")
    what = data.draw(st.sampled_from(options))
    worse = dict(payload)
    if what == "trend":
        order = ["better", "same", "worse"]
        worse["trend"] = data.draw(st.sampled_from(order[order.index(payload["trend"]) :]))
    elif what in RUN_PAINS:
        worse[what] = data.draw(st.integers(payload[what] + 1, 10))
    elif what == "signs":
        extra = sorted(set(family.signs) - set(payload["signs"]))
        worse["signs"] = [*payload["signs"], data.draw(st.sampled_from(extra))]
    else:
        extra = sorted({f.id for f in condition.red_flags} - set(payload["red_flags"]))
        worse["red_flags"] = [*payload["red_flags"], data.draw(st.sampled_from(extra))]
    return worse


@pytest.mark.parametrize("family", FAMILIES)
@examples(150)
@given(data=st.data())
def test_worse_answers_never_give_a_milder_result(family: str, data: st.DataObject) -> None:
    """Raising any pain, adding any sign or flag, or a worse trend never improves the result."""
    payload = data.draw(self_check_answers(CATALOGUE, family))
    worse = _one_step_worse(payload, data)
    assert _rank(_check(worse)) >= _rank(_check(payload)), (payload, worse)


@examples(300)
@given(data=st.data())
def test_any_red_flag_is_red_and_as_urgent(data: st.DataObject) -> None:
    """Every condition: a ticked red flag is red, at least as urgent as the most urgent flag."""
    payload = data.draw(self_check_answers(CATALOGUE))
    flags = CATALOGUE.conditions[payload["condition"]].red_flags
    if not payload["red_flags"]:
        payload["red_flags"] = [data.draw(st.sampled_from([f.id for f in flags]))]
    r = _check(payload)
    most = max(URGENCY_ORDER.index(f.urgency) for f in flags if f.id in payload["red_flags"])
    assert r["colour"] == "red"
    assert r["next_step"]["action"] == "stop_and_see_clinician"
    assert URGENCY_ORDER.index(r["urgency"]) >= most


def _ceiling_floor(ceilings: Ceilings, payload: dict[str, Any]) -> tuple[int, int] | None:
    """The mildest result the absolute limits allow for these answers, or None."""
    floors = []
    pain = Ceilings.highest_passed(ceilings.pain, max(payload[name] for name in RUN_PAINS))
    usual = Ceilings.highest_passed(ceilings.usual, payload["pain_baseline"])
    for limit in (pain, usual):
        if limit is not None:
            o = limit
            floors.append((COLOUR_ORDER.index(o.colour), URGENCY_ORDER.index(o.urgency)))
    return max(floors) if floors else None


@pytest.mark.parametrize("family", [k for k in FAMILIES if CATALOGUE.self_checks[k].asks_pain])
@examples(200)
@given(data=st.data())
def test_pain_above_a_ceiling_is_never_green(family: str, data: st.DataObject) -> None:
    """Above a family's absolute limit the answer is never green nor milder than the limit,
    whatever the usual level (drawn freely from 0 to 10) and every other answer."""
    ceilings = CATALOGUE.self_checks[family].ceilings
    assert ceilings is not None
    payload = data.draw(self_check_answers(CATALOGUE, family))
    lowest = ceilings.pain[0].above
    name = data.draw(st.sampled_from(RUN_PAINS))
    payload[name] = data.draw(st.integers(lowest + 1, 10))
    r = _check(payload)
    floor = _ceiling_floor(ceilings, payload)
    assert floor is not None
    assert r["colour"] != "green", payload
    assert _rank(r) >= floor, (payload, r["reasons"])


@pytest.mark.parametrize("family", [k for k in FAMILIES if CATALOGUE.self_checks[k].asks_pain])
@given(data=st.data())
def test_the_usual_level_never_lowers_a_result_below_the_ceilings(
    family: str, data: st.DataObject
) -> None:
    """Any usual level, any answers: the result is at least what the absolute limits give."""
    ceilings = CATALOGUE.self_checks[family].ceilings
    assert ceilings is not None
    payload = data.draw(self_check_answers(CATALOGUE, family))
    floor = _ceiling_floor(ceilings, payload)
    r = _check(payload)
    if floor is not None:
        assert _rank(r) >= floor, (payload, r["reasons"])


def test_every_pain_family_has_ceilings_on_every_answer() -> None:
    """Each family that asks pain has absolute limits; a 0-10 family also limits the usual
    level, and its highest limit is red, so no number is green or amber at every value."""
    for key, family in CATALOGUE.self_checks.items():
        if not family.asks_pain:
            assert family.ceilings is None, key
            continue
        assert family.ceilings is not None, key
        assert family.ceilings.pain[-1].colour == "red", key
        if family.answer_style == "scale":
            assert family.ceilings.usual, key
            assert family.ceilings.usual[-1].colour == "red", key
        for limit in (*family.ceilings.pain, *family.ceilings.usual):
            assert limit.reference in CATALOGUE.references, (key, limit.above)
            assert limit.grade in ("A", "B", "C", "D"), (key, limit.above)


def test_nerve_conditions_use_the_nerve_family() -> None:
    """Conditions whose usual symptom is tingling are judged by the nerve-aware family."""
    for slug in ("sciatica", "tarsal-tunnel-syndrome", "piriformis-syndrome"):
        assert CATALOGUE.conditions[slug].self_check == "nerve", slug
    nerve = CATALOGUE.self_checks["nerve"]
    usual = [r for r in nerve.rules if r.when.sign == "numbness_or_tingling"]
    assert all(r.colour == "green" for r in usual), "usual tingling is not a stop sign"
    emergency = {r.when.sign for r in nerve.rules if r.urgency == "emergency"}
    assert emergency == {"symptoms_in_both_legs", "saddle_numbness", "bladder_or_bowel_change"}
    same_day = {r.when.sign for r in nerve.rules if r.urgency == "same_day"}
    assert same_day == {"weakness_or_foot_slap"}


def test_every_sign_has_its_words_once() -> None:
    """Each sign the content model accepts has plain words for the form and the rules."""
    assert set(get_args(Sign)) == set(SIGN_WORDS)


@examples(300)
@given(data=st.data())
def test_a_condition_without_a_plan_never_hears_about_levels(data: st.DataObject) -> None:
    """Side stitch, a black toenail, RED-S or overtraining have no ladder: the next step never
    says "move up one level" (or any level), and green never says "Progress"."""
    payload = data.draw(self_check_answers(CATALOGUE))
    condition = CATALOGUE.conditions[payload["condition"]]
    r = _check(payload)
    text = r["next_step"]["text"]
    if condition.protocol is None:
        assert "level" not in text.lower(), (condition.slug, text)
        assert not text.startswith("Progress"), (condition.slug, text)
        if r["colour"] == "green":
            assert "as this page advises" in text
    elif r["next_step"]["action"] == "progress":
        assert text == "Progress: move up one level at your next session."


def test_red_s_and_overtraining_never_say_progress() -> None:
    """Their main features (tiredness, mood, performance, under-eating) are not asked, and
    their treatment is less load: a pain-free answer must not read as a step up."""
    for slug in ("relative-energy-deficiency-in-sport", "overtraining"):
        family = CATALOGUE.self_checks[CATALOGUE.conditions[slug].self_check]
        answers: dict[str, Any] = {"condition": slug, "trend": "better", "signs": []}
        if family.asks_pain:
            answers |= dict.fromkeys((*RUN_PAINS, "pain_baseline"), 0)
        r = _check(answers)
        assert r["colour"] == "green"
        assert "progress" not in r["next_step"]["text"].lower()
        assert "level" not in r["next_step"]["text"].lower()
