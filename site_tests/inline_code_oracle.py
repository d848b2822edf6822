"""A second, independent reader of a page's inline code for tests: Python's html.parser.

The build finds inline code with the HTML standard's tag rules over every "<" and a letter
(macros/browser/security.py); tests check its findings against this parser, which reads a
page the ordinary way, so a mistake in either shows as a difference.
"""

from __future__ import annotations

from html.parser import HTMLParser

from macros.browser.security import RUNNABLE_SCRIPT_TYPES


class ParsedInlineCode(HTMLParser):
    """Inline scripts and <style> blocks of one page, and any attribute a strict policy blocks."""

    def __init__(self) -> None:
        # Character references stay as written: the hash is of the bytes the browser reads.
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.blocked_attributes: list[str] = []
        self.script_elements = 0
        self._open: str | None = None
        self._text: list[str] = []

    @classmethod
    def of(cls, html: str) -> ParsedInlineCode:
        found = cls()
        found.feed(html)
        found.close()
        return found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        self.blocked_attributes += [
            f"<{tag} {name}=…>" for name in named if name == "style" or name.startswith("on")
        ]
        self.script_elements += tag == "script"
        runnable = tag == "script" and "src" not in named
        if runnable and named.get("type", "").strip().lower() in RUNNABLE_SCRIPT_TYPES:
            self._open, self._text = "script", []
        elif tag == "style":
            self._open, self._text = "style", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._open = None
