"""Build-time views of the calculators: the same engine the browser runs, computed once per
build. Each condition page gets its default plan and self-check rules as plain HTML, and the
data its calculator forms are rendered from (labels, ranges and questions)."""

from __future__ import annotations

from typing import Any

from calculators import inputs, load_catalogue
from calculators.defaults import default_plan
from calculators.plan_view import render_plan
from calculators.self_check import SIGN_WORDS, describe_rules
from calculators.vocabulary import COLOUR_NAMES, PAIN_SCALE_WORDS, TREND_LABELS


def _sentence(fragment: str) -> str:
    return fragment[:1].upper() + fragment[1:] + "."


def calculator_ranges() -> dict[str, tuple[float, float]]:
    """Input ranges, read from the engine's own validation so form and engine agree."""
    return {
        "pain": inputs.PAIN_RANGE,
        "days_since_stopped": inputs.DAYS_OFF_RANGE,
        "minutes": inputs.MINUTES_RANGE,
        "km": inputs.KM_RANGE,
        "pace": inputs.PACE_RANGE,
        "runs": inputs.RUNS_RANGE,
        "days": inputs.DAYS_RANGE,
        "race_km": inputs.RACE_KM_RANGE,
    }


def _fracture_sites(protocol: Any, slug: str) -> list[tuple[str, str]] | None:
    """The fracture-site choices a bone plan asks, with "not sure" last; None if it does not."""
    sites = protocol.fracture_sites.conditions.get(slug) if protocol.fracture_sites else None
    if sites is None:
        return None
    return [(s.id, s.text) for s in sites] + [
        (inputs.NOT_SURE_SITE, "Not sure, or not confirmed by a clinician")
    ]


def condition_extras(catalogue_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per condition slug: default plan (None if not self-managed) and its HTML, rules and
    form data."""
    catalogue = load_catalogue(catalogue_data)
    ranges = calculator_ranges()
    extras: dict[str, dict[str, Any]] = {}
    for slug, condition in catalogue.conditions.items():
        family = catalogue.self_checks[condition.self_check]
        protocol = (
            catalogue.protocols[condition.protocol]
            if condition.protocol and condition.self_managed
            else None
        )
        plan = default_plan(catalogue, slug)
        extras[slug] = {
            "plan": plan,
            "plan_html": None if plan is None else render_plan(plan),
            "self_check_name": family.name,
            "self_check_summary": family.summary,
            "self_check_rules": describe_rules(catalogue, condition.self_check),
            "form": {
                # The site path of the condition's data file for the browser; the build
                # fills it in once the bundle is made (macros/build/staging.py).
                "chunk": "",
                "asks_pain": family.asks_pain,
                "yes_no": family.answer_style == "yes_no",
                "signs": [(sign, _sentence(SIGN_WORDS.get(sign, sign))) for sign in family.signs],
                "questions": family.questions,
                "plan": None
                if protocol is None
                else {
                    "hop_test": protocol.entry_gate.hop_test,
                    "entry_gate": protocol.entry_gate.text,
                    "min_days": protocol.min_sessions_per_week,
                    "fracture_sites": _fracture_sites(protocol, slug),
                },
                "ranges": ranges,
                "pain_words": PAIN_SCALE_WORDS,
                "trends": list(TREND_LABELS.items()),
                "colours": list(COLOUR_NAMES.items()),
            },
        }
    return extras
