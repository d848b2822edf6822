"""What a runner types stays on the device, and the security policy is really in force."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_pages import search

pytestmark = pytest.mark.browser

# Finds the groin conditions; no page or file of the site has "groin" in its address.
TERM = "groin"


def _search_and_open(tab: Page) -> None:
    search(tab, TERM)
    first = tab.locator(".md-search-result__link").first
    # Generous: on a first visit the service worker is busy saving the site in the background.
    expect(first).to_be_visible(timeout=30_000)
    first.click()
    expect(tab.locator(".md-content h1")).to_be_visible()
    tab.wait_for_load_state("networkidle")


def test_search_terms_never_reach_an_address_a_referrer_or_the_server(
    context: BrowserContext, site_server: StaticServer
) -> None:
    """A first visit (no service worker in control yet), then again once it controls."""
    sent: list[Request] = []
    # Playwright cannot take a builtin method such as sent.append as a listener.
    context.on("request", lambda request: sent.append(request))  # noqa: PLW0108
    tab = context.new_page()
    tab.goto(site_server.url)
    _search_and_open(tab)
    assert TERM not in tab.url
    tab.reload()  # the server now sees whatever address the result link gave
    tab.wait_for_function("() => navigator.serviceWorker.controller !== null")
    tab.goto(site_server.url)
    _search_and_open(tab)
    assert TERM not in tab.url
    assert len(sent) > 20, "the session made the usual page and asset requests"
    leaks = [
        f"{request.url} {name}: {value}"
        for request in sent
        for name, value in [("url", request.url), *request.all_headers().items()]
        if TERM in value.lower() or "?h=" in value
    ]
    assert leaks == []
    assert not [path for path in site_server.requests if TERM in path.lower()]


def test_the_policy_is_enforced_and_every_violation_is_caught(
    context: BrowserContext, site_server: StaticServer, no_csp_violations: list[str]
) -> None:
    """The recorder that every browser test relies on sees a blocked inline script, and the
    workers' files carry the policy as a header (from _headers), as a host would send it."""
    tab = context.new_page()
    tab.goto(site_server.url)
    blocked = tab.evaluate(
        """() => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation",
            (event) => resolve(event.effectiveDirective), { once: true });
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.head.append(script);
        })"""
    )
    assert blocked == "script-src-elem"
    assert tab.evaluate("window.injected === undefined")
    # Bindings are handled in order: once this one returns, the recorder's report is in.
    tab.evaluate("() => window.__hbCspViolation('sync point')")
    caught = [line for line in no_csp_violations if "script-src" in line]
    assert caught, "an injected inline script must be blocked and recorded"
    no_csp_violations.clear()  # this test's own violation was the point
    worker = tab.request.get(site_server.url + "assets/javascripts/calculators/worker.mjs")
    assert "'wasm-unsafe-eval'" in worker.headers["content-security-policy"]
    assert worker.headers["referrer-policy"] == "no-referrer"
