"""Phone-first pages in real Chromium at 360 x 780: the first screen of every condition page
holds what a runner came for, each quick action lands on its section, with or without
JavaScript; folded sections open and print open; the home page's body map lists each
region's conditions by touch and by keyboard. No axe violations, no policy violations."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from macros.content.loader import CONTENT_DIR, Handbook
from macros.lint.content_rules import check_content
from site_tests.browser.conftest import PageWatch, watch
from site_tests.browser.static_server import StaticServer

pytestmark = pytest.mark.browser

FIRST_SCREEN = {"width": 360, "height": 780}
QUICK_ACTIONS = ["Can I run today?", "What to do now", "My plan", "When to get help"]
CALF = "calf-strain"  # self-managed, with a self-check, a plan and an urgent notice
RUPTURE = "achilles-tendon-rupture"  # see a clinician: no calculators, a long urgent notice


@pytest.fixture(scope="module")
def book() -> Handbook:
    handbook, problems = check_content(CONTENT_DIR)
    assert problems == []
    assert handbook is not None
    return handbook


def open_phone(
    browser: Browser, server: StaticServer, **options: object
) -> tuple[BrowserContext, Page, PageWatch]:
    context = browser.new_context(viewport=FIRST_SCREEN, **options)  # type: ignore[arg-type]
    page = context.new_page()
    return context, page, watch(page, server.url.rstrip("/"))


@pytest.fixture
def phone(browser: Browser, site_server: StaticServer) -> Iterator[tuple[Page, PageWatch]]:
    context, page, seen = open_phone(browser, site_server)
    yield page, seen
    context.close()


@pytest.fixture
def phone_without_js(browser: Browser, site_server: StaticServer) -> Iterator[Page]:
    context, page, _seen = open_phone(browser, site_server, java_script_enabled=False)
    yield page
    context.close()


def in_first_screen(page: Page, selector: str) -> bool:
    """The element's whole box lies within the first 780 px of the page, side to side too."""
    box = page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return [r.top + scrollY, r.bottom + scrollY, r.left, r.right]; }"
    )
    top, bottom, left, right = box
    return (
        top >= 0
        and bottom <= FIRST_SCREEN["height"]
        and left >= 0
        and right <= FIRST_SCREEN["width"]
    )


def in_view(page: Page, selector: str) -> bool:
    """The element's top is on screen, below the sticky header."""
    return bool(
        page.locator(selector).evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " const header = document.querySelector('.md-header');"
            " const under = header ? header.getBoundingClientRect().bottom : 0;"
            " return r.top >= under - 1 && r.top < innerHeight; }"
        )
    )


# ---- condition pages --------------------------------------------------------------------


def test_every_condition_page_fits_its_essentials_on_the_first_screen(
    phone: tuple[Page, PageWatch], site_server: StaticServer, book: Handbook
) -> None:
    """Name, what it is, the red-flag link and all four quick actions, within 360 x 780; an
    urgent notice starts on that screen too."""
    page, seen = phone
    for slug in sorted(book.conditions):
        page.goto(f"{site_server.url}conditions/{slug}/")
        for selector in (".md-content h1", ".hb-what-it-is", ".hb-red-flag-link a"):
            assert in_first_screen(page, selector), (slug, selector)
        actions = page.get_by_role("navigation", name="Quick actions").get_by_role("link")
        expect(actions).to_have_text(QUICK_ACTIONS)
        for index in range(4):
            box = actions.nth(index).bounding_box()
            assert box is not None
            assert box["y"] + box["height"] <= FIRST_SCREEN["height"], (slug, QUICK_ACTIONS[index])
            assert box["height"] >= 44, (slug, "tap target")
        if book.conditions[slug].urgent_notice:
            notice = page.locator(".hb-urgent-notice").bounding_box()
            assert notice is not None
            assert notice["y"] < FIRST_SCREEN["height"] - 60, slug
    assert seen.console_errors == []


