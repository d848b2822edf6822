"""Text that is safe to print on a terminal, for anything echoed back from a file or an input.

A value read from a file can hold ESC sequences, carriage returns, newlines or bidirectional
controls; printed raw they recolour the terminal, overwrite a line or forge a whole new one
("content OK"). Here every such character is written as a visible escape, and long values are
cut, so one hostile value cannot flood the output either.
"""

from __future__ import annotations

ELLIPSIS = "…"


def printable(text: str, limit: int | None = None) -> str:
    """`text` with each non-printable character as its Python escape (\\n, \\x1b, \\u202e),
    cut to at most `limit` characters (an ellipsis marks the cut)."""
    shown = "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in (text if limit is None else text[: limit + 1])
    )
    if limit is not None and len(shown) > limit:
        return shown[: limit - len(ELLIPSIS)] + ELLIPSIS
    return shown
