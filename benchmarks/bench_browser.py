"""Cold and warm calculator latency, and bytes transferred, in Debian Chromium.

Run from the project root:

    .venv/bin/python benchmarks/bench_browser.py --runs 5 [--json results.json]

It builds the site into a temporary directory, serves it with the browser tests' static server
and drives /usr/bin/chromium through Playwright at a 360 by 740 viewport on the Achilles page. Each
run uses a fresh browser context, so the HTTP cache is cold. Per run it measures:

* the anchor: a bare `loadPyodide()` plus `runPython("1")` in a module worker on a fresh
  profile from the same server; every start below is also reported as a ratio against the
  anchor of its own run (the machine is shared, so ratios are what compare);
* first-visit cold (below), with the page's early start held back so that Python starts on
  the first touch, as it does for a runner who saves data;
* repeat-visit cold: a new page load in the same profile, files from the service worker,
  Python restored from the memory snapshot it saved after the first visit, then the same
  with the snapshot removed from its cache;
* answer time: a fresh profile with the early start on; the runner answers 3 s after the
  form appears, and the time from submit to the first light is reported;
* bytes before any calculator use: every response from navigation until the network is idle,
  the form untouched and the early start held back (it would add the runtime's bytes)
  (CDP `Network.loadingFinished.encodedDataLength`, page and its workers);
* cold latency: first interaction with the self-check form (a field getting focus) to the
  first traffic light, timed in the page with `performance.now()` and a MutationObserver;
  wall-clock from Python too;
* bytes through the first result (as above, cumulative);
* warm latency: 20 more submits of the same form, click to result replaced, timed in the page.

Our test server sends files uncompressed; a static host such as GitHub Pages sends gzip, so
every byte figure also has a gzip estimate: each fetched file's bytes gzipped at level 6
(never more than the file itself; response headers excluded). Targets: warm ≤ 50 ms, cold ≤ 4 s,
page before calculator use ≤ 150 KB compressed (KB = 1000 bytes). It always exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from site_tests.browser.forms import tap  # noqa: E402
from site_tests.browser.static_server import StaticServer  # noqa: E402

PAGE = "conditions/mid-portion-achilles-tendinopathy/"
FORM = 'form[data-calculator="self_check"]'
ANSWERS = {"pain_during": "4", "pain_after": "2", "pain_next_morning": "0"}
WARM_SUBMITS = 20
TARGET_WARM_MS = 50.0
TARGET_COLD_S = 4.0
TARGET_PAGE_KB = 150.0
COLD_TIMEOUT_MS = 180_000
QUIET_S = 0.5
# Ratio targets against the anchor (issue 16), and the answer-time scenario.
TARGET_FIRST_VISIT_RATIO = 1.1
TARGET_REPEAT_VISIT_RATIO = 0.4
TARGET_AFTER_SUBMIT_MS = 100.0
ANSWER_TIME_S = 3.0
ANCHOR = "__bench__/anchor.html"
# The anchor: a bare loadPyodide() plus runPython("1") in a module worker, from the same server
# and the same runtime folder, timed in the page from creating the worker to its answer.
ANCHOR_FILES = {
    "anchor.html": (
        '<!doctype html><meta charset="utf-8"><title>anchor</title>'
        '<script type="module" src="anchor.mjs"></script>\n'
    ),
    "anchor.mjs": """window.__anchor = (runtimeUrl) => new Promise((resolve, reject) => {
  const started = performance.now();
  const worker = new Worker(new URL("anchor-worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = (event) =>
    event.data.ok ? resolve(performance.now() - started) : reject(new Error(event.data.error));
  worker.postMessage(runtimeUrl);
});
""",
    "anchor-worker.mjs": """self.onmessage = async (event) => {
  try {
    const { loadPyodide } = await import(`${event.data}pyodide.mjs`);
    const pyodide = await loadPyodide({ indexURL: event.data });
    pyodide.runPython("1");
    self.postMessage({ ok: true });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
""",
}
# The page's early start runs when the main thread is idle; with no idle callback it waits for
# the first touch, so a cold start can be timed from it. Used for the cold measurements only.
NO_EARLY_START = "window.requestIdleCallback = () => 0;"
SNAPSHOT_SAVED_JS = """async () => {
  const meta = document.querySelector('meta[name="hb-pyodide-snapshot"]');
  if (!meta || !meta.content) return false;
  const url = new URL(meta.content, location.origin + "/").href;  // the site is served at /
  return Boolean(await caches.match(url, { ignoreSearch: true }));
}"""
FORGET_SNAPSHOT_JS = """async () => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (request.url.includes(".snapshot")) await cache.delete(request);
    }
  }
}"""

# Installed before the first interaction: when the form's section first intersects the viewport
# (page.mjs starts the worker then) or a field first gets focus, and when the first light appears.
INSTRUMENT_JS = """(form) => {
  const section = form.closest("[data-hb-calc]");
  const output = section.querySelector(".hb-calc-result");
  const hb = (window.__hbBench = {
    startedBefore: !!(globalThis.__hbCalculators && globalThis.__hbCalculators.worker),
    visible: null, focus: null, first: null, clicks: [], replaced: [], frames: [],
  });
  new IntersectionObserver((entries, observer) => {
    const seen = entries.find((entry) => entry.isIntersecting);
    if (seen) { hb.visible = seen.time; observer.disconnect(); }
  }).observe(section);
  form.addEventListener("focusin", () => { hb.focus ??= performance.now(); }, { capture: true });
  const first = new MutationObserver(() => {
    if (hb.first === null && output.querySelector(".hb-light")) {
      hb.first = performance.now();
      first.disconnect();
    }
  });
  first.observe(output, { childList: true, subtree: true });
  return performance.timeOrigin;
}"""

# Installed after the first result: each submit-button click, and each replacement of the result.
WARM_JS = """(form) => {
  const hb = window.__hbBench;
  const output = form.closest("[data-hb-calc]").querySelector(".hb-calc-result");
  const button = form.querySelector("button[type=submit]");
  button.addEventListener("click", () => hb.clicks.push(performance.now()), { capture: true });
  new MutationObserver(() => {
    if (!output.querySelector(".hb-light")) return;
    const at = performance.now();
    hb.replaced.push(at);
    requestAnimationFrame(() => setTimeout(() => hb.frames.push(performance.now() - at), 0));
  }).observe(output, { childList: true });
}"""


@dataclass
class Resource:
    path: str
    encoded: int  # bytes on the wire, headers included (CDP), or file size (server log)
    source: str  # "cdp" or "server log"
    requester: str  # "page", "worker" (dedicated), "service_worker"
    network: bool = True  # False when served by the service worker or from a cache
    status: int = 200
    start: float | None = None  # epoch seconds, from CDP
    end: float | None = None


@dataclass
class NetLog:
    """CDP network events from the page and, through auto-attach, its workers and service worker.

    A request the page or a worker makes that the service worker answers appears twice: once
    for the requester (from the service worker, no bytes on the wire) and once for the service
    worker's own fetch. Only network responses count as transferred."""

    origin: str
    kinds: dict[str, str] = field(default_factory=lambda: {"page": "page"})
    urls: dict[tuple[str, str], str] = field(default_factory=dict)
    starts: dict[tuple[str, str], float] = field(default_factory=dict)
    offsets: dict[tuple[str, str], float] = field(default_factory=dict)
    responses: dict[tuple[str, str], tuple[int, bool]] = field(default_factory=dict)
    inflight: set[tuple[str, str]] = field(default_factory=set)
    done: list[Resource] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    worker_scripts: set[str] = field(default_factory=set)

    def will_be_sent(self, session: str, params: dict) -> None:
        key = (session, params["requestId"])
        url = params["request"]["url"]
        if not url.startswith(self.origin):
            return
        self.urls[key] = url
        self.offsets[key] = params["wallTime"] - params["timestamp"]
        self.starts.setdefault(key, params["wallTime"])
        self.inflight.add(key)

    def response(self, session: str, params: dict) -> None:
        answer = params["response"]
        cached = any(
            answer.get(flag) for flag in ("fromServiceWorker", "fromDiskCache", "fromPrefetchCache")
        )
        self.responses[(session, params["requestId"])] = (int(answer["status"]), not cached)

    def from_cache(self, session: str, params: dict) -> None:
        key = (session, params["requestId"])
        status, _ = self.responses.get(key, (200, False))
        self.responses[key] = (status, False)

    def finished(self, session: str, params: dict) -> None:
        key = (session, params["requestId"])
        self.inflight.discard(key)
        url = self.urls.get(key)
        if url is None:  # a data: URL, or a worker script fetched before we could listen
            return
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        status, network = self.responses.get(key, (200, True))
        self.done.append(
            Resource(
                path,
                int(params["encodedDataLength"]),
                "cdp",
                self.kinds.get(session, "worker"),
                network,
                status,
                self.starts[key],
                params["timestamp"] + self.offsets[key],
            )
        )

    def failed(self, session: str, params: dict) -> None:
        self.inflight.discard((session, params["requestId"]))

    def pending(self) -> list[str]:
        """In flight, except worker scripts: their sessions see the request but never its end."""
        urls = (self.urls.get(key, "?") for key in self.inflight)
        return sorted(url for url in urls if url not in self.worker_scripts)


def listen(context: BrowserContext, page: Page, log: NetLog) -> None:
    """Network.enable on the page, and on every worker it starts (paused until enabled)."""
    cdp = context.new_cdp_session(page)
    next_id = [10_000]

    def to_worker(session: str, method: str) -> None:
        next_id[0] += 1
        message = json.dumps({"id": next_id[0], "method": method, "params": {}})
        cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})

    def attached(event: dict) -> None:
        session = event["sessionId"]
        log.kinds[session] = event["targetInfo"]["type"]
        log.workers.append(f"{event['targetInfo']['type']}: {event['targetInfo']['url']}")
        log.worker_scripts.add(event["targetInfo"]["url"])
        to_worker(session, "Network.enable")
        to_worker(session, "Runtime.runIfWaitingForDebugger")

    def from_worker(event: dict) -> None:
        message = json.loads(event["message"])
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            log.will_be_sent(event["sessionId"], params)
        elif method == "Network.responseReceived":
            log.response(event["sessionId"], params)
        elif method == "Network.requestServedFromCache":
            log.from_cache(event["sessionId"], params)
        elif method == "Network.loadingFinished":
            log.finished(event["sessionId"], params)
        elif method == "Network.loadingFailed":
            log.failed(event["sessionId"], params)

    cdp.on("Network.requestWillBeSent", lambda e: log.will_be_sent("page", e))
    cdp.on("Network.responseReceived", lambda e: log.response("page", e))
    cdp.on("Network.requestServedFromCache", lambda e: log.from_cache("page", e))
    cdp.on("Network.loadingFinished", lambda e: log.finished("page", e))
    cdp.on("Network.loadingFailed", lambda e: log.failed("page", e))
    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget", from_worker)
    cdp.send("Network.enable")
    cdp.send(
        "Target.setAutoAttach",
        {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False},
    )


