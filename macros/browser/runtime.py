"""Ship the calculators to the browser: the pinned Pyodide runtime and a zip of our package.

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

from calculators.vocabulary import for_the_page

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
PYODIDE_DIR = "assets/pyodide"
BUNDLE_DIR = "assets/calculators"
_ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed timestamps make the zip byte-reproducible


class RuntimeMissingError(RuntimeError):
    """The npm package is not installed; `make site` installs it with `npm ci`."""


@dataclass(frozen=True)
class CalculatorBundle:
    """The calculators package and its data, as one zip named by its content hash."""

    data: bytes
    digest: str

    @property
    def path(self) -> str:
        return f"{BUNDLE_DIR}/calculators-{self.digest}.zip"


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


def build_bundle(catalogue_json: str, package: Path = CALCULATORS_PACKAGE) -> CalculatorBundle:
    """Zip calculators/*.py with this build's catalogue and the QR encoder, reproducibly."""
    buffer = io.BytesIO()

    def add(name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data)

    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in code_files(package):
            add(name, data)
        add("calculators/catalogue.json", catalogue_json.encode("utf-8"))
    data = buffer.getvalue()
    return CalculatorBundle(data, hashlib.sha256(data).hexdigest()[:12])


def code_files(package: Path = CALCULATORS_PACKAGE) -> list[tuple[str, bytes]]:
    """Archive name and bytes of every module the worker runs: the calculators, segno and
    the QR encoder. The memory snapshot (snapshot.py) is made from exactly these."""
    sources = sorted(path for path in package.rglob("*.py") if "__pycache__" not in path.parts)
    files = [(f"calculators/{p.relative_to(package).as_posix()}", p.read_bytes()) for p in sources]
    return [*files, *_segno_files(), ("hb_qr.py", QR_MODULE.read_bytes())]


def page_words_json() -> str:
    """The calculators' word lists for the page script, as the text of a JSON data block.

    `<`, `>` and `&` are written as JSON escapes, so the text can never close the
    `<script type="application/json">` element it sits in (the theme does not escape it)."""
    text = json.dumps(for_the_page(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_bundle(site_dir: Path, bundle: CalculatorBundle) -> Path:
    target = site_dir / bundle.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bundle.data)
    return target
