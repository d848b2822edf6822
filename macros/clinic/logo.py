"""Check a clinic's logo before anything is built, so a bad file is a located error, not a crash.

Clinics write their own logos or get them from others, and the build turns the logo into the
app icons and publishes it in the site. So the file is checked first, cheapest check first:
its size in bytes, then (PNG) its pixel size from the header, before any pixel is decoded, or
(SVG) a parse that refuses DOCTYPEs, entities, scripts, event handlers, references to any file
or site, and nesting too deep for the renderer, and last a trial render or decode exactly as
the icon step will do it. Each finding names its rule code (HB620-HB625).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

import defusedxml
import defusedxml.sax
import resvg_py
from PIL import Image

from macros.content.problems import shown

MAX_BYTES = 512 * 1024
MIN_PIXELS, MAX_PIXELS = 64, 4096  # icons go up to 512 px; past 4096 is a decompression bomb
MAX_ASPECT = 1.25  # icons are square: a wider logo would be squashed
# Real logos nest groups a handful deep; resvg recurses per level and crashes far below 100,000.
MAX_SVG_DEPTH = 32
MAX_SVG_ELEMENTS = 10_000
TRIAL_SIZE = 64

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Elements that run code or embed another document.
_ACTIVE_ELEMENTS = {"script", "foreignObject", "handler", "listener", "iframe", "embed", "object"}
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "discard"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def _one_based(column: int | None) -> int | None:
    """SAX counts columns from 0; problems count from 1, as editors do."""
    return None if column is None else column + 1


@dataclass(frozen=True)
class LogoProblem:
    """One reason the logo cannot be used. With `line`, the message stands alone at that place
    in the SVG; without, it follows the logo's name ("logo 'x.png' is 684 KB; ...")."""

    code: str
    message: str
    line: int | None = None
    col: int | None = None


