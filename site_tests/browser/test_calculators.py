"""The in-page calculators in real Chromium: the same Python, the same answers, no third parties.

One tab per module, so the worker's warm start across pages is exercised as a runner would.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from calculators import bridge
from calculators.catalogue import parse_catalogue_json
from calculators.defaults import default_payload
from site_tests.browser.conftest import COLD_START, PHONE, PageWatch
from site_tests.browser.forms import fill_and_submit, tap
from site_tests.browser.static_server import StaticServer
from site_tests.real_catalogue import real_catalogue_json

pytestmark = pytest.mark.browser

ACHILLES = "mid-portion-achilles-tendinopathy"  # tendon
SHIN = "medial-tibial-stress-syndrome"  # bone
CALF = "calf-strain"  # muscle
TIBIA = "tibial-stress-fracture"  # bone, asks where the fracture is


def open_condition(page: Page, server: StaticServer, slug: str) -> None:
    page.goto(f"{server.url}conditions/{slug}/")


def form(page: Page, calculator: str) -> Locator:
    return page.locator(f'form[data-calculator="{calculator}"]')


def result(page: Page, calculator: str) -> Locator:
    return form(page, calculator).locator("xpath=..").locator("[aria-live]")


def check_today(page: Page, pains: tuple[int, int, int], *, flags: tuple[str, ...] = ()) -> Locator:
    check = form(page, "self_check")
    for name, value in zip(("pain_during", "pain_after", "pain_next_morning"), pains, strict=True):
        tap(check, name, value)
    for box in check.locator('input[name="red_flags"]').all():
        box.set_checked(box.get_attribute("value") in flags)
    check.locator("button[type=submit]").click()
    return result(page, "self_check")


def test_achilles_self_check_done_when(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """7/10 is not green and says why; 0/10 is green; any red flag is red and says whom to call."""
    page, seen = tab
    open_condition(page, site_server, ACHILLES)
    expect(form(page, "self_check")).to_be_visible()

    light = check_today(page, (7, 3, 1))
    expect(light.locator(".hb-light")).not_to_have_class(
        "hb-light hb-light--green", timeout=COLD_START
    )
    expect(light).to_contain_text("Why:")
    expect(light.locator(".hb-light-next")).not_to_be_empty()
    expect(light.locator(".hb-light-reasons li").first).to_contain_text("7/10")

    light = check_today(page, (0, 0, 0))
    expect(light.locator(".hb-light")).to_have_class("hb-light hb-light--green")
    expect(light).to_contain_text("Green: you can run")

    light = check_today(page, (0, 0, 0), flags=("sudden-snap",))
    expect(light.locator(".hb-light")).to_have_class("hb-light hb-light--red")
    expect(light).to_contain_text("Red: stop running")
    expect(light.locator(".hb-light-urgency")).to_contain_text(
        "Get seen today: an urgent-care service, a minor-injuries unit or your doctor."
    )
    # Never colour alone: an icon and words travel with the colour.
    expect(light.locator(".hb-light-icon")).to_have_text("✕")
    assert seen.console_errors == []
    assert seen.foreign_requests == []


def test_a_missing_pain_answer_shows_the_field_error_with_its_range(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """An unanswered pain scale is refused next to it, with the range, and every segment of
    the scale is marked invalid and described by that error for screen readers."""
    page, _seen = tab
    open_condition(page, site_server, ACHILLES)
    check = form(page, "self_check")
    tap(check, "pain_after", 0)
    tap(check, "pain_next_morning", 0)
    check.locator("button[type=submit]").click()
    error = check.locator('[data-error-for="pain_during"]')
    expect(error).to_be_visible(timeout=COLD_START)
    expect(error).to_contain_text("0 to 10")
    segments = check.locator('input[name="pain_during"]')
    expect(segments).to_have_count(11)
    for segment in segments.all():
        expect(segment).to_have_attribute("aria-invalid", "true")
        assert (
            error.get_attribute("id") in (segment.get_attribute("aria-describedby") or "").split()
        )
    expect(check.locator('[data-error-for="pain_after"]')).to_be_hidden()


def test_bone_page_gives_red_for_any_bone_pain_and_a_dated_plan(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Bone asks yes or no, and any pain is red; the red carries over to the plan, which then
    only refers. On a green day the plan starts on the chosen date, in order."""
    page, seen = tab
    open_condition(page, site_server, SHIN)
    check = form(page, "self_check")
    for name, answer in (("pain_during", "1"), ("pain_after", "0"), ("pain_next_morning", "0")):
        check.locator(f'input[name="{name}"][value="{answer}"]').check()
    check.locator("button[type=submit]").click()
    expect(result(page, "self_check").locator(".hb-light")).to_have_class(
        "hb-light hb-light--red", timeout=COLD_START
    )

    plan_form = form(page, "return_to_run_plan")
    # The red colour and its urgency are carried over: the plan schedules nothing and refers.
    expect(plan_form.locator('input[name="today_colour"][value="red"]')).to_be_checked()
    expect(plan_form.locator('input[name="today_urgency"]')).to_have_value("soon")
    plan_form.locator("button[type=submit]").click()
    referral = result(page, "return_to_run_plan").locator(".hb-light--red")
    expect(referral).to_contain_text("See a clinician soon", timeout=COLD_START)
    expect(result(page, "return_to_run_plan").locator("table")).to_have_count(0)

    answers = {
        "days_since_stopped": "30",
        "walk_test_passed": "true",
        "hop_test_passed": "true",
        "pre_injury_minutes_per_week": "150",
        "pre_injury_runs_per_week": "3",
        "running_days_per_week": "3",
        "start_date": "2027-01-04",
        "today_colour": "green",
    }
    # One click on Green cannot override the carried red: the colour asks for a new check.
    fill_and_submit(plan_form, answers)
    expect(plan_form.locator('[data-error-for="today_colour"]')).to_contain_text(
        "do the self-check again", timeout=COLD_START
    )
    expect(result(page, "return_to_run_plan").locator("table")).to_have_count(0)
    # A new, green check clears the carried urgency; then the plan starts.
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        check.locator(f'input[name="{name}"][value="0"]').check()
    check.locator("button[type=submit]").click()
    expect(result(page, "self_check").locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=COLD_START
    )
    expect(plan_form.locator('input[name="today_urgency"]')).to_have_value("")
    fill_and_submit(plan_form, answers)
    table = result(page, "return_to_run_plan").locator("table.hb-plan-table")
    expect(table).to_be_visible(timeout=COLD_START)
    dates = table.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates[0] == "2027-01-04"
    assert dates == sorted(dates)
    assert seen.console_errors == []
    assert seen.foreign_requests == []


