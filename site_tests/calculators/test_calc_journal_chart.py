"""The journal's chart: well-formed, accessible, escaped and safe under the site's CSP."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from calculators.journal_chart import CHART_CLASSES, CHART_DAYS
from calculators.vocabulary import COLOUR_LIGHTS
from site_tests.calculators.fixtures import fixture_data
from site_tests.calculators.helpers import result
from site_tests.calculators.journal_log import journal

SVG = "{http://www.w3.org/2000/svg}"
PLAN = {
    "condition": "mid-portion-achilles-tendinopathy",
    "days_since_stopped": 42,
    "walk_test_passed": True,
    "pre_injury_minutes_per_week": 150,
    "pre_injury_runs_per_week": 3,
    "running_days_per_week": 3,
    "start_date": "2026-03-02",
    "today_colour": "green",
}
LOG = [
    "0-34 every 1: m1",
    "0-34 every 2: m1 d2 a1 planned min30",
    "20: m1 d4 a3 planned min30",
    "21: m3",
    "26: m1 skipped",
]


@pytest.fixture(scope="module")
def answer(real_json: str) -> dict[str, Any]:
    return result("journal", {"journal": journal(PLAN, LOG), "today": "2026-04-05"}, real_json)


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_is_well_formed_with_a_text_alternative(answer: dict[str, Any]) -> None:
    root = _tree(answer["chart_svg"])
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "jc-title jc-desc"
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id")) == (f"{SVG}title", "jc-title")
    assert (desc.tag, desc.get("id")) == (f"{SVG}desc", "jc-desc")
    assert "Mid-portion Achilles tendinopathy" in (title.text or "")
    assert "days logged" in (desc.text or "")


def test_chart_is_safe_under_a_strict_csp(answer: dict[str, Any]) -> None:
    """No style, script, event handler or link: only classes, which the stylesheet colours."""
    root = _tree(answer["chart_svg"])
    used: set[str] = set()
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in ("script", "style", "a", "image", "use")
        for name in element.attrib:
            assert name != "style"
            assert not name.lower().startswith("on")
            assert "href" not in name
        used.update((element.get("class") or "").split())
    assert used <= set(CHART_CLASSES)
    assert {"jc-during", "jc-after", "jc-morning", "jc-minutes", "jc-level", "jc-day"} <= used


def test_each_days_colour_is_an_icon_with_words(answer: dict[str, Any]) -> None:
    """Never colour alone: each verdict mark is its icon, and its title says the colour."""
    root = _tree(answer["chart_svg"])
    icons = [e for e in root.iter(f"{SVG}text") if "jc-day" in (e.get("class") or "").split()]
    assert icons
    colours = set()
    for icon in icons:
        colour = next(c for c in COLOUR_LIGHTS if f"jc-day-{c}" in icon.get("class", ""))
        colours.add(colour)
        assert (icon.text or "") == COLOUR_LIGHTS[colour]["icon"]
        words = icon.find(f"{SVG}title")
        assert words is not None
        assert COLOUR_LIGHTS[colour]["title"] in (words.text or "")
    assert {"green", "amber"} <= colours


def test_pain_series_differ_by_shape(answer: dict[str, Any]) -> None:
    root = _tree(answer["chart_svg"])
    shapes = {
        cls: {e.tag.removeprefix(SVG) for e in root.iter() if e.get("class") == cls}
        for cls in ("jc-during", "jc-after", "jc-morning")
    }
    assert shapes == {
        "jc-during": {"circle", "polyline"},
        "jc-after": {"rect", "polyline"},
        "jc-morning": {"polygon", "polyline"},
    }


def test_table_has_every_day_shown(answer: dict[str, Any]) -> None:
    table = answer["table"]
    rows = table["rows"]
    assert len(rows) == CHART_DAYS
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert rows[-1]["date"] == "2026-04-05"
    by_date = {r["date"]: r for r in rows}
    amber = by_date["2026-03-22"]
    assert (amber["pain_during"], amber["pain_after"]) == (4, 3)
    assert amber["colour"] == "amber"
    assert amber["colour_words"] == COLOUR_LIGHTS["amber"]["title"]
    assert by_date["2026-03-28"]["done_words"] == "skipped the session"
    assert {c["key"] for c in table["columns"]} <= set(rows[0])


def test_weeks_compare_this_week_with_last(answer: dict[str, Any]) -> None:
    this, last = answer["weeks"]
    assert (this["label"], last["label"]) == ("This week", "Last week")
    assert (this["start"], this["end"]) == ("2026-03-30", "2026-04-05")
    assert (last["start"], last["end"]) == ("2026-03-23", "2026-03-29")
    assert this["days_logged"] == 7
    assert (this["sessions"], this["minutes"]) == (4, 120)
    assert (last["sessions"], last["skipped"]) == (2, 1)
    assert this["compared"].startswith("4 sessions (120 minutes) against 2 (60 minutes)")


def test_hostile_names_are_escaped(fixture_json: str) -> None:
    """A condition name from content can hold anything; no text becomes markup."""
    data = fixture_data()
    data["conditions"]["sore-tendon"]["name"] = '<script>alert("x")</script> & <b onload=1>'
    plan = {**PLAN, "condition": "sore-tendon", "hop_test_passed": True}
    r = result(
        "journal",
        {"journal": journal(plan, ["0: m1 d1 a1 planned"]), "today": "2026-03-03"},
        json.dumps(data),
    )
    svg = r["chart_svg"]
    assert "<script" not in svg
    assert "<b " not in svg
    assert "&lt;script&gt;" in svg
    root = _tree(svg)
    assert '<script>alert("x")</script>' in (root[0].text or "")


def test_no_inline_style_text_anywhere(answer: dict[str, Any]) -> None:
    assert not re.search(r"style\s*=", answer["chart_svg"])
