"""Clinic logos are checked before anything is built: hostile SVGs and PNGs get located errors.

The one-fixture-per-rule tests live with the clinic fixtures; these cover every other way a
logo can be refused, and the logos that must pass.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from macros.clinic import logo
from macros.clinic.logo import LogoProblem, check_logo
from site_tests.conftest import PROJECT_ROOT

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def _svg(body: str, attrs: str = 'viewBox="0 0 64 64"') -> str:
    return f"<svg {SVG_NS} {attrs}>\n{body}\n</svg>\n"


def _check(tmp_path: Path, name: str, data: bytes | str) -> list[LogoProblem]:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return check_logo(path)


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b5d57").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "path",
    [
        PROJECT_ROOT / "clinics" / "example" / "logo.svg",
        PROJECT_ROOT / "docs" / "assets" / "images" / "logo.svg",
        PROJECT_ROOT / "site_tests" / "clinic" / "fixtures" / "passing" / "clinic-b" / "logo.png",
    ],
    ids=["example-svg", "handbook-svg", "clinic-b-png"],
)
def test_real_logos_pass(path: Path) -> None:
    assert check_logo(path) == []


def test_internal_references_and_editor_metadata_pass(tmp_path: Path) -> None:
    """Gradients, <use> of its own parts and Inkscape's namespaced metadata are all fine."""
    body = """\
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0b5d57"/></linearGradient>
  <circle id="dot" r="4"/></defs>
  <rect width="64" height="64" fill="url(#g)" style="stroke: url('#g')"/>
  <use href="#dot" x="10" y="10"/><use xlink:href="#dot" x="20" y="20"/>
  <style>rect { fill: url(#g); }</style>"""
    svg = _svg(body).replace(
        "<svg ", '<svg xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" ', 1
    )
    svg = svg.replace("</svg>", '<inkscape:grid id="grid1"/></svg>')
    assert _check(tmp_path, "logo.svg", svg) == []


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        pytest.param(
            '<rect width="64" height="64" onload="alert(1)"/>',
            2,
            "the SVG has an event handler (onload), which runs code; remove it",
            id="event-handler",
        ),
        pytest.param(
            '<image href="/etc/ssl/private/key.png" width="64" height="64"/>',
            2,
            "the SVG refers to /etc/ssl/private/key.png; a logo may only refer to its own parts "
            '(href="#..."), never to a file, a site or embedded data',
            id="image-of-a-local-file",
        ),
        pytest.param(
            '<image xlink:href="file:///home/me/photo.png"/>',
            2,
            "the SVG refers to file:///home/me/photo.png; a logo may only refer to its own parts "
            '(href="#..."), never to a file, a site or embedded data',
            id="xlink-image",
        ),
        pytest.param(
            '<use href="https://tracker.example/sprite.svg#logo"/>',
            2,
            "the SVG refers to https://tracker.example/sprite.svg#logo; a logo may only refer to "
            'its own parts (href="#..."), never to a file, a site or embedded data',
            id="external-use",
        ),
        pytest.param(
            '<a href="javascript:alert(1)"><rect width="9" height="9"/></a>',
            2,
            "the SVG refers to javascript:alert(1); a logo may only refer to its own parts "
            '(href="#..."), never to a file, a site or embedded data',
            id="javascript-link",
        ),
        pytest.param(
            '<foreignObject width="64" height="64"><p xmlns="http://www.w3.org/1999/xhtml">'
            "Hi</p></foreignObject>",
            2,
            "the SVG holds a <foreignObject> element, which can run code; remove it",
            id="foreign-object",
        ),
        pytest.param(
            '<a><set attributeName="href" to="https://tracker.example/"/></a>',
            2,
            "the SVG's <set> element changes a link; remove it",
            id="animated-href",
        ),
        pytest.param(
            '<rect width="64" height="64" style="fill: url(https://tracker.example/p.svg#x)"/>',
            2,
            "the SVG's styles load https://tracker.example/p.svg#x; use only url(#...)",
            id="style-url",
        ),
        pytest.param(
            "<style>@import 'https://tracker.example/x.css';</style>",
            2,
            "the SVG's styles @import another file",
            id="style-import",
        ),
    ],
)
def test_unsafe_svg_content_is_refused_where_it_is(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    (problem,) = _check(tmp_path, "logo.svg", _svg(body))
    assert (problem.code, problem.line, problem.message) == ("HB624", line, message)


def test_a_stylesheet_instruction_is_refused(tmp_path: Path) -> None:
    svg = '<?xml version="1.0"?>\n<?xml-stylesheet href="https://tracker.example/x.css"?>\n'
    (problem,) = _check(tmp_path, "logo.svg", svg + _svg("<rect/>"))
    assert problem == LogoProblem(
        "HB624", "the SVG has a <?xml-stylesheet ...?> instruction; remove it", 2, 1
    )


def test_every_unsafe_part_is_reported(tmp_path: Path) -> None:
    body = '<script>alert(1)</script>\n<rect onclick="x()"/>\n<image href="x.png"/>'
    problems = _check(tmp_path, "logo.svg", _svg(body))
    assert [(p.code, p.line) for p in problems] == [("HB624", 2), ("HB624", 3), ("HB624", 4)]


@pytest.mark.parametrize(
    "prologue",
    [
        pytest.param(
            '<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
            id="entity-expansion",
        ),
        pytest.param(
            '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>', id="external-entity"
        ),
        pytest.param(
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
            id="doctype",
        ),
    ],
)
def test_doctypes_and_entities_are_refused(tmp_path: Path, prologue: str) -> None:
    svg = '<?xml version="1.0"?>\n' + prologue + "\n" + _svg("<text>&c;</text>")
    (problem,) = _check(tmp_path, "logo.svg", svg)
    assert problem.code == "HB624"
    assert problem.message == "the SVG has a DOCTYPE or entity declarations; remove them"
    assert problem.line == 2


def test_an_svg_that_is_not_xml_is_located(tmp_path: Path) -> None:
    assert _check(tmp_path, "logo.svg", _svg("<g>")) == [
        LogoProblem("HB623", "the SVG is not well-formed XML: mismatched tag", 3, 3)
    ]


def test_an_svg_whose_outer_element_is_not_svg_is_refused(tmp_path: Path) -> None:
    assert _check(tmp_path, "logo.svg", "<html><svg/></html>") == [
        LogoProblem("HB623", "the file's outermost element is not <svg>", 1, 1)
    ]


def test_a_use_bomb_is_refused_not_rendered_for_ever(tmp_path: Path) -> None:
    """Ten <use> of ten <use> ... seven deep is 10^7 shapes; resvg's node limit stops it."""
    defs = ['<rect id="l0" width="1" height="1"/>']
    defs += [f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 8)]
    svg = _svg("<defs>" + "".join(defs) + '</defs><use href="#l7"/>')
    (problem,) = _check(tmp_path, "logo.svg", svg)
    assert problem.code == "HB623"
    assert problem.message.startswith("cannot be drawn as an icon: ")
    assert problem.line is None


