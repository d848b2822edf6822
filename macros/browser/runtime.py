"""Ship the calculators to the browser: the pinned Pyodide runtime, a zip of our package and
the catalogue in per-condition chunks.

Plain functions over paths; the build calls them after the generator has written the site.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calculators.chunks import split_catalogue
from calculators.vocabulary import for_the_page
from macros.browser.security import safe_json

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PYODIDE_PACKAGE = PROJECT_ROOT / "node_modules" / "pyodide"
CALCULATORS_PACKAGE = PROJECT_ROOT / "calculators"
# Everything a stdlib-only program needs; the rest of the npm package is for Node and debugging.
RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# segno draws the QR code of a runner's own plan link in the worker, with the code the build
# uses for each handout (macros/browser/qr.py, shipped as the top-level module `hb_qr`).
# Only the modules `import segno` loads, and its licence; not its command line or helpers.
SEGNO_MODULES = ("__init__.py", "consts.py", "encoder.py", "utils.py", "writers.py")
QR_MODULE = Path(__file__).resolve().with_name("qr.py")
# calculators/ modules only the command line and the build use (a test checks no bridge call
# imports them).
NOT_IN_THE_BROWSER = ("__main__.py", "cli.py", "terminal.py", "journal_schema.py")
PYODIDE_DIR = "assets/pyodide"
BUNDLE_DIR = "assets/calculators"
CONDITIONS_DIR = "conditions"  # one data chunk per condition, under BUNDLE_DIR
_ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed timestamps make the zip byte-reproducible


class RuntimeMissingError(RuntimeError):
    """The npm package is not installed; `make site` installs it with `npm ci`."""


@dataclass(frozen=True)
class ContentFile:
    """One file of the calculators' browser bundle, named by its content hash, so a page never
    mixes two builds' code or data and a cached copy never goes stale."""

    stem: str
    suffix: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:12]

    @property
    def path(self) -> str:
        return f"{BUNDLE_DIR}/{self.stem}-{self.digest}{self.suffix}"


@dataclass(frozen=True)
class CalculatorBundle:
    """What the worker loads: the code zip first, the shared data with it, then only the
    chunk of each condition a call needs, and the QR encoder's zip when a code is drawn.
    The code and QR zips do not depend on the content; the shared data does not grow with
    the number of conditions (calculators/chunks.py)."""

    code: ContentFile
    qr: ContentFile
    shared: ContentFile
    conditions: dict[str, ContentFile]
    index: ContentFile
    """Every condition's chunk, by slug, relative to this file: fetched only for a call about
    a condition the page does not name (a link to another condition's plan)."""

    @property
    def path(self) -> str:
        return self.code.path

    def files(self) -> dict[str, bytes]:
        """Site path -> bytes, for every file of the bundle."""
        every = [self.code, self.qr, self.shared, self.index, *self.conditions.values()]
        return {file.path: file.data for file in every}


def pyodide_version(package: Path = PYODIDE_PACKAGE) -> str:
    manifest = package / "package.json"
    if not manifest.is_file():
        raise RuntimeMissingError(
            f"the Pyodide runtime is not installed at {package}; run `make site` (it runs npm ci)"
        )
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def runtime_dir(version: str) -> str:
    """Site-relative folder of the runtime; the version in the path keeps its URLs immutable."""
    return f"{PYODIDE_DIR}/{version}/"


def runtime_files(package: Path = PYODIDE_PACKAGE) -> dict[str, Path]:
    """Site path -> npm file, for every file the browser needs."""
    folder = runtime_dir(pyodide_version(package))
    return {f"{folder}{name}": package / name for name in RUNTIME_FILES}


def link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`, or a copy where no link can be made (another
    file system). Either way it keeps the package's modification time, so every build serves
    the same Last-Modified and a browser's cached copy stays valid across deploys."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def copy_runtime(site_dir: Path, package: Path = PYODIDE_PACKAGE) -> Path:
    """The runtime's files in the site. They are about 19 MB that no build step ever writes,
    so each is a hard link to the npm package's file: a build copies nothing."""
    target = site_dir / runtime_dir(pyodide_version(package))
    target.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        link_or_copy(package / name, target / name)
    return target


def _segno_files() -> list[tuple[str, bytes]]:
    import segno  # noqa: PLC0415 - only the bundle needs to find the installed package

    package = Path(segno.__file__).resolve().parent
    files = [(f"segno/{name}", (package / name).read_bytes()) for name in SEGNO_MODULES]
    licence = next(
        (
            path
            for path in sorted(package.parent.glob("segno-*.dist-info/licenses/*"))
            if path.is_file()
        ),
        None,
    )
    if licence is not None:
        files.append(("segno/LICENSE", licence.read_bytes()))
    return files


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    """The files zipped with fixed timestamps, so the same files always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _calculator_files(package: Path) -> list[tuple[str, bytes]]:
    """calculators/*.py, but not the command line nor the journal's schema writer, which no
    bridge call imports."""
    sources = sorted(
        path
        for path in package.rglob("*.py")
        if "__pycache__" not in path.parts and path.name not in NOT_IN_THE_BROWSER
    )
    return [(f"calculators/{p.relative_to(package).as_posix()}", p.read_bytes()) for p in sources]


def _qr_files() -> list[tuple[str, bytes]]:
    return [*_segno_files(), ("hb_qr.py", QR_MODULE.read_bytes())]


def code_files(package: Path = CALCULATORS_PACKAGE) -> list[tuple[str, bytes]]:
    """Archive name and bytes of every module the worker runs: the calculators, segno and
    the QR encoder. The memory snapshot (snapshot.py) is made from exactly these."""
    return [*_calculator_files(package), *_qr_files()]


def build_code_zip(package: Path = CALCULATORS_PACKAGE) -> ContentFile:
    """The calculators' code, reproducibly: the same code gives the same bytes whatever the
    content."""
    return ContentFile("calculators", ".zip", _zip(_calculator_files(package)))


def build_qr_zip() -> ContentFile:
    """segno and `hb_qr`, loaded only when a runner first asks for a QR code."""
    return ContentFile("qr", ".zip", _zip(_qr_files()))


def _data_file(stem: str, data: dict[str, Any]) -> ContentFile:
    # Escaped as in a page: a condition's words are never markup, even in a data file.
    return ContentFile(stem, ".json", safe_json(data, compact=True).encode("utf-8"))


def build_bundle(
    catalogue: dict[str, Any], package: Path = CALCULATORS_PACKAGE
) -> CalculatorBundle:
    """The code and QR zips, the catalogue's shared data and one chunk per condition."""
    shared, chunks = split_catalogue(catalogue)
    conditions = {
        slug: _data_file(f"{CONDITIONS_DIR}/{slug}", chunk) for slug, chunk in chunks.items()
    }
    listed = {slug: file.path.removeprefix(f"{BUNDLE_DIR}/") for slug, file in conditions.items()}
    return CalculatorBundle(
        code=build_code_zip(package),
        qr=build_qr_zip(),
        shared=_data_file("shared", shared),
        conditions=conditions,
        index=_data_file(CONDITIONS_DIR, listed),
    )


def page_words_json() -> str:
    """The calculators' word lists for the page script, as the text of a JSON data block.

    `<`, `>` and `&` are written as JSON escapes, so the text can never close the
    `<script type="application/json">` element it sits in (the theme does not escape it)."""
    return safe_json(for_the_page(), compact=True)


def write_bundle(site_dir: Path, bundle: CalculatorBundle) -> Path:
    """Every file of the bundle in the site; returns the code zip's path."""
    for path, data in bundle.files().items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return site_dir / bundle.path
