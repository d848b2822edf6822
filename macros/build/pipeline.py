"""`python -m macros build` and `serve`: check, stage, run a generator, publish.

    content/ + docs/ + clinic ──load and check──▶ staging folder (docs/, overrides/, mkdocs.yml)
        ──MkDocs, ProperDocs or Zensical──▶ pages ──publish──▶ runtime, search, policy, offline

A build happens in a folder beside the target and is swapped in only when every stage has
finished, so a failure at any point leaves neither a half-built site nor the earlier one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macros.browser import search_index, security
from macros.build import publish, staging
from macros.build.generators import Generator, GeneratorInstallError, ensure_installed
from macros.content.problems import ContentError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Besides the content, docs and clinic being built: the code and theme that make the pages.
WATCHED_CODE = ("macros", "calculators", "overrides", "mkdocs.yml")
PREVIEW_ROOT = PROJECT_ROOT / ".serve"


def _environment() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run_generator(generator: Generator, args: list[str], cwd: Path) -> int:
    """Run the generator's own command line, so its logging and live reload are its own."""
    return subprocess.call([*generator.command(), *args], cwd=cwd, env=_environment())


def report(error: ContentError) -> None:
    for problem in error.problems:
        print(problem)
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.", file=sys.stderr)


def _clear_build(site: Path) -> None:
    for entry in site.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def clear_earlier_build(site: Path) -> None:
    """Never leave an earlier build in place looking like the result of this one. Like
    MkDocs' own clean step, dot entries (a gh-pages checkout's .git) are left alone, and only
    a folder that holds a build (its sitemap.xml) is cleared."""
    if (site / "sitemap.xml").is_file():
        _clear_build(site)


def swap_in(built: Path, site: Path) -> None:
    """Put a finished build in place of the earlier one, keeping the site folder's dot entries."""
    site.mkdir(parents=True, exist_ok=True)
    _clear_build(site)
    for entry in built.iterdir():
        entry.rename(site / entry.name)


def _stage(
    sources: staging.Sources, root: Path, generator: Generator, *, serving: bool
) -> staging.Staged | None:
    """The staged handbook, or None once every content problem or page script is printed."""
    try:
        return staging.stage(sources, root, generator, serving=serving)
    except ContentError as error:
        report(error)
    except security.PolicyError as exc:
        print(exc, file=sys.stderr)
    return None


def build(sources: staging.Sources, site: Path, generator: Generator) -> int:
    try:
        ensure_installed(generator)
    except GeneratorInstallError as exc:
        print(exc, file=sys.stderr)
        return 1
    site.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so the swap is a rename on one file system.
    work = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    status = 1
    try:
        staged = _stage(sources, work, generator, serving=False)
        if staged is None:
            return 1
        args = generator.build_args(staged.config_file, staged.site_dir)
        status = run_generator(generator, args, work)
        if status == 0:
            try:
                publish.publish(staged.site_dir, staged, generator)
            except publish.PublishError as exc:
                print(exc, file=sys.stderr)
                status = 1
        if status == 0:
            swap_in(staged.site_dir, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if status != 0:
            clear_earlier_build(site)
    if status != 0:
        print(f"The build failed; nothing was published in {site}.", file=sys.stderr)
    return status


def stage_preview(sources: staging.Sources, root: Path, generator: Generator) -> int:
    """Stage for `serve`, then build once more to index the search, whose files the
    generator's preview serves from the staged docs/."""
    staged = _stage(sources, root, generator, serving=True)
    if staged is None:
        return 1
    preview = root / "site"
    status = run_generator(generator, generator.build_args(staged.config_file, preview), root)
    if status != 0:
        return status
    index = search_index.index_site(preview)
    files: dict[str, staging.FileSource] = {
        p.relative_to(index).as_posix(): p for p in index.rglob("*") if p.is_file()
    }
    # Old index files stay: the generator's server may be copying them in a rebuild that
    # started a moment ago, and a deleted one would fail it. The new entry file names only
    # the new chunks, so the stale ones are never read.
    staging.sync_tree(files, root / "docs" / staging.PREVIEW_INDEX, prune=False)
    return 0


def watched(sources: staging.Sources) -> list[Path]:
    tops = [sources.content_dir, sources.docs_dir, *(PROJECT_ROOT / n for n in WATCHED_CODE)]
    return tops + ([sources.clinic_dir] if sources.clinic_dir else [])


def _fingerprint(tops: list[Path]) -> dict[str, float]:
    """Each watched file's modification time: polling, which works on every file system."""
    seen: dict[str, float] = {}
    for top in tops:
        paths = [top] if top.is_file() else top.rglob("*")
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                seen[str(path)] = path.stat().st_mtime
    return seen


def _stage_command(sources: staging.Sources, root: Path, generator: Generator) -> list[str]:
    command = [sys.executable, "-m", "macros", "stage", "--stage-dir", str(root)]
    command += ["--generator", generator.name, "--content", str(sources.content_dir)]
    return command + (["--clinic", str(sources.clinic_dir)] if sources.clinic_dir else [])


def serve(sources: staging.Sources, generator: Generator, address: str) -> int:
    """Stage, then let the generator serve the staged folder with its own live reload; restage
    whenever a source changes. Each restage runs in a new process, so edits to macros/ and
    calculators/ count too. A content error is printed and the last good pages stay served."""
    try:
        ensure_installed(generator)
    except GeneratorInstallError as exc:
        print(exc, file=sys.stderr)
        return 1
    # Stopped like Ctrl-C (by a terminal closing, or a test), so the preview folder goes too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    PREVIEW_ROOT.mkdir(exist_ok=True)
    # A folder of its own, so two previews (or a test's) never write into each other's.
    root = Path(tempfile.mkdtemp(prefix=f"{generator.name}-", dir=PREVIEW_ROOT))
    try:
        return _serve_from(root, sources, generator, address)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _serve_from(root: Path, sources: staging.Sources, generator: Generator, address: str) -> int:
    restage = _stage_command(sources, root, generator)
    if subprocess.call(restage, env=_environment()) != 0:
        return 1
    config = root / staging.CONFIG_FILE
    server = subprocess.Popen(
        [*generator.command(), *generator.serve_args(config, address)], cwd=root, env=_environment()
    )
    tops = watched(sources)
    seen = _fingerprint(tops)
    try:
        while server.poll() is None:
            time.sleep(1)
            now = _fingerprint(tops)
            if now != seen:
                seen = now
                if subprocess.call(restage, env=_environment()) != 0:
                    print("Still serving the last good version.", file=sys.stderr)
    except KeyboardInterrupt:
        server.terminate()
    return server.wait()
