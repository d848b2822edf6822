"""Plan invariants, checked exhaustively: every condition with a plan, against days available
1-7, weekly volume 20-600 minutes, entry gate passed or not, and every today-colour.

Usual runs a week and days off cycle through their range so that every combination above
meets several of them; hypothesis (test_calc_plan.py) covers the rest of the input space.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from calculators.catalogue import Catalogue
from calculators.defaults import default_payload
from calculators.inputs import fracture_site_ids
from calculators.vocabulary import COLOURS
from site_tests.calculators.helpers import run
from site_tests.calculators.plan_invariants import check_plan

VOLUMES = (20, 30, 40, 60, 90, 150, 240, 325, 450, 600)
RUNS = (1, 2, 3, 4, 5, 6, 7, 10, 14)
DAYS_OFF = (0, 10, 28, 42, 90)


def _planned(catalogue: Catalogue) -> list[str]:
    return sorted(s for s, c in catalogue.conditions.items() if c.protocol and c.self_managed)


@pytest.fixture(scope="module")
def real_slugs(real_cat: Catalogue) -> list[str]:
    return _planned(real_cat)


def _payloads(catalogue: Catalogue, slug: str) -> list[dict[str, Any]]:
    protocol = catalogue.protocols[catalogue.conditions[slug].protocol or ""]
    sites = fracture_site_ids(protocol, slug)
    cycle = itertools.count()
    payloads = []
    for days, minutes, gate, colour in itertools.product(
        range(1, 8), VOLUMES, (True, False), COLOURS
    ):
        i = next(cycle)
        payload = {
            **default_payload(slug, catalogue),
            "running_days_per_week": days,
            "pre_injury_minutes_per_week": minutes,
            "pre_injury_runs_per_week": RUNS[i % len(RUNS)],
            "days_since_stopped": DAYS_OFF[i % len(DAYS_OFF)],
            "walk_test_passed": gate,
            "hop_test_passed": gate,
            "today_colour": colour,
        }
        if sites is not None and i % 7 == 0:
            payload["fracture_site"] = sites[i % len(sites)]
        payloads.append(payload)
    return payloads


# Exhaustive, so about 10 s: it runs in `make test`, and `make check` leaves it to the
# hypothesis version of the same invariants.
@pytest.mark.slow
def test_every_condition_every_input(
    real_cat: Catalogue, real_json: str, real_slugs: list[str]
) -> None:
    """Every answer is either a field error the form shows, or a plan obeying every rule."""
    checked = refused = 0
    for slug in real_slugs:
        protocol = real_cat.protocols[real_cat.conditions[slug].protocol or ""]
        for payload in _payloads(real_cat, slug):
            answer = run("return_to_run_plan", payload, real_json)
            if payload["running_days_per_week"] < protocol.min_sessions_per_week:
                # The protocol needs more days; red still wins over the missing days.
                if payload["today_colour"] == "red":
                    assert answer["ok"], answer
                    assert answer["result"]["status"] == "stop"
                else:
                    assert not answer["ok"]
                    assert {e["field"] for e in answer["errors"]} == {"running_days_per_week"}
                    refused += 1
                continue
            assert answer["ok"], (payload, answer)
            check_plan(payload, answer["result"], real_cat)
            checked += 1
    assert checked > 20 * len(real_slugs)
    assert refused > 0


def test_every_red_flag_of_every_condition_refers(
    real_cat: Catalogue, real_json: str, real_slugs: list[str]
) -> None:
    """Any one red flag, on any condition with a plan, gives only the referral."""
    for slug in real_slugs:
        for flag in real_cat.conditions[slug].red_flags:
            payload = {**default_payload(slug, real_cat), "red_flags": [flag.id]}
            answer = run("return_to_run_plan", payload, real_json)
            assert answer["ok"], answer
            plan = answer["result"]
            check_plan(payload, plan, real_cat)
            assert plan["referral"]["urgency"] == flag.urgency
            assert flag.text in plan["referral"]["reasons"]


def test_every_default_plan_states_its_assumptions(
    real_cat: Catalogue, real_json: str, real_slugs: list[str]
) -> None:
    """The build-time plan on every page is valid and says what it assumed."""
    for slug in real_slugs:
        payload = default_payload(slug, real_cat)
        plan = run("return_to_run_plan", payload, real_json)["result"]
        check_plan(payload, plan, real_cat)
        assert plan["status"] == "ready"
        assert plan["assumptions"]["today_colour"] == "green"
        assert plan["assumptions"]["red_flags"] == []
        sites = fracture_site_ids(real_cat.protocols[plan["protocol"]], slug)
        assert (plan["assumptions"]["fracture_site"] is None) == (sites is None)
