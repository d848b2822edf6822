"""Search on a phone: Pagefind's index of the built site, through the handbook's own dialog.

The quality test runs the page's own search code on the real index: lay words a runner would
type (site_tests/browser/search_queries.yml) must find their condition first, or at worst in
the top three.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from site_tests.browser.conftest import PageWatch
from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_pages import search

pytestmark = pytest.mark.browser

QUERIES: dict[str, str] = yaml.safe_load(
    (Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8")
)
FIRST_SHARE = 0.9

# The page's engine module, as the dialog uses it; returns each query's top three addresses.
TOP_THREE = """async (queries) => {
  const engine = await import("./assets/javascripts/search/engine.mjs");
  const search = await engine.loadSearch();
  const found = {};
  for (const query of queries) {
    const results = await engine.findPages(search, query);
    found[query] = await Promise.all(results.slice(0, 3).map(async (r) => (await r.data()).url));
  }
  return found;
}"""


def _condition(url: str) -> str:
    return url.removeprefix("/conditions/").strip("/") if url.startswith("/conditions/") else url


def test_lay_queries_find_their_condition(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """At least 90% of the queries rank their condition first, and all of them in the top 3."""
    tab, seen = page
    assert len(QUERIES) >= 40
    tab.goto(site_server.url)
    found = {
        q: [_condition(u) for u in urls]
        for q, urls in tab.evaluate(TOP_THREE, list(QUERIES)).items()
    }
    not_top_three = {q: found[q] for q, slug in QUERIES.items() if slug not in found[q]}
    assert not_top_three == {}
    first = [q for q, slug in QUERIES.items() if found[q][0] == slug]
    not_first = {q: found[q] for q in QUERIES if q not in first}
    assert len(first) >= FIRST_SHARE * len(QUERIES), not_first
    assert seen.console_errors == []


def test_nothing_of_the_search_index_loads_before_the_first_query(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Opening pages and the dialog fetches no index file; the first letters typed do."""
    tab, seen = page
    index_requests: list[str] = []
    tab.on(
        "request",
        lambda request: index_requests.append(request.url) if "/pagefind/" in request.url else None,
    )
    tab.goto(site_server.url + "conditions/calf-strain/")
    tab.locator(".md-header [data-hb-search-open]").click()
    expect(tab.get_by_role("dialog", name="Search the handbook")).to_be_visible()
    assert index_requests == []
    tab.get_by_role("searchbox", name="Search the handbook").fill("calf")
    expect(tab.locator(".hb-search__result").first).to_be_visible()
    assert any(url.endswith("pagefind.js") for url in index_requests)
    assert seen.foreign_requests == []


def test_keyboard_slash_arrows_and_enter_open_a_result(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """ "/" focuses the search box, the arrows move through results, Enter opens one, and
    Escape closes the dialog."""
    tab, seen = page
    tab.goto(site_server.url + "regions/knee/")
    # The header button appears once the search script is running; "/" before that is a
    # plain keystroke, as it is on a page without JavaScript.
    expect(tab.locator("[data-hb-search-open]")).to_be_visible()
    tab.keyboard.press("/")
    box = tab.get_by_role("searchbox", name="Search the handbook")
    expect(box).to_be_focused()
    tab.keyboard.type("jumpers knee")
    results = tab.locator(".hb-search__result")
    expect(results.first).to_contain_text("Patellar tendinopathy")
    tab.keyboard.press("ArrowDown")
    expect(results.nth(0)).to_be_focused()
    tab.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    tab.keyboard.press("ArrowUp")
    tab.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    tab.keyboard.press("Escape")
    expect(tab.get_by_role("dialog", name="Search the handbook")).to_be_hidden()
    tab.keyboard.press("/")
    expect(box).to_be_focused()
    tab.keyboard.press("Enter")
    expect(tab.locator(".md-content h1")).to_contain_text("Patellar tendinopathy")
    expect(tab.get_by_role("dialog", name="Search the handbook")).to_be_hidden()
    assert seen.console_errors == []


def test_search_dialog_has_no_accessibility_violations(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """axe-core finds nothing with the dialog open and results shown, and the result count is
    announced."""
    tab, _seen = page
    tab.goto(site_server.url)
    search(tab, "heel pain")
    expect(tab.locator(".hb-search__result").first).to_be_visible()
    expect(tab.get_by_role("status").filter(has_text="found")).to_contain_text("pages found")
    results = Axe().run(tab)
    assert results.violations_count == 0, results.generate_report()


def test_no_javascript_means_no_search_controls(
    browser_without_js_page: Page, site_server: StaticServer
) -> None:
    """Search needs JavaScript, so without it no search button is offered."""
    tab = browser_without_js_page
    tab.goto(site_server.url)
    expect(tab.locator("[data-hb-search-open]").first).to_be_hidden()
    expect(tab.locator(".hb-region").first).to_be_visible()


@pytest.fixture
def browser_without_js_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()
