"""'My recovery', the journal app, in real Chromium on a phone-sized screen.

The clock is Playwright's (set_fixed_time): the page passes its local date to the engine, so
each "day" here is a date the test chose. Airplane mode is the session's server stopped, as
in test_offline.py. One built site serves every test; each test has its own browser context,
so its IndexedDB starts empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, expect

from calculators.bridge import call
from calculators.share import encode
from site_tests.browser.conftest import COLD_START, PHONE, PageWatch, watch
from site_tests.browser.forms import fill_and_submit
from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_offline import wait_for_precache
from site_tests.conftest import PROJECT_ROOT
from site_tests.real_catalogue import real_catalogue_json

pytestmark = pytest.mark.browser

FIXTURES = PROJECT_ROOT / "site_tests" / "calculators" / "journal"
CALF = "calf-strain"
NOTE_MARKER = "private-note-7f3a"
CALF_PLAN = {
    "days_since_stopped": "14",
    "walk_test_passed": "true",
    "pre_injury_minutes_per_week": "120",
    "pre_injury_runs_per_week": "3",
    "running_days_per_week": "3",
}


@pytest.fixture
def journal_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, service_workers="allow", accept_downloads=True)
    yield context
    context.close()


def open_tab(
    context: BrowserContext, server: StaticServer, day: str
) -> tuple[Page, PageWatch, list[Request]]:
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(f"{day}T08:00:00"))
    requests: list[Request] = []

    # A bound list.append is a builtin Playwright cannot wrap as a handler.
    def keep(request: Request) -> None:
        requests.append(request)

    page.on("request", keep)
    seen = watch(page, server.url.rstrip("/"))
    page.goto(f"{server.url}journal/")
    return page, seen, requests


def set_day(page: Page, day: str) -> None:
    page.clock.set_fixed_time(datetime.fromisoformat(f"{day}T08:00:00"))
    page.reload()


def screen(page: Page, name: str) -> Locator:
    return page.locator(f'[data-screen="{name}"]')


def set_up(page: Page, slug: str, answers: dict[str, str]) -> None:
    setup = screen(page, "setup")
    expect(setup).to_be_visible(timeout=COLD_START)
    setup.locator("#hb-journal-condition").select_option(slug)
    form = setup.locator("form")
    form.locator('input[name="today_colour"][value="green"]').check()
    fill_and_submit(form, answers)
    expect(screen(page, "today")).to_be_visible(timeout=COLD_START)


def segment(form: Locator, name: str, value: str) -> None:
    """Tap a segment, as a thumb does: on its label."""
    radio = form.locator(f'input[name="{name}"][value="{value}"]')
    form.locator(f'label[for="{radio.get_attribute("id")}"]').click()


def check_in(page: Page, answers: dict[str, str], notes: str = "") -> None:
    expect(screen(page, "today")).to_be_visible(timeout=COLD_START)
    page.get_by_role("button", name="Check in").click()
    form = screen(page, "checkin").locator("form")
    expect(form).to_be_visible()
    for name, value in answers.items():
        if name == "minutes":
            form.locator('input[name="minutes"]').fill(value)
        else:
            segment(form, name, value)
    if notes:
        form.locator("summary", has_text="Sleep, swelling").click()
        form.locator('textarea[name="notes"]').fill(notes)
    form.get_by_role("button", name="Save").click()
    expect(screen(page, "today")).to_be_visible(timeout=COLD_START)
    expect(page.locator("[data-journal-status]")).to_have_text("Check-in saved.")


def table_rows(page: Page) -> Locator:
    return page.locator("[data-journal-chart] table tbody tr")


def no_axe_violations(page: Page, where: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def test_follow_a_plan_for_days_reload_and_offline(
    journal_context: BrowserContext, site_server: StaticServer
) -> None:
    """Set up, check in on three days with a chosen clock, reload, then with the server
    stopped check in again; every screen passes axe, and no request carries an answer."""
    page, seen, requests = open_tab(journal_context, site_server, "2026-11-02")
    no_axe_violations(page, "set-up")
    # The plan form's own validation: the error is at its field, with the range, announced.
    setup = screen(page, "setup")
    expect(setup).to_be_visible(timeout=COLD_START)
    setup.locator("#hb-journal-condition").select_option(CALF)
    fill_and_submit(setup.locator("form"), {**CALF_PLAN, "days_since_stopped": "lots"})
    error = setup.locator('[data-error-for="days_since_stopped"]')
    expect(error).to_be_visible(timeout=COLD_START)
    expect(error).to_contain_text("'lots'")
    expect(error).to_contain_text(re.compile(r"\d+ to \d+"))
    expect(setup.locator("[data-error-summary]")).to_be_focused()
    expect(setup.locator('input[name="days_since_stopped"]')).to_have_attribute(
        "aria-invalid", "true"
    )
    no_axe_violations(page, "set-up with an error")
    set_up(page, CALF, CALF_PLAN)
    today = screen(page, "today")
    expect(today.locator("[data-journal-session]")).to_contain_text("Level 1")
    expect(today.locator("[data-journal-session]")).to_contain_text("Done means")
    expect(today.locator("[data-journal-morning]")).to_be_hidden()
    no_axe_violations(page, "today")

    check_in(page, {"pain_morning": "0", "done": "planned", "pain_during": "0", "pain_after": "0"})
    expect(today.locator(".hb-light")).to_have_class("hb-light hb-light--green")
    no_axe_violations(page, "today after a check-in")

    set_day(page, "2026-11-03")
    # Yesterday had a session, so today asks how it is this morning.
    expect(today.locator("[data-journal-morning]")).to_be_visible(timeout=COLD_START)
    today.get_by_role("button", name="Answer for this morning").click()
    form = screen(page, "checkin").locator("form")
    expect(form.locator('input[name="pain_morning"]').first).to_be_focused()
    no_axe_violations(page, "check-in")
    # The scale is one radio group: arrow keys move along it, as on any radio group.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(form.locator('input[name="pain_morning"][value="2"]')).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(form.locator('input[name="pain_morning"][value="1"]')).to_be_checked()
    form.get_by_role("button", name="Save").click()
    # The morning question sits on the today screen, which is hidden while the form is open:
    # wait for the save itself, or the next reload can cut it short.
    expect(page.locator("[data-journal-status]")).to_have_text(
        "Check-in saved.", timeout=COLD_START
    )
    expect(today).to_be_visible()
    expect(today.locator("[data-journal-morning]")).to_be_hidden()

    set_day(page, "2026-11-04")
    check_in(
        page,
        {"pain_morning": "0", "done": "less", "minutes": "15", "pain_during": "2"}
        | {"pain_after": "1"},
        notes=NOTE_MARKER,
    )
    page.reload()
    expect(table_rows(page)).to_have_count(3, timeout=COLD_START)
    today.get_by_role("button", name="Your data: back up, import, delete").click()
    no_axe_violations(page, "your data")

    # Airplane mode: the service worker saved the pages once a page was idle, and the engine
    # on first use.
    wait_for_precache(page)
    site_server.stop()
    try:
        set_day(page, "2026-11-05")
        check_in(page, {"pain_morning": "0", "done": "skipped"})
        expect(table_rows(page)).to_have_count(4)
        page.reload()
        expect(table_rows(page)).to_have_count(4, timeout=COLD_START)
    finally:
        site_server.start()

    # Nothing typed ever left the page: only GETs, and no address names an answer.
    for request in requests:
        assert request.method == "GET", request.url
        assert NOTE_MARKER not in request.url
        assert "?" not in request.url.removeprefix(site_server.url) or "__rev" in request.url
        assert request.post_data is None
    assert seen.foreign_requests == []
    assert seen.console_errors == []


def export(page: Page, button: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def import_file(page: Page, path: Path, mode: str = "merge") -> None:
    form = screen(page, "data").locator("form")
    form.locator('input[type="file"]').set_input_files(str(path))
    form.locator(f'input[name="import_mode"][value="{mode}"]').check()
    form.get_by_role("button", name="Import", exact=True).click()


def open_data(page: Page) -> None:
    screen(page, "today").get_by_role("button", name="Your data: back up, import, delete").click()
    expect(screen(page, "data")).to_be_visible()


def test_export_clear_import_gives_identical_data(
    journal_context: BrowserContext, site_server: StaticServer, tmp_path: Path
) -> None:
    """An old-format file migrates on import; export, delete everything, import: the same
    journal; a foreign file changes nothing and says why; the CSV has every check-in."""
    page, _seen, _requests = open_tab(journal_context, site_server, "2026-10-23")
    setup = screen(page, "setup")
    expect(setup).to_be_visible(timeout=COLD_START)
    setup.get_by_role("button", name="Import a backup file, or manage your data").click()
    import_file(page, FIXTURES / "valid-v0-calf.json", "replace")
    today = screen(page, "today")
    expect(today).to_be_visible(timeout=COLD_START)
    expect(table_rows(page)).to_have_count(4)

    # A second recovery, merged in: the calf strain stays the one shown until the runner
    # switches.
    open_data(page)
    import_file(page, FIXTURES / "valid-v1-achilles.json", "merge")
    expect(today).to_be_visible(timeout=COLD_START)
    session = today.locator("[data-journal-session]")
    expect(session).to_contain_text("Calf strain")
    switch = today.locator("[data-journal-active]")
    expect(switch.locator("option")).to_have_count(2)
    switch.select_option("achilles-2026")
    expect(session).to_contain_text("Achilles")
    calf = switch.locator("option", has_text="Calf strain").get_attribute("value")
    switch.select_option(calf)
    expect(session).to_contain_text("Calf strain")

    open_data(page)
    first = json.loads(export(page, "Save a backup file (JSON)"))
    assert first["version"] == 1
    assert sorted(r["condition"] for r in first["recoveries"]) == sorted(
        [CALF, "mid-portion-achilles-tendinopathy"]
    )
    csv = export(page, "Save a spreadsheet (CSV)")
    assert len(csv.strip().splitlines()) == 1 + 4 + 14  # a header, then every check-in

    page.get_by_role("button", name="Delete everything").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(screen(page, "setup")).to_be_visible()
    expect(page.locator("[data-journal-status]")).to_have_text(
        "Everything was deleted from this device."
    )

    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"hello": "world"}))
    setup.get_by_role("button", name="Import a backup file, or manage your data").click()
    import_file(page, foreign)
    error = screen(page, "data").locator('[data-error-for="import_file"]')
    expect(error).to_contain_text("nothing was changed", timeout=COLD_START)
    expect(error).to_contain_text("not a recovery journal")

    saved = tmp_path / "backup.json"
    saved.write_text(json.dumps(first))
    import_file(page, saved, "replace")
    expect(today).to_be_visible(timeout=COLD_START)
    open_data(page)
    again = json.loads(export(page, "Save a backup file (JSON)"))
    first.pop("exported"), again.pop("exported")
    assert again == first

    # A month on without a new backup, the Today screen says so.
    set_day(page, "2026-11-25")
    expect(today.locator("[data-journal-reminder]")).to_contain_text(
        "Your last backup file is 33 days old", timeout=COLD_START
    )


def test_two_tabs_do_not_lose_an_entry(
    journal_context: BrowserContext, site_server: StaticServer
) -> None:
    """Both tabs open today's check-in; one saves the morning, the other the session, from a
    form it opened before the first save: the day keeps both, and each tab shows it."""
    first, _s1, _r1 = open_tab(journal_context, site_server, "2026-11-02")
    set_up(first, CALF, CALF_PLAN)
    second, _s2, _r2 = open_tab(journal_context, site_server, "2026-11-02")
    expect(screen(second, "today")).to_be_visible(timeout=COLD_START)

    for tab in (first, second):
        tab.get_by_role("button", name="Check in").click()
        expect(screen(tab, "checkin")).to_be_visible()
    segment(screen(first, "checkin").locator("form"), "pain_morning", "2")
    screen(first, "checkin").get_by_role("button", name="Save").click()
    expect(screen(first, "today")).to_be_visible(timeout=COLD_START)

    form = screen(second, "checkin").locator("form")
    for name, value in {"done": "planned", "pain_during": "1", "pain_after": "0"}.items():
        segment(form, name, value)
    form.get_by_role("button", name="Save").click()
    expect(screen(second, "today")).to_be_visible(timeout=COLD_START)

    for tab in (first, second):
        tab.reload()
        row = table_rows(tab)
        expect(row).to_have_count(1, timeout=COLD_START)
        # On waking 2, during 1, after 0: both tabs' answers are in the one day's entry.
        expect(row.locator("td").nth(0)).to_have_text("2")
        expect(row.locator("td").nth(1)).to_have_text("1")
        expect(row.locator("td").nth(2)).to_have_text("0")


def test_a_red_flag_stops_the_plan_with_the_number_to_call(
    journal_context: BrowserContext, site_server: StaticServer
) -> None:
    """One tap opens the warning signs; ticking one gives red, no running, and the page's own
    words with its emergency number."""
    page, _seen, _requests = open_tab(journal_context, site_server, "2026-11-02")
    set_up(page, CALF, CALF_PLAN)
    expect(screen(page, "today")).to_be_visible(timeout=COLD_START)
    page.get_by_role("button", name="Check in").click()
    form = screen(page, "checkin").locator("form")
    form.locator("summary", has_text="Any warning sign?").click()
    form.locator('input[name="red_flags"][value="pe-breathless-chest-pain"]').check()
    form.get_by_role("button", name="Save").click()
    today = screen(page, "today")
    expect(today.locator(".hb-light")).to_have_class("hb-light hb-light--red", timeout=COLD_START)
    expect(today.locator(".hb-light-icon")).to_have_text("✕")
    expect(today.locator(".hb-light-urgency").first).to_contain_text(
        "Call your local emergency number now"
    )
    expect(today.locator("[data-journal-session]")).to_contain_text("No running today")
    no_axe_violations(page, "today, red")


def test_without_javascript_the_page_says_what_it_is(
    browser: Browser, site_server: StaticServer
) -> None:
    """No script: the page explains the journal and links every condition's printed plan."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server.url}journal/")
    expect(page.locator(".md-content h1")).to_have_text("My recovery")
    fallback = page.locator("[data-journal-fallback]")
    expect(fallback).to_contain_text("The journal needs JavaScript and WebAssembly")
    links = fallback.locator("a")
    assert links.count() > 10
    expect(page.locator("[data-hb-journal]")).to_be_hidden()
    links.filter(has_text="Calf strain").click()
    expect(page).to_have_url(f"{site_server.url}conditions/{CALF}/#your-return-to-running-plan")
    expect(page.locator(".hb-plan-default")).to_be_visible()
    context.close()


