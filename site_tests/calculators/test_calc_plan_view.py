"""calculators/plan_view.py: the one plan renderer, for the page's default plan and the
runner's own. Every field a plan result carries for the runner is on the page, escaped."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from typing import Any

import pytest

from calculators import bridge
from calculators.catalogue import Catalogue
from calculators.defaults import default_payload, default_plan
from calculators.plan_view import URGENCY_TITLES, render_plan, short_date

ACHILLES = "mid-portion-achilles-tendinopathy"
TIBIA = "tibial-stress-fracture"
CALF = "calf-strain"
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr"}


class _Markup(HTMLParser):
    """Records every tag and attribute, and fails on a tag closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.attributes: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _value in attrs]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1:] == [tag], f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Markup:
    markup = _Markup()
    markup.feed(html)
    markup.close()
    assert markup.open == [], f"unclosed: {markup.open}"
    return markup


def shown(text: object, html: str) -> bool:
    return escape(str(text), quote=True) in html


def payloads(cat: Catalogue) -> list[dict[str, Any]]:
    """Inputs that between them reach every status and every part of a plan."""
    tendon, bone, muscle = (default_payload(s, cat) for s in (ACHILLES, TIBIA, CALF))
    big = {"pre_injury_minutes_per_week": 600, "pre_injury_runs_per_week": 6}
    flag = cat.conditions[CALF].red_flags[0].id
    return [
        tendon,
        bone,
        muscle,
        {**tendon, **big, "running_days_per_week": 6, "start_date": "2027-02-26"},
        {**bone, **big, "running_days_per_week": 6},
        {**tendon, "today_colour": "amber"},
        {**tendon, "walk_test_passed": False},
        {**muscle, "red_flags": [flag]},
        {**muscle, "today_colour": "red", "today_urgency": "emergency"},
        {**muscle, "today_colour": "red"},
        {**bone, "fracture_site": "tibia-front"},
        {**bone, "days_since_stopped": 0},
        {**tendon, "goal_race_date": "2024-02-01", "goal_race_km": 42.2},
        {
            **{k: v for k, v in tendon.items() if k != "pre_injury_minutes_per_week"},
            "pre_injury_km_per_week": 30,
        },
    ]


def plans(cat: Catalogue, catalogue_json: str) -> list[dict[str, Any]]:
    """Bridge results (dated, with `html`) and the pages' default plans (day numbers only)."""
    results = []
    for payload in payloads(cat):
        answer = json.loads(bridge.call("return_to_run_plan", json.dumps(payload), catalogue_json))
        assert answer["ok"], answer
        results.append(answer["result"])
    for slug in sorted(cat.conditions):
        plan = default_plan(cat, slug)
        if plan is not None:
            results.append({**plan, "html": render_plan(plan)})
    return results


def week_rows(html: str) -> list[str]:
    return [row.split("</tr>")[0] for row in html.split('<tr class="hb-plan-week')[1:]]


def assert_shows_the_plan(plan: dict[str, Any], html: str) -> None:
    """Everything the old build-time template printed, and the runner's messages."""
    assert shown(plan["message"], html)
    referral = plan["referral"]
    if referral:
        assert shown(URGENCY_TITLES[referral["urgency"]], html)
        assert f'data-urgency-action-for="{referral["urgency"]}"' in html
        assert shown(referral["text"], html)
        assert all(shown(reason, html) for reason in referral["reasons"])
    assert all(shown(warning, html) for warning in plan["warnings"])
    length = plan["length"]
    if length and length["longer_than_typical"]:
        assert html.count(escape(length["reason"])) == 1  # once, though it is also a warning
    if not plan["weeks"]:
        assert "<table" not in html
        return
    assumed = plan["assumptions"]
    for value in (
        plan["protocol_name"],
        f"evidence grade {plan['protocol_grade']}",
        f"usually ran {plan['target_minutes_per_week']} minutes a week",
        f"up to {plan['target_runs_per_week']} times a week",
        f"stopped running {assumed['days_since_stopped']} days ago",
        plan["entry_gate"],
        f"self-check is {assumed['today_colour']}",
        plan["after_amber"]["text"],
        plan["after_red"]["text"],
        *plan["progression"],
    ):
        assert shown(value, html), value
    passed = "have passed" if assumed["entry_gate_passed"] else "have not yet passed"
    assert f"{passed} the entry test" in html
    if assumed["fracture_site"]:
        assert shown(assumed["fracture_site"].lower(), html)
    for guardrail in plan["guardrails"]:
        assert shown(guardrail["text"], html)
        assert shown(f"({guardrail['citation']}, evidence grade {guardrail['grade']})", html)
    rows = week_rows(html)
    assert len(rows) == len(plan["weeks"])
    for week, row in zip(plan["weeks"], rows, strict=True):
        assert ("hb-plan-week--cutback" in row.split(">")[0]) == week["cutback"]
        assert ("lighter week" in row) == week["cutback"]
        assert ("strides or hills" in row) == (week["intensity"] == "introduce")
        assert f"<td>{week['running_minutes']}</td>" in row
        for session in week["sessions"]:
            assert shown(session["text"], row)
            if session["date"]:
                assert f'<time datetime="{session["date"]}">{short_date(session["date"])}' in row
    if plan["return_week"]:
        assert (
            f"Back to {plan['return_minutes_per_week']} minutes a week in week "
            f"{plan['return_week']} (from day {plan['return_day']}"
        ) in html
    if plan["race"]:
        assert f"Your race is on day {plan['race']['day']}" in html


