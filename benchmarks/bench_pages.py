"""Page weight and Lighthouse: the Achilles page against stock Material's same page, same run.

Run from the project root:

    .venv/bin/python benchmarks/bench_pages.py [--runs 3] [--no-lighthouse] [--json FILE]

It builds two sites from the real content: the project (`python -m macros build`) and stock
Material 9.8 on the same staged Markdown with no project overrides (benchmarks/bench_scale.py's
"plain" site: the same nav and Markdown extensions, Material's own search, its default fonts).
Both are served by one small server that gzips text files, as a static host does, and sends
the project's `_headers` (its security policy). Then, for the condition page
conditions/mid-portion-achilles-tendinopathy/:

* page bytes before any calculator use: every network response (CDP encodedDataLength: gzip
  bytes on the wire, headers included) of the page, its workers and its service worker, from
  navigation until the network is quiet, with the browser's idle callbacks held, so what the
  page does only once idle (the offline copy, any early calculator start) is counted apart;
* background after idle: the idle callbacks are then run and the network left to go quiet
  again; its bytes (the first-visit offline copy) are reported, with any file that travelled
  twice over the whole visit;
* Lighthouse 13, mobile (its default: simulated slow 4G, 4x CPU), the four categories and the
  first contentful paint, median of --runs, project and stock taking turns.

Lighthouse is not one of the project's dependencies: benchmarks/lighthouse/package.json and its
lock pin it, and the first run installs that copy into .cache/lighthouse with `npm ci`. It
drives Debian's /usr/bin/chromium (CHROME_PATH), headless. Stock Material asks Google Fonts for
Roboto; with no internet that request fails, as it would for a runner offline.

Targets (issue 16): page ≤ 150 KB gzip and ≤ 0.75x stock; Lighthouse 1.0 in every category;
FCP ≤ stock's. A measurement, never a test: it exits 0 unless a build fails.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks import bench_scale  # noqa: E402
from benchmarks.bench_browser import (  # noqa: E402
    NetLog,
    Resource,
    Sizes,
    build,
    free_port,
    listen,
    settle,
)
from macros.browser.security import HEADERS_FILE, headers_for, read_headers_file  # noqa: E402
from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from site_tests.browser.static_server import MIME_TYPES  # noqa: E402
from site_tests.browser.test_offline_precache import HOLD_IDLE, RUN_IDLE  # noqa: E402

PAGE = "conditions/mid-portion-achilles-tendinopathy/"
KINDS = ("project", "stock")
TARGET_KB = 150.0
TARGET_RATIO = 0.75
LIGHTHOUSE_PINS = ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE_HOME = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_HOME / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".webmanifest", ".txt")


class _GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped at level 6 when the browser accepts it, with the site's headers."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}  # noqa: RUF012

    def __init__(self, *args, log: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._log = log
        super().__init__(*args, **kwargs)

    def send_head(self):  # type: ignore[no-untyped-def]
        self._log.append(self.path)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSED and wants_gzip):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        rules = Path(self.directory) / HEADERS_FILE
        if rules.is_file():
            table = read_headers_file(rules.read_text(encoding="utf-8"))
            for name, value in headers_for(table, self.path.split("?", 1)[0]):
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are kept in the log list."""


class GzipServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        handler = partial(_GzipHandler, directory=str(root), log=self.requests)
        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def build_sites(work: Path) -> dict[str, Path]:
    """The project's site and stock Material's, from the same real content."""
    prepared = bench_scale.prepare(46, work)
    plain = bench_scale.command("plain", 46, work, prepared)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(plain, cwd=ROOT, env=env, check=True, capture_output=True)
    project = work / "site-project"
    build(project, 8000)  # the address only names the canonical links
    return {"project": project, "stock": work / "site-plain"}


def reconcile(log: NetLog, served: list[str], sizes: Sizes) -> list[Resource]:
    """CDP's network responses, plus what the server sent that CDP never reported (worker and
    service worker scripts, fetched before their session exists), at their gzip size."""
    resources = [r for r in log.done if r.network]
    missing = Counter(served) - Counter(r.path for r in resources)
    for path, count in missing.items():
        resources += [Resource(path, sizes.of(path)[1], "server log", "worker")] * count
    return resources