def test_a_hundred_thousand_nested_groups_never_reach_the_renderer(tmp_path: Path) -> None:
    """The file is refused for its size; were the size allowed, the depth cap would stop it."""
    svg = _svg("<g>" * 100_000 + "</g>" * 100_000)
    (problem,) = _check(tmp_path, "logo.svg", svg)
    assert problem.code == "HB620"
    (deep,) = logo._svg_problems(svg.encode(), tmp_path / "logo.svg")
    assert deep.code == "HB625"
    assert (
        deep.message == "the SVG nests elements more than 32 deep; simplify it or save it flatter"
    )


def test_too_many_elements_is_refused(tmp_path: Path) -> None:
    (problem,) = _check(tmp_path, "logo.svg", _svg("<rect/>" * 10_001))
    assert problem.code == "HB625"
    assert problem.message.startswith("the SVG has more than 10,000 elements")


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('viewBox="0 0 300 100"', "is 300 × 100, not square"),
        ('width="40px" height="120px"', "is 40 × 120, not square"),
        ('viewBox="0 0 0 0"', "has no width or height"),
    ],
)
def test_svg_aspect_comes_from_the_view_box_or_size(
    tmp_path: Path, attrs: str, expected: str
) -> None:
    (problem,) = _check(tmp_path, "logo.svg", _svg('<rect width="9" height="9"/>', attrs))
    assert problem.code == "HB622"
    assert problem.message.startswith(expected)


def test_a_nearly_square_logo_passes(tmp_path: Path) -> None:
    assert _check(tmp_path, "logo.svg", _svg("<rect/>", 'viewBox="0 0 120 100"')) == []
    assert _check(tmp_path, "logo.png", _png(120, 100)) == []


@pytest.mark.parametrize(
    ("size", "code", "message"),
    [
        ((16, 16), "HB621", "is 16 × 16 pixels; use between 64 and 4096 pixels a side"),
        ((5000, 4800), "HB621", "is 5000 × 4800 pixels; use between 64 and 4096 pixels a side"),
        ((256, 128), "HB622", "is 256 × 128, not square"),
    ],
)
def test_png_pixel_size_and_shape(
    tmp_path: Path, size: tuple[int, int], code: str, message: str
) -> None:
    (problem,) = _check(tmp_path, "logo.png", _png(*size))
    assert problem.code == code
    assert problem.message.startswith(message)


def test_a_png_bomb_is_refused_from_its_header_alone(tmp_path: Path) -> None:
    """Only the header says 100000 by 100000 pixels; no pixel is ever decoded."""
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 6, 0, 0, 0)
    chunk = (
        struct.pack(">I", len(ihdr))
        + b"IHDR"
        + ihdr
        + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    )
    (problem,) = _check(tmp_path, "logo.png", logo.PNG_SIGNATURE + chunk)
    assert problem.code == "HB621"


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (12, "is a damaged PNG: it has no image header"),
        (60, "is a damaged or cut-short PNG ("),
    ],
)
def test_a_cut_short_png_is_a_problem_not_an_os_error(
    tmp_path: Path, cut: int, message: str
) -> None:
    (problem,) = _check(tmp_path, "logo.png", _png(128, 128)[:cut])
    assert problem.code == "HB623"
    assert problem.message.startswith(message)


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    """A 4 GB (sparse) file is judged by its size alone, never loaded into memory."""
    path = tmp_path / "logo.svg"
    with path.open("wb") as file:
        file.truncate(4 * 1024**3)
    (problem,) = check_logo(path)
    assert problem.code == "HB620"
    assert problem.message.startswith("is 4194304 KB; a logo may be at most 512 KB")
