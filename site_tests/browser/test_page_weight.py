"""What a condition page makes the browser wait for before its first paint, in real Chromium:
only stylesheets it uses, no script in the head, and the journal's styles only where the
journal is, including after instant navigation (which keeps the first page's head)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from site_tests.browser.conftest import PageWatch
from site_tests.browser.static_server import StaticServer

pytestmark = pytest.mark.browser

CONDITION = "conditions/mid-portion-achilles-tendinopathy/"
JOURNAL_STYLES = "assets/stylesheets/journal.css"
STYLESHEETS = "[...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.href)"


def test_a_condition_page_blocks_its_first_paint_on_its_stylesheets_only(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    tab, seen = page
    tab.goto(site_server.url + CONDITION)
    expect(tab.locator(".md-content h1")).to_contain_text("Achilles")
    assert not [href for href in tab.evaluate(STYLESHEETS) if href.endswith(JOURNAL_STYLES)]
    blocking = tab.evaluate(
        "[...document.head.querySelectorAll('script[src]')]"
        ".filter((s) => !s.defer && !s.async && s.type !== 'module').map((s) => s.src)"
    )
    assert blocking == []
    # The scales the calculator forms share with the journal are styled without journal.css.
    scale = tab.locator('form[data-calculator="self_check"] .hb-segment').first
    expect(scale).to_have_css("display", "flex")
    assert seen.console_errors == []


def test_the_journal_gets_its_styles_after_instant_navigation(
    page: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    tab, seen = page
    tab.goto(site_server.url + CONDITION)
    tab.evaluate("window.__sameDocument = true")
    tab.locator("a.hb-journal-open").first.click()
    tab.wait_for_url("**/journal/")
    assert tab.evaluate("window.__sameDocument === true"), "instant navigation was not used"
    expect(tab.locator("[data-hb-journal]")).to_be_attached()
    tab.wait_for_function(f"() => {STYLESHEETS}.some((href) => href.endsWith({JOURNAL_STYLES!r}))")
    hidden = tab.locator(".hb-journal [hidden]").first
    expect(hidden).to_have_css("display", "none")
    assert seen.console_errors == []
