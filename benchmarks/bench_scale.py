"""Build cost and page weight at scale: the project against plain Material on the same Markdown.

Run from the project root, `make bench-scale` on a clean clone (it installs first), or:

    .venv/bin/python benchmarks/bench_scale.py [--conditions 46 1000] [--runs 2]
        [--no-search] [--keep DIR] [--json FILE]

For each size N, benchmarks/corpus.py writes a content folder of N conditions (46 is the real
content), and `macros.build.staging.stage` writes the handbook's staged Markdown from it. Two
builds are then timed, taking turns run by run (and swapping which goes first each run), so a
machine that slows down part-way slows both alike:

* project: `python -m macros build --content CORPUS`, everything a real build does (lint,
  staging, MkDocs, Pyodide runtime, Pagefind, policy, icons, service worker), with what a
  repeat build finds kept in .cache/ (icons, compiled templates, handout QR codes), which
  staging the corpus here has already filled;
* plain: `python -m mkdocs build` of only the staged `.md` files with stock Material: the same
  nav and Markdown extensions, no theme overrides, no features, no extra CSS or scripts, and
  Material's own search plugin on.

Each build runs in a fresh child process; its wall time and peak memory (the largest resident
set of the child and the processes it waited for, from os.wait4) are recorded. From the last
build of each kind it reports the site's size, the gzip size of one condition page (calf
strain) and of the calculators' bundle, and the search bytes to the first result: for the
project, the Pagefind files Chromium fetched for "shin splints" (benchmarks/bench_search.py;
--no-search skips it); for plain Material, its lunr index and search worker, which it fetches
whole before any result. Every figure is given with the ratios project / plain and 1000 / 46,
because absolute times move with the machine's load.

A measurement, never a test: it exits 0 unless a build fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks import bench_search  # noqa: E402
from benchmarks.corpus import write_corpus  # noqa: E402
from macros.browser.runtime import PYODIDE_PACKAGE  # noqa: E402
from macros.build.generators import GENERATORS  # noqa: E402
from macros.build.staging import Sources, stage  # noqa: E402

SIZES = (46, 1000)
PAGE = "conditions/calf-strain/index.html"
SEARCH_QUERY = "shin splints"
# What Material's search fetches before it can show any result: the whole index and its worker.
PLAIN_SEARCH = ("search/search_index.json", "assets/javascripts/workers/search.*.js")
KINDS = ("project", "plain")


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def site_size(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


# Runs one build and writes its wall time, CPU time and peak memory to the file in argv[1].
# A fresh process of its own, because a child's peak resident size survives exec: measured
# from this script's own process (which holds a staged handbook), every build would seem to
# need at least that much.
LAUNCHER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
status = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump([status, time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss], out)
"""


