"""The screenshots in docs/clinics.md, made from a real build of the example clinic's copy.

Run from the project root after changing the handout, the plan tools or the example clinic:

    .venv/bin/python benchmarks/docs_screenshots.py

It builds clinics/example for its own site_url (so the QR codes hold the clinic's real
address, as a clinic's printout would), serves it under /handbook/, and drives Debian Chromium
through Playwright. It writes three small PNGs (greyscale, palette-reduced) into
docs/assets/images/clinics/: the printed handout, its QR code with the clinic's card, and a
prescription link. Not a test and not a benchmark: it measures nothing and always rebuilds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from site_tests.browser.static_server import StaticServer  # noqa: E402
from site_tests.conftest import free_port  # noqa: E402

CLINIC = PROJECT_ROOT / "clinics" / "example"
OUT = PROJECT_ROOT / "docs" / "assets" / "images" / "clinics"
SLUG = "plantar-heel-pain"
A4_WIDTH = 703  # CSS pixels between 12 mm margins on A4
NOTE = "Flat routes only until our review on 22 March. Call us if the morning pain rises."


def _build(site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    subprocess.run(
        [sys.executable, "-m", "macros", "build", "--site-dir", str(site), "--clinic", str(CLINIC)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )


def _save(png: bytes, name: str, width: int) -> None:
    """Scaled to `width`, greyscale and 16 shades: a few tens of KB in the repository."""
    image = Image.open(io.BytesIO(png)).convert("L")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image = image.quantize(colors=16)
    OUT.mkdir(parents=True, exist_ok=True)
    image.save(OUT / name, optimize=True)
    print(f"wrote {OUT / name} ({(OUT / name).stat().st_size // 1024} KB)")


def _handout(page: Page, base: str) -> None:
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(f"{base}conditions/{SLUG}/handout/")
    handout = page.locator(".hb-handout")
    _save(handout.screenshot(), "handout.png", 620)
    _save(page.locator(".hb-handout-head").screenshot(), "handout-qr.png", 620)
    page.emulate_media(media="screen")


def _prescription(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(f"{base}conditions/{SLUG}/")
    plan = page.locator('form[data-calculator="return_to_run_plan"]')
    plan.locator('input[name="today_colour"][value="green"]').check()
    for name, value in {
        "days_since_stopped": "21",
        "pre_injury_minutes_per_week": "120",
        "pre_injury_runs_per_week": "3",
        "running_days_per_week": "3",
        "start_date": "2027-03-08",
    }.items():
        plan.locator(f'input[name="{name}"]').fill(value)
    plan.locator('input[name="walk_test_passed"][value="true"]').check()
    plan.locator("button[type=submit]").click()
    tools = page.locator("[data-hb-plan-tools]")
    expect(tools).to_be_visible(timeout=120_000)
    page.evaluate("document.querySelector('.md-header').remove()")  # it sticks over the shot
    tools.locator("[data-hb-note]").fill(NOTE)
    tools.locator("[data-hb-prescribed]").check()
    tools.get_by_role("button", name="Share this plan").click()
    expect(tools.locator("[data-hb-share-qr] svg")).to_have_count(1, timeout=60_000)
    _save(tools.screenshot(), "prescription.png", 420)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        _build(site)
        server = StaticServer(site, prefix="/handbook/")
        server.port = free_port()
        server.start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context().new_page()
                _handout(page, server.url)
                _prescription(page, server.url)
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
