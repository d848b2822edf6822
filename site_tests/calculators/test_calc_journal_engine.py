"""Parts of the journal engine on their own: the trend's thresholds and the clinic's numbers."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from calculators.catalogue import Catalogue
from calculators.journal import trend_of
from site_tests.calculators.fixtures import fixture_data
from site_tests.calculators.helpers import result
from site_tests.calculators.journal_log import journal

AS_OF = date(2026, 5, 31)


def _days(values: list[int], end: date) -> dict[date, int]:
    return {end - timedelta(days=i): v for i, v in enumerate(values)}


@pytest.mark.parametrize(
    ("this_week", "last_week", "trend"),
    [
        ([2, 2], [1, 1], "worse"),  # exactly 1 point higher on average counts
        ([2, 2, 1], [1, 1, 1], "same"),  # 0.67 higher: not enough
        ([1, 1], [2, 2], "better"),
        ([3, 0, 0, 0], [0, 0, 0, 0], "same"),  # one bad day in four is 0.75
        ([4, 0, 0, 0], [0, 0, 0, 0], "worse"),
    ],
)
def test_trend_threshold_is_the_protocols(
    this_week: list[int], last_week: list[int], trend: str, real_cat: Catalogue
) -> None:
    protocol = real_cat.protocols["oxford-walk-run"]
    assert protocol.journal.trend.worse_by == 1
    worst = {**_days(this_week, AS_OF), **_days(last_week, AS_OF - timedelta(days=7))}
    found = trend_of(protocol, worst, AS_OF)
    assert found["known"]
    assert found["trend"] == trend


def test_too_few_days_is_no_trend(real_cat: Catalogue) -> None:
    protocol = real_cat.protocols["oxford-walk-run"]
    worst = {AS_OF: 5, AS_OF - timedelta(days=8): 0, AS_OF - timedelta(days=9): 0}
    found = trend_of(protocol, worst, AS_OF)
    assert not found["known"]
    assert found["trend"] == "same"
    assert "at least 2 days" in found["text"]


def test_red_results_carry_the_clinics_numbers() -> None:
    """A clinic copy's catalogue has its own numbers; every red journal answer uses them."""
    data = fixture_data()
    plan = {
        "condition": "sore-tendon",
        "days_since_stopped": 42,
        "walk_test_passed": True,
        "hop_test_passed": True,
        "pre_injury_minutes_per_week": 150,
        "pre_injury_runs_per_week": 3,
        "running_days_per_week": 3,
        "start_date": "2026-03-02",
        "today_colour": "green",
    }
    doc = journal(plan, ["0: m0 d0 a0 planned", "1: m0 flag:faint"])
    r = result("journal", {"journal": doc, "today": "2026-03-03"}, json.dumps(data))
    assert r["plan"]["urgency"] == "emergency"
    assert r["plan"]["urgency_text"] == "Call 999 now."
    assert r["today"]["check"]["urgency_text"] == "Call 999 now."
    doc = journal(plan, ["0: m0 d0 a0 planned", "1: m0 flag:fall"])
    r = result("journal", {"journal": doc, "today": "2026-03-03"}, json.dumps(data))
    assert r["plan"]["urgency_text"] == "Get seen today (call 111)."