class Sizes:
    """File sizes on disk, raw and gzipped at level 6, cached per path."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._cache: dict[str, tuple[int, int]] = {}

    def file(self, path: str) -> Path:
        local = unquote(urlsplit(path).path).lstrip("/")
        target = self.site / local
        return target / "index.html" if local == "" or local.endswith("/") else target

    def of(self, path: str) -> tuple[int, int]:
        if path not in self._cache:
            target = self.file(path)
            data = target.read_bytes() if target.is_file() else b""
            packed = len(gzip.compress(data, compresslevel=6)) if data else 0
            self._cache[path] = (len(data), min(len(data), packed))
        return self._cache[path]


def reconcile(log: NetLog, served: list[str], sizes: Sizes) -> list[Resource]:
    """CDP's network responses, plus any the server sent that CDP never reported (worker
    scripts the browser fetches before the worker's session exists), counted at file size."""
    resources = [r for r in log.done if r.network]
    missing = Counter(served) - Counter(r.path for r in resources)
    for path, count in missing.items():
        resources += [Resource(path, sizes.of(path)[0], "server log", "unknown")] * count
    return resources


def totals(resources: list[Resource], sizes: Sizes) -> dict:
    def body(r: Resource) -> int:
        return sizes.of(r.path)[0] if r.status == 200 else 0

    def packed(r: Resource) -> int:
        return sizes.of(r.path)[1] if r.status == 200 else 0

    by_sw = [r for r in resources if r.requester == "service_worker"]
    return {
        "requests": len(resources),
        "encoded_bytes": sum(r.encoded for r in resources),
        "body_bytes": sum(body(r) for r in resources),
        "gzip_bytes": sum(packed(r) for r in resources),
        "service_worker": {
            "requests": len(by_sw),
            "encoded_bytes": sum(r.encoded for r in by_sw),
            "gzip_bytes": sum(packed(r) for r in by_sw),
        },
        "from_server_log": sorted(r.path for r in resources if r.source != "cdp"),
        "files": sorted(
            (
                {
                    "path": r.path,
                    "encoded": r.encoded,
                    "body": body(r),
                    "gzip": packed(r),
                    "status": r.status,
                    "requester": r.requester,
                    "source": r.source,
                }
                for r in resources
            ),
            key=lambda f: -f["gzip"],
        ),
    }


