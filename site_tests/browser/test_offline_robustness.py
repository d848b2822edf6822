"""The offline app never strands a tab: deploys, stalls, a stopped service worker, a full
phone and malformed addresses, in real Chromium.

As in test_offline.py, "offline" means the web server is stopped. A stalled server is one
that stops part-way through a file (StaticServer.stall); a stopped service worker is what
Chrome's DevTools protocol does to it; a full phone is a quota set through the same protocol.
Timeouts are shortened through `hbOfflineSettings`, a global the page reads, so the tests
wait for behaviour rather than for the production defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect

from site_tests.browser.conftest import PHONE, phone_profile
from site_tests.browser.deployment import Deployment, deploy
from site_tests.browser.forms import tap
from site_tests.browser.test_offline import (
    CALCULATOR_TIMEOUT,
    SAVE_TIMEOUT,
    save_for_offline,
    wait_for_precache,
    wait_for_worker,
)
from site_tests.browser.test_offline_precache import HOLD_IDLE, RELEASE_IDLE, ROUND_TRIP

pytestmark = pytest.mark.browser

WASM = "pyodide.asm.wasm"
CONDITION = "calf-strain"
MB = 1024 * 1024
# Short enough that a test never waits long; the production defaults are far longer.
QUICK_SETTINGS = "globalThis.hbOfflineSettings = { stallMs: 1500, checkMs: 300 };"
SAVE_DATA = """Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true, get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {} }),
});"""


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    served = deploy(tmp_path)
    yield served
    served.server.stop()


def new_context(browser: Browser, *, workers: str = "allow", init: str = "") -> BrowserContext:
    context = browser.new_context(viewport=PHONE, service_workers=workers)
    if init:
        context.add_init_script(init)
    return context


def origin(deployment: Deployment) -> str:
    return deployment.url.rstrip("/")


def bundle_named_by(page: Page) -> str:
    """The calculator data file of the page's condition: the part of the bundle a content
    change replaces (the code zip stays the same file)."""
    return page.locator("form[data-chunk]").first.get_attribute("data-chunk") or ""


def deploy_new_calculators(deployment: Deployment) -> None:
    """A new version whose calculator data differs, so the old chunk leaves the server."""
    condition = deployment.content / "conditions" / f"{CONDITION}.yml"
    condition.write_text(
        condition.read_text().replace("name: Calf strain", "name: Calf strain (new)", 1)
    )
    deployment.rebuild()


def run_self_check(page: Page) -> Locator:
    """Fill the self-check with a pain-free run and submit it; returns its section."""
    check = page.locator('form[data-calculator="self_check"]')
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        tap(check, name, 0)
    check.locator("button[type=submit]").click()
    return check.locator("xpath=..")


def wasm_downloads(deployment: Deployment) -> int:
    return sum(path.endswith(WASM) for path in deployment.server.full_responses)


def wait_until_requested(page: Page, deployment: Deployment, suffix: str) -> None:
    for _ in range(1200):
        if any(path.endswith(suffix) for path in deployment.server.requests):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{suffix} was never requested")


def save_control(page: Page) -> Locator:
    control = page.locator("[data-hb-save-offline]").first
    expect(control.locator(".hb-save-offline-status")).to_contain_text(
        "Download size", timeout=30_000
    )
    return control


def expect_stopped_and_retryable(control: Locator, reason: str) -> None:
    status = control.locator(".hb-save-offline-status")
    expect(status).to_contain_text(reason, timeout=SAVE_TIMEOUT)
    expect(control.locator("progress")).to_be_hidden()
    expect(control.get_by_role("button", name="Save for offline")).to_be_enabled()


# ---- case 6: deploys -----------------------------------------------------------------------


def test_an_open_tab_keeps_its_calculator_after_a_deploy(
    browser: Browser, deployment: Deployment
) -> None:
    """The worker saved this version's bundle with the pages once the first page was idle,
    so the deploy that deletes it from the server does not break the open tab; after
    "Reload" the new version's calculator runs, and Pyodide (the same version) was
    downloaded once in all. The page's idle work (the early start and the copy) waits until
    the worker controls it, so Python's files go through the worker: this throwaway profile's
    in-memory HTTP cache cannot keep the 9.6 MB wasm for a second start, as a phone's can."""
    context = new_context(browser, init=HOLD_IDLE)
    page = context.new_page()
    page.goto(f"{deployment.url}conditions/{CONDITION}/")
    wait_for_worker(page)
    page.evaluate(RELEASE_IDLE)
    wait_for_precache(page)
    old_bundle = bundle_named_by(page)

    deploy_new_calculators(deployment)
    assert not (deployment.site / old_bundle).exists()

    result = run_self_check(page)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    bar = page.locator(".hb-offline-bar")
    expect(bar).to_contain_text("New version available", timeout=60_000)
    bar.get_by_role("button", name="Reload").click()
    expect(page.locator(".md-content h1")).to_contain_text("Calf strain (new)", timeout=30_000)
    assert bundle_named_by(page) != old_bundle

    result = run_self_check(page)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    assert wasm_downloads(deployment) == 1
    context.close()


