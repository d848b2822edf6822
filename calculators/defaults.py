"""Documented default inputs, for the plan tables and rules printed on each condition page.

The site is built without JavaScript and must not change from day to day, so default plans
carry day numbers only (day 1 = the first day), never real dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from calculators.catalogue import Catalogue
from calculators.inputs import parse_plan
from calculators.plan import build_plan

REFERENCE_START = date(2024, 1, 1)
"""A fixed Monday used only to validate the defaults; it never appears in the output."""

DEFAULT_PLAN_INPUT: dict[str, Any] = {
    "days_since_stopped": 42,
    "walk_test_passed": True,
    "hop_test_passed": True,
    "pre_injury_minutes_per_week": 150,
    "pre_injury_runs_per_week": 3,
    "running_days_per_week": 3,
    "today_colour": "green",
    "red_flags": [],
}
"""Six weeks off, entry tests passed, 150 minutes a week over 3 runs, 3 running days free,
today's check green and no warning sign (the page states these assumptions)."""


def default_payload(slug: str, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """The default inputs; with the catalogue, a bone plan that asks where the fracture is
    assumes the page's first low-risk site, confirmed by a clinician."""
    payload = {"condition": slug, **DEFAULT_PLAN_INPUT, "start_date": REFERENCE_START.isoformat()}
    condition = catalogue.conditions.get(slug) if catalogue is not None else None
    protocol = (
        catalogue.protocols.get(condition.protocol or "") if catalogue and condition else None
    )
    if protocol is not None and protocol.fracture_sites is not None:
        sites = protocol.fracture_sites.conditions.get(slug, ())
        low = next((s.id for s in sites if not s.high_risk), None)
        if low is not None:
            payload["fracture_site"] = low
    return payload


def default_plan(catalogue: Catalogue, slug: str) -> dict[str, Any] | None:
    """The condition's plan for the default inputs, with day numbers and no dates.

    None when the condition has no self-managed plan (its page says to see a clinician).
    """
    condition = catalogue.conditions[slug]
    if condition.protocol is None or not condition.self_managed:
        return None
    inp, protocol = parse_plan(default_payload(slug, catalogue), catalogue)
    return build_plan(catalogue, inp, protocol).to_dict(catalogue, None)