def settle(page: Page, log: NetLog, server: StaticServer, timeout_s: float = 60.0) -> None:
    """Wait until nothing is in flight and the server has had no request for QUIET_S."""
    deadline = time.monotonic() + timeout_s
    count, since = len(server.requests), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if len(server.requests) != count:
            count, since = len(server.requests), time.monotonic()
        elif not log.pending() and time.monotonic() - since >= QUIET_S:
            return
    print(f"  (network not idle after {timeout_s:.0f} s; still pending: {log.pending()[:5]})")


def one_run(context: BrowserContext, server: StaticServer, sizes: Sizes) -> dict:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    origin = server.url.rstrip("/")
    log = NetLog(origin)
    listen(context, page, log)

    first_request = len(server.requests)
    page.goto(server.url + PAGE, wait_until="networkidle")
    settle(page, log, server)
    before = reconcile(log, server.requests[first_request:], sizes)
    n_before, served_before = len(log.done), len(server.requests)

    form = page.locator(FORM)
    time_origin = form.evaluate(INSTRUMENT_JS)
    wall = time.perf_counter()
    for name, value in ANSWERS.items():
        tap(form, name, value)  # pain is a 0-10 scale of radios
    form.locator("button[type=submit]").click()
    form.locator("xpath=ancestor::*[@data-hb-calc][1]").locator(
        ".hb-calc-result .hb-light"
    ).wait_for(timeout=COLD_TIMEOUT_MS)
    wall = time.perf_counter() - wall
    marks = page.evaluate("window.__hbBench")
    settle(page, log, server)
    through = reconcile(log, server.requests[first_request:], sizes)
    calc_only = reconcile(
        NetLog(origin, done=log.done[n_before:]), server.requests[served_before:], sizes
    )

    # Python starts on the first touch (the early start is held back, NO_EARLY_START).
    t0 = marks["focus"] if marks["focus"] is not None else marks["visible"]
    cold_ms = marks["first"] - t0
    cdp_calc = [r for r in log.done[n_before:] if r.end is not None]
    last_byte_ms = max(r.end for r in cdp_calc) * 1000 - (time_origin + t0) if cdp_calc else None

    form.evaluate(WARM_JS)
    for i in range(WARM_SUBMITS):
        form.locator("button[type=submit]").click()
        page.wait_for_function(
            "(n) => window.__hbBench.replaced.length >= n && window.__hbBench.frames.length >= n",
            arg=i + 1,
        )
    marks = page.evaluate("window.__hbBench")
    warm = [r - c for c, r in zip(marks["clicks"], marks["replaced"], strict=True)]
    page.close()
    return {
        "cold_ms": cold_ms,
        "cold_start": "focus" if t0 == marks["focus"] else "scrolled into view",
        "worker_started_before_interaction": marks["startedBefore"],
        "cold_wall_s": wall,
        "cold_last_byte_ms": last_byte_ms,
        "warm_ms": warm,
        "warm_next_frame_ms": [w + f for w, f in zip(warm, marks["frames"], strict=True)],
        "before_use": totals(before, sizes),
        "through_first_result": totals(through, sizes),
        "calculator_only": totals(calc_only, sizes),
        "workers": log.workers,
        "errors": errors,
    }


