"""Stage 4 of a build: what no generator makes, added to the site it wrote.

The browser runtime and the calculators' bundle, the search index, the Content-Security-
Policy and the offline files (manifest, icons, service worker), in that order: the policy
hashes the finished pages, and the service worker lists every file, itself last.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from macros.browser import pwa, runtime, search_index, security, snapshot
from macros.build.generators import Generator
from macros.build.staging import Staged


class PublishError(RuntimeError):
    """A built site that cannot be published as it is; the message names the file."""


def add_runtime(target: Path, staged: Staged) -> None:
    """The pinned Pyodide runtime and this build's calculators, under their versioned paths."""
    runtime.copy_runtime(target)
    runtime.write_bundle(target, staged.bundle)
    if staged.memory_snapshot is not None:
        snapshot.write_snapshot(target, staged.memory_snapshot)


def remove_unused_output(site_dir: Path, generator: Generator) -> None:
    for pattern in generator.unused_output:
        for path in site_dir.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def publish(site_dir: Path, staged: Staged, generator: Generator) -> None:
    remove_unused_output(site_dir, generator)
    try:
        add_runtime(site_dir, staged)
        search_index.index_site(site_dir)
        security.apply(site_dir)
    except (security.PolicyError, search_index.SearchIndexError) as exc:
        raise PublishError(str(exc)) from exc
    config = staged.config
    identity = pwa.AppIdentity(
        name=config["site_name"],
        short_name=config["extra"]["short_name"],
        description=config.get("site_description") or config["site_name"],
        site_url=config.get("site_url") or "/",
        theme_colour=config["extra"]["theme_colour"],
        background_colour=config["extra"]["background_colour"],
    )
    pwa.publish(site_dir, identity, staged.logo, runtime.pyodide_version())


def publish_preview(site_dir: Path, staged: Staged) -> None:
    """A served preview: runtime, bundle and search, but no policy (the generator's live-reload
    script is inline) and no service worker (it would serve stale pages)."""
    add_runtime(site_dir, staged)
    search_index.index_site(site_dir)
