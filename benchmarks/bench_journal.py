"""Journal check-in latency, cold and warm, in Debian Chromium.

Run from the project root:

    .venv/bin/python benchmarks/bench_journal.py --runs 3 [--json results.json]

It builds and serves the site as benchmarks/bench_browser.py does and opens /journal/ at a
360 by 740 viewport, each run in a fresh browser context (empty IndexedDB, cold HTTP cache, no
Python started), with the page's clock fixed as in site_tests/browser/test_journal.py. Per run:

* cold: from the first interaction with the set-up screen (choosing the condition) through
  setting up a calf strain plan, opening the first check-in and tapping Save, until today's
  answer is shown ("Check-in saved." after the redraw). The journal starts Python only at its
  first engine call, the set-up's plan check, so this is the runner's first use: Pyodide's
  download and start, the set-up, and one check-in. Its two parts are reported too: the
  set-up, and the first check-in's own Save to answer (Python then just started);
* warm: WARM_CHECKINS more check-ins on the following days (the clock moved on without a
  reload, so Python keeps running), each tap on Save to today's answer shown.

Times are taken in the page with `performance.now()` and a MutationObserver on the journal's
status line. Absolute times move with the machine's load, so each median is also given as a
ratio to the anchor of benchmarks/bench_search.py (a fixed piece of JavaScript), timed in a
fresh page of every run's context. Benchmarks are not tests: it asserts nothing about times
and always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, sync_playwright  # noqa: E402

from benchmarks.bench_browser import build, command_line, free_port, p90  # noqa: E402
from benchmarks.bench_search import ANCHOR  # noqa: E402
from site_tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, COLD_START, PHONE  # noqa: E402
from site_tests.browser.static_server import StaticServer  # noqa: E402
from site_tests.browser.test_journal import CALF, CALF_PLAN, check_in, screen, set_up  # noqa: E402

FIRST_DAY = date(2026, 11, 2)
WARM_CHECKINS = 5
CHECKIN = {"pain_morning": "0", "done": "planned", "pain_during": "1", "pain_after": "0"}
SAVED = "Check-in saved."

# Installed on the set-up screen, before any interaction: the first interaction with the app,
# each tap on the check-in's Save, and each time the status line says a step is done.
INSTRUMENT_JS = """(root) => {
  const hb = (window.__hbJournalBench = {
    startedBefore: !!(globalThis.__hbCalculators && globalThis.__hbCalculators.worker),
    first: null, setUp: null, saves: [], saved: [],
  });
  const touched = () => { hb.first ??= performance.now(); };
  for (const type of ["pointerdown", "focusin", "input", "change"]) {
    root.addEventListener(type, touched, { capture: true });
  }
  root.querySelector("#hb-journal-checkin button[type=submit]").addEventListener(
    "click", () => hb.saves.push(performance.now()), { capture: true });
  const line = root.querySelector("[data-journal-status]");
  new MutationObserver(() => {
    const text = line.textContent;
    if (text === "%s") hb.saved.push(performance.now());
    else if (text.startsWith("Your recovery is set up")) hb.setUp ??= performance.now();
  }).observe(line, { childList: true, characterData: true, subtree: true });
}""".replace("%s", SAVED)


def at_eight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=8)


def one_run(context: BrowserContext, url: str) -> dict:
    anchor_page = context.new_page()
    anchor_ms = anchor_page.evaluate(ANCHOR)
    anchor_page.close()

    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.clock.set_fixed_time(at_eight(FIRST_DAY))
    page.goto(f"{url}journal/", wait_until="networkidle")
    screen(page, "setup").wait_for(timeout=COLD_START)
    page.locator("[data-hb-journal]").evaluate(INSTRUMENT_JS)

    wall = time.perf_counter()
    set_up(page, CALF, CALF_PLAN)
    check_in(page, CHECKIN)
    page.wait_for_function("() => window.__hbJournalBench.saved.length >= 1")
    wall = time.perf_counter() - wall
    for n in range(1, WARM_CHECKINS + 1):
        page.clock.set_fixed_time(at_eight(FIRST_DAY + timedelta(days=n)))
        check_in(page, CHECKIN)
        page.wait_for_function(
            "(n) => window.__hbJournalBench.saved.length >= n", arg=n + 1, timeout=COLD_START
        )
    marks = page.evaluate("window.__hbJournalBench")
    page.close()
    saves, saved = marks["saves"], marks["saved"]
    return {
        "anchor_ms": anchor_ms,
        "worker_started_before_interaction": marks["startedBefore"],
        "cold_ms": saved[0] - marks["first"],
        "cold_wall_s": wall,
        "cold_set_up_ms": marks["setUp"] - marks["first"],
        "cold_save_ms": saved[0] - saves[0],
        "warm_ms": [done - tap for tap, done in zip(saves[1:], saved[1:], strict=True)],
        "errors": errors,
    }


def report(runs: list[dict], meta: dict) -> dict:
    med = statistics.median
    anchor = med(r["anchor_ms"] for r in runs)
    cold = [r["cold_ms"] for r in runs]
    set_up_ms = [r["cold_set_up_ms"] for r in runs]
    first_save = [r["cold_save_ms"] for r in runs]
    warm = [w for r in runs for w in r["warm_ms"]]

    def shown(value: float) -> str:
        return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"

    def row(label: str, values: list[float], spread: str) -> str:
        value = med(values)
        return f"| {label} | {shown(value)} | {spread} | {value / anchor:.1f}× |"

    def span(values: list[float]) -> str:
        return f"range {shown(min(values))} – {shown(max(values))}"

    print(
        f"\n## Journal check-in: {len(runs)} cold runs, {WARM_CHECKINS} warm check-ins each; "
        f"anchor {anchor:.0f} ms median\n"
    )
    print("| measure | median | p90 / range | × anchor |")
    print("|---|---|---|---|")
    print(row("Cold: first interaction → first check-in's answer shown", cold, span(cold)))
    print(row("… of which set-up (first interaction → plan shown)", set_up_ms, span(set_up_ms)))
    print(row("… first check-in: Save → answer shown", first_save, span(first_save)))
    print(row("Warm: Save → today's answer shown", warm, f"p90 {p90(warm):.0f} ms"))
    print(
        "\nPer run: cold (s), wall (s), set-up (s), first Save (ms), warm median (ms), anchor (ms)"
    )
    for i, r in enumerate(runs, 1):
        print(
            f"  run {i}: {r['cold_ms'] / 1000:.2f}, {r['cold_wall_s']:.2f}, "
            f"{r['cold_set_up_ms'] / 1000:.2f}, {r['cold_save_ms']:.0f}, "
            f"{med(r['warm_ms']):.0f}, {r['anchor_ms']:.0f}"
            + ("  (worker already running!)" if r["worker_started_before_interaction"] else "")
        )
    errors = sorted({e for r in runs for e in r["errors"]})
    if errors:
        print("\nConsole errors:", *errors, sep="\n  ")
    print(f"\nCommand: {meta['command']}")
    print(f"Machine: {meta['machine']}")
    return {
        "meta": meta,
        "summary": {
            "anchor_ms": anchor,
            "cold_ms": med(cold),
            "cold_set_up_ms": med(set_up_ms),
            "cold_first_save_ms": med(first_save),
            "warm_ms": {"median": med(warm), "p90": p90(warm)},
        },
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold runs, each a fresh context")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    args = parser.parse_args()

    load = os.getloadavg()
    meta = {
        "command": command_line(),
        "machine": (
            f"{os.cpu_count()} cores, {platform.machine()}, {platform.platform()}; "
            f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        ),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "viewport": PHONE,
    }
    port = free_port()
    runs = []
    with tempfile.TemporaryDirectory(prefix="hb-bench-journal-") as tmp:
        site = Path(tmp) / "site"
        print(f"Building the site for http://127.0.0.1:{port}/ …", flush=True)
        meta["build_s"] = build(site, port)
        server = StaticServer(site)
        server.port = port
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                meta["chromium"] = browser.version
                for i in range(args.runs):
                    context = browser.new_context(viewport=PHONE, service_workers="allow")
                    try:
                        runs.append(one_run(context, server.url))
                    finally:
                        context.close()
                    r = runs[-1]
                    print(
                        f"  run {i + 1}/{args.runs}: cold {r['cold_ms'] / 1000:.2f} s, "
                        f"warm median {statistics.median(r['warm_ms']):.0f} ms",
                        flush=True,
                    )
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