def write_anchor(site: Path) -> None:
    folder = site / Path(ANCHOR).parent
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ANCHOR_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")


def anchor_run(browser, server: StaticServer, runtime: str) -> float:  # type: ignore[no-untyped-def]
    """Bare Pyodide on a fresh profile: creating the worker to runPython("1") answering, ms."""
    context = browser.new_context(viewport=PHONE, service_workers="block")
    try:
        page = context.new_page()
        page.goto(server.url + ANCHOR)
        page.wait_for_function("() => typeof window.__anchor === 'function'")
        return float(page.evaluate("(url) => window.__anchor(url)", server.url + runtime))
    finally:
        context.close()


def first_touch_to_result(context: BrowserContext, url: str) -> tuple[float, bool]:
    """A new page load in `context`, Python held back until the first touch: touch to first
    light, in ms, and whether Python came from the memory snapshot."""
    page = context.new_page()
    page.goto(url + PAGE, wait_until="load")
    form = page.locator(FORM)
    form.evaluate(INSTRUMENT_JS)
    for name, value in ANSWERS.items():
        tap(form, name, value)
    form.locator("button[type=submit]").click()
    form.locator("xpath=ancestor::*[@data-hb-calc][1]").locator(
        ".hb-calc-result .hb-light"
    ).wait_for(timeout=COLD_TIMEOUT_MS)
    marks = page.evaluate("window.__hbBench")
    restored = bool(page.evaluate("globalThis.__hbCalculators.restored"))
    page.close()
    return marks["first"] - marks["focus"], restored


