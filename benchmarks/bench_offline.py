"""Offline benchmark: precache sizes, time to "Ready offline", and the cost of an update.

    .venv/bin/python benchmarks/bench_offline.py

Builds the real site into a temporary folder, serves it on 127.0.0.1 and drives Debian
Chromium. Sizes are raw bytes and gzip level 6 (what a static host such as GitHub Pages
sends). A measurement, never a test: it always exits 0.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright

from macros.browser.pwa import precache_entries
from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from site_tests.browser.deployment import deploy


def _sizes(site: Path, paths: list[str]) -> tuple[int, int]:
    raw = zipped = 0
    for path in paths:
        data = (site / path).read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, compresslevel=6))
    return raw, zipped


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.2f} MB"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        deployment = deploy(Path(tmp))
        entries = precache_entries(deployment.site)
        core = [e.path for e in entries if e.group == "core"]
        everything = [e.path for e in entries]
        core_raw, core_gz = _sizes(deployment.site, core)
        all_raw, all_gz = _sizes(deployment.site, everything)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=PHONE, service_workers="allow").new_page()
            page.goto(deployment.url)
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            status = page.locator("[data-hb-save-offline] .hb-save-offline-status").first
            expect(status).to_contain_text("Download size")
            started = time.perf_counter()
            page.locator("[data-hb-save-offline] button").first.click()
            expect(status).to_have_text("Ready offline.", timeout=300_000)
            ready_seconds = time.perf_counter() - started

            changed = deployment.content / "conditions" / "calf-strain.yml"
            changed.write_text(
                changed.read_text().replace("summary: >-", "summary: >-\n  Changed.", 1)
            )
            deployment.rebuild()
            deployment.server.requests.clear()
            page.goto(deployment.url)
            bar = page.locator(".hb-offline-bar")
            expect(bar).to_contain_text("New version available", timeout=120_000)
            bar.get_by_role("button", name="Reload").click()
            page.wait_for_load_state("networkidle")
            fetched = sorted({p.split("?")[0] for p in deployment.server.requests})
            files = [p.lstrip("/") + ("index.html" if p.endswith("/") else "") for p in fetched]
            files = [f for f in files if (deployment.site / f).is_file()]
            update_raw, update_gz = _sizes(deployment.site, files)
            browser.close()
        deployment.server.stop()

    print("| Measure | Raw | gzip |")
    print("| --- | --- | --- |")
    first = f"Offline copy of the pages on a first visit ({len(core)} files, no Pyodide)"
    first += ", once the page is idle"
    full = f"Full offline copy ({len(everything)} files, with Pyodide)"
    print(f"| {first} | {_mb(core_raw)} | {_mb(core_gz)} |")
    print(f"| {full} | {_mb(all_raw)} | {_mb(all_gz)} |")
    print(f"| Content-only update ({len(files)} files) | {_mb(update_raw)} | {_mb(update_gz)} |")
    print(f"\nTime from 'Save for offline' to 'Ready offline' on localhost: {ready_seconds:.1f} s")
    print(f"Files fetched by the update: {', '.join(files)}")


if __name__ == "__main__":
    main()
