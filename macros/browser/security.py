"""The Content-Security-Policy of a built site, and JSON that is safe in any context.

GitHub Pages cannot send headers, so the policy travels in a <meta> at the top of every page.
It is computed after every page is written: the theme's few inline scripts are hashed from
the built pages themselves, so the policy allows exactly those and nothing typed into content.
The same policy, plus what only a header can say, goes into `_headers` for hosts that read
one (Netlify, Cloudflare Pages). Plain functions over a folder; no MkDocs import.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HEADERS_FILE = "_headers"
# The policy goes straight after this tag, which overrides/main.html puts first in <head>:
# a <meta> policy only governs what follows it.
CHARSET_TAG = '<meta charset="utf-8">'
REFERRER_POLICY = "no-referrer"
# Script types a browser runs; a `type="application/json"` block is data and needs no hash.
_RUNNABLE_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})


class PolicyError(ValueError):
    """A built page that a strict policy would break; the message names the file."""


class InlineCode(HTMLParser):
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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        self.blocked_attributes += [
            f"<{tag} {name}=…>" for name in named if name == "style" or name.startswith("on")
        ]
        self.script_elements += tag == "script"
        runnable = tag == "script" and "src" not in named
        if runnable and named.get("type", "").strip().lower() in _RUNNABLE_SCRIPT_TYPES:
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


def source_hash(code: str) -> str:
    """A CSP hash source for one inline script or style, exactly as the page carries it."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class Policy:
    """One policy for the whole site. Material's instant navigation swaps pages without a
    reload, so the first page's policy must allow every other page's inline scripts too."""

    script_hashes: tuple[str, ...]
    style_hashes: tuple[str, ...]

    def directives(self) -> list[str]:
        return [
            "default-src 'self'",
            # WebAssembly compilation (Pyodide) without allowing eval() of JavaScript.
            " ".join(["script-src 'self' 'wasm-unsafe-eval'", *self.script_hashes]),
            " ".join(["style-src 'self'", *self.style_hashes]),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]

    def meta_value(self) -> str:
        return "; ".join(self.directives())

    def header_value(self) -> str:
        # Browsers ignore frame-ancestors in a <meta>; only a header can refuse framing.
        return "; ".join([*self.directives(), "frame-ancestors 'self'"])


def refuse_scripts_in_content(html: str, where: str) -> None:
    """A page's own body (Markdown from content, docs or a clinic) may hold no script, style
    block, inline handler or style attribute: the policy hashes only what the theme adds, so
    nothing a page author writes is ever allowed to run."""
    found = InlineCode()
    found.feed(html)
    found.close()
    kinds = sorted(set(found.blocked_attributes))
    if found.script_elements:
        kinds.append("<script>")
    if found.styles:
        kinds.append("<style>")
    if kinds:
        raise PolicyError(
            f"{where}: {', '.join(kinds)} in the page's text; the Content-Security-Policy "
            "allows no script or inline style written in a page: use the site's stylesheet "
            "and script files"
        )


def site_policy(site_dir: Path) -> Policy:
    """Hash every inline script and style of every built page; refuse inline handlers and
    style attributes, which no hash can allow without 'unsafe-hashes'."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        found = InlineCode()
        found.feed(page.read_text(encoding="utf-8"))
        found.close()
        if found.blocked_attributes:
            where = page.relative_to(site_dir).as_posix()
            raise PolicyError(
                f"{where}: {', '.join(sorted(set(found.blocked_attributes)))} would be blocked "
                "by the Content-Security-Policy; use a class and the stylesheet, or a script file"
            )
        scripts.update(source_hash(code) for code in found.scripts)
        styles.update(source_hash(code) for code in found.styles)
    return Policy(tuple(sorted(scripts)), tuple(sorted(styles)))


def add_policy_to_pages(site_dir: Path, policy: Policy) -> None:
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy.meta_value()}">'
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if CHARSET_TAG not in html:
            where = page.relative_to(site_dir).as_posix()
            raise PolicyError(f"{where}: no {CHARSET_TAG} to put the Content-Security-Policy after")
        page.write_text(html.replace(CHARSET_TAG, CHARSET_TAG + tag, 1), encoding="utf-8")


def headers_file(policy: Policy) -> str:
    """Netlify and Cloudflare Pages `_headers`: the policy for every path, as a header."""
    return (
        "# Generated by macros/browser/security.py at build time; the same policy is in every "
        "page.\n"
        "/*\n"
        f"  Content-Security-Policy: {policy.header_value()}\n"
        f"  Referrer-Policy: {REFERRER_POLICY}\n"
        "  X-Content-Type-Options: nosniff\n"
    )


def read_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a `_headers` file: (path pattern, [(header, value), ...]) in order."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: list[tuple[str, list[tuple[str, str]]]], path: str) -> list[tuple[str, str]]:
    """What a host reading `_headers` sends for `path` (relative to the site root, with /)."""
    return [
        header
        for pattern, headers in rules
        if fnmatch.fnmatchcase(path, pattern)
        for header in headers
    ]


def apply(site_dir: Path) -> Policy:
    """Put the policy into every page and write `_headers`. Run before anything hashes the
    pages (the service worker's precache revisions)."""
    policy = site_policy(site_dir)
    add_policy_to_pages(site_dir, policy)
    (site_dir / HEADERS_FILE).write_text(headers_file(policy), encoding="utf-8")
    return policy


def safe_json(data: object, *, indent: int | None = None) -> str:
    """JSON that stays inert even if a file is pasted into HTML: <, > and & are escaped
    as \\u003c, \\u003e and \\u0026, exactly as Jinja's tojson does."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
