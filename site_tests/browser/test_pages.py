"""The handbook as a runner on a phone meets it: find an injury by region or by search."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from site_tests.browser.conftest import PageWatch
from site_tests.browser.static_server import StaticServer

pytestmark = pytest.mark.browser


def search(tab: Page, words: str) -> None:
    """As a runner does: the header's search button, then type."""
    tab.locator(".md-header [data-hb-search-open]").click()
    tab.get_by_role("searchbox", name="Search the handbook").fill(words)


def test_search_finds_shin_splints_and_opens_the_page(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Typing a lay name finds the condition page; opening it shows the red flags first."""
    tab, seen = page
    tab.goto(site_server.url)
    search(tab, "shin splints")
    first = tab.locator(".hb-search__result").first
    expect(first).to_contain_text("Medial tibial stress syndrome")
    first.click()
    expect(tab.locator(".md-content h1")).to_contain_text("Medial tibial stress syndrome")
    expect(tab.locator(".hb-red-flags")).to_be_visible()
    assert seen.console_errors == []
    assert seen.foreign_requests == []


def test_home_lists_regions_and_their_conditions(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Without searching, a runner can pick a body region and then a condition."""
    tab, seen = page
    tab.goto(site_server.url)
    region = tab.locator(".hb-region", has_text="Shin, calf and Achilles")
    region.get_by_role("link", name="Mid-portion Achilles tendinopathy").click()
    expect(tab.locator(".md-content h1")).to_have_text("Mid-portion Achilles tendinopathy")
    assert seen.console_errors == []


def test_pages_fit_a_360_pixel_screen(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """No page scrolls sideways on a small phone."""
    tab, _seen = page
    for path in [
        "",
        "regions/shin-calf-achilles/",
        "conditions/patellofemoral-pain/",
        "when-to-see-a-clinician/",
        "exercises/",
    ]:
        tab.goto(site_server.url + path)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path or 'home'} overflows by {overflow}px"
