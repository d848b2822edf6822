"""The build's Pyodide memory snapshot: made once per code and runtime, then reused."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from macros.browser import pwa, runtime, snapshot

pytestmark = pytest.mark.node


def test_a_build_makes_the_snapshot_once_and_then_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    made = snapshot.memory_snapshot(cache)
    assert made.file.is_file()
    # A whole wasm memory, gzipped: Pyodide's 30 MB heap at the least.
    assert len(gzip.decompress(made.file.read_bytes())) >= 30_000_000
    assert (
        made.path
        == f"assets/pyodide/{runtime.pyodide_version()}/calculators-{made.digest}.snapshot"
    )

    def no_node(*_args: object) -> None:
        raise AssertionError("the snapshot was made again")

    monkeypatch.setattr(snapshot, "_make", no_node)
    again = snapshot.memory_snapshot(cache)
    assert again == made

    site = tmp_path / "site"
    written = snapshot.write_snapshot(site, again)
    assert written.read_bytes() == made.file.read_bytes()
    listed = {entry.path: entry.group for entry in pwa.precache_entries(site)}
    # Saved in the runtime cache after a first use or by Save for offline, never on install,
    # and not needed for the offline copy to be complete.
    assert listed[made.path] == "snapshot"


def test_a_change_to_the_calculators_code_needs_a_new_snapshot(tmp_path: Path) -> None:
    package = tmp_path / "calculators"
    shutil.copytree(runtime.CALCULATORS_PACKAGE, package)
    before = snapshot.snapshot_key(snapshot._code_archive(package), runtime.PYODIDE_PACKAGE)
    plan = package / "plan.py"
    plan.write_text(plan.read_text() + "\n# changed\n")
    after = snapshot.snapshot_key(snapshot._code_archive(package), runtime.PYODIDE_PACKAGE)
    assert before != after


def test_a_build_without_node_publishes_without_a_snapshot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(snapshot.shutil, "which", lambda _name: None)
    assert snapshot.snapshot_or_none(tmp_path) is None
    assert "no Pyodide memory snapshot" in capsys.readouterr().err