def test_a_shared_plan_link_starts_a_recovery_only_when_confirmed(
    journal_context: BrowserContext, site_server: StaticServer
) -> None:
    """A damaged #plan= link on the journal says so and leaves the set-up empty. A plan shared
    from a condition page opens with "Start a recovery with this plan": the journal's set-up
    is filled from the link, nothing is saved until the runner taps the set-up button, and
    then Today is the plan's first session. No request carries the link."""
    start = "2027-03-08"
    payload = {
        "condition": CALF,
        **{name: int(value) for name, value in CALF_PLAN.items() if name != "walk_test_passed"},
        "walk_test_passed": True,
        "start_date": start,
        "today_colour": "green",
    }
    page, seen, requests = open_tab(journal_context, site_server, start)
    setup = screen(page, "setup")
    expect(setup).to_be_visible(timeout=COLD_START)

    tampered = encode(payload).replace("~d14~", "~d15~")
    page.goto("about:blank")  # a new document, not a jump within the page
    page.goto(f"{site_server.url}journal/#{tampered}")
    status = page.locator("[data-journal-status]")
    expect(status).to_contain_text("cannot be used", timeout=COLD_START)
    expect(status).to_contain_text("incomplete or was changed")
    expect(setup).to_be_visible()
    expect(setup.locator("#hb-journal-condition")).to_have_value("")
    expect(setup.locator("[data-journal-start]")).to_be_hidden()
    expect(setup.locator('input[name="days_since_stopped"]')).to_have_count(0)

    condition_page = f"{site_server.url}conditions/{CALF}/"
    page.goto(condition_page)
    plan_form = page.locator('form[data-calculator="return_to_run_plan"]')
    fill_and_submit(plan_form, {**CALF_PLAN, "today_colour": "green", "start_date": start})
    expect(page.locator(".hb-calc-result .hb-plan")).to_be_visible(timeout=COLD_START)
    page.get_by_role("button", name="Share this plan").click()
    link = page.locator("[data-hb-share-link]")
    expect(link).to_have_value(re.compile(r"#plan=1~"), timeout=COLD_START)
    shared = link.input_value()
    fragment = shared.split("#", 1)[1]
    assert fragment == encode(payload)

    journal_link = f"{site_server.url}journal/#{fragment}"
    offer = page.get_by_role("link", name="Start a recovery with this plan")
    # The plan's printable handout, opened with the link, offers it too.
    page.goto(f"{condition_page}handout/#{fragment}")
    expect(offer).to_have_attribute("href", journal_link, timeout=COLD_START)
    page.goto("about:blank")
    page.goto(shared)
    expect(offer).to_be_visible(timeout=COLD_START)
    expect(offer).to_have_attribute("href", journal_link)
    expect(page.locator(".hb-calc-result .hb-plan")).to_be_visible(timeout=COLD_START)
    no_axe_violations(page, "a condition page opened with a link")
    offer.click()
    expect(page).to_have_url(journal_link)
    expect(setup).to_be_visible(timeout=COLD_START)
    expect(status).to_contain_text("shared plan link", timeout=COLD_START)
    expect(setup.locator("#hb-journal-condition")).to_have_value(CALF)
    form = setup.locator("form")
    for name, value in {**CALF_PLAN, "start_date": start}.items():
        field = form.locator(f'input[name="{name}"]').first
        if field.get_attribute("type") == "radio":
            expect(form.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
        else:
            expect(field).to_have_value(value)
    expect(form.locator('input[name="today_colour"][value="green"]')).to_be_checked()
    no_axe_violations(page, "set-up filled from a link")
    # Not saved yet: no recovery, so there is no way back to a Today screen.
    expect(setup.locator('[data-action="today"]')).to_be_hidden()
    page.reload()
    expect(status).to_contain_text("shared plan link", timeout=COLD_START)
    expect(setup.locator('[data-action="today"]')).to_be_hidden()

    expected = json.loads(call("return_to_run_plan", json.dumps(payload), real_catalogue_json()))
    first = expected["result"]["weeks"][0]["sessions"][0]
    assert first["date"] == start
    form.locator("button[type=submit]").click()
    today = screen(page, "today")
    expect(today).to_be_visible(timeout=COLD_START)
    session = today.locator("[data-journal-session]")
    expect(session).to_contain_text(f"Level {first['level']}")
    expect(session).to_contain_text(first["text"])
    # Saved: a reload opens the runner's day, not the link's set-up again.
    assert "#" not in page.url
    page.reload()
    expect(today).to_be_visible(timeout=COLD_START)
    assert not [r.url for r in requests if "plan=" in r.url or "~" in r.url]
    assert seen.console_errors == []