def repeat_visits(context: BrowserContext, server: StaticServer) -> dict:
    """After the first visit in `context`: a new page load served by the service worker, from
    the snapshot (once the worker has saved it), then again with the snapshot removed."""
    probe = context.new_page()
    probe.goto(server.url + PAGE, wait_until="load")
    saved = True
    try:
        probe.wait_for_function(SNAPSHOT_SAVED_JS, timeout=COLD_TIMEOUT_MS)
    except PlaywrightTimeout:
        saved = False
    probe.close()
    with_snapshot, restored = first_touch_to_result(context, server.url)
    probe = context.new_page()
    probe.goto(server.url + PAGE, wait_until="load")
    probe.evaluate(FORGET_SNAPSHOT_JS)
    probe.close()
    without_snapshot, restored_after_removal = first_touch_to_result(context, server.url)
    return {
        "repeat_snapshot_ms": with_snapshot,
        "repeat_snapshot_used": restored,
        "snapshot_saved_after_first_visit": saved,
        "repeat_no_snapshot_ms": without_snapshot,
        "repeat_no_snapshot_used": restored_after_removal,
    }


def answer_time_run(browser, server: StaticServer) -> dict:  # type: ignore[no-untyped-def]
    """First visit, early start on: the form appears, the runner takes ANSWER_TIME_S to
    answer, then submits. Submit click to first light, in ms."""
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    try:
        page = context.new_page()
        page.goto(server.url + PAGE, wait_until="domcontentloaded")
        form = page.locator(FORM)
        form.wait_for(state="visible")
        appeared = time.perf_counter()
        form.evaluate(INSTRUMENT_JS)
        form.evaluate(WARM_JS)
        page.wait_for_timeout(ANSWER_TIME_S * 1000)
        ready = bool(page.evaluate("globalThis.__hbCalculators.ready"))
        for name, value in ANSWERS.items():
            tap(form, name, value)
        form.locator("button[type=submit]").click()
        form.locator("xpath=ancestor::*[@data-hb-calc][1]").locator(
            ".hb-calc-result .hb-light"
        ).wait_for(timeout=COLD_TIMEOUT_MS)
        marks = page.evaluate("window.__hbBench")
        return {
            "after_submit_ms": marks["first"] - marks["clicks"][0],
            "form_to_result_s": time.perf_counter() - appeared,
            "ready_at_submit": ready,
        }
    finally:
        context.close()


# V8 writes a compiled module to the code cache once 1,000 bytes of optimised code exist and
# nothing new compiled for 2 s; thresholds no module reaches turn the cache off.
NO_WASM_CODE_CACHE = (
    "--js-flags=--wasm-caching-threshold=2000000000 --wasm-caching-hard-threshold=2000000000"
)


def code_cache_experiment(
    playwright, server: StaticServer, runtime: str, runs: int, tmp: Path
) -> dict:  # type: ignore[no-untyped-def]
    """Repeat visits whose runtime files come from the service worker (Cache Storage), with
    V8's wasm code cache as shipped and with it turned off, visits interleaved."""
    profiles = {}
    for name, extra in (("code cache", []), ("no code cache", [NO_WASM_CODE_CACHE])):
        context = playwright.chromium.launch_persistent_context(
            str(tmp / name.replace(" ", "-")),
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *extra],
            viewport=PHONE,
            service_workers="allow",
        )
        page = context.new_page()
        page.goto(server.url + PAGE)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        profiles[name] = (context, page)
    times: dict[str, list[float]] = {name: [] for name in profiles}
    for visit in range(runs + 1):  # the first visit saves the files (and fills the cache)
        for name, (_context, page) in profiles.items():
            page.goto(server.url + ANCHOR)
            page.wait_for_function("() => typeof window.__anchor === 'function'")
            took = float(page.evaluate("(url) => window.__anchor(url)", server.url + runtime))
            page.wait_for_timeout(3000)  # past --wasm-caching-timeout-ms, so the cache is written
            if visit:
                times[name].append(took)
    for context, _page in profiles.values():
        context.close()
    ratio = statistics.median(
        [off / on for on, off in zip(times["code cache"], times["no code cache"], strict=True)]
    )
    print("\n## V8 wasm code cache, repeat visits served by the service worker\n")
    for name, values in times.items():
        print(f"  {name}: " + ", ".join(f"{v / 1000:.2f} s" for v in values))
    print(f"  median ratio without / with the code cache: {ratio:.2f}×")
    return {"times_ms": times, "ratio_without_over_with": ratio}


