"""Search cost in Debian Chromium, at the handbook's size and at scale: bytes before the first
query, and bytes and time to the first result.

Run from the project root:

    .venv/bin/python benchmarks/bench_search.py [--conditions 46 1000] [--runs 3]
        [--cpu-slowdown 4] [--content-update] [--keep DIR] [--json FILE]
    .venv/bin/python benchmarks/bench_search.py SITE_DIR [SITE_DIR ...] [--runs 3] ...

With no SITE_DIR it builds one site per --conditions size (default 46) into a temporary folder,
from a content folder of that many conditions written by benchmarks/corpus.py (46 is the real
content itself); --keep DIR keeps the corpora and sites in DIR/<N>/ so that a later run can
measure them again as SITE_DIRs without building. Each site is served by the browser tests'
static server; each run opens the calf strain page in a fresh 360 by 740 context with the
service worker blocked, so only search itself is counted. The sites take turns run by run, so
a machine that slows down part-way slows every site alike. Per run and query:

* before the first query: the search files the page fetched (its scripts and anything from
  pagefind/) plus the dialog's markup in the page;
* to the first result: the pagefind/ files fetched from the first input event until the
  result list is shown (the dialog shows its first eight results at once), and the time
  between those two moments, timed in the page; the dialog waits 120 ms for typing to pause,
  and that is included.

Absolute times move with the machine's load, so each time is also given as a ratio against an
anchor measured in the same run: a fixed piece of JavaScript (fill, sort and JSON round-trip
an array) in a fresh page with the same CPU slowdown. A site larger than the first is also
compared with the first site, query by query.

--cpu-slowdown N (4 is a mid-range phone) uses Chromium's Emulation.setCPUThrottlingRate, which
slows the page's main thread only: Chromium refuses it for workers ("Operation is only
supported for pages, not workers"), and Pagefind runs its wasm search in a worker of its own,
so a slowed run understates a phone's search time; the dialog, Pagefind's loader and result
handling are slowed.

--content-update changes one condition's summary in each corpus, builds it again and
reports how many of Pagefind's files (index chunks, fragments, filters, metadata) changed, as
the service worker's revisions see them: what a content update downloads for search.

The static server sends files uncompressed; each byte figure also has a gzip estimate (each
file gzipped at level 6, as a static host would send it). Pagefind's index files are already
compressed, so their two figures are close. Target: before the first query < 10 KB gzip.
A measurement, never a test: it exits 0 unless a site cannot be built.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright  # noqa: E402

from benchmarks.corpus import write_corpus  # noqa: E402
from macros.browser.pwa import precache_entries  # noqa: E402
from macros.browser.search_index import INDEX_DIR  # noqa: E402
from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from site_tests.browser.static_server import StaticServer  # noqa: E402
from site_tests.conftest import build_site  # noqa: E402

REAL_CONDITIONS = 46
PAGE = "conditions/calf-strain/"
CHANGED_CONDITION = "calf-strain"
QUERIES = ("shin splints", "heel pain in the morning", "plantar fascitis")
SEARCH_SCRIPTS = "/assets/javascripts/search/"
INDEX = f"/{INDEX_DIR}/"
TARGET_BEFORE_KB = 10.0
# Resolves with the first input event's and the first shown result's times, both in epoch ms
# (performance.timeOrigin + now()), so they compare with Playwright's request timings.
TIMER = """() => {
  const input = document.querySelector(".hb-search__input");
  const list = document.querySelector(".hb-search__results");
  const now = () => performance.timeOrigin + performance.now();
  window.__hbFirstResult = new Promise((resolve) => {
    let start = null;
    input.addEventListener("input", () => { start ??= now(); }, { capture: true });
    new MutationObserver(() => {
      if (list.children.length && start !== null) resolve([start, now()]);
    }).observe(list, { childList: true });
  });
}"""
# The anchor: the same fixed work in every run, under the same CPU slowdown.
ANCHOR = """() => {
  const started = performance.now();
  const values = new Float64Array(300000);
  let x = 1;
  for (let i = 0; i < values.length; i++) { x = (x * 16807) % 2147483647; values[i] = x; }
  values.sort();
  JSON.parse(JSON.stringify(Array.from(values.subarray(0, 60000))));
  return performance.now() - started;
}"""


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


@dataclass
class Site:
    """A built site and how many condition pages it has."""

    path: Path
    conditions: int = field(init=False)

    def __post_init__(self) -> None:
        self.conditions = len(list((self.path / "conditions").glob("*/index.html")))


class Fetched:
    """Site files one page fetched, in order, with their size on disk raw and gzipped."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.requests: list[Request] = []

    def record(self, request: Request) -> None:
        self.requests.append(request)

    @staticmethod
    def path(request: Request) -> str:
        return urlsplit(request.url).path

    def paths(self, prefix: str, start: float = 0, end: float = float("inf")) -> list[str]:
        """Paths under `prefix` of requests sent at or after `start` and finished by `end`
        (epoch ms)."""
        found = []
        for request in self.requests:
            timing = request.timing
            sent = timing["startTime"]
            finished = sent + max(timing["responseEnd"], 0)
            if self.path(request).startswith(prefix) and sent >= start and finished <= end:
                found.append(self.path(request))
        return found

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
    before = fetched.paths(SEARCH_SCRIPTS) + fetched.paths(INDEX)
    page.evaluate(TIMER)
    page.locator(".md-header [data-hb-search-open]").click()
    page.locator(".hb-search__input").fill(query)
    typed, shown = page.evaluate("() => window.__hbFirstResult")
    page.wait_for_load_state("networkidle")
    to_first = fetched.paths(INDEX, start=typed, end=shown)
    # Everything the first query fetched, the list settled: a check on the cut at `shown`.
    after_typing = fetched.paths(INDEX, start=typed)
    raw, packed = fetched.sizes(to_first)
    before_raw, before_packed = fetched.sizes(before)
    return {
        "query": query,
        "before_first_query": {"raw": before_raw, "gzip": before_packed, "files": before},
        "to_first_result": {
            "raw": raw,
            "gzip": packed,
            "files": len(to_first),
            "ms": shown - typed,
        },
        "index_files": to_first,
        "index_files_until_idle": after_typing,
        "first_result": page.locator(".hb-search__title").first.text_content(),
    }


