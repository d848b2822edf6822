"""The installable, offline handbook: web app manifest, icons and the service worker.

Plain functions over a built site folder, run after the host has written every page, so the
precache list covers exactly what was published.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import PIL
import resvg_py
from PIL import Image

from macros.browser.runtime import PYODIDE_DIR
from macros.browser.security import HEADERS_FILE, safe_json
from macros.browser.snapshot import SNAPSHOT_SUFFIX
from macros.pages.render import environment

ICON_DIR = "assets/icons"
ICON_SIZES = (192, 512)
MASKABLE_SAFE_ZONE = 0.6  # the logo fills 60% so Android's circle and squircle masks keep it
ICON_FILES = (
    *(f"icon-{size}.png" for size in ICON_SIZES),
    "maskable-512.png",
    "apple-touch-icon.png",
)
# Icons made by earlier builds, one folder per logo: rendering them is most of the offline
# stage's time, and the logo rarely changes.
ICON_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "icons"
FALLBACK_PAGE = "offline/index.html"
# Never precached: source maps, gzip twins of files we already list, the service worker
# itself, the host's `_headers` (hosts never serve it), and the theme's own search (its
# worker and languages), which is switched off.
SKIPPED_SUFFIXES = (".map", ".gz")
SKIPPED_PREFIXES = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
SKIPPED_FILES = {"sw.js", HEADERS_FILE}


@dataclass(frozen=True)
class AppIdentity:
    """What the manifest and the browser's install prompt show."""

    name: str
    short_name: str
    description: str
    site_url: str
    theme_colour: str
    background_colour: str


@dataclass(frozen=True)
class PrecacheEntry:
    path: str
    revision: str
    size: int
    # "core" (saved once the first page is idle), "runtime" (Pyodide, on first use) or
    # "snapshot" (the calculators' memory snapshot: a faster start, not needed offline).
    group: str


def scope_path(site_url: str) -> str:
    """The URL path the app lives under, e.g. /handbook/ for https://example.org/handbook/."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def _group(path: str) -> str:
    # The calculators' code zip, QR zip, shared data and every condition's chunk (a few KB
    # each) are saved with the pages: every page's calculator works offline, and a
    # tab open on this version keeps it after a deploy removes these files from the server.
    if path.startswith(PYODIDE_DIR + "/"):
        # The snapshot only makes a start faster: an offline copy without it is complete.
        return "snapshot" if path.endswith(SNAPSHOT_SUFFIX) else "runtime"
    return "core"


def _wanted(path: str) -> bool:
    return not (
        path in SKIPPED_FILES
        or path.endswith(SKIPPED_SUFFIXES)
        or path.startswith(SKIPPED_PREFIXES)
    )


def precache_entries(site_dir: Path) -> list[PrecacheEntry]:
    """Every published file with a content revision, so updates fetch only what changed."""
    entries = []
    for file in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        path = file.relative_to(site_dir).as_posix()
        if _wanted(path):
            with file.open("rb") as stream:  # in pieces: the 10 MB wasm is never held whole
                revision = hashlib.file_digest(stream, "sha256").hexdigest()[:16]
            entries.append(PrecacheEntry(path, revision, file.stat().st_size, _group(path)))
    return entries


def web_manifest(identity: AppIdentity) -> dict[str, object]:
    scope = scope_path(identity.site_url)
    icons: list[dict[str, str]] = [
        {
            "src": f"{ICON_DIR}/icon-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": f"{ICON_DIR}/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "name": identity.name,
        "short_name": identity.short_name,
        "description": identity.description,
        "id": scope,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "theme_color": identity.theme_colour,
        "background_color": identity.background_colour,
        "icons": icons,
    }


def _render_logo(logo: Path, size: int) -> Image.Image:
    if logo.suffix.lower() == ".svg":
        png = bytes(resvg_py.svg_to_bytes(svg_path=str(logo), width=size, height=size))
        return Image.open(io.BytesIO(png)).convert("RGBA")
    return Image.open(logo).convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)


def icon_key(logo: Path, background: str) -> str:
    """What the icons are made from: the logo's bytes and kind, the background, the sizes and
    the renderers' versions. The same key always makes the same icons."""
    made_from = [logo.suffix.lower(), background, ICON_SIZES, MASKABLE_SAFE_ZONE]
    made_from += [PIL.__version__, importlib.metadata.version("resvg_py")]
    digest = hashlib.sha256(logo.read_bytes())
    digest.update(repr(made_from).encode())
    return digest.hexdigest()[:24]


def write_icons(
    logo: Path, site_dir: Path, background: str, cache: Path | None = ICON_CACHE
) -> list[Path]:
    """The app icons in the site, made only when the logo (or anything else they are made
    from) changed since a build last made them: each set is kept in `cache` under its key.
    With no cache they are made every time."""
    target = site_dir / ICON_DIR
    if cache is None:
        return render_icons(logo, target, background)
    made = cache / icon_key(logo, background)
    if not made.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        # Made aside and renamed into place, so a build running at the same time never
        # finds half a set.
        scratch = Path(tempfile.mkdtemp(prefix=".making-", dir=cache))
        render_icons(logo, scratch, background)
        try:
            scratch.rename(made)
        except OSError:  # another build put the same set in place first
            shutil.rmtree(scratch, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(made / name, target / name)) for name in ICON_FILES]


def render_icons(logo: Path, target: Path, background: str) -> list[Path]:
    """192, 512 and maskable icons, plus an Apple touch icon, all from one source logo."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for size in ICON_SIZES:
        path = target / f"icon-{size}.png"
        _render_logo(logo, size).save(path, optimize=True)
        written.append(path)
    for name, size, fill in (
        ("maskable-512.png", 512, MASKABLE_SAFE_ZONE),
        ("apple-touch-icon.png", 180, 0.8),
    ):
        canvas = Image.new("RGBA", (size, size), background)
        inner = round(size * fill)
        mark = _render_logo(logo, inner)
        canvas.alpha_composite(mark, ((size - inner) // 2, (size - inner) // 2))
        canvas.convert("RGB").save(target / name, optimize=True)
        written.append(target / name)
    return written


def service_worker(entries: list[PrecacheEntry], pyodide_version: str) -> str:
    listing = [[e.path, e.revision, e.size, e.group] for e in entries]
    version = hashlib.sha256(json.dumps(listing).encode()).hexdigest()[:12]
    return (
        environment()
        .get_template("service-worker.js.j2")
        .render(
            version=version,
            app_cache=f"handbook-app-{version}",
            runtime_cache=f"handbook-runtime-pyodide-{pyodide_version}",
            entries=listing,
            fallback=FALLBACK_PAGE,
        )
    )


def publish(site_dir: Path, identity: AppIdentity, logo: Path, pyodide_version: str) -> None:
    """Write icons and manifest, then the service worker that lists every file, itself last."""
    write_icons(logo, site_dir, identity.background_colour)
    manifest = safe_json(web_manifest(identity), indent=2) + "\n"
    (site_dir / "manifest.webmanifest").write_text(manifest, encoding="utf-8")
    entries = precache_entries(site_dir)
    (site_dir / "sw.js").write_text(service_worker(entries, pyodide_version), encoding="utf-8")
