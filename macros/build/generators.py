"""The site generators that can build the staged handbook, and how each is installed and run.

MkDocs 1.6 with Material is the default and lives in the project's `.venv`. ProperDocs and
Zensical are each pinned in their own lock and installed into their own virtual environment
the first time a build asks for them, so the default install never grows. None of them runs
project code: the pages are already written when the generator starts.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class GeneratorInstallError(RuntimeError):
    """A generator's environment could not be made from its lock."""


@dataclass(frozen=True)
class Generator:
    name: str
    title: str
    lock: str | None
    """The lock file, relative to the project; None means the project's own `.venv`."""
    executable: str
    """The command in the generator's environment's `bin/`, or `python -m` module for MkDocs."""
    search_off: Any
    """`plugins:` with the generator's own search turned off (Pagefind is the one search)."""
    site_dir_flag: bool
    """Takes `--site-dir`; Zensical reads `site_dir` only from the configuration."""
    unsupported_settings: tuple[str, ...] = field(default=())
    """Settings the generator would warn about or reject; removed from its configuration."""
    theme_settings: dict[str, str] = field(default_factory=dict)
    """Theme settings only this generator knows."""
    unused_output: tuple[str, ...] = field(default=())
    """Files or folders (globs) the generator writes and the handbook never uses: removed
    before the offline list is made, so no runner downloads them."""

    def venv(self, root: Path = PROJECT_ROOT) -> Path:
        return root / f".venv-{self.name}"

    def command(self, root: Path = PROJECT_ROOT) -> list[str]:
        if self.lock is None:
            return [sys.executable, "-m", self.executable]
        return [str(self.venv(root) / "bin" / self.executable)]

    def build_args(self, config: Path, site_dir: Path) -> list[str]:
        args = ["build", "--strict", "-f", str(config)]
        return [*args, "--site-dir", str(site_dir)] if self.site_dir_flag else args

    def serve_args(self, config: Path, address: str) -> list[str]:
        args = ["serve", "-f", str(config), "--dev-addr", address]
        return args if self.name == "zensical" else [*args, "--strict", "--livereload"]


GENERATORS = {
    generator.name: generator
    for generator in (
        Generator("mkdocs", "MkDocs 1.6 with Material 9.8", None, "mkdocs", [], True),
        Generator(
            "properdocs",
            "ProperDocs 1.6 with Material 9.8",
            "requirements-properdocs.lock",
            "properdocs",
            [],
            True,
        ),
        Generator(
            "zensical",
            "Zensical (classic Material look)",
            "requirements-zensical.lock",
            "zensical",
            {"search": {"enabled": False}},
            False,
            # Zensical documents these as unsupported and ignores them; the build checks links
            # and navigation with MkDocs, and the pages' own checks run after any generator.
            unsupported_settings=("strict", "validation", "not_in_nav"),
            # Material's look; the "modern" variant restyles the pages the handbook's CSS fits.
            theme_settings={"variant": "classic"},
            # Its own search writes an empty index even when turned off.
            unused_output=("search.json", "assets/stylesheets/modern"),
        ),
    )
}
DEFAULT = "mkdocs"


def _stamp(venv: Path, lock: Path) -> Path:
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    return venv / f".installed-{digest}"


def ensure_installed(generator: Generator, root: Path = PROJECT_ROOT) -> None:
    """Make the generator's environment from its lock, once per version of the lock."""
    if generator.lock is None:
        return
    lock = root / generator.lock
    venv = generator.venv(root)
    stamp = _stamp(venv, lock)
    if stamp.exists():
        return
    print(f"Installing {generator.title} from {generator.lock} into {venv.name}/", file=sys.stderr)
    python = venv / "bin" / "python"
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--requirement", str(lock)],
    ]  # fmt: skip
    for step in steps:
        if subprocess.call(step, env={**os.environ, "PIP_NO_INPUT": "1"}) != 0:
            raise GeneratorInstallError(
                f"could not install {generator.title} from {generator.lock}: {' '.join(step)}"
            )
    for old in venv.glob(".installed-*"):
        old.unlink()
    stamp.touch()
