"""QR codes as inline SVG, made by segno: at build time for each handout, and in the browser's
calculator worker for a runner's own plan (the bundle carries segno and this module as
`hb_qr`, so both places draw the same symbol with the same code).

This module imports nothing but segno, so the worker can load it without the build.
The SVG has no style attribute or element (a strict Content-Security-Policy refuses those):
its size comes from the page's CSS class, its colour from a presentation attribute.
"""

from __future__ import annotations

import segno

QR_CLASS = "hb-qr"
ERROR_LEVEL = "m"
"""Medium error correction (15%): survives a smudged or creased printout, still small."""


def qr_svg(text: str, title: str) -> str:
    """An inline <svg> QR code for `text`, with `title` (escaped by segno) as its name."""
    code = segno.make(text, error=ERROR_LEVEL, micro=False, boost_error=False)
    return str(
        code.svg_inline(
            scale=1, border=4, svgclass=QR_CLASS, lineclass=None, omitsize=True, title=title
        )
    )
