"""Take-away outputs in real Chromium: every condition's handout prints on one A4 and one US
Letter sheet with a QR code of its page (and a clinic's details in a clinic copy); a runner's
own plan prints on two at most, with its link's QR code; "Add to calendar" saves the plan's
.ics; a shared link opens the same plan, and a damaged one says so.

One browser and one built site for the session (conftest), one print tab for the module.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from calculators.bridge import call
from calculators.share import encode
from macros.browser.qr import qr_svg
from site_tests.browser.conftest import COLD_START, PHONE, PageWatch
from site_tests.browser.deployment import Deployment
from site_tests.browser.forms import fill_and_submit
from site_tests.browser.static_server import StaticServer
from site_tests.real_catalogue import real_catalogue_json

pytestmark = pytest.mark.browser

REAL = real_catalogue_json()
SLUGS = sorted(json.loads(REAL)["conditions"])
HEEL = "plantar-heel-pain"
PLAN = {
    "condition": HEEL,
    "days_since_stopped": 30,
    "walk_test_passed": True,
    "pre_injury_minutes_per_week": 150,
    "pre_injury_runs_per_week": 3,
    "running_days_per_week": 3,
    "start_date": "2027-03-08",
    "today_colour": "green",
    "red_flags": [],
}
FORM_ANSWERS = {
    "today_colour": "green",
    "days_since_stopped": "30",
    "walk_test_passed": "true",
    "pre_injury_minutes_per_week": "150",
    "pre_injury_runs_per_week": "3",
    "running_days_per_week": "3",
    "start_date": "2027-03-08",
}
SHEETS = ("A4", "Letter")
_PATH = re.compile(r' d="([^"]+)"')


def _qr_path(text: str) -> str:
    """The modules of the QR code segno draws for `text` (its SVG path), title aside."""
    match = _PATH.search(qr_svg(text, "x"))
    assert match
    return match[1]


@pytest.fixture(scope="module")
def printer(browser: Browser) -> Iterator[Page]:
    """A desktop tab in print media, as a browser prints."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


def _pdf(page: Page, sheet: str) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format=sheet)))


def _printed(page: Page, url: str) -> tuple[dict[str, int], str]:
    """Pages per sheet size, and the printed text (A4): one print per sheet size."""
    page.goto(url)
    page.wait_for_load_state("load")
    printed = {sheet: _pdf(page, sheet) for sheet in SHEETS}
    counts = {sheet: len(pdf.pages) for sheet, pdf in printed.items()}
    text = " ".join(p.extract_text() for p in printed["A4"].pages)
    # NFKC undoes the font's ligatures ("ﬂ" in "flexor").
    return counts, re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _page_qr(page: Page) -> str | None:
    return page.locator("figure.hb-handout-qr svg.hb-qr path").first.get_attribute("d")


def test_every_condition_prints_on_one_sheet_with_its_qr_code(
    printer: Page, site_server: StaticServer
) -> None:
    """All conditions, A4 and US Letter: one page, the red flags, and a QR code of the
    condition page's absolute address."""
    problems = []
    for slug in SLUGS:
        counts, text = _printed(printer, f"{site_server.url}conditions/{slug}/handout/")
        if counts != {"A4": 1, "Letter": 1}:
            problems.append(f"{slug}: {counts}")
        name = printer.locator(".hb-handout h1").inner_text()
        if name not in text or "Get help if any of these happen" not in text:
            problems.append(f"{slug}: the printout lacks its name or red flags")
        address = f"{site_server.url}conditions/{slug}/"
        if _page_qr(printer) != _qr_path(address):
            problems.append(f"{slug}: the QR code is not of {address}")
        if address not in text.replace(" ", ""):  # the caption wraps the address anywhere
            problems.append(f"{slug}: the printout does not spell out its address")
    assert problems == [], "\n".join(problems)


def test_a_clinic_copy_prints_its_details_and_qr_code(
    printer: Page, clinic_copy: Deployment
) -> None:
    """A clinic's handouts carry its logo, name, phone, address and booking link, on one sheet."""
    slugs = sorted(
        p.parent.parent.name for p in clinic_copy.site.glob("conditions/*/handout/index.html")
    )
    assert len(slugs) == 4
    for slug in slugs:
        counts, text = _printed(printer, f"{clinic_copy.url}conditions/{slug}/handout/")
        assert counts == {"A4": 1, "Letter": 1}, slug
        for detail in (
            "Riverside Sports Physio",
            "01632 960123",
            "Unit 4, The Boathouse, Riverside Walk, Exampleton EX1 2RS",
            "https://riverside-physio.example/book",
            "NHS 111",
        ):
            assert detail in text, (slug, detail)
        assert _page_qr(printer) == _qr_path(f"{clinic_copy.url}conditions/{slug}/")
        box = printer.locator("figure.hb-handout-qr svg.hb-qr").first.bounding_box()
        assert box is not None
        assert box["width"] > 50
        logo = printer.locator("img.hb-handout-logo")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")