def test_muscle_page_steps_back_on_pulling_and_plans(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """A calf strain that pulls is amber with a step back; its plan is a table of dated sessions."""
    page, seen = tab
    open_condition(page, site_server, CALF)
    check = form(page, "self_check")
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        tap(check, name, 0)
    check.locator('input[name="signs"][value="pulling_or_tightness"]').check()
    check.locator("button[type=submit]").click()
    light = result(page, "self_check")
    expect(light.locator(".hb-light")).to_have_class("hb-light hb-light--amber", timeout=COLD_START)
    expect(light.locator(".hb-light-next")).to_contain_text("Go back 2 levels")
    fill_and_submit(
        form(page, "return_to_run_plan"),
        {
            "days_since_stopped": "14",
            "walk_test_passed": "true",
            "pre_injury_km_per_week": "25",
            "pre_injury_runs_per_week": "4",
            "running_days_per_week": "3",
            "start_date": "2027-03-01",
            "today_colour": "green",
        },
    )
    expect(result(page, "return_to_run_plan").locator("tbody tr").first).to_be_visible(
        timeout=COLD_START
    )
    assert seen.console_errors == []
    assert seen.foreign_requests == []


NORMALISED_PLAN = """plan => {
  // What may differ between the two plans by design: a dated plan shows its dates, and the
  // runner's own plan opens its week-by-week table.
  const copy = plan.cloneNode(true);
  for (const dates of copy.querySelectorAll(".hb-plan-dates")) dates.remove();
  for (const details of copy.querySelectorAll("details")) details.removeAttribute("open");
  copy.normalize();
  return copy.outerHTML;
}"""


def default_answers(slug: str) -> dict[str, str]:
    """The page's default plan inputs, as a runner types them into the plan form."""
    payload = default_payload(slug, parse_catalogue_json(real_catalogue_json()))
    answers = {
        name: ("true" if value else "false") if isinstance(value, bool) else str(value)
        for name, value in payload.items()
        if name not in ("condition", "red_flags", "start_date")
    }
    return {**answers, "start_date": "2027-01-04"}


@pytest.mark.parametrize("slug", [ACHILLES, TIBIA])
def test_the_runners_plan_shows_exactly_what_the_default_plan_shows(
    tab: tuple[Page, PageWatch], site_server: StaticServer, slug: str
) -> None:
    """For the default inputs, the plan the form makes is the page's default plan, element for
    element, plus the dates of the chosen start."""
    page, seen = tab
    open_condition(page, site_server, slug)
    plan_form = form(page, "return_to_run_plan")
    answers = {
        name: value
        for name, value in default_answers(slug).items()
        if plan_form.locator(f'[name="{name}"]').count()  # a bone plan also asks a hop test
    }
    fill_and_submit(plan_form, answers)
    personal = result(page, "return_to_run_plan").locator(".hb-plan")
    expect(personal).to_be_visible(timeout=COLD_START)
    default = page.locator(".hb-plan-default + .hb-plan")
    expect(default).to_have_count(1)
    assert default.locator(".hb-plan-dates").count() == 0
    assert personal.locator(".hb-plan-dates time").first.get_attribute("datetime") == "2027-01-04"
    expect(personal.locator("details.hb-plan-details")).to_have_attribute("open", "")
    assert personal.evaluate(NORMALISED_PLAN) == default.evaluate(NORMALISED_PLAN)
    assert seen.console_errors == []


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        (
            "self_check",
            {
                "condition": ACHILLES,
                "pain_during": 5,
                "pain_after": 6,
                "pain_next_morning": 2,
                "trend": "worse",
                "signs": [],
            },
        ),
        (
            "self_check",
            {
                "condition": SHIN,
                "pain_during": 0,
                "pain_after": 0,
                "pain_next_morning": 0,
                "signs": ["pain_on_hop"],
            },
        ),
        ("self_check", {"condition": CALF, "pain_during": 11}),
        (
            "return_to_run_plan",
            {
                "condition": CALF,
                "days_since_stopped": 20,
                "walk_test_passed": True,
                "pre_injury_minutes_per_week": 200,
                "pre_injury_runs_per_week": 4,
                "running_days_per_week": 3,
                "start_date": "2027-05-03",
                "goal_race_date": "2027-06-01",
                "goal_race_km": 21.1,
                "today_colour": "green",
            },
        ),
    ],
    ids=["tendon", "bone", "muscle-error", "plan-with-race"],
)
def test_browser_answers_are_byte_identical_to_cpython(
    tab: tuple[Page, PageWatch], site_server: StaticServer, name: str, payload: dict
) -> None:
    """The worker's JSON equals the CPython bridge's JSON for the same request, byte for byte,
    on the page of the request's condition (a page's worker loads that condition's data)."""
    page, _seen = tab
    if f"/conditions/{payload['condition']}/" not in page.url:
        open_condition(page, site_server, payload["condition"])
    in_browser = page.evaluate(
        "([name, payload]) => globalThis.__hbCalculators.calculate(name, payload)", [name, payload]
    )
    expected = bridge.call(name, json.dumps(payload), real_catalogue_json())
    assert in_browser == expected


