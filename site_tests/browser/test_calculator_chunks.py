"""A condition page's calculator fetches only its own condition's data, and after Material's
instant navigation the same worker fetches the next condition's chunk and still answers.

The service worker is blocked here: its first-visit precache saves every file, and this test
is about what the page and its calculator worker ask for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from calculators import bridge
from site_tests.browser.conftest import COLD_START, PHONE
from site_tests.browser.static_server import StaticServer
from site_tests.browser.test_calculators import check_today, form, result
from site_tests.real_catalogue import real_catalogue_json

pytestmark = pytest.mark.browser

ACHILLES = "mid-portion-achilles-tendinopathy"
CALF = "calf-strain"
ANKLE = "ankle-sprain"
BUNDLE = "/assets/calculators/"


@pytest.fixture
def recorded(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    fetched: list[str] = []

    def on_request(request: Request) -> None:
        path = urlsplit(request.url).path
        if BUNDLE in path:
            fetched.append(path.split(BUNDLE, 1)[1])

    page.on("request", on_request)
    yield page, fetched
    context.close()


def _chunks(fetched: list[str]) -> list[str]:
    return [name.removeprefix("conditions/").rsplit("-", 1)[0] for name in fetched if "/" in name]


def test_a_condition_page_fetches_only_its_own_chunk_and_keeps_working_after_navigation(
    recorded: tuple[Page, list[str]], site_server: StaticServer
) -> None:
    page, fetched = recorded
    page.goto(f"{site_server.url}conditions/{ACHILLES}/")
    assert fetched == []  # nothing of the calculators before a calculator is used
    light = check_today(page, (7, 3, 1))
    expect(light.locator(".hb-light")).to_be_visible(timeout=COLD_START)
    assert _chunks(fetched) == [ACHILLES]
    assert sorted(name.split("-", 1)[0] for name in fetched if "/" not in name) == [
        "calculators",
        "shared",
    ]  # the code and shared data; the QR encoder waits for a QR code
    chunk = next(name for name in fetched if "/" in name)
    assert page.locator(f'form[data-chunk="assets/calculators/{chunk}"]').count() == 2

    page.evaluate("globalThis.__hbTestMarker = globalThis.__hbCalculators.worker")
    page.locator(".hb-glance a").first.click()  # to the region page, by instant navigation
    page.locator(".hb-condition-list").get_by_role("link", name="Calf strain").click()
    expect(form(page, "self_check")).to_be_visible()
    assert page.evaluate("globalThis.__hbTestMarker === globalThis.__hbCalculators.worker")
    check_today(page, (0, 0, 0))
    expect(result(page, "self_check").locator(".hb-light")).to_have_count(1, timeout=COLD_START)
    expect(result(page, "self_check").locator(".hb-light")).to_have_class(
        "hb-light hb-light--green"
    )
    assert _chunks(fetched) == [ACHILLES, CALF]  # each chunk once; code and shared kept
    assert len(fetched) == 4

    # The calf answer is the whole catalogue's, byte for byte.
    payload = {"condition": CALF, "pain_during": 4, "pain_after": 1, "pain_next_morning": 0}
    in_browser = page.evaluate(
        "(payload) => globalThis.__hbCalculators.calculate('self_check', payload)", payload
    )
    assert in_browser == bridge.call("self_check", json.dumps(payload), real_catalogue_json())
    assert len(fetched) == 4

    # A call about a condition this page names nowhere (a shared link to another condition's
    # plan) finds that chunk through the index, which only such a call fetches.
    other = {**payload, "condition": ANKLE}
    in_browser = page.evaluate(
        "(payload) => globalThis.__hbCalculators.calculate('self_check', payload)", other
    )
    assert in_browser == bridge.call("self_check", json.dumps(other), real_catalogue_json())
    assert _chunks(fetched) == [ACHILLES, CALF, ANKLE]
    assert [name.split("-", 1)[0] for name in fetched[4:]] == ["conditions", "conditions/ankle"]
