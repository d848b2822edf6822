"""A Pyodide memory snapshot of the started interpreter with the calculators imported.

A browser that restores it skips CPython's start-up and the import of our code, which is
most of a cold start. It is made at build time in Node (make_snapshot.mjs) from the code
alone, never the content catalogue, so only a change to the calculators, segno, the QR
encoder or Pyodide makes a new one; every other build reuses the copy kept in `.cache/`.

The snapshot option is experimental in Pyodide: the worker (calculators/worker.mjs) falls
back to a normal start whenever a restore fails, and the build publishes without one
(with a warning) when Node cannot make it.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from macros.browser import runtime

MAKER = Path(__file__).resolve().with_name("make_snapshot.mjs")
CACHE = runtime.PROJECT_ROOT / ".cache" / "pyodide-snapshot"
# What is imported before the memory is taken: the bridge imports every calculator module.
MODULES = ("calculators.bridge", "hb_qr")
SNAPSHOT_FILE = "snapshot.gz"
# The published file's ending, by which the offline list knows it (pwa.py).
SNAPSHOT_SUFFIX = ".snapshot"
MAKE_TIMEOUT_S = 300


class SnapshotError(RuntimeError):
    """Node could not make the snapshot; the message says why."""


@dataclass(frozen=True)
class MemorySnapshot:
    """A gzipped snapshot in the cache, published under the runtime folder by its hash."""

    file: Path
    digest: str
    version: str

    @property
    def path(self) -> str:
        # In the versioned runtime folder, so the offline copy saves it with Pyodide.
        return f"{runtime.runtime_dir(self.version)}calculators-{self.digest}{SNAPSHOT_SUFFIX}"


def _code_archive(package: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in runtime.code_files(package):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def snapshot_key(code: bytes, pyodide: Path) -> str:
    """Everything a snapshot is made from: Pyodide's build, the code, the maker and imports."""
    digest = hashlib.sha256()
    for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "package.json"):
        digest.update(hashlib.sha256((pyodide / name).read_bytes()).digest())
    digest.update(hashlib.sha256(code).digest())
    digest.update(MAKER.read_bytes())
    digest.update(",".join(MODULES).encode())
    return digest.hexdigest()[:24]


def _make(code: bytes, pyodide: Path, target: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise SnapshotError("Node.js is not installed")
    with tempfile.TemporaryDirectory(prefix="hb-snapshot-") as scratch:
        archive = Path(scratch) / "code.zip"
        archive.write_bytes(code)
        made = subprocess.run(
            [node, str(MAKER), str(pyodide), str(archive), ",".join(MODULES), str(target)],
            capture_output=True,
            text=True,
            timeout=MAKE_TIMEOUT_S,
            check=False,
        )
    if made.returncode != 0:
        raise SnapshotError(made.stderr.strip().splitlines()[-1] if made.stderr else "failed")


def memory_snapshot(
    cache: Path = CACHE,
    package: Path = runtime.CALCULATORS_PACKAGE,
    pyodide: Path = runtime.PYODIDE_PACKAGE,
) -> MemorySnapshot:
    """The snapshot for this code and Pyodide, made only if the cache has none for them."""
    version = runtime.pyodide_version(pyodide)
    code = _code_archive(package)
    folder = cache / snapshot_key(code, pyodide)
    if not (folder / SNAPSHOT_FILE).is_file():
        cache.mkdir(parents=True, exist_ok=True)
        # Made aside and renamed into place, so a build running at the same time never
        # finds half a file.
        scratch = Path(tempfile.mkdtemp(prefix=".making-", dir=cache))
        try:
            _make(code, pyodide, scratch / SNAPSHOT_FILE)
            scratch.rename(folder)
        except OSError:  # another build put the same snapshot in place first
            pass
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    file = folder / SNAPSHOT_FILE
    return MemorySnapshot(file, hashlib.sha256(file.read_bytes()).hexdigest()[:12], version)


def snapshot_or_none(cache: Path = CACHE) -> MemorySnapshot | None:
    """The build's snapshot, or None (and a warning) when it cannot be made: the calculators
    then start normally, only more slowly."""
    try:
        return memory_snapshot(cache)
    except (SnapshotError, subprocess.TimeoutExpired) as exc:
        print(f"warning: no Pyodide memory snapshot in this build: {exc}", file=sys.stderr)
        return None


def write_snapshot(site_dir: Path, snapshot: MemorySnapshot) -> Path:
    target = site_dir / snapshot.path
    target.parent.mkdir(parents=True, exist_ok=True)
    runtime.link_or_copy(snapshot.file, target)
    return target