def test_every_part_of_every_kind_of_plan_is_shown(real_cat: Catalogue, real_json: str) -> None:
    """Strides, lighter weeks, guardrails, referrals, clinician-led paths, assumptions,
    warnings and the length explanation: each appears wherever the plan has it."""
    results = plans(real_cat, real_json)
    for plan in results:
        assert_shows_the_plan(plan, plan["html"])
    # The inputs reach every case, so no assertion above is vacuous.
    weeks = [w for p in results for w in p["weeks"]]
    assert {p["status"] for p in results} >= {
        "ready",
        "hold",
        "not_yet",
        "refer",
        "stop",
        "clinician_led",
    }
    assert any(w["cutback"] for w in weeks)
    assert any(w["intensity"] == "introduce" for w in weeks)
    assert any(p["length"] and p["length"]["longer_than_typical"] for p in results)
    assert any(p["warnings"] for p in results)
    assert any(p["race"] for p in results)
    assert any(p["assumptions"]["fracture_site"] for p in results if p["weeks"])
    assert any(p["referral"] and p["referral"]["reasons"] for p in results)


def test_the_bridge_gives_the_html_the_renderer_makes(real_json: str, real_cat: Catalogue) -> None:
    """The browser's plan is render_plan of the same result: one renderer, not two."""
    for payload in payloads(real_cat):
        result = json.loads(bridge.call("return_to_run_plan", json.dumps(payload), real_json))
        plan = {k: v for k, v in result["result"].items() if k != "html"}
        assert result["result"]["html"] == render_plan(plan)


def test_the_html_is_well_formed_and_safe_under_a_strict_csp(
    real_cat: Catalogue, real_json: str
) -> None:
    """Balanced tags, no scripts, no inline handlers or styles, no blank line for Markdown."""
    for plan in plans(real_cat, real_json):
        markup = parsed(plan["html"])
        assert "script" not in markup.tags
        assert not [a for a in markup.attributes if a == "style" or a.startswith("on")]
        assert "\n\n" not in plan["html"]


def test_neighbouring_sessions_with_the_same_text_share_a_line(real_cat: Catalogue) -> None:
    """ "Days 1, 3, 5: ...", in order, every session day listed once; no dates by default."""
    plan = default_plan(real_cat, ACHILLES)
    assert plan is not None
    html = render_plan(plan)
    listed = [
        int(day) for days in re.findall(r"<li>Days? ([\d, ]+):", html) for day in days.split(", ")
    ]
    assert listed == [s["day"] for w in plan["weeks"] for s in w["sessions"]]
    assert "hb-plan-dates" not in html
    assert "<time" not in html


def test_dates_are_english_and_the_same_on_every_platform() -> None:
    assert short_date("2027-01-04") == "Mon 4 Jan"
    assert short_date("2028-02-29") == "Tue 29 Feb"
    assert short_date("2026-12-31") == "Thu 31 Dec"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", '"><img src=x onerror=y>'])
def test_every_value_is_escaped(real_cat: Catalogue, real_json: str, hostile: str) -> None:
    """Markup in any text of a plan stays text: the renderer escapes by construction."""
    for plan in plans(real_cat, real_json):
        html = render_plan(taint({k: v for k, v in plan.items() if k != "html"}, hostile))
        markup = parsed(html)
        assert "script" not in markup.tags
        assert "img" not in markup.tags
        assert escape(hostile) in html


KEYS = {"status", "urgency", "phase", "intensity", "date", "start_date", "return_date"}
"""Values the renderer looks up or parses rather than prints; the engine makes them, never
content or the runner."""


def taint(value: Any, hostile: str, key: str = "") -> Any:
    """Every printed string of a plan result, with `hostile` appended."""
    if isinstance(value, str):
        return value if key in KEYS else value + hostile
    if isinstance(value, dict):
        return {k: taint(v, hostile, k) for k, v in value.items()}
    if isinstance(value, list):
        return [taint(v, hostile, key) for v in value]
    return value
