"""Search cost in Debian Chromium: bytes before the first query, and bytes and time to the
first result.

Run from the project root:

    .venv/bin/python benchmarks/bench_search.py [SITE_DIR] [--runs 5] [--cpu-slowdown 4]

With no SITE_DIR it builds the handbook into a temporary folder; pass a built site (for
example a generated 1,000-condition corpus) to measure that instead. The site is served by the
browser tests' static server and each run opens a condition page in a fresh 360 by 740 context
with the service worker blocked, so only search itself is counted. Per run and query:

* before the first query: the search files the page fetched (its scripts and anything from
  pagefind/) plus the dialog's markup in the page;
* to the first result: every pagefind/ file fetched from typing to the first result shown,
  and the time from the first input event to the first result in the list (the dialog waits
  120 ms for typing to pause; that is included), timed in the page with performance.now().

The static server sends files uncompressed; each byte figure also has a gzip estimate (each
file gzipped at level 6, as a static host would send it). Pagefind's index files are already
compressed, so their two figures are close. Targets: before the first query < 10 KB (gzip).
It always exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from site_tests.browser.static_server import StaticServer  # noqa: E402

PAGE = "conditions/calf-strain/"
QUERIES = ("shin splints", "heel pain in the morning", "plantar fascitis")
SEARCH_SCRIPTS = "/assets/javascripts/search/"
INDEX = "/pagefind/"
TARGET_BEFORE_KB = 10.0
TIMER = """() => {
  const input = document.querySelector(".hb-search__input");
  const list = document.querySelector(".hb-search__results");
  window.__hbFirstResult = new Promise((resolve) => {
    let start = null;
    input.addEventListener("input", () => { start ??= performance.now(); }, { capture: true });
    new MutationObserver(() => {
      if (list.children.length && start !== null) resolve(performance.now() - start);
    }).observe(list, { childList: true });
  });
}"""


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


class Fetched:
    """Site files one page fetched, by path, with their size on disk raw and gzipped."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.paths: list[str] = []

    def record(self, url: str) -> None:
        self.paths.append(urlsplit(url).path)

    def since(self, mark: int, prefix: str) -> list[str]:
        return [p for p in self.paths[mark:] if p.startswith(prefix)]

    def sizes(self, paths: list[str]) -> tuple[int, int]:
        files = [self.site / p.lstrip("/") for p in paths]
        files = [f for f in files if f.is_file()]
        return sum(f.stat().st_size for f in files), sum(gzip_size(f) for f in files)


def dialog_markup(site: Path) -> tuple[int, int]:
    html = (site / PAGE / "index.html").read_text(encoding="utf-8")
    search_markup = r"<button[^>]*data-hb-search-open.*?</button>|<dialog.*?</dialog>"
    parts = re.findall(search_markup, html, re.S)
    text = "".join(parts).encode()
    return len(text), len(gzip.compress(text, compresslevel=6))


def one_run(page: Page, server: StaticServer, fetched: Fetched, query: str) -> dict:
    page.goto(server.url + PAGE)
    page.wait_for_load_state("networkidle")
    before = fetched.since(0, SEARCH_SCRIPTS) + fetched.since(0, INDEX)
    page.evaluate(TIMER)
    page.locator(".md-header [data-hb-search-open]").click()
    mark = len(fetched.paths)
    page.locator(".hb-search__input").fill(query)
    elapsed = page.evaluate("() => window.__hbFirstResult")
    page.wait_for_load_state("networkidle")
    during = fetched.since(mark, INDEX)
    raw, packed = fetched.sizes(during)
    before_raw, before_packed = fetched.sizes(before)
    return {
        "query": query,
        "before_first_query": {"raw": before_raw, "gzip": before_packed, "files": before},
        "to_first_result": {"raw": raw, "gzip": packed, "files": len(during), "ms": elapsed},
        "index_files": during,
        "first_result": page.locator(".hb-search__title").first.text_content(),
    }


def measure(site: Path, runs: int, slowdown: float) -> dict:
    server = StaticServer(site)
    server.start()
    results = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for query in QUERIES:
                for _ in range(runs):
                    context = browser.new_context(viewport=PHONE, service_workers="block")
                    page = context.new_page()
                    if slowdown > 1:
                        cdp = context.new_cdp_session(page)
                        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                    fetched = Fetched(site)
                    page.on("requestfinished", lambda request, f=fetched: f.record(request.url))
                    results.append(one_run(page, server, fetched, query))
                    context.close()
            browser.close()
    finally:
        server.stop()
    return {"runs": results, "markup": dialog_markup(site), "pages": count_pages(site)}


def count_pages(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def report(result: dict, slowdown: float) -> None:
    runs = result["runs"]
    markup_raw, markup_gzip = result["markup"]
    first = runs[0]["before_first_query"]
    before_gzip = first["gzip"] + markup_gzip
    print(f"Indexed pages: {result['pages']}; CPU slowdown {slowdown:g}x; {len(runs)} runs")
    print(
        f"Before the first query: {(first['raw'] + markup_raw) / 1000:.1f} KB raw, "
        f"{before_gzip / 1000:.1f} KB gzip (scripts {first['gzip'] / 1000:.1f} KB, dialog "
        f"markup {markup_gzip / 1000:.1f} KB); index files fetched: "
        f"{sum(1 for p in first['files'] if p.startswith(INDEX))}; target < "
        f"{TARGET_BEFORE_KB:g} KB: {'met' if before_gzip / 1000 < TARGET_BEFORE_KB else 'missed'}"
    )
    for query in QUERIES:
        mine = [r for r in runs if r["query"] == query]
        ms = [r["to_first_result"]["ms"] for r in mine]
        raw = statistics.median(r["to_first_result"]["raw"] for r in mine)
        packed = statistics.median(r["to_first_result"]["gzip"] for r in mine)
        files = statistics.median(r["to_first_result"]["files"] for r in mine)
        print(
            f"  {query!r}: first result {statistics.median(ms):.0f} ms median "
            f"({min(ms):.0f}-{max(ms):.0f}); {raw / 1000:.1f} KB raw, {packed / 1000:.1f} KB "
            f"gzip in {files:.0f} files; first: {mine[0]['first_result']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            subprocess.run(
                [sys.executable, "-m", "macros", "build", "--site-dir", str(site)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        result = measure(site.resolve(), args.runs, args.cpu_slowdown)
        report(result, args.cpu_slowdown)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
