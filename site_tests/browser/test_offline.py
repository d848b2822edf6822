"""The installable offline handbook in real Chromium.

Playwright's set_offline() does not cover service-worker traffic, so "airplane mode" here
means stopping the web server: then only what the service worker saved can answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from site_tests.browser.conftest import (
    PHONE,
    PageWatch,
    phone_profile,
    watch,
)
from site_tests.browser.deployment import Deployment, deploy
from site_tests.browser.forms import fill_and_submit, tap
from site_tests.browser.test_pages import search

pytestmark = pytest.mark.browser

SAVE_TIMEOUT = 180_000  # ms: the runtime is about 14 MB on a busy 2-core machine
CALCULATOR_TIMEOUT = 60_000
# The footer once every page is saved, with or without the calculators.
PAGES_SAVED = re.compile("Offline copy: (complete|pages and search saved)")
PAGES = [
    ("mid-portion-achilles-tendinopathy", "Mid-portion Achilles tendinopathy"),
    ("calf-strain", "Calf strain"),
    ("plantar-heel-pain", "Plantar heel pain"),
]


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    served = deploy(tmp_path)
    yield served
    served.server.stop()


@pytest.fixture
def sub_path_deployment(tmp_path: Path) -> Iterator[Deployment]:
    served = deploy(tmp_path, prefix="/handbook/")
    yield served
    served.server.stop()


def open_tab(browser: Browser, deployment: Deployment) -> tuple[Page, PageWatch]:
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    page = context.new_page()
    return page, watch(page, deployment.url.split("/", 3)[0] + "//" + deployment.url.split("/")[2])


def wait_for_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


def wait_for_precache(page: Page) -> None:
    """The first visit's copy of the pages, made once the page is idle, is complete."""
    wait_for_worker(page)
    expect(page.locator(".hb-offline-footer")).to_contain_text(PAGES_SAVED, timeout=SAVE_TIMEOUT)


def save_for_offline(page: Page) -> None:
    control = page.locator("[data-hb-save-offline]").first
    expect(control).to_be_visible(timeout=30_000)
    expect(control.locator(".hb-save-offline-status")).to_contain_text("Download size")
    control.get_by_role("button", name="Save for offline").click()
    expect(control.locator(".hb-save-offline-status")).to_have_text(
        "Ready offline.", timeout=SAVE_TIMEOUT
    )


