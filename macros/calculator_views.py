"""Build-time, no-JavaScript views of the calculators: the same engine the browser runs,
computed once per build and printed into every condition page as plain HTML."""

from __future__ import annotations

from typing import Any

from calculators import load_catalogue
from calculators.defaults import default_plan
from calculators.self_check import describe_rules


def condition_extras(catalogue_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per condition slug: its default plan (None if not self-managed) and self-check rules."""
    catalogue = load_catalogue(catalogue_data)
    extras: dict[str, dict[str, Any]] = {}
    for slug, condition in catalogue.conditions.items():
        family = catalogue.families[condition.self_check]
        extras[slug] = {
            "plan": default_plan(catalogue, slug),
            "self_check_name": family.name,
            "self_check_summary": family.summary,
            "self_check_rules": describe_rules(catalogue, condition.self_check),
        }
    return extras