def test_worker_stays_warm_across_instant_navigation(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Following a link keeps the same worker; forms on the new page bind once and work."""
    page, _seen = tab
    open_condition(page, site_server, ACHILLES)
    check_today(page, (0, 0, 0))
    expect(result(page, "self_check").locator(".hb-light")).to_be_visible(timeout=COLD_START)
    page.evaluate("globalThis.__hbTestMarker = globalThis.__hbCalculators.worker")
    page.locator(".hb-glance a").first.click()  # to the region page, by instant navigation
    page.locator(".hb-condition-list").get_by_role("link", name="Calf strain").click()
    expect(form(page, "self_check")).to_be_visible()
    assert page.evaluate("globalThis.__hbTestMarker === globalThis.__hbCalculators.worker")
    check_today(page, (0, 0, 0))
    expect(result(page, "self_check").locator(".hb-light")).to_have_count(1)


def test_no_accessibility_violations(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """axe-core finds nothing on the home page, a region page and a condition page with a result."""
    page, _seen = tab
    axe = Axe()
    for path in ["", "regions/shin-calf-achilles/"]:
        page.goto(site_server.url + path)
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
    open_condition(page, site_server, ACHILLES)
    check_today(page, (4, 2, 0))
    expect(result(page, "self_check").locator(".hb-light")).to_be_visible(timeout=COLD_START)
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_without_webassembly_the_page_says_why_and_keeps_its_content(
    browser: Browser, site_server: StaticServer
) -> None:
    """As in Lockdown Mode: a plain message, and the build-time rules and plan stay."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("delete globalThis.WebAssembly")
    page = context.new_page()
    open_condition(page, site_server, ACHILLES)
    section = page.locator("[data-hb-calc]").first
    expect(section.locator(".hb-calc-status")).to_contain_text("WebAssembly")
    expect(section.locator("form")).to_be_hidden()
    expect(page.locator(".hb-self-check-rules")).to_be_attached()
    expect(page.locator("table.hb-plan-table")).to_be_attached()
    context.close()


def test_the_self_check_works_from_the_keyboard(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Tab to a scale, move along it with the arrow keys (Space picks the first segment), tab
    to the button and press Enter: the result appears, no pointer needed."""
    page, _seen = tab
    open_condition(page, site_server, ACHILLES)
    check = form(page, "self_check")
    check.locator('input[name="pain_during"]').first.focus()
    page.keyboard.press("ArrowRight")  # 0 -> 1, and 1 is chosen
    page.keyboard.press("ArrowRight")  # 2
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # 0
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # 1
    page.keyboard.press("ArrowLeft")  # back to 0
    expect(check.locator('input[name="pain_during"][value="2"]')).to_be_checked()
    expect(check.locator('input[name="pain_after"][value="0"]')).to_be_checked()
    expect(check.locator('input[name="pain_next_morning"][value="0"]')).to_be_checked()
    check.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    light = result(page, "self_check").locator(".hb-light")
    expect(light).to_be_visible(timeout=COLD_START)
    expect(light).to_have_class("hb-light hb-light--green")


def test_sciatica_nerve_check_asks_where_symptoms_went(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """The nerve family's questions sit in labelled fieldsets; the usual tingling is green,
    saddle numbness is an emergency, and the page stays free of accessibility violations."""
    page, seen = tab
    open_condition(page, site_server, "sciatica")
    check = form(page, "self_check")
    expect(check).to_be_visible()
    expect(check.locator("fieldset.hb-pain > legend")).to_contain_text("Leg or foot symptoms")
    signs = check.get_by_role("group", name="Where did your symptoms go, and did anything new")
    expect(signs.get_by_label("moved back up the leg")).to_be_visible()
    answers = {
        "pain_during": "2",
        "pain_after": "2",
        "pain_next_morning": "2",
        "pain_baseline": "2",
        "signs": "numbness_or_tingling",
    }
    fill_and_submit(check, answers)
    light = result(page, "self_check")
    expect(light.locator(".hb-light")).to_have_class("hb-light hb-light--green", timeout=COLD_START)
    check.locator('input[name="signs"][value="saddle_numbness"]').check()
    check.locator("button[type=submit]").click()
    expect(light.locator(".hb-light")).to_have_class("hb-light hb-light--red")
    expect(light.locator(".hb-light-urgency")).to_contain_text("emergency")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert seen.console_errors == []
    assert seen.foreign_requests == []