def test_only_a_clinic_copy_offers_prescribe_fields(
    printer: Page, site_server: StaticServer, clinic_copy: Deployment
) -> None:
    printer.goto(f"{clinic_copy.url}conditions/{HEEL}/")
    expect(printer.locator("textarea[data-hb-note]")).to_have_count(1)
    expect(printer.locator("input[data-hb-prescribed]")).to_have_count(1)
    printer.goto(f"{site_server.url}conditions/{HEEL}/")
    expect(printer.locator("textarea[data-hb-note]")).to_have_count(0)
    expect(printer.locator("[data-hb-plan-tools]")).to_have_count(1)


def test_a_runners_own_plan_prints_on_two_sheets_at_most_with_its_link(
    printer: Page, site_server: StaticServer
) -> None:
    note = "Keep to flat routes <b>until</b> we meet on 22 March & call if it flares."
    fragment = encode(PLAN, note=note, prescribed=True)
    url = f"{site_server.url}conditions/{HEEL}/handout/#{fragment}"
    printer.goto(url)
    own = printer.locator("[data-hb-handout-own]")
    expect(own).to_be_visible(timeout=COLD_START)
    expect(printer.locator("[data-hb-handout-default]")).to_be_hidden()
    # The note is text, never markup.
    expect(own.locator("[data-hb-handout-note]")).to_contain_text("<b>until</b>")
    expect(own.locator("[data-hb-handout-note]")).to_contain_text("start date: 2027-03-08")
    expect(printer.locator("[data-hb-qr-slot] svg.hb-qr")).to_have_count(1)
    assert printer.locator("[data-hb-qr-slot] svg.hb-qr path").get_attribute("d") == _qr_path(url)
    first = own.locator("table.hb-plan-table time").first
    assert first.get_attribute("datetime") == "2027-03-08"
    printed = {sheet: _pdf(printer, sheet) for sheet in SHEETS}
    for sheet, pdf in printed.items():
        assert 1 <= len(pdf.pages) <= 2, sheet
    text = " ".join(p.extract_text() for p in printed["A4"].pages)
    assert "Mon 8 Mar" in text


def test_the_longest_plans_still_print_on_two_sheets(
    printer: Page, site_server: StaticServer
) -> None:
    """The most a form allows (1200 minutes, 14 runs, 7 days, a marathon) on the longest
    handout: its first twelve weeks, on two sheets at most."""
    busiest = {
        "condition": "calf-strain",
        "days_since_stopped": 3,
        "walk_test_passed": True,
        "hop_test_passed": True,
        "pre_injury_minutes_per_week": 1200,
        "pre_injury_runs_per_week": 14,
        "running_days_per_week": 7,
        "start_date": "2027-03-08",
        "today_colour": "green",
        "goal_race_date": "2027-09-01",
        "goal_race_km": 42.2,
    }
    printer.goto("about:blank")
    printer.goto(f"{site_server.url}conditions/calf-strain/handout/#{encode(busiest)}")
    expect(printer.locator("[data-hb-handout-own]")).to_be_visible(timeout=COLD_START)
    for sheet in SHEETS:
        assert 1 <= len(_pdf(printer, sheet).pages) <= 2, sheet


def test_a_handout_on_screen_has_no_accessibility_violations(
    phone: Page, clinic_copy: Deployment
) -> None:
    phone.goto(f"{clinic_copy.url}conditions/{HEEL}/handout/")
    expect(phone.locator("[data-hb-handout-print] button")).to_be_visible()
    checked = Axe().run(phone)
    assert checked.violations_count == 0, checked.generate_report()


def test_a_damaged_link_on_a_handout_keeps_the_default_plan(
    printer: Page, site_server: StaticServer
) -> None:
    fragment = encode(PLAN)[:-3]
    printer.goto(f"{site_server.url}conditions/{HEEL}/handout/#{fragment}")
    status = printer.locator("[data-hb-handout-status]")
    expect(status).to_contain_text("could not be opened", timeout=COLD_START)
    expect(status).to_contain_text("incomplete or was changed")
    expect(printer.locator("[data-hb-handout-default]")).to_be_visible()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    yield context.new_page()
    context.close()


def _make_plan(page: Page, url: str) -> None:
    page.goto(url)
    plan_form = page.locator('form[data-calculator="return_to_run_plan"]')
    fill_and_submit(plan_form, FORM_ANSWERS)
    expect(page.locator(".hb-calc-result .hb-plan")).to_be_visible(timeout=COLD_START)
    expect(page.locator("[data-hb-plan-tools]")).to_be_visible()


