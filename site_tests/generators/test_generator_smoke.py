"""Each other generator's site in real Chromium: pages, search, both calculators and the whole
handbook offline, through the same flow the default generator's offline test runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from site_tests.browser.deployment import deploy
from site_tests.browser.test_offline import (
    open_tab,
    save_for_offline,
    use_everything_offline,
    wait_for_worker,
)
from site_tests.generators.conftest import OTHER_GENERATORS


@pytest.mark.parametrize("generator", OTHER_GENERATORS)
def test_the_handbook_works_online_and_in_airplane_mode(
    browser: Browser, tmp_path: Path, generator: str
) -> None:
    served = deploy(tmp_path, generator=generator)
    try:
        page, seen = open_tab(browser, served)
        page.goto(served.url)
        wait_for_worker(page)
        save_for_offline(page)
    finally:
        served.server.stop()
    use_everything_offline(page, served.url)
    assert seen.foreign_requests == []
    assert seen.console_errors == []
    page.context.close()
