"""A clinic's copy in real Chromium: accessible in its own colours, installable under its name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Playwright, expect

from site_tests.browser.conftest import phone_profile
from site_tests.browser.deployment import Deployment
from site_tests.browser.forms import tap

pytestmark = pytest.mark.browser


def test_clinic_palette_passes_axe_in_light_and_dark(
    playwright: Playwright, clinic_copy: Deployment, tmp_path: Path
) -> None:
    """Zero axe violations on home, a region and a condition with a red result, both schemes."""
    context = phone_profile(playwright, tmp_path / "profile")
    page = context.new_page()
    axe = Axe()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path in ["", "regions/knee/"]:
            page.goto(clinic_copy.url + path)
            result = axe.run(page)
            assert result.violations_count == 0, f"{scheme} {path}\n{result.generate_report()}"
        page.goto(clinic_copy.url + "conditions/plantar-heel-pain/")
        check = page.locator('form[data-calculator="self_check"]')
        # Address the box by its label, as a runner taps it; a reload may restore ticks.
        box = check.locator('input[name="red_flags"]').first
        box.evaluate("input => { input.checked = false; }")
        check.locator(f'label[for="{box.get_attribute("id")}"]').click()
        expect(box).to_be_checked()
        for name in ("pain_during", "pain_after", "pain_next_morning"):
            tap(check, name, 0)
        check.locator("button[type=submit]").click()
        light = check.locator("xpath=..").locator(".hb-light")
        expect(light).to_have_class("hb-light hb-light--red", timeout=60_000)
        expect(light).to_contain_text("111")
        # The red carries over to the plan form, which then only refers, with the same number.
        plan = page.locator('form[data-calculator="return_to_run_plan"]')
        plan.locator("button[type=submit]").click()
        referral = plan.locator("xpath=..").locator(".hb-light--red")
        expect(referral).to_contain_text("111", timeout=60_000)
        result = axe.run(page)
        assert result.violations_count == 0, f"{scheme} condition\n{result.generate_report()}"
    # Installs as an app under the clinic's own name.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = json.loads(cdp.send("Page.getAppManifest")["data"])
    assert manifest["name"] == "Riverside Sports Physio"
    context.close()