def test_add_to_calendar_saves_the_plans_sessions(
    phone: Page, site_server: StaticServer, tmp_path: Path
) -> None:
    page_url = f"{site_server.url}conditions/{HEEL}/"
    _make_plan(phone, page_url)
    phone.locator("[data-hb-reminder]").fill("07:30")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Add to calendar").click()
    saved = tmp_path / "plan.ics"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"return-to-run-{HEEL}-2027-03-08.ics"
    data = saved.read_bytes()
    assert b"\r\n" in data
    expected = json.loads(call("plan_calendar", json.dumps({**PLAN, "reminder": "07:30"}), REAL))
    want = icalendar.Calendar.from_ical(expected["result"]["ics"]).walk("VEVENT")
    got = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [(str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"])) for e in got] == [
        (str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"])) for e in want
    ]
    assert got[0].decoded("DTSTART") == date(2027, 3, 8)
    assert all(str(e["URL"]) == page_url for e in got)
    expect(phone.locator("[data-hb-tools-status]")).to_contain_text(f"{len(want)} sessions")


def test_a_shared_link_opens_the_same_plan(
    phone: Page, site_server: StaticServer, tab: tuple[Page, PageWatch]
) -> None:
    """Share, then open the link in another tab: the form is filled and the plan is the same;
    the answers travel only in the fragment."""
    page_url = f"{site_server.url}conditions/{HEEL}/"
    _make_plan(phone, page_url)
    phone.get_by_role("button", name="Share this plan").click()
    link = phone.locator("[data-hb-share-link]")
    expect(link).to_have_value(re.compile(r"#plan=1~"), timeout=COLD_START)
    shared = link.input_value()
    assert shared.startswith(page_url + "#plan=")
    assert "?" not in shared
    expect(phone.locator("[data-hb-share-qr] svg.hb-qr")).to_have_count(1)
    assert phone.locator("[data-hb-share-qr] svg path").get_attribute("d") == _qr_path(shared)
    original = phone.locator(".hb-calc-result .hb-plan").inner_html()
    # The tools, the link and its QR code, as a runner sees them: no accessibility violation.
    checked = Axe().run(phone)
    assert checked.violations_count == 0, checked.generate_report()

    other, seen = tab
    requested: list[str] = []
    other.on("request", lambda request: requested.append(request.url))
    other.goto(shared)
    opened = other.locator(".hb-calc-result .hb-plan")
    expect(opened).to_be_visible(timeout=COLD_START)
    assert opened.inner_html() == original
    plan_form = other.locator('form[data-calculator="return_to_run_plan"]')
    for name, value in FORM_ANSWERS.items():
        field = plan_form.locator(f'input[name="{name}"]').first
        if field.get_attribute("type") == "radio":
            expect(plan_form.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
        else:
            expect(field).to_have_value(value)
    expect(other.locator(".hb-shared-plan")).to_contain_text("shared plan link")
    assert not [url for url in requested if "plan=" in url or "~" in url]
    assert seen.console_errors == []


def test_a_tampered_link_gives_a_clear_message(
    tab: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    page, seen = tab
    fragment = encode(PLAN).replace("~d30~", "~d31~")
    page.goto("about:blank")  # a new document, not a jump within the page
    page.goto(f"{site_server.url}conditions/{HEEL}/#{fragment}")
    notice = page.locator(".hb-shared-plan")
    expect(notice).to_contain_text("cannot be used", timeout=COLD_START)
    expect(notice).to_contain_text("incomplete or was changed")
    expect(page.locator('form[data-calculator="return_to_run_plan"]')).to_be_visible()
    assert (
        page.locator(
            'form[data-calculator="return_to_run_plan"] input[name="days_since_stopped"]'
        ).input_value()
        == ""
    )
    assert seen.console_errors == []


@pytest.mark.parametrize(
    "payload",
    [
        {**PLAN, "goal_race_date": "2027-06-20", "goal_race_km": 10},
        {
            "condition": "tibial-stress-fracture",
            "days_since_stopped": 56,
            "walk_test_passed": True,
            "hop_test_passed": True,
            "pre_injury_km_per_week": 32.5,
            "easy_pace_min_per_km": 5.75,
            "pre_injury_runs_per_week": 4,
            "running_days_per_week": 4,
            "start_date": "2027-10-25",
            "goal_race_date": "2028-04-09",
            "goal_race_km": 21.1,
            "today_colour": "green",
            "fracture_site": "tibia-inner-edge",
        },
    ],
    ids=["minutes-and-race", "bone-km-pace-site"],
)
def test_every_input_round_trips_through_the_page(
    tab: tuple[Page, PageWatch], site_server: StaticServer, payload: dict[str, object]
) -> None:
    """A link fills the form; sharing from that form gives back the very same link, so every
    input went from the link into its field and out again unchanged."""
    page, seen = tab
    fragment = encode(payload)
    page.goto("about:blank")
    page.goto(f"{site_server.url}conditions/{payload['condition']}/#{fragment}")
    expect(page.locator(".hb-calc-result .hb-plan")).to_be_visible(timeout=COLD_START)
    page.get_by_role("button", name="Share this plan").click()
    link = page.locator("[data-hb-share-link]")
    expect(link).to_have_value(re.compile("#plan="), timeout=COLD_START)
    assert link.input_value().split("#", 1)[1] == fragment
    expected = json.loads(call("return_to_run_plan", json.dumps(payload), REAL))["result"]
    shown = page.locator(".hb-calc-result .hb-plan")
    assert shown.get_attribute("data-status") == expected["status"] == "ready"
    dates = shown.locator(".hb-plan-dates time").first.get_attribute("datetime")
    assert dates == payload["start_date"]
    assert seen.console_errors == []
