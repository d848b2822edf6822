"""The first visit's offline copy of the pages, in real Chromium: it waits until the page is
idle, is not made when the runner saves data (Save for offline still saves everything), and
never downloads again a file the page already fetched.

"Idle" is under the test's control: an init script holds every requestIdleCallback until the
test runs them, so "nothing was fetched before idle" is checked without waiting on a clock.
What travelled is the server's own record of the full (200) responses it sent, which sees the
service worker's requests as well as the page's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from site_tests.browser.conftest import PHONE
from site_tests.browser.deployment import Deployment, deploy
from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_offline import save_for_offline, wait_for_precache, wait_for_worker

pytestmark = pytest.mark.browser

CONDITION = "conditions/mid-portion-achilles-tendinopathy/"
# Pages a visit to the Achilles page never opens: only the offline copy fetches them.
UNVISITED = ("/exercises/", "/conditions/calf-strain/", "/offline/")
# Until the test releases it, every requestIdleCallback is held; from then on each runs at
# once. Releasing rather than running the callbacks held so far matters: the page queues some
# idle work only after an await (the offline copy, after the worker's first status answer), so
# a one-off run could miss it and leave it held for ever.
HOLD_IDLE = """
globalThis.__heldIdle = [];
globalThis.__idleReleased = false;
globalThis.requestIdleCallback = (callback) => {
  const idle = { didTimeout: false, timeRemaining: () => 50 };
  if (globalThis.__idleReleased) setTimeout(() => callback(idle), 0);
  else globalThis.__heldIdle.push(callback);
};
"""
RELEASE_IDLE = """() => {
  globalThis.__idleReleased = true;
  const held = globalThis.__heldIdle.splice(0);
  for (const callback of held) callback({ didTimeout: false, timeRemaining: () => 50 });
  return held.length;
}"""
# The service worker answers in the order it is asked, so once this answers, any request the
# page sent before it has reached the worker.
ROUND_TRIP = """() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data);
  navigator.serviceWorker.controller.postMessage({ type: "STATUS" }, [channel.port2]);
})"""


def connection(**fields: object) -> str:
    """An init script giving the page this Network Information API connection."""
    values = {"saveData": False, "effectiveType": "4g", **fields}
    body = ", ".join(f"{name}: {str(value).lower() if isinstance(value, bool) else repr(value)}"
                     for name, value in values.items())  # fmt: skip
    return (
        "Object.defineProperty(Navigator.prototype, 'connection', { configurable: true,"
        f" get: () => ({{ {body}, addEventListener() {{}} }}) }});"
    )


def file_of(path: str) -> str:
    """The file a request asked for: a slashed address is its index.html."""
    path = urlsplit(path).path
    return path + "index.html" if path.endswith("/") else path


def asked_for(server: StaticServer, since: int, wanted: str) -> bool:
    return any(file_of(path) == file_of(wanted) for path in server.requests[since:])


def new_tab(browser: Browser, *init: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    for script in (HOLD_IDLE, *init):
        context.add_init_script(script)
    return context, context.new_page()


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    served = deploy(tmp_path)
    yield served
    served.server.stop()


def test_the_first_copy_waits_for_idle_and_fetches_no_file_twice(
    browser: Browser, site_server: StaticServer
) -> None:
    context, page = new_tab(browser)
    requested, sent = len(site_server.requests), len(site_server.full_responses)
    page.goto(site_server.url + CONDITION)
    wait_for_worker(page)
    footer = page.locator(".hb-offline-footer")
    expect(footer).to_have_text("Offline copy: not saved yet.")
    page.wait_for_function("() => globalThis.__heldIdle.length > 0")
    page.evaluate(ROUND_TRIP)
    # Loaded, the worker in control, and still nothing fetched for the offline copy.
    for path in UNVISITED:
        assert not asked_for(site_server, requested, path), path

    page.evaluate(RELEASE_IDLE)
    wait_for_precache(page)
    for path in UNVISITED:
        assert asked_for(site_server, requested, path), path
    travelled = Counter(file_of(path) for path in site_server.full_responses[sent:])
    assert [path for path, times in travelled.items() if times > 1] == []
    assert travelled[file_of("/" + CONDITION)] == 1
    context.close()


@pytest.mark.parametrize(
    "network", [{"saveData": True}, {"effectiveType": "2g"}], ids=["save-data", "2g"]
)
def test_no_first_copy_when_the_runner_saves_data(
    browser: Browser, site_server: StaticServer, network: dict[str, object]
) -> None:
    context, page = new_tab(browser, connection(**network))
    requested = len(site_server.requests)
    page.goto(site_server.url + CONDITION)
    wait_for_worker(page)
    expect(page.locator(".hb-offline-footer")).to_contain_text("asks to save data")
    page.evaluate(RELEASE_IDLE)
    page.evaluate(ROUND_TRIP)
    for path in UNVISITED:
        assert not asked_for(site_server, requested, path), path
    report = page.evaluate(ROUND_TRIP)
    assert report["groups"]["core"]["saved"] == 0
    context.close()


def test_save_for_offline_still_saves_everything_when_saving_data(
    browser: Browser, deployment: Deployment
) -> None:
    context, page = new_tab(browser, connection(saveData=True))
    page.goto(deployment.url)
    wait_for_worker(page)
    expect(page.locator(".hb-offline-footer")).to_contain_text("asks to save data")
    save_for_offline(page)
    deployment.server.stop()
    page.goto(deployment.url + CONDITION)
    expect(page.locator(".md-content h1")).to_contain_text("Mid-portion Achilles tendinopathy")
    page.goto(deployment.url + "never-published/")
    expect(page.locator(".md-content h1")).to_contain_text("You are offline")
    context.close()