def _tab(browser: Browser, slowdown: float) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    if slowdown > 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    return context, page


def measure(sites: list[Site], runs: int, slowdown: float) -> dict:
    servers = [StaticServer(site.path) for site in sites]
    for server in servers:
        server.start()
    results: dict[int, list[dict]] = {site.conditions: [] for site in sites}
    anchors: list[float] = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                context, page = _tab(browser, slowdown)
                anchors.append(page.evaluate(ANCHOR))
                context.close()
                for query in QUERIES:
                    for site, server in zip(sites, servers, strict=True):
                        context, page = _tab(browser, slowdown)
                        fetched = Fetched(site.path)
                        page.on("requestfinished", fetched.record)
                        results[site.conditions].append(one_run(page, server, fetched, query))
                        context.close()
            browser.close()
    finally:
        for server in servers:
            server.stop()
    return {
        "cpu_slowdown": slowdown,
        "anchor_ms": anchors,
        "sites": [
            {
                "conditions": site.conditions,
                "pages": count_pages(site.path),
                "markup": dialog_markup(site.path),
                "runs": results[site.conditions],
            }
            for site in sites
        ],
    }


def count_pages(site: Path) -> int:
    entry = json.loads((site / INDEX_DIR / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def _medians(runs: list[dict], query: str) -> dict[str, float]:
    mine = [r["to_first_result"] for r in runs if r["query"] == query]
    return {key: statistics.median(m[key] for m in mine) for key in ("ms", "raw", "gzip", "files")}


def report(result: dict) -> None:
    anchor = statistics.median(result["anchor_ms"])
    sites = result["sites"]
    print(
        f"CPU slowdown {result['cpu_slowdown']:g}x; {len(result['anchor_ms'])} runs per query "
        f"and site; anchor (fixed JavaScript) {anchor:.0f} ms median"
    )
    for site in sites:
        runs = site["runs"]
        markup_raw, markup_gzip = site["markup"]
        first = runs[0]["before_first_query"]
        before_gzip = first["gzip"] + markup_gzip
        met = "met" if before_gzip / 1000 < TARGET_BEFORE_KB else "missed"
        print(f"\n{site['conditions']} conditions, {site['pages']} indexed pages")
        print(
            f"  Before the first query: {(first['raw'] + markup_raw) / 1000:.1f} KB raw, "
            f"{before_gzip / 1000:.1f} KB gzip (scripts {first['gzip'] / 1000:.1f} KB, dialog "
            f"markup {markup_gzip / 1000:.1f} KB); index files fetched: "
            f"{sum(1 for p in first['files'] if p.startswith(INDEX))}; target < "
            f"{TARGET_BEFORE_KB:g} KB: {met}"
        )
        for query in QUERIES:
            mine = [r for r in runs if r["query"] == query]
            ms = [r["to_first_result"]["ms"] for r in mine]
            median = _medians(runs, query)
            growth = ""
            if site is not sites[0]:
                base = _medians(sites[0]["runs"], query)
                growth = (
                    f"; against {sites[0]['conditions']} conditions: time "
                    f"{median['ms'] / base['ms']:.2f}x, gzip bytes "
                    f"{median['gzip'] / base['gzip']:.2f}x"
                )
            print(
                f"  {query!r}: first result {median['ms']:.0f} ms median "
                f"({min(ms):.0f}-{max(ms):.0f}), {median['ms'] / anchor:.1f}x the anchor; "
                f"{median['raw'] / 1000:.1f} KB raw, {median['gzip'] / 1000:.1f} KB gzip in "
                f"{median['files']:.0f} files{growth}; first: {mine[0]['first_result']}"
            )


def build(conditions: int, folder: Path) -> Site:
    """A corpus of `conditions` conditions in folder/content, built into folder/site."""
    content, site = folder / "content", folder / "site"
    write_corpus(content, conditions)
    print(f"building {conditions} conditions into {site} ...", file=sys.stderr, flush=True)
    built = build_site(site, HANDBOOK_CONTENT=str(content))
    if built.returncode != 0:
        raise SystemExit(f"the {conditions}-condition build failed:\n{built.stdout}{built.stderr}")
    return Site(site)


def index_revisions(site: Path) -> dict[str, tuple[str, int]]:
    return {
        entry.path: (entry.revision, entry.size)
        for entry in precache_entries(site)
        if entry.path.startswith(INDEX_DIR + "/")
    }


def content_update(folder: Path, site: Site) -> dict:
    """Change one condition's summary in folder/content, build folder/updated and compare
    Pagefind's files with the site's, by the service worker's revisions."""
    content, updated = folder / "content", folder / "updated"
    changed = content / "conditions" / f"{CHANGED_CONDITION}.yml"
    data = yaml.safe_load(changed.read_text(encoding="utf-8"))
    data["summary"] += " A sentence added for the update benchmark."
    changed.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    print(f"building the update into {updated} ...", file=sys.stderr, flush=True)
    built = build_site(updated, HANDBOOK_CONTENT=str(content))
    if built.returncode != 0:
        raise SystemExit(f"the updated build failed:\n{built.stdout}{built.stderr}")
    before, after = index_revisions(site.path), index_revisions(updated)
    fetched = sorted(
        path for path, (rev, _size) in after.items() if before.get(path, ("",))[0] != rev
    )
    kinds: dict[str, list[int]] = {}
    for path in after:
        kind = path.split("/")[1] if path.count("/") > 1 else "entry, code and metadata"
        kinds.setdefault(kind, [0, 0])[0] += 1
        kinds[kind][1] += path in fetched
    return {
        "conditions": site.conditions,
        "files": len(after),
        "changed": fetched,
        "changed_bytes": sum(after[path][1] for path in fetched),
        "bytes": sum(size for _rev, size in after.values()),
        "by_kind": kinds,
    }


def report_update(update: dict) -> None:
    print(
        f"\nContent update at {update['conditions']} conditions (one summary changed): "
        f"{len(update['changed'])} of {update['files']} search files changed, "
        f"{update['changed_bytes'] / 1000:.0f} KB of {update['bytes'] / 1000:.0f} KB"
    )
    for kind, (files, changed) in sorted(update["by_kind"].items()):
        print(f"  {kind}: {changed} of {files} changed")
    print(f"  changed: {', '.join(update['changed'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", type=Path, help="built sites (default: build them)")
    parser.add_argument(
        "--conditions",
        type=int,
        nargs="+",
        default=[REAL_CONDITIONS],
        help="corpus sizes to build when no site is given (default: 46, the real content)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0)
    parser.add_argument(
        "--content-update",
        action="store_true",
        help="also rebuild each corpus with one condition changed (needs a build)",
    )
    parser.add_argument("--keep", type=Path, help="keep corpora and sites in DIR/<N>/")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if args.sites and args.content_update:
        parser.error("--content-update builds its own sites; give --conditions, not SITE_DIRs")
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        if args.sites:
            sites = [Site(path.resolve()) for path in args.sites]
        else:
            sizes = sorted(set(args.conditions))
            for size in sizes:
                shutil.rmtree(work / str(size), ignore_errors=True)
            sites = [build(size, work / str(size)) for size in sizes]
        result = measure(sites, args.runs, args.cpu_slowdown)
        report(result)
        if args.content_update:
            result["content_update"] = [
                content_update(work / str(site.conditions), site) for site in sites
            ]
            for update in result["content_update"]:
                report_update(update)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