def measured_run(browser, server: StaticServer, sizes: Sizes, runtime: str, workers: str) -> dict:  # type: ignore[no-untyped-def]
    """The anchor first, then the handbook on fresh profiles of its own."""
    anchor_ms = anchor_run(browser, server, runtime)
    context = browser.new_context(viewport=PHONE, service_workers=workers)
    context.add_init_script(NO_EARLY_START)
    try:
        run = one_run(context, server, sizes)
        if workers == "allow":
            run.update(repeat_visits(context, server))
    finally:
        context.close()
    run["anchor_ms"] = anchor_ms
    run.update(answer_time_run(browser, server))
    return run


def one_line(r: dict) -> str:
    def secs(key: str) -> str:
        return f"{r[key] / 1000:.2f} s" if key in r else "–"

    return (
        f"anchor {secs('anchor_ms')}, cold {secs('cold_ms')}, repeat {secs('repeat_snapshot_ms')}"
        f" (no snapshot {secs('repeat_no_snapshot_ms')}), after submit "
        f"{r['after_submit_ms']:.0f} ms, warm median {statistics.median(r['warm_ms']):.1f} ms"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(site: Path, port: int) -> float:
    env = {
        **os.environ,
        "SITE_URL": f"http://127.0.0.1:{port}/",
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "macros", "build", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - started


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]  # nearest rank


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB" if n < 1_000_000 else f"{n / 1_000_000:,.2f} MB"


def ratio_report(runs: list[dict]) -> dict:
    """Each start against the anchor of its own run, then the median over runs."""
    med = statistics.median

    def ratios(key: str) -> list[float]:
        return [r[key] / r["anchor_ms"] for r in runs if r.get(key) is not None]

    rows = [
        ("First visit, cold: first touch → first result", "cold_ms", TARGET_FIRST_VISIT_RATIO),
        (
            "Repeat visit, cold, from the service worker and the snapshot",
            "repeat_snapshot_ms",
            TARGET_REPEAT_VISIT_RATIO,
        ),
        ("Repeat visit, cold, from the service worker, no snapshot", "repeat_no_snapshot_ms", None),
    ]
    anchor = [r["anchor_ms"] / 1000 for r in runs]
    print(f"\n## Calculator start against the anchor: {len(runs)} runs\n")
    print(
        f'Anchor: bare loadPyodide() + runPython("1") in a module worker, fresh profile, same '
        f"server: median {med(anchor):.2f} s (range {min(anchor):.2f} – {max(anchor):.2f} s).\n"
    )
    print("| start | median ratio | range | median time | target | met? |")
    print("|---|---|---|---|---|---|")
    summary: dict[str, object] = {"anchor_s": med(anchor)}
    for label, key, target in rows:
        values = ratios(key)
        if not values:
            continue
        times = [r[key] / 1000 for r in runs if r.get(key) is not None]
        met = "info" if target is None else ("✓ met" if med(values) <= target else "✗ missed")
        print(
            f"| {label} | {med(values):.2f}× | {min(values):.2f} – {max(values):.2f}× | "
            f"{med(times):.2f} s | {'–' if target is None else f'≤ {target:g}×'} | {met} |"
        )
        summary[f"{key}_ratio"] = med(values)
    after = [r["after_submit_ms"] for r in runs]
    warm = [w for r in runs for w in r["warm_ms"]]
    print(
        f"| Answer time {ANSWER_TIME_S:g} s after the form appears: submit → result | "
        f"{med(after):.0f} ms | {min(after):.0f} – {max(after):.0f} ms | | "
        f"≤ {TARGET_AFTER_SUBMIT_MS:g} ms | "
        f"{'✓ met' if med(after) <= TARGET_AFTER_SUBMIT_MS else '✗ missed'} |"
    )
    print(
        f"| Warm: submit → result replaced | {med(warm):.1f} ms | p90 {p90(warm):.1f} ms | | "
        f"≤ {TARGET_WARM_MS:g} ms | {'✓ met' if med(warm) <= TARGET_WARM_MS else '✗ missed'} |"
    )
    used = [r.get("repeat_snapshot_used") for r in runs]
    print(
        f"\nSnapshot restored on the repeat visit: {used}; ready at submit: "
        f"{[r['ready_at_submit'] for r in runs]}"
    )
    summary.update({"after_submit_ms": med(after), "warm_ms": med(warm)})
    return summary


def report(runs: list[dict], meta: dict) -> dict:
    cold = [r["cold_ms"] / 1000 for r in runs]
    wall = [r["cold_wall_s"] for r in runs]
    warm = [w for r in runs for w in r["warm_ms"]]
    frame = [w for r in runs for w in r["warm_next_frame_ms"]]
    page_gz = [r["before_use"]["gzip_bytes"] for r in runs]
    page_raw = [r["before_use"]["encoded_bytes"] for r in runs]
    all_gz = [r["through_first_result"]["gzip_bytes"] for r in runs]
    all_raw = [r["through_first_result"]["encoded_bytes"] for r in runs]
    sw_gz = [r["before_use"]["service_worker"]["gzip_bytes"] for r in runs]
    own_gz = [r["before_use"]["gzip_bytes"] - s for r, s in zip(runs, sw_gz, strict=True)]
    med = statistics.median

    def spread(values: list[float], fmt) -> str:  # type: ignore[no-untyped-def]
        return f"{fmt(min(values))} – {fmt(max(values))}"

    def secs(v: float) -> str:
        return f"{v:.2f} s"

    def ms(v: float) -> str:
        return f"{v:.1f} ms"

    checks = [
        ("Cold: first interaction → first result (in page)", med(cold), TARGET_COLD_S, "s"),
        ("Warm: submit click → result replaced (in page)", med(warm), TARGET_WARM_MS, "ms"),
        ("Page before calculator use, gzip estimate", med(page_gz) / 1000, TARGET_PAGE_KB, "KB"),
    ]
    met = {label: value <= target for label, value, target, _ in checks}
    yes = {True: "✓ met", False: "✗ missed"}
    rows = [
        (
            checks[0][0],
            secs(med(cold)),
            f"range {spread(cold, secs)}",
            "≤ 4 s",
            yes[met[checks[0][0]]],
        ),
        (
            "Cold: same, wall-clock from Playwright",
            secs(med(wall)),
            f"range {spread(wall, secs)}",
            "(≤ 4 s)",
            "info",
        ),
        (checks[1][0], ms(med(warm)), f"p90 {ms(p90(warm))}", "≤ 50 ms", yes[met[checks[1][0]]]),
        (
            "Warm: submit click → next frame after result",
            ms(med(frame)),
            f"p90 {ms(p90(frame))}",
            "–",
            "info",
        ),
        (
            checks[2][0],
            kb(med(page_gz)),
            f"range {spread(page_gz, kb)}",
            "≤ 150 KB",
            yes[met[checks[2][0]]],
        ),
        (
            "… of which the service worker's own fetches, gzip est.",
            kb(med(sw_gz)),
            f"range {spread(sw_gz, kb)}",
            "–",
            "info",
        ),
        (
            "… of which the page and its dedicated workers, gzip est.",
            kb(med(own_gz)),
            f"range {spread(own_gz, kb)}",
            "(≤ 150 KB)",
            "info: " + ("within" if med(own_gz) <= TARGET_PAGE_KB * 1000 else "over"),
        ),
        (
            "Page before calculator use, as served (no gzip)",
            kb(med(page_raw)),
            f"range {spread(page_raw, kb)}",
            "–",
            "info",
        ),
        (
            "Through first result, gzip estimate",
            kb(med(all_gz)),
            f"range {spread(all_gz, kb)}",
            "–",
            "info",
        ),
        (
            "Through first result, as served (no gzip)",
            kb(med(all_raw)),
            f"range {spread(all_raw, kb)}",
            "–",
            "info",
        ),
    ]
    print(
        f"\n## Calculator in the browser: {len(runs)} cold runs, {WARM_SUBMITS} warm submits each\n"
    )
    print("| metric | median | p90 / range | target | met? |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")

    print()
    for label, value, target, unit in checks:
        if value > target:
            print(
                f"TARGET MISSED: {label}: median {value:,.2f} {unit} is {value - target:,.2f} "
                f"{unit} over the {target:g} {unit} target ({value / target:.1f}×)."
            )
        else:
            print(f"target met: {label}: median {value:,.2f} {unit} ≤ {target:g} {unit}.")

    print(
        "\nPer run: cold in page (s), wall (s), downloads done (s after interaction), "
        "warm median (ms), cold started by:"
    )
    for i, r in enumerate(runs, 1):
        last = r["cold_last_byte_ms"]
        print(
            f"  run {i}: {r['cold_ms'] / 1000:.2f}, {r['cold_wall_s']:.2f}, "
            f"{'?' if last is None else f'{last / 1000:.2f}'}, "
            f"{med(r['warm_ms']):.1f}, {r['cold_start']}"
            + (
                "  (worker already running before interaction!)"
                if r["worker_started_before_interaction"]
                else ""
            )
        )
    for title, key in (
        ("Before calculator use", "before_use"),
        ("Added by the calculator (through first result)", "calculator_only"),
    ):
        files = runs[-1][key]["files"]
        print(
            f"\n{title}, last run: {len(files)} network responses, largest first "
            "(as served incl. headers / file / gzip -6, fetched by):"
        )
        for f in files[:10]:
            note = "" if f["source"] == "cdp" else f" [{f['source']}]"
            print(
                f"  {f['path']:<56} {kb(f['encoded']):>10} {kb(f['body']):>10} "
                f"{kb(f['gzip']):>10}  {f['requester']}{note}"
            )
        if len(files) > 10:
            rest = files[10:]
            print(
                f"  … {len(rest)} more: {kb(sum(f['encoded'] for f in rest))} as served, "
                f"{kb(sum(f['gzip'] for f in rest))} gzip"
            )
    ratios = ratio_report(runs)
    errors = sorted({e for r in runs for e in r["errors"]})
    if errors:
        print("\nConsole errors:", *errors, sep="\n  ")
    print(f"\nCommand: {meta['command']}")
    print(f"Machine: {meta['machine']}")
    print(f"Service workers: {meta['service_workers']}")
    print(
        "Notes: loopback server, no network latency or bandwidth limit; the gzip estimate "
        "gzips each file at level 6 (headers excluded; kept raw where gzip does not shrink it, "
        "e.g. .zip); KB = 1000 bytes."
    )
    return {
        "meta": meta,
        "summary": {
            "cold_s": {"median": med(cold), "min": min(cold), "max": max(cold)},
            "cold_wall_s": {"median": med(wall), "min": min(wall), "max": max(wall)},
            "warm_ms": {"median": med(warm), "p90": p90(warm)},
            "warm_next_frame_ms": {"median": med(frame), "p90": p90(frame)},
            "before_use_gzip_bytes": med(page_gz),
            "before_use_encoded_bytes": med(page_raw),
            "through_first_result_gzip_bytes": med(all_gz),
            "through_first_result_encoded_bytes": med(all_raw),
            "targets_met": met,
            "against_anchor": ratios,
        },
        "runs": runs,
    }


def command_line() -> str:
    cwd = Path.cwd()
    exe = Path(sys.executable)
    shown = str(exe.relative_to(cwd)) if exe.is_relative_to(cwd) else str(exe)
    return f"cd {shlex.quote(str(cwd))} && {shlex.join([shown, *sys.argv])}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold runs, each a fresh context")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument(
        "--wasm-code-cache",
        action="store_true",
        help="only compare repeat visits with and without V8's wasm code cache",
    )
    parser.add_argument(
        "--service-workers",
        choices=("allow", "block"),
        default="allow",
        help="block to see what the page costs without the offline service worker",
    )
    args = parser.parse_args()

    load = os.getloadavg()
    meta = {
        "command": command_line(),
        "machine": (
            f"{os.cpu_count()} cores, {platform.machine()}, {platform.platform()}; "
            f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        ),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "page": PAGE,
        "viewport": PHONE,
        "service_workers": args.service_workers,
    }
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="hb-bench-") as tmp:
        site = Path(tmp) / "site"
        print(f"Building the site for http://127.0.0.1:{port}/ …", flush=True)
        meta["build_s"] = build(site, port)
        write_anchor(site)
        runtime = next(f"assets/pyodide/{p.name}/" for p in (site / "assets" / "pyodide").iterdir())
        server = StaticServer(site)
        server.port = port
        server.start()
        sizes = Sizes(site)
        runs = []
        try:
            with sync_playwright() as playwright:
                if args.wasm_code_cache:
                    found = code_cache_experiment(playwright, server, runtime, args.runs, Path(tmp))
                    if args.json:
                        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")
                    return 0
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                meta["chromium"] = browser.version
                for i in range(args.runs):
                    runs.append(measured_run(browser, server, sizes, runtime, args.service_workers))
                    print(f"  run {i + 1}/{args.runs}: {one_line(runs[-1])}", flush=True)
                browser.close()
        finally:
            server.stop()
    load = os.getloadavg()
    meta["machine"] += f", at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    meta["machine"] += f"; Chromium {meta.get('chromium', '?')}"
    results = report(runs, meta)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