def timed(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user and system) and peak resident bytes of `command` and
    the processes it waited for (the largest one's peak: Linux reports no sum)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.NamedTemporaryFile(suffix=".json") as figures:
        built = subprocess.run(
            [sys.executable, "-c", LAUNCHER, figures.name, *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        status, seconds, cpu, peak_kb = json.loads(Path(figures.name).read_text())
    if built.returncode != 0 or status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{built.stdout}{built.stderr}")
    return seconds, cpu, peak_kb * 1024  # Linux reports kilobytes


def plain_config(staged_config: dict[str, Any], docs: Path, site: Path) -> dict[str, Any]:
    """Stock Material on the staged Markdown: the same pages, nav and Markdown extensions."""
    return {
        "site_name": staged_config["site_name"],
        "site_url": staged_config.get("site_url"),
        "docs_dir": str(docs),
        "site_dir": str(site),
        "theme": {"name": "material", "language": "en"},
        "plugins": ["search"],
        "nav": staged_config["nav"],
        "markdown_extensions": staged_config["markdown_extensions"],
    }


def prepare(size: int, folder: Path) -> dict[str, Path]:
    """The corpus, the project's staged folder and plain Material's docs and configuration."""
    content = folder / "content"
    write_corpus(content, size)
    staged = stage(Sources(content), folder / "staged", GENERATORS["mkdocs"])
    plain_docs = folder / "plain-docs"
    for page in staged.docs_dir.rglob("*.md"):
        target = plain_docs / page.relative_to(staged.docs_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.read_bytes())
    config = folder / "plain-mkdocs.yml"
    settings = plain_config(staged.config, plain_docs, folder / "site-plain")
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return {"content": content, "plain_config": config}


def command(kind: str, size: int, folder: Path, prepared: dict[str, Path]) -> list[str]:
    if kind == "project":
        site = folder / "site-project"
        return [sys.executable, "-m", "macros", "build", "--generator", "mkdocs",
                "--site-dir", str(site), "--content", str(prepared["content"])]  # fmt: skip
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(prepared["plain_config"])]


def search_bytes_project(sites: dict[int, Path]) -> dict[int, int]:
    """Pagefind's files fetched from the first keystroke to the first result, gzip."""
    result = bench_search.measure([bench_search.Site(p) for p in sites.values()], 1, 1.0)
    found = {}
    for size, measured in zip(sites, result["sites"], strict=True):
        run = next(r for r in measured["runs"] if r["query"] == SEARCH_QUERY)
        found[size] = run["to_first_result"]["gzip"]
    return found


def search_bytes_plain(site: Path) -> int:
    return sum(gzip_size(p) for pattern in PLAIN_SEARCH for p in site.glob(pattern))


def calculator_files(site: Path) -> dict[str, Path]:
    """What the page's calculator worker fetches, besides Pyodide, to its first result: the
    code zip and shared data its head names, and the chunk its forms name."""
    page = (site / PAGE).read_text(encoding="utf-8")
    named = {
        "code": re.search(r'name="hb-calculators-bundle" content="([^"]+)"', page),
        "shared": re.search(r'name="hb-calculators-shared" content="([^"]+)"', page),
        "chunk": re.search(r'data-chunk="([^"]+)"', page),
    }
    return {key: site / found.group(1) for key, found in named.items() if found}


def static_figures(site: Path, kind: str) -> dict[str, int | None]:
    files = calculator_files(site) if kind == "project" else {}
    return {
        "site_bytes": site_size(site),
        "page_gzip": gzip_size(site / PAGE),
        "bundle_gzip": gzip_size(files["code"]) if "code" in files else None,
        "chunk_gzip": gzip_size(files["chunk"]) if "chunk" in files else None,
        "first_result_gzip": sum(map(gzip_size, files.values())) if len(files) == 3 else None,
        "search_gzip": search_bytes_plain(site) if kind == "plain" else None,
    }


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def _amount(key: str, value: float | None) -> str:
    if value is None:
        return "-"
    if key in ("seconds", "cpu_seconds"):
        return f"{value:.2f} s"
    if key == "peak_bytes":
        return f"{value / 1e6:.0f} MB"
    if key == "site_bytes":
        return f"{value / 1e6:.1f} MB"
    return f"{value / 1e3:.1f} KB"


LABELS = {
    "seconds": "Build time, wall (median)",
    "cpu_seconds": "Build time, CPU (median)",
    "peak_bytes": "Peak memory (median)",
    "site_bytes": "Site size",
    "page_gzip": "Condition page, gzip",
    "bundle_gzip": "Calculators' code zip, gzip",
    "chunk_gzip": "The page's condition chunk, gzip",
    "first_result_gzip": "Calculator bytes to first result (code, shared, chunk), gzip",
    "search_gzip": "Search bytes to first result, gzip",
}


def report(results: dict[int, dict[str, dict[str, Any]]], runs: int) -> None:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    print(f"\n{runs} alternating run(s) per build; project / plain, and {large} / {small}")
    header = ["Measure"]
    for size in sizes:
        header += [f"{size} project", f"{size} plain", f"{size} ratio"]
    if large != small:
        header += [f"{large}/{small} project", f"{large}/{small} plain"]
    print(" | ".join(header))
    for key, label in LABELS.items():
        row = [label]
        for size in sizes:
            project, plain = results[size]["project"][key], results[size]["plain"][key]
            row += [_amount(key, project), _amount(key, plain), _ratio(project, plain)]
        if large != small:
            for kind in KINDS:
                row.append(_ratio(results[large][kind][key], results[small][kind][key]))
        print(" | ".join(row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conditions", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-search", action="store_true", help="skip the Chromium search run")
    parser.add_argument("--keep", type=Path, help="keep corpora and sites in DIR/<N>/")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if not (PYODIDE_PACKAGE / "package.json").is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    sizes = sorted(set(args.conditions))
    with tempfile.TemporaryDirectory() as scratch:
        work = (args.keep or Path(scratch)).resolve()
        prepared = {}
        for size in sizes:
            print(f"writing and staging {size} conditions ...", file=sys.stderr, flush=True)
            prepared[size] = prepare(size, work / str(size))
        timings: dict[int, dict[str, list[tuple[float, float, int]]]] = {
            size: {kind: [] for kind in KINDS} for size in sizes
        }
        for run in range(args.runs):
            order = KINDS if run % 2 == 0 else KINDS[::-1]
            for size in sizes:
                for kind in order:
                    print(f"run {run + 1}: {kind} at {size} ...", file=sys.stderr, flush=True)
                    cmd = command(kind, size, work / str(size), prepared[size])
                    timings[size][kind].append(timed(cmd))
        results: dict[int, dict[str, dict[str, Any]]] = {}
        for size in sizes:
            results[size] = {}
            for kind in KINDS:
                measured = timings[size][kind]
                results[size][kind] = {
                    "seconds": statistics.median(s for s, _c, _m in measured),
                    "cpu_seconds": statistics.median(c for _s, c, _m in measured),
                    "peak_bytes": statistics.median(m for _s, _c, m in measured),
                    "runs": measured,
                    **static_figures(work / str(size) / f"site-{kind}", kind),
                }
        if not args.no_search:
            sites = {size: work / str(size) / "site-project" for size in sizes}
            for size, found in search_bytes_project(sites).items():
                results[size]["project"]["search_gzip"] = found
        report(results, args.runs)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