def page_bytes(browser, server: GzipServer) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    sizes = Sizes(server.root)
    server.requests.clear()
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    context.add_init_script(HOLD_IDLE)
    page = context.new_page()
    log = NetLog(server.url.rstrip("/"))
    listen(context, page, log)
    page.goto(server.url + PAGE, wait_until="load")
    settle(page, log, server)
    before = reconcile(log, server.requests, sizes)
    n_logged, n_served = len(log.done), len(server.requests)
    held = page.evaluate(RUN_IDLE)
    settle(page, log, server)
    after_log = NetLog(log.origin, done=log.done[n_logged:])
    after = reconcile(after_log, server.requests[n_served:], sizes)
    context.close()
    travelled = Counter(r.path for r in before + after if r.status == 200)
    return {
        "before_idle_bytes": sum(r.encoded for r in before),
        "before_idle_requests": len(before),
        "idle_callbacks": held,
        "after_idle_bytes": sum(r.encoded for r in after),
        "after_idle_requests": len(after),
        "fetched_twice": sorted(path for path, times in travelled.items() if times > 1),
        "after_idle_files": sorted(
            ({"path": r.path, "bytes": r.encoded, "by": r.requester} for r in after),
            key=lambda f: -f["bytes"],
        )[:40],
        "files": sorted(
            (
                {"path": r.path, "bytes": r.encoded, "by": r.requester, "seen": r.source}
                for r in before
            ),
            key=lambda f: -f["bytes"],
        ),
    }


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.is_file():
        return
    LIGHTHOUSE_HOME.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(LIGHTHOUSE_PINS / name, LIGHTHOUSE_HOME / name)
    print("installing the pinned Lighthouse into .cache/lighthouse ...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_HOME, check=True)


def lighthouse(url: str, out: Path) -> dict[str, float]:
    flags = "--headless=new --no-sandbox --disable-gpu"
    options = [f"--output-path={out}", f"--chrome-flags={flags}"]
    options += ["--output=json", "--quiet", f"--only-categories={','.join(CATEGORIES)}"]
    subprocess.run(
        [str(LIGHTHOUSE), url, *options],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        capture_output=True,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    scores["fcp_ms"] = report["audits"]["first-contentful-paint"]["numericValue"]
    scores["lcp_ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    scores["tbt_ms"] = report["audits"]["total-blocking-time"]["numericValue"]
    scores["version"] = report["lighthouseVersion"]
    return scores


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(results: dict[str, Any]) -> None:
    weight = results["weight"]
    project, stock = (statistics.median(w["before_idle_bytes"] for w in weight[k]) for k in KINDS)
    ratio = project / stock
    print(f"\nPage bytes before any calculator use ({PAGE}, gzip on the wire, KB = 1000 bytes)")
    print(f"  project {project / 1000:.1f} KB, stock {stock / 1000:.1f} KB, ratio {ratio:.2f}")
    print(f"  targets: ≤ {TARGET_KB:.0f} KB and ≤ {TARGET_RATIO}x stock")
    idle = statistics.median(w["after_idle_bytes"] for w in weight["project"])
    twice = sorted({p for w in weight["project"] for p in w["fetched_twice"]})
    print(f"  project, once idle (first-visit offline copy): {idle / 1000:.1f} KB more")
    print(f"  files that travelled twice: {twice or 'none'}")
    if "lighthouse" not in results:
        return
    runs = results["lighthouse"]
    print(f"\nLighthouse {runs['project'][0]['version']}, mobile, median of {len(runs['project'])}")
    print(f"  {'':8} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'FCP':>8} {'LCP':>8} {'TBT':>8}")
    for kind in KINDS:
        cells = [f"{median_of(runs[kind], c):5.2f}" for c in CATEGORIES]
        times = [median_of(runs[kind], t) / 1000 for t in ("fcp_ms", "lcp_ms", "tbt_ms")]
        print(f"  {kind:8} {' '.join(cells)} " + " ".join(f"{t:7.2f}s" for t in times))
    fcp_ratio = median_of(runs["project"], "fcp_ms") / median_of(runs["stock"], "fcp_ms")
    print(f"  FCP project / stock: {fcp_ratio:.2f} (target ≤ 1.0)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if not args.no_lighthouse:
        ensure_lighthouse()
    results: dict[str, Any] = {"weight": {k: [] for k in KINDS}}
    with tempfile.TemporaryDirectory(prefix="hb-pages-") as scratch:
        print("building the project and stock Material ...", file=sys.stderr, flush=True)
        sites = build_sites(Path(scratch))
        servers = {kind: GzipServer(site) for kind, site in sites.items()}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for run in range(args.runs):
                    for kind in KINDS if run % 2 == 0 else KINDS[::-1]:
                        print(f"run {run + 1}: page bytes, {kind}", file=sys.stderr, flush=True)
                        results["weight"][kind].append(page_bytes(browser, servers[kind]))
                browser.close()
            if not args.no_lighthouse:
                results["lighthouse"] = {k: [] for k in KINDS}
                for run in range(args.runs):
                    for kind in KINDS if run % 2 == 0 else KINDS[::-1]:
                        print(f"run {run + 1}: Lighthouse, {kind}", file=sys.stderr, flush=True)
                        out = Path(scratch) / f"lighthouse-{kind}-{run}.json"
                        scores = lighthouse(servers[kind].url + PAGE, out)
                        results["lighthouse"][kind].append(scores)
        finally:
            for server in servers.values():
                server.stop()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
