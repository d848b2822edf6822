"""Form errors in real Chromium: the right words, at every field focus can reach, all of them
listed in a live summary whose links move focus, and numbers never misread.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from site_tests.browser.conftest import COLD_START, PageWatch
from site_tests.browser.forms import fill_and_submit
from site_tests.browser.static_server import StaticServer

pytestmark = pytest.mark.browser

SHIN = "medial-tibial-stress-syndrome"  # bone: Yes/No pain questions, a hop test
CALF = "calf-strain"  # muscle: 0-10 pain questions


def open_form(page: Page, server: StaticServer, slug: str, calculator: str) -> Locator:
    page.goto(f"{server.url}conditions/{slug}/")
    form = page.locator(f'form[data-calculator="{calculator}"]')
    expect(form).to_be_visible()
    return form


def summary_links(form: Locator) -> Locator:
    summary = form.locator("[data-error-summary]")
    expect(summary.locator("li").first).to_be_visible(timeout=COLD_START)
    return summary.locator("li a")


def error_for(form: Locator, field: str) -> Locator:
    return form.locator(f'[data-error-for="{field}"]')


def focused(page: Page) -> Locator:
    return page.locator(":focus")


def test_blank_yes_no_questions_ask_for_yes_or_no(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Bone pain questions and the plan's entry tests say "Yes or No", never "0 to 10"."""
    page, seen = tab
    check = open_form(page, site_server, SHIN, "self_check")
    check.locator("button[type=submit]").click()
    summary_links(check)
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        expect(error_for(check, name)).to_have_text("Required: answer Yes or No.")
    expect(check).not_to_contain_text("0 to 10")

    plan = page.locator('form[data-calculator="return_to_run_plan"]')
    plan.locator("button[type=submit]").click()
    summary_links(plan)
    for name in ("walk_test_passed", "hop_test_passed"):
        expect(error_for(plan, name)).to_have_text("Required: answer Yes or No.")
    assert seen.console_errors == []


def test_focus_on_a_radio_announces_its_error(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """The summary takes focus and reads every problem; its link lands on a radio whose
    accessible description carries the error, so a screen reader says it."""
    page, _seen = tab
    check = open_form(page, site_server, SHIN, "self_check")
    check.locator("button[type=submit]").click()
    links = summary_links(check)
    summary = check.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There are 3 problems")
    links.first.click()
    radio = focused(page)
    expect(radio).to_have_attribute("type", "radio")
    expect(radio).to_have_attribute("name", "pain_during")
    expect(radio).to_have_accessible_description(re.compile("Required: answer Yes or No"))
    page.keyboard.press("ArrowDown")  # to the other answer, still in the group
    expect(focused(page)).to_have_accessible_description(re.compile("answer Yes or No"))


def test_the_summary_lists_every_error_and_each_link_focuses_its_field(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Several bad answers: one summary entry per error, each moving focus to a control that
    is marked invalid and described by that same error."""
    page, _seen = tab
    plan = open_form(page, site_server, CALF, "return_to_run_plan")
    plan.locator('input[name="start_date"]').fill("")
    fill_and_submit(
        plan,
        {
            "days_since_stopped": "-1",
            "pre_injury_km_per_week": "900",
            "pre_injury_runs_per_week": "7,5",
            "running_days_per_week": "8",
            "today_colour": "green",  # required since plans refer on red: not under test here
        },
    )
    links = summary_links(plan)
    fields = [
        "days_since_stopped",
        "walk_test_passed",
        "pre_injury_km_per_week",
        "pre_injury_runs_per_week",
        "running_days_per_week",
        "start_date",
    ]
    expect(links).to_have_count(len(fields))
    expect(plan.locator("[data-error-summary] li")).to_have_count(len(fields))
    visible = plan.locator("[data-error-for]:not([hidden])")
    expect(visible).to_have_count(len(fields))
    for index, name in enumerate(fields):
        link = links.nth(index)
        assert link.get_attribute("data-field") == name
        message = error_for(plan, name).inner_text()
        assert message
        assert message in link.inner_text()
        link.click()
        control = focused(page)
        expect(control).to_have_attribute("name", name)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_accessible_description(re.compile(re.escape(message)))


def test_a_decimal_comma_is_read_as_a_decimal_point(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """A decimal comma: 25,5 km is 25.5 km (166 minutes at 6.5 min/km), not 255 km. Ambiguous
    or foreign numbers are refused at their field, with the text as typed. (Pain is tapped on
    a scale, so only the plan's fields can be typed.)"""
    page, seen = tab
    plan = open_form(page, site_server, CALF, "return_to_run_plan")
    answers = {
        "days_since_stopped": "14",
        "walk_test_passed": "true",
        "pre_injury_km_per_week": "25,5",
        "pre_injury_runs_per_week": "3",
        "running_days_per_week": "3",
        "start_date": "2027-03-01",
        "today_colour": "green",
    }
    fill_and_submit(plan, answers)
    output = page.locator(".hb-calc-result").last
    expect(output).to_contain_text("you usually ran 166 minutes a week", timeout=COLD_START)

    fill_and_submit(plan, {**answers, "pre_injury_km_per_week": "1,500"})
    expect(error_for(plan, "pre_injury_km_per_week")).to_contain_text(
        "Must be a number from 3 to 250 km; got '1,500'", timeout=COLD_START
    )

    fill_and_submit(plan, {**answers, "pre_injury_runs_per_week": "\uff13"})
    expect(error_for(plan, "pre_injury_runs_per_week")).to_contain_text(
        "written with the digits 0 to 9", timeout=COLD_START
    )
    assert seen.console_errors == []


def test_a_form_showing_errors_has_no_accessibility_violations(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """axe-core finds nothing on a page whose two forms both show errors and a summary."""
    page, _seen = tab
    check = open_form(page, site_server, SHIN, "self_check")
    check.locator("button[type=submit]").click()
    summary_links(check)
    plan = page.locator('form[data-calculator="return_to_run_plan"]')
    fill_and_submit(plan, {"days_since_stopped": "x"})
    summary_links(plan)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