@pytest.mark.parametrize(
    ("slug", "targets"),
    [
        (CALF, ["can-i-run-today", "what-to-do-now", "my-plan", "red-flags"]),
        (RUPTURE, ["can-i-run-today", "what-to-do-now", "no-plan", "red-flags"]),
    ],
)
def test_each_quick_action_jumps_to_its_section(
    phone: tuple[Page, PageWatch], site_server: StaticServer, slug: str, targets: list[str]
) -> None:
    """Tapped from the top of the page, each action brings its heading on screen, clear of
    the header, and the page has no accessibility violations."""
    page, seen = phone
    page.goto(f"{site_server.url}conditions/{slug}/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for name, target in zip(QUICK_ACTIONS, targets, strict=True):
        page.evaluate("scrollTo(0, 0)")
        page.get_by_role("navigation", name="Quick actions").get_by_role("link", name=name).click()
        heading = f"#{target}"
        expect(page.locator(heading)).to_be_in_viewport()
        page.wait_for_function(f"location.hash === '{heading}'")
        assert in_view(page, heading), (name, target)
    assert seen.console_errors == []
    assert seen.foreign_requests == []


def test_quick_actions_and_folds_work_without_javascript(
    phone_without_js: Page, site_server: StaticServer
) -> None:
    """With scripts off, an action is a plain link to its heading and a folded section opens
    with a tap on its summary."""
    page = phone_without_js
    page.goto(f"{site_server.url}conditions/{CALF}/")
    actions = page.get_by_role("navigation", name="Quick actions")
    actions.get_by_role("link", name="What to do now").click()
    expect(page).to_have_url(f"{site_server.url}conditions/{CALF}/#what-to-do-now")
    assert in_view(page, "#what-to-do-now")
    causes = page.locator("details.hb-fold").first
    expect(causes.locator("ul")).to_be_hidden()
    causes.locator("summary").click()
    expect(causes.locator("ul")).to_be_visible()


def test_folded_sections_print_open(
    phone: tuple[Page, PageWatch], site_server: StaticServer
) -> None:
    """Causes, risk factors and references are closed on screen and shown when printed,
    without their 'Show' summaries; the quick actions are left off paper."""
    page, _seen = phone
    page.goto(f"{site_server.url}conditions/{CALF}/")
    folds = page.locator("details.hb-fold")
    expect(folds).to_have_count(3)
    for fold in folds.all():
        expect(fold.locator("ul")).to_be_hidden()
    page.emulate_media(media="print")
    for fold in folds.all():
        expect(fold.locator("ul")).to_be_visible()
        expect(fold.locator("summary")).to_be_hidden()
    expect(page.locator(".hb-quick-actions")).to_be_hidden()


def test_the_review_line_shows_both_dates(
    phone: tuple[Page, PageWatch], site_server: StaticServer, book: Handbook
) -> None:
    page, _seen = phone
    page.goto(f"{site_server.url}conditions/{CALF}/")
    reviewed = book.conditions[CALF].last_reviewed
    due = book.settings.review_due(reviewed)
    line = page.locator(".hb-reviewed")
    expect(line).to_contain_text(
        f"Reviewed on {reviewed.day} {reviewed:%B %Y} · next review due {due.day} {due:%B %Y}"
    )
    expect(line.locator("time")).to_have_count(2)


# ---- the body map -------------------------------------------------------------------------


def map_link(page: Page, view: int, name: str) -> Locator:
    return page.locator(".hb-body-map-view").nth(view).get_by_role("link", name=name, exact=True)


def tap_region(link: Locator) -> None:
    """Tap a region where it shows: its first shape, or for the whole body (the figure under
    the others) its head."""
    if "hb-map-region--whole-body" in (link.get_attribute("class") or ""):
        box = link.bounding_box()
        assert box is not None
        link.click(position={"x": box["width"] / 2, "y": 12})
    else:
        link.locator("path").first.click()


def expect_panel_lists(page: Page, book: Handbook, key: str) -> None:
    """The region's panel is shown, alone, listing each condition with what it is and its
    first lay names."""
    panel = page.locator(f"#map-{key}")
    expect(panel).to_be_visible()
    expect(page.locator(".hb-map-panel:visible")).to_have_count(1)
    items = panel.locator(".hb-map-conditions li")
    conditions = book.conditions_in(key)
    expect(items).to_have_count(len(conditions))
    for item, condition in zip(items.all(), conditions, strict=True):
        expect(item.get_by_role("link")).to_have_text(condition.name)
        expect(item).to_contain_text(condition.what_it_is)
        for alias in condition.aliases[:3]:
            expect(item).to_contain_text(alias)


def test_tapping_each_region_lists_its_conditions(
    phone: tuple[Page, PageWatch], site_server: StaticServer, book: Handbook
) -> None:
    """Every region shape on both views, tapped, shows that region's conditions; a listed
    condition opens its page. No accessibility or console errors along the way."""
    page, seen = phone
    page.goto(site_server.url)
    expect(page.locator(".hb-map-panel:visible")).to_have_count(0)
    tapped = set()
    for view in (0, 1):
        links = page.locator(".hb-body-map-view").nth(view).locator("a.hb-map-region")
        for index in range(links.count()):
            link = links.nth(index)
            key = link.get_attribute("class").split("hb-map-region--")[1]
            name = book.regions[key].name
            page.evaluate("scrollTo(0, 0)")
            tap_region(map_link(page, view, name))
            expect_panel_lists(page, book, key)
            tapped.add(key)
    assert tapped == {key for key in book.regions if book.conditions_in(key)}
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    tap_region(map_link(page, 0, book.regions["foot-ankle"].name))
    page.locator("#map-foot-ankle").get_by_role("link", name="Plantar heel pain").click()
    expect(page.locator(".md-content h1")).to_have_text("Plantar heel pain")
    assert seen.console_errors == []
    assert seen.foreign_requests == []


def test_the_body_map_works_from_the_keyboard(
    phone: tuple[Page, PageWatch], site_server: StaticServer, book: Handbook
) -> None:
    """Tab reaches the map's regions, each announced by its region's name; Enter lists that
    region's conditions, and Tab goes on into the list."""
    page, _seen = phone
    page.goto(site_server.url)
    first = page.locator(".hb-body-map a.hb-map-region").first
    first.focus()
    names = []
    for _ in range(4):
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        page.keyboard.press("Tab")
    assert names == [
        book.regions[key].name for key in ("whole-body", "hip", "knee", "shin-calf-achilles")
    ]
    page.keyboard.press("Shift+Tab")  # back to Shin, calf and Achilles
    shin = page.locator(".hb-body-map a.hb-map-region--shin-calf-achilles").first
    expect(shin).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#map-shin-calf-achilles$"))
    expect_panel_lists(page, book, "shin-calf-achilles")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(book.conditions_in("shin-calf-achilles")[0].name)


@pytest.fixture
def phone_asking_the_server(
    browser: Browser, site_server: StaticServer
) -> Iterator[tuple[Page, list[str]]]:
    """A phone whose every request reaches the server (no service worker answers), with the
    address of each request it makes."""
    context, page, _seen = open_phone(browser, site_server, service_workers="block")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    yield page, asked
    context.close()


def mark_panel(page: Page, key: str) -> None:
    page.evaluate(f"document.getElementById('map-{key}').hbMarked = true")


def panel_is_marked(page: Page, key: str) -> bool:
    return bool(page.evaluate(f"document.getElementById('map-{key}').hbMarked === true"))


def test_a_tapped_region_keeps_its_panel_without_the_theme_fetching_the_page_again(
    phone_asking_the_server: tuple[Page, list[str]], site_server: StaticServer, book: Handbook
) -> None:
    """Material takes a page's first address change for a move to a new page: it fetches the
    page again and swaps the content in, and the swapped-in panel is nobody's :target. A tap
    on the map must not start that: the panel shown is the one tapped, still the same element
    once the theme has recorded where the page is scrolled, and no request for the page goes
    out."""
    page, asked = phone_asking_the_server
    page.goto(site_server.url)
    expect(page.locator(".hb-map-panel:visible")).to_have_count(0)
    mark_panel(page, "knee")
    asked.clear()
    tap_region(map_link(page, 0, book.regions["knee"].name))
    expect_panel_lists(page, book, "knee")
    # The theme stores the scroll position in the entry a moment after the jump (debounced).
    page.wait_for_function("() => history.state !== null && history.state.y > 0")
    expect_panel_lists(page, book, "knee")
    assert panel_is_marked(page, "knee")
    assert site_server.url not in asked


def test_going_back_to_a_region_shows_its_panel_after_the_theme_swaps_the_page_in(
    phone_asking_the_server: tuple[Page, list[str]], site_server: StaticServer, book: Handbook
) -> None:
    """Back and forward are the theme's to handle, so going back from one region to another
    makes it fetch and swap in the page. With the earlier entry's scroll position recorded,
    the theme only scrolls and targets nothing: the panel the address names still shows."""
    page, asked = phone_asking_the_server
    page.goto(site_server.url)
    tap_region(map_link(page, 0, book.regions["knee"].name))
    page.wait_for_function("() => history.state !== null && history.state.y > 0")
    page.evaluate("scrollTo(0, 0)")
    tap_region(map_link(page, 0, book.regions["foot-ankle"].name))
    expect_panel_lists(page, book, "foot-ankle")
    mark_panel(page, "knee")
    asked.clear()
    page.go_back()
    expect(page).to_have_url(f"{site_server.url}#map-knee")
    page.wait_for_function(
        "() => document.getElementById('map-knee').hbMarked !== true", timeout=10_000
    )
    assert asked.count(site_server.url) == 1
    expect_panel_lists(page, book, "knee")


def test_a_modified_click_on_the_map_leaves_a_later_back_to_the_theme(
    phone_asking_the_server: tuple[Page, list[str]], site_server: StaticServer, book: Handbook
) -> None:
    """A Ctrl-click on a region opens a tab and leaves this page where it is, so it must not
    be taken for a tap whose move is still to come: after going on to a condition, Back
    brings the home page itself, not only its address."""
    page, _asked = phone_asking_the_server
    page.goto(site_server.url)
    knee = book.regions["knee"].name
    tap_region(map_link(page, 0, knee))
    expect_panel_lists(page, book, "knee")
    map_link(page, 0, knee).locator("path").first.click(modifiers=["Control"])
    first = book.conditions_in("knee")[0]
    page.locator("#map-knee").get_by_role("link", name=first.name, exact=True).click()
    expect(page.locator(".md-content h1")).to_have_text(first.name)
    page.go_back()
    expect(page).to_have_url(f"{site_server.url}#map-knee")
    expect(page.locator(".md-content h1")).to_have_text(re.compile("Runner's Injury Handbook"))
    expect_panel_lists(page, book, "knee")


def test_the_body_map_works_without_javascript(
    phone_without_js: Page, site_server: StaticServer, book: Handbook
) -> None:
    """With scripts off, a region is still a link, and its panel shows as the page's target."""
    page = phone_without_js
    page.goto(site_server.url)
    tap_region(map_link(page, 1, book.regions["back"].name))
    expect(page).to_have_url(f"{site_server.url}#map-back")
    expect_panel_lists(page, book, "back")
