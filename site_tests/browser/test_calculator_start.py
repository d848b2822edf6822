"""When the calculators' Python starts, and where from: early when the page is idle, late for a
runner who saves data, and from the build's memory snapshot once the device has saved it,
with a normal start whenever that snapshot cannot be used."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from site_tests.browser.conftest import COLD_START, PHONE
from site_tests.browser.forms import tap
from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_offline import save_for_offline

pytestmark = pytest.mark.browser

PAGE = "conditions/mid-portion-achilles-tendinopathy/"
# The Network Information API as Chrome reports it with Data Saver on.
SAVE_DATA = """Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true, get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {} }),
});"""
PAYLOAD = {
    "condition": "mid-portion-achilles-tendinopathy",
    "pain_during": 4,
    "pain_after": 2,
    "pain_next_morning": 0,
}
# Resolves once the page has loaded and had an idle moment: when the early start would run.
AFTER_IDLE = """() => new Promise((done) => {
  const idle = () => requestIdleCallback(() => setTimeout(done, 500), { timeout: 4000 });
  if (document.readyState === "complete") idle(); else addEventListener("load", idle);
})"""


def new_context(browser: Browser, init: str = "") -> BrowserContext:
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    if init:
        context.add_init_script(init)
    return context


def runtime_requests(server: StaticServer, since: int) -> list[str]:
    return [path for path in server.requests[since:] if path.startswith("/assets/pyodide/")]


def ready(page: Page) -> None:
    page.wait_for_function("() => globalThis.__hbCalculators?.ready === true", timeout=COLD_START)


def answer(page: Page) -> str:
    return page.evaluate(
        "(payload) => globalThis.__hbCalculators.calculate('self_check', payload)", PAYLOAD
    )


def first_light(page: Page) -> None:
    check = page.locator('form[data-calculator="self_check"]')
    for name in ("pain_during", "pain_after", "pain_next_morning"):
        tap(check, name, 0)
    check.locator("button[type=submit]").click()
    expect(check.locator("xpath=..").locator(".hb-calc-result .hb-light")).to_have_class(
        "hb-light hb-light--green", timeout=COLD_START
    )


SNAPSHOT_SAVED = """async () => {
  const meta = document.querySelector('meta[name="hb-pyodide-snapshot"]');
  const url = new URL(meta.content, location.origin + "/").href;
  return Boolean(await caches.match(url, { ignoreSearch: true }));
}"""


def snapshot_saved(page: Page) -> bool:
    return bool(page.evaluate(SNAPSHOT_SAVED))


def test_python_starts_when_the_page_is_idle_without_any_interaction(
    browser: Browser, site_server: StaticServer
) -> None:
    context = new_context(browser)
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    ready(page)  # nothing touched, nothing scrolled
    assert page.evaluate("document.activeElement === document.body")
    context.close()


def test_an_empty_journal_starts_python_when_the_page_is_idle(
    browser: Browser, site_server: StaticServer
) -> None:
    """With no recovery yet the journal shows its set-up form and asks the engine nothing, so
    only the early start can have started Python."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(site_server.url + "journal/")
    expect(page.locator("#hb-journal-setup")).to_be_visible(timeout=COLD_START)
    ready(page)
    context.close()


def test_a_runner_who_saves_data_starts_python_only_on_touching_the_form(
    browser: Browser, site_server: StaticServer
) -> None:
    context = new_context(browser, SAVE_DATA)
    page = context.new_page()
    since = len(site_server.requests)
    page.goto(site_server.url + PAGE)
    page.evaluate(AFTER_IDLE)
    page.locator('form[data-calculator="self_check"]').scroll_into_view_if_needed()
    page.evaluate(AFTER_IDLE)
    assert page.evaluate("globalThis.__hbCalculators.worker") is None
    assert runtime_requests(site_server, since) == []
    page.locator('form[data-calculator="self_check"] input').first.focus()
    ready(page)
    assert runtime_requests(site_server, since)
    # Nor is the 7 MB snapshot fetched for the next visit behind a data saver's back.
    assert not [p for p in runtime_requests(site_server, since) if p.endswith(".snapshot")]
    context.close()


def test_a_repeat_visit_restores_the_snapshot_with_the_same_answers(
    browser: Browser, site_server: StaticServer
) -> None:
    """First visit: a normal start, then the snapshot is saved. Next visit: Python comes from
    it, and answers byte for byte as the normally started one did."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.reload()  # now the service worker sees the worker's requests and keeps the snapshot
    first_light(page)
    assert page.evaluate("globalThis.__hbCalculators.restored") is False
    normal = answer(page)
    page.wait_for_function(SNAPSHOT_SAVED, timeout=COLD_START)

    again = context.new_page()
    again.goto(site_server.url + PAGE)
    first_light(again)
    assert again.evaluate("globalThis.__hbCalculators.restored") is True
    assert answer(again) == normal
    assert json.loads(normal)["ok"] is True
    context.close()


def test_a_damaged_snapshot_falls_back_to_a_normal_start(
    browser: Browser, site_server: StaticServer
) -> None:
    """A copy that will not restore is saved: the first result still appears, from a normal
    start, the copy is dropped, and its address is remembered as refused, so this browser
    never downloads that snapshot again (the service worker keeps only bytes that match their
    revision, so a failed restore is the browser's, not the download's), not even by "Save
    for offline". Data saving is on only so that no good copy is fetched meanwhile."""
    context = new_context(browser, SAVE_DATA)
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.evaluate(
        """async () => {
          const meta = document.querySelector('meta[name="hb-pyodide-snapshot"]');
          const url = new URL(meta.content, location.origin + "/").href;
          const names = await caches.keys();
          const runtime = names.find((name) => name.startsWith("handbook-runtime-"))
            || "handbook-runtime-test";
          const cache = await caches.open(runtime);
          const damaged = new Uint8Array([31, 139, 8, 0, 1, 2, 3]); // a gzip header, then junk
          await cache.put(url + "?__rev=damaged", new Response(damaged));
        }"""
    )
    assert snapshot_saved(page)
    damaged = context.new_page()
    damaged.goto(site_server.url + PAGE)
    first_light(damaged)
    assert damaged.evaluate("globalThis.__hbCalculators.restored") is False
    assert json.loads(answer(damaged))["ok"] is True
    assert not snapshot_saved(damaged)  # tried, failed and forgotten
    refused = damaged.evaluate(
        """async () => {
          const meta = document.querySelector('meta[name="hb-pyodide-snapshot"]');
          const url = new URL(meta.content, location.origin + "/").href;
          const cacheName = "handbook-snapshot-refused";
          return Boolean(await caches.match(url + ".refused", { cacheName }));
        }"""
    )
    assert refused
    # "Save for offline" saves everything else, but not the snapshot this browser refused.
    damaged.goto(site_server.url)
    save_for_offline(damaged)
    assert not snapshot_saved(damaged)
    context.close()