def test_a_tab_whose_files_were_replaced_offers_the_new_version(
    browser: Browser, deployment: Deployment
) -> None:
    """Without a service worker (blocked here, as on a hard reload) the old bundle is simply
    gone: the tab says a new version is ready instead of "HTTP 404", and Reload fixes it."""
    # Data saving on, so Python starts only when the form is touched, after the new deploy.
    context = new_context(browser, workers="block", init=SAVE_DATA)
    page = context.new_page()
    page.goto(f"{deployment.url}conditions/{CONDITION}/")
    deploy_new_calculators(deployment)

    section = page.locator('form[data-calculator="self_check"]').locator("xpath=..")
    section.locator("input").first.focus()
    status = section.locator(".hb-calc-status")
    expect(status).to_contain_text("A new version is ready", timeout=CALCULATOR_TIMEOUT)
    expect(status).not_to_contain_text("404")
    # One failed start, not one download of Pyodide per attempt.
    assert wasm_downloads(deployment) == 1
    status.get_by_role("button", name="Reload").click()
    expect(page.locator(".md-content h1")).to_contain_text("Calf strain (new)", timeout=30_000)

    result = run_self_check(page)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    context.close()


def test_pyodide_is_downloaded_once_per_version(
    playwright: Playwright, deployment: Deployment, tmp_path: Path
) -> None:
    """On a first visit the calculator may start before the service worker takes over; the
    offline copy, and a second tab, then reuse that one download of the 9.6 MB wasm (the
    worker at most revalidates the browser's copy). A real profile, as a phone has: a
    throwaway context keeps its HTTP cache in memory, too small to hold that file."""
    context = phone_profile(playwright, tmp_path / "profile")
    page = context.new_page()
    page.goto(f"{deployment.url}conditions/{CONDITION}/")
    result = run_self_check(page)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    # The calculator's first use saved Pyodide, and the idle page saved the pages: the copy is
    # complete without "Save for offline".
    wait_for_precache(page)
    page.goto(deployment.url)
    expect(page.locator("[data-hb-save-offline] .hb-save-offline-status").first).to_contain_text(
        "Ready offline", timeout=SAVE_TIMEOUT
    )
    second = context.new_page()
    second.goto(f"{deployment.url}conditions/{CONDITION}/")
    result = run_self_check(second)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    assert wasm_downloads(deployment) == 1
    context.close()


# The service worker is registered only when the test says so, so the calculators start in a
# page (and a Web Worker) that no service worker controls: the race a loaded phone can lose.
LATE_TAKE_OVER = """
const register = ServiceWorkerContainer.prototype.register;
let letTakeOver;
const allowed = new Promise((resolve) => { letTakeOver = resolve; });
globalThis.__letTakeOver = () => letTakeOver();
ServiceWorkerContainer.prototype.register = function (...args) {
  return allowed.then(() => register.apply(this, args));
};
"""