def check_logo(path: Path) -> list[LogoProblem]:
    """Every problem with the .svg or .png logo at `path` (already known to exist and to
    start like its kind of file)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [
            LogoProblem(
                "HB620",
                f"is {size / 1024:.0f} KB; a logo may be at most {MAX_BYTES // 1024} KB "
                "(simplify it, or export it smaller)",
            )
        ]
    data = path.read_bytes()
    if data.startswith(PNG_SIGNATURE):
        return list(_png_problems(data))
    return list(_svg_problems(data, path))


# --- PNG --------------------------------------------------------------------------------


def _png_problems(data: bytes) -> Iterator[LogoProblem]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        yield LogoProblem("HB623", "is a damaged PNG: it has no image header")
        return
    width, height = struct.unpack(">II", data[16:24])
    size_problem = _pixel_problem(width, height)
    if size_problem is not None:
        yield size_problem
        return
    aspect = _aspect_problem(width, height)
    if aspect is not None:
        yield aspect
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decodes every row, as the icon step will
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        yield LogoProblem("HB623", f"is a damaged or cut-short PNG ({shown(str(exc))})")


def _pixel_problem(width: int, height: int) -> LogoProblem | None:
    if min(width, height) < MIN_PIXELS or max(width, height) > MAX_PIXELS:
        return LogoProblem(
            "HB621",
            f"is {width} × {height} pixels; use between {MIN_PIXELS} and "
            f"{MAX_PIXELS} pixels a side (512 × 512 is ideal)",
        )
    return None


def _aspect_problem(width: float, height: float) -> LogoProblem | None:
    if width <= 0 or height <= 0:
        return LogoProblem("HB622", "has no width or height")
    if max(width, height) / min(width, height) > MAX_ASPECT:
        return LogoProblem(
            "HB622",
            f"is {width:g} × {height:g}, not square; app icons are square, so use a logo at "
            f"most {MAX_ASPECT:g} times as wide as it is high (or the other way round)",
        )
    return None


# --- SVG --------------------------------------------------------------------------------


class _TooComplex(Exception):
    pass


class _SvgScan(ContentHandler):
    """Collects what would make the SVG unsafe to publish, each where it is in the file."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[LogoProblem] = []
        self.root: tuple[str, dict[str, str]] | None = None
        self._locator: Locator | None = None
        self._depth = 0
        self._elements = 0
        self._in_style = 0

    def setDocumentLocator(self, locator: Locator) -> None:
        self._locator = locator

    def where(self) -> tuple[int | None, int | None]:
        if self._locator is None:
            return None, None
        return self._locator.getLineNumber(), _one_based(self._locator.getColumnNumber())

    def refuse(self, message: str) -> None:
        self.problems.append(LogoProblem("HB624", message, *self.where()))

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        self._depth += 1
        self._elements += 1
        if self._depth > MAX_SVG_DEPTH:
            raise _TooComplex(f"nests elements more than {MAX_SVG_DEPTH} deep")
        if self._elements > MAX_SVG_ELEMENTS:
            raise _TooComplex(f"has more than {MAX_SVG_ELEMENTS:,} elements")
        element = name[1]
        values = {local: str(value) for (_ns, local), value in attrs.items()}
        if self.root is None:
            self.root = (element, values)
        if element in _ACTIVE_ELEMENTS:
            self.refuse(
                f"the SVG holds a <{shown(element)}> element, which can run code; remove it"
            )
        if element == "style":
            self._in_style += 1
        if element in _ANIMATIONS and values.get("attributeName", "").endswith("href"):
            self.refuse(f"the SVG's <{element}> element changes a link; remove it")
        for local, value in values.items():
            self._check_attribute(local, value)

    def _check_attribute(self, local: str, value: str) -> None:
        if local.lower().startswith("on"):
            self.refuse(
                f"the SVG has an event handler ({shown(local)}), which runs code; remove it"
            )
        elif local == "href" and not value.strip().startswith("#"):
            self.refuse(
                f"the SVG refers to {shown(value)}; a logo may only refer to its own parts "
                '(href="#..."), never to a file, a site or embedded data'
            )
        elif "javascript:" in value.lower().replace(" ", ""):
            self.refuse(
                f"the SVG's {shown(local)} attribute holds a javascript: address; remove it"
            )
        else:
            self._check_css(value)

    def _check_css(self, text: str) -> None:
        for target in _URL.findall(text):
            if not target.startswith("#"):
                self.refuse(f"the SVG's styles load {shown(target)}; use only url(#...)")
        if "@import" in text.lower():
            self.refuse("the SVG's styles @import another file")

    def processingInstruction(self, target: str, data: str) -> None:
        # e.g. <?xml-stylesheet href="https://..."?>, which a browser follows.
        self.refuse(f"the SVG has a <?{shown(target)} ...?> instruction; remove it")

    def characters(self, content: str) -> None:
        if self._in_style:
            self._check_css(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        self._depth -= 1
        if name[1] == "style":
            self._in_style -= 1


def _svg_problems(data: bytes, path: Path) -> Iterator[LogoProblem]:
    scan = _SvgScan()
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True  # also refuses entities and external DTDs: none belongs in a logo
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(scan)
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except defusedxml.DefusedXmlException:
        line, col = scan.where()
        yield LogoProblem(
            "HB624", "the SVG has a DOCTYPE or entity declarations; remove them", line, col
        )
        return
    except xml.sax.SAXParseException as exc:
        yield LogoProblem(
            "HB623",
            f"the SVG is not well-formed XML: {shown(exc.getMessage())}",
            exc.getLineNumber(),
            _one_based(exc.getColumnNumber()),
        )
        return
    except _TooComplex as exc:
        line, col = scan.where()
        yield LogoProblem("HB625", f"the SVG {exc}; simplify it or save it flatter", line, col)
        return
    if scan.root is None or scan.root[0] != "svg":
        yield LogoProblem("HB623", "the file's outermost element is not <svg>", 1, 1)
        return
    if scan.problems:
        yield from scan.problems
        return
    aspect = _svg_aspect(scan.root[1])
    if aspect is not None:
        yield aspect
    try:
        # Drawn as the icon step draws it; resvg also stops at a million nodes (<use> bombs).
        resvg_py.svg_to_bytes(svg_path=str(path), width=TRIAL_SIZE, height=TRIAL_SIZE)
    except ValueError as exc:
        yield LogoProblem("HB623", f"cannot be drawn as an icon: {shown(str(exc))}")


def _svg_aspect(root: dict[str, str]) -> LogoProblem | None:
    """From the viewBox, else width and height; a logo with neither is drawn square."""
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return _aspect_problem(float(box[2]), float(box[3]))
        except ValueError:
            return None
    width, height = (_NUMBER.match(root.get(side, "")) for side in ("width", "height"))
    if width and height:
        return _aspect_problem(float(width.group(1)), float(height.group(1)))
    return None
