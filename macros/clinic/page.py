"""Check a clinic's extra Markdown page before MkDocs renders it, so a bad page is a located error.

Python-Markdown parses nested lists and quotes recursively: a page nesting a few hundred
levels deep (easily made by a script or a bad paste) ends the build with a RecursionError
traceback after other pages were written. So the page must be UTF-8 text of a sane size whose
nesting, estimated from each line's indentation and leading list and quote markers, stays
shallow. Real pages nest two or three levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 256 * 1024
MAX_NESTING = 16
TAB_WIDTH = 4  # Python-Markdown's: one level of list nesting per four columns
_MARKERS = re.compile(r"(?:[>*+-]|\d{1,9}[.)])(?:[ \t]+|$)")


@dataclass(frozen=True)
class PageProblem:
    line: int
    col: int
    message: str


def _nesting(line: str) -> int:
    text = line.expandtabs(TAB_WIDTH)
    indent = len(text) - len(text.lstrip(" "))
    depth, rest = indent // TAB_WIDTH, text[indent:]
    while match := _MARKERS.match(rest):
        depth += 1
        rest = rest[match.end() :]
    return depth


def check_page(path: Path) -> PageProblem | None:
    """The first reason the Markdown page at `path` (already known to exist) cannot be built."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return PageProblem(
            1, 1, f"the page is {size / 1024:.0f} KB; a page may be at most {MAX_BYTES // 1024} KB"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        return PageProblem(bad_line, 1, "the page is not UTF-8 text; save it as UTF-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if _nesting(line) > MAX_NESTING:
            return PageProblem(
                number,
                1,
                f"lists or quotes are nested more than {MAX_NESTING} levels deep here; "
                "Markdown pages for the handbook nest two or three",
            )
    return None