def test_pyodide_that_bypassed_the_service_worker_is_saved_once_it_takes_over(
    playwright: Playwright, deployment: Deployment, tmp_path: Path
) -> None:
    """The calculator answered before any service worker controlled the page, so none of
    Pyodide's files went through one. Once it takes over, it saves them from the browser's
    HTTP cache: the copy becomes complete and the wasm was downloaded once."""
    context = phone_profile(playwright, tmp_path / "profile")
    context.add_init_script(LATE_TAKE_OVER)
    page = context.new_page()
    page.goto(f"{deployment.url}conditions/{CONDITION}/")
    result = run_self_check(page)
    expect(result.locator(".hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=CALCULATOR_TIMEOUT
    )
    assert page.evaluate("navigator.serviceWorker.controller") is None
    page.evaluate("globalThis.__letTakeOver()")
    wait_for_worker(page)
    expect(page.locator(".hb-offline-footer")).to_contain_text(
        "Offline copy: complete", timeout=SAVE_TIMEOUT
    )
    assert wasm_downloads(deployment) == 1
    context.close()


# ---- case 7: stalls and a stopped worker ---------------------------------------------------


def test_a_stalled_save_times_out_and_a_retry_fetches_only_the_missing_files(
    browser: Browser, deployment: Deployment
) -> None:
    context = new_context(browser, init=QUICK_SETTINGS)
    page = context.new_page()
    page.goto(deployment.url)
    # The idle copy of the pages first, so only the save's own downloads are in flight.
    wait_for_precache(page)
    control = save_control(page)

    deployment.server.stall(WASM)
    control.get_by_role("button", name="Save for offline").click()
    expect_stopped_and_retryable(control, "the server stopped answering")

    deployment.server.release()
    first_try = len(deployment.server.requests)
    save_for_offline_again(control)
    retried = {path.rsplit("/", 1)[-1] for path in deployment.server.requests[first_try:]}
    # Saved before the stall (the pages first, then Pyodide in path order), so not fetched again.
    assert not retried & {"pyodide-lock.json", "pyodide.asm.mjs", "index.html", ""}
    assert WASM in retried
    context.close()


def save_for_offline_again(control: Locator) -> None:
    control.get_by_role("button", name="Save for offline").click()
    expect(control.locator(".hb-save-offline-status")).to_have_text(
        "Ready offline.", timeout=SAVE_TIMEOUT
    )


def test_the_page_notices_when_the_service_worker_is_stopped_mid_save(
    browser: Browser, deployment: Deployment
) -> None:
    # The stall timeout stays long: only the stopped worker can end this save.
    context = new_context(browser, init="globalThis.hbOfflineSettings = { checkMs: 300 };")
    page = context.new_page()
    page.goto(deployment.url)
    # The idle copy of the pages first, so only the save's own downloads are in flight.
    wait_for_precache(page)
    control = save_control(page)

    deployment.server.stall(WASM)
    control.get_by_role("button", name="Save for offline").click()
    expect(control.locator(".hb-save-offline-status")).to_contain_text("Saving…")
    wait_until_requested(page, deployment, WASM)
    devtools = context.new_cdp_session(page)
    devtools.send("ServiceWorker.enable")
    devtools.send("ServiceWorker.stopAllWorkers")
    expect_stopped_and_retryable(control, "Saving stopped")

    deployment.server.release()
    save_for_offline_again(control)
    context.close()


def test_a_first_copy_cut_short_by_a_stopped_service_worker_starts_again(
    browser: Browser, deployment: Deployment
) -> None:
    """The browser stops the service worker in the middle of the idle copy of the pages; the
    page notices the copy is no longer running, asks for it again, and the copy completes."""
    context = new_context(browser, init=HOLD_IDLE + QUICK_SETTINGS)
    page = context.new_page()
    page.goto(deployment.url)
    wait_for_worker(page)
    # A page the home page does not fetch, larger than the part a stalled file sends, so the
    # copy is certainly held at it when the worker is stopped.
    unvisited = "/journal/"
    deployment.server.stall(unvisited)
    page.evaluate(RELEASE_IDLE)
    wait_until_requested(page, deployment, unvisited)
    expect(page.locator(".hb-offline-footer")).to_contain_text("still saving pages")
    devtools = context.new_cdp_session(page)
    devtools.send("ServiceWorker.enable")
    devtools.send("ServiceWorker.stopAllWorkers")
    deployment.server.release()
    expect(page.locator(".hb-offline-footer")).to_contain_text(
        "pages and search saved", timeout=SAVE_TIMEOUT
    )
    # Asked for again by the copy the page started anew.
    assert deployment.server.requests.count(unvisited) >= 2
    context.close()


# ---- case 8: a full phone ------------------------------------------------------------------


def phone_with_room(
    browser: Browser, deployment: Deployment, quota: int, init: str = ""
) -> tuple[BrowserContext, Page]:
    """A tab whose origin may store only `quota` bytes. Chromium enforces the lowered quota,
    but its storage estimate does not report it."""
    context = new_context(browser, init=init)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send(
        "Storage.overrideQuotaForOrigin", {"origin": origin(deployment), "quotaSize": quota}
    )
    return context, page


def test_too_little_space_for_the_first_copy_leaves_nothing_and_says_so(
    browser: Browser, deployment: Deployment
) -> None:
    context, page = phone_with_room(browser, deployment, 3 * MB)
    page.goto(deployment.url)
    status = page.locator("[data-hb-save-offline] .hb-save-offline-status").first
    expect(status).to_contain_text("Saving for offline is unavailable", timeout=30_000)
    expect(status).to_contain_text("not enough storage space")
    expect(status).to_contain_text("needs about")
    expect(page.locator("[data-hb-save-offline] button").first).to_be_hidden()
    assert page.evaluate("caches.keys()") == []
    # The worker still answers, from the network: only the copy was not made.
    page.reload()
    expect(page.locator(".md-content h1")).to_contain_text("Runner's Injury Handbook")
    context.close()


def test_a_phone_with_no_room_for_the_snapshot_is_still_ready_offline(
    browser: Browser, deployment: Deployment
) -> None:
    """The pages and Pyodide fit in 24 MB; the memory snapshot, which only makes a start
    faster, does not. "Save for offline" still ends "Ready offline", without the snapshot."""
    context, page = phone_with_room(browser, deployment, 24 * MB)
    page.goto(deployment.url)
    wait_for_worker(page)
    save_for_offline(page)
    report = page.evaluate(ROUND_TRIP)
    assert report["groups"]["core"]["saved"] == report["groups"]["core"]["files"]
    assert report["groups"]["runtime"]["saved"] == report["groups"]["runtime"]["files"]
    assert report["groups"]["snapshot"]["saved"] == 0
    expect(page.locator(".hb-offline-footer")).to_contain_text("Offline copy: complete")
    context.close()


def test_saving_without_enough_space_blames_the_space(
    browser: Browser, deployment: Deployment
) -> None:
    """The pages fit in 12 MB, the calculators do not. Chromium enforces the lowered quota
    but its storage estimate does not show it, so the worker's refused write is tested first,
    then the check before saving, with the estimate a full phone would report. Idle work is
    held, so only the runner's save stores anything."""
    context, page = phone_with_room(browser, deployment, 12 * MB, init=HOLD_IDLE)
    page.goto(deployment.url)
    wait_for_worker(page)
    control = save_control(page)
    control.get_by_role("button", name="Save for offline").click()
    expect_stopped_and_retryable(control, "Not enough storage space")
    status = control.locator(".hb-save-offline-status")
    expect(status).to_contain_text("needs about")
    expect(status).not_to_contain_text("signal")
    # The save stored the pages first, so the phone keeps them: only the calculators lack room.
    core = page.evaluate(ROUND_TRIP)["groups"]["core"]
    assert core["saved"] == core["files"]

    context.add_init_script(
        "const realEstimate = navigator.storage.estimate.bind(navigator.storage);"
        "navigator.storage.estimate = async () =>"
        f" ({{ ...(await realEstimate()), quota: {12 * MB} }});"
    )
    page.reload()
    expect(page.locator(".hb-offline-footer")).to_contain_text(
        "pages and search saved", timeout=30_000
    )
    control = save_control(page)
    asked = len(deployment.server.requests)
    control.get_by_role("button", name="Save for offline").click()
    expect_stopped_and_retryable(control, "Not enough storage space")
    expect(status).to_contain_text("needs about")
    expect(status).to_contain_text("MB free")
    expect(status).not_to_contain_text("signal")
    assert [path for path in deployment.server.requests[asked:] if "/assets/" in path] == []
    context.close()


# ---- case 11: malformed addresses ----------------------------------------------------------


def test_malformed_percent_escapes_reach_the_server_or_the_offline_page(
    browser: Browser, deployment: Deployment
) -> None:
    context = new_context(browser)
    page = context.new_page()
    page.goto(deployment.url)
    wait_for_precache(page)
    for path in ("%", "conditions/%E0%A4%A/"):
        response = page.goto(deployment.url + path)
        assert response is not None, path
        assert response.status == 404, path
        assert f"/{path}" in deployment.server.requests
    deployment.server.stop()
    page.goto(deployment.url + "conditions/%E0%A4%A/")
    expect(page.locator(".md-content h1")).to_contain_text("You are offline")
    context.close()