def use_everything_offline(page: Page, url: str) -> None:
    """Home, three condition pages, search, and both calculators, with no server."""
    page.goto(url)
    expect(page.locator(".md-content h1")).to_contain_text("Runner's Injury Handbook")
    expect(page.locator(".hb-offline-footer")).to_contain_text("Offline copy: complete")
    for slug, name in PAGES:
        page.goto(f"{url}conditions/{slug}/")
        expect(page.locator(".md-content h1")).to_contain_text(name)
    search(page, "shin splints")
    page.locator(".hb-search__result").first.click()
    expect(page.locator(".md-content h1")).to_contain_text("Medial tibial stress syndrome")

    page.goto(f"{url}conditions/{PAGES[0][0]}/")
    check = page.locator('form[data-calculator="self_check"]')
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        tap(check, name, 0)
    check.locator("button[type=submit]").click()
    expect(check.locator("xpath=..").locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    plan = page.locator('form[data-calculator="return_to_run_plan"]')
    fill_and_submit(
        plan,
        {
            "days_since_stopped": "21",
            "walk_test_passed": "true",
            "pre_injury_minutes_per_week": "120",
            "pre_injury_runs_per_week": "3",
            "running_days_per_week": "3",
        },
    )
    expect(plan.locator("xpath=..").locator("table.hb-plan-table")).to_be_visible(
        timeout=CALCULATOR_TIMEOUT
    )


def test_whole_handbook_works_in_airplane_mode(browser: Browser, deployment: Deployment) -> None:
    """After one visit and "Save for offline", everything works with the server stopped."""
    page, seen = open_tab(browser, deployment)
    page.goto(deployment.url)
    wait_for_worker(page)
    save_for_offline(page)
    deployment.server.stop()
    use_everything_offline(page, deployment.url)
    # Without its trailing slash a page still opens, at the address its links expect.
    page.goto(f"{deployment.url}conditions/calf-strain")
    expect(page).to_have_url(f"{deployment.url}conditions/calf-strain/")
    expect(page.locator(".md-content h1")).to_contain_text("Calf strain")
    # A page that was never published gets the offline page, not the browser's error.
    page.goto(f"{deployment.url}never-published/")
    expect(page.locator(".md-content h1")).to_contain_text("You are offline")
    # With the device offline, the bar says so and says the copy is complete.
    page.context.set_offline(True)
    page.goto(deployment.url)
    expect(page.locator(".hb-offline-bar")).to_contain_text(
        "You are offline. Offline copy: complete"
    )
    assert seen.foreign_requests == []
    page.context.close()


def test_a_copy_under_a_sub_path_works_offline(
    browser: Browser, sub_path_deployment: Deployment
) -> None:
    """A clinic hosting at /handbook/ gets the same offline behaviour and a matching scope."""
    page, _seen = open_tab(browser, sub_path_deployment)
    page.goto(sub_path_deployment.url)
    wait_for_worker(page)
    manifest = json.loads((sub_path_deployment.site / "manifest.webmanifest").read_text())
    assert (manifest["scope"], manifest["start_url"], manifest["id"]) == ("/handbook/",) * 3
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == sub_path_deployment.url
    save_for_offline(page)
    sub_path_deployment.server.stop()
    use_everything_offline(page, sub_path_deployment.url)
    page.context.close()


def test_installable(playwright: Playwright, deployment: Deployment, tmp_path: Path) -> None:
    """Chromium reports no installability errors (a persistent profile, as installs need)."""
    context = phone_profile(playwright, tmp_path / "profile")
    page = context.new_page()
    page.goto(deployment.url)
    wait_for_worker(page)
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["name"] == "Runner's Injury Handbook"
    context.close()


def test_update_asks_first_and_downloads_only_what_changed(
    browser: Browser, deployment: Deployment
) -> None:
    """A new deploy waits for consent, then only the changed files travel; Pyodide never does."""
    page, _seen = open_tab(browser, deployment)
    page.goto(deployment.url + "conditions/calf-strain/")
    wait_for_worker(page)
    page.goto(deployment.url)
    save_for_offline(page)

    changed = deployment.content / "conditions" / "calf-strain.yml"
    changed.write_text(
        changed.read_text().replace("summary: >-", "summary: >-\n  UPDATED-SUMMARY-MARKER.", 1)
    )
    deployment.rebuild()
    deployment.server.requests.clear()

    page.goto(deployment.url + "conditions/calf-strain/")
    bar = page.locator(".hb-offline-bar")
    expect(bar).to_contain_text("New version available", timeout=60_000)
    # Until the runner agrees, the open page keeps the version it started with.
    page.reload()
    expect(page.locator(".md-content")).not_to_contain_text("UPDATED-SUMMARY-MARKER")
    expect(bar).to_contain_text("New version available", timeout=60_000)
    bar.get_by_role("button", name="Reload").click()
    expect(page.locator(".md-content")).to_contain_text("UPDATED-SUMMARY-MARKER", timeout=30_000)

    fetched = {path.split("?")[0] for path in deployment.server.requests}
    assert not [p for p in fetched if p.startswith("/assets/pyodide/")]
    assert "/conditions/calf-strain/index.html" in fetched or "/conditions/calf-strain/" in fetched
    unchanged = {
        "/conditions/plantar-heel-pain/index.html",
        "/exercises/index.html",
        "/assets/javascripts/calculators/worker.mjs",
    }
    assert not fetched & unchanged
    page.context.close()
