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
import html as html_module
import json
import re
from dataclasses import dataclass
from pathlib import Path

HEADERS_FILE = "_headers"
# The policy goes straight after this tag, which overrides/main.html puts first in <head>:
# a <meta> policy only governs what follows it.
CHARSET_TAG = '<meta charset="utf-8">'
REFERRER_POLICY = "no-referrer"
# Script types a browser runs; a `type="application/json"` block is data and needs no hash.
RUNNABLE_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})


class PolicyError(ValueError):
    """A built page that a strict policy would break; the message names the file."""


# Inline code is found by the HTML standard's tokenizer rules for a start tag (section 13.2.5,
# "tag open" to "after attribute value"), not by a parser, and these rules are applied from
# EVERY "<" followed by an ASCII letter in the page, including one a parser would read as text
# (inside a comment, a script or an attribute value). A browser makes an element only from
# "<" and a letter and reads its attributes by exactly these rules (a name ends at whitespace,
# "/", ">" or "="; a value is quoted, or runs to whitespace or ">"; after a quoted value the
# next name may start at once), so every attribute any browser could create is looked at,
# and possibly more: a page can be refused for too much, never let through. Python's C regex
# engine does it without a step per character or per tag in Python, which is what made
# html.parser the largest cost of a build. Possessive quantifiers and atomic groups keep a
# name or value from being split by backtracking ("button" is never "butt" + "on").
_SPACE = "\t\n\f\r "
_SEPARATOR = f"[{_SPACE}/]*+"
_NAME = f"(?:=[^{_SPACE}/>=]*+|[^{_SPACE}/>=]++)"
_VALUE = f"""(?:[{_SPACE}]*+=[{_SPACE}]*+(?:"[^"]*+"|'[^']*+'|[^{_SPACE}>]*+))?"""
_TAG_OPEN = f"<([A-Za-z][^{_SPACE}/>]*+)"
_ATTRIBUTE = re.compile(f"{_SEPARATOR}({_NAME})({_VALUE})")
# Any name that starts with "on" (a handler) or is "style", in ASCII case only, as browsers
# lower-case names.
_BLOCKED_NAME = f"(?ai:on[^{_SPACE}/>=]*+|style(?![^{_SPACE}/>=]))"
_BLOCKED = re.compile(f"{_TAG_OPEN}(?>{_SEPARATOR}{_NAME}{_VALUE})*?{_SEPARATOR}{_BLOCKED_NAME}")
_ANY_TAG_OPEN = re.compile(_TAG_OPEN)
# Script and style content is raw text: it ends at the first `</script` or `</style` and
# a character that ends a tag name, whatever comes before it.
_CODE_OPEN = re.compile(f"(?ai)<(script|style)(?=[{_SPACE}/>])")
_CODE_END = {name: re.compile(f"(?ai)</{name}[{_SPACE}/>]") for name in ("script", "style")}
# In a script, "<!--" starts the standard's escaped states, where a `</script>` can belong to
# the script's own text: where its end could be read two ways, no hash is guessed.
_SCRIPT_ESCAPE = "<!--"


@dataclass
class StartTag:
    name: str
    """Lower-cased, as a browser names the element."""
    attributes: list[tuple[str, str]]
    """(lower-cased name, value with character references as written), in order."""
    end: int
    """Just after its `>`; -1 when the page ends first (a browser then makes no element)."""


def start_tag(html: str, start: int) -> StartTag:
    """The start tag a browser would read from the `<` at `start`."""
    opened = _ANY_TAG_OPEN.match(html, start)
    if opened is None:
        raise ValueError(f"no start tag at {start}")
    attributes = []
    at = opened.end()
    while found := _ATTRIBUTE.match(html, at):
        name, value = found.group(1), found.group(2).lstrip(_SPACE).removeprefix("=")
        value = value.lstrip(_SPACE)
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attributes.append((name.lower(), value))
        at = found.end()
    at += len(html[at:]) - len(html[at:].lstrip(_SPACE + "/"))
    end = at + 1 if html.startswith(">", at) else -1
    return StartTag(opened.group(1).lower(), attributes, end)


def blocked_attributes(html: str) -> list[str]:
    """Every style attribute and inline handler in `html`, as `<tag name=…>`."""
    if _BLOCKED.search(html) is None:  # the common case, entirely in the regex engine
        return []
    found = []
    for opened in _ANY_TAG_OPEN.finditer(html):
        tag = start_tag(html, opened.start())
        found += [
            f"<{tag.name} {name}=…>"
            for name, _value in tag.attributes
            if name == "style" or name.startswith("on")
        ]
    return found


@dataclass
class InlineCode:
    """The inline scripts and style blocks of one page, and any attribute a strict policy
    blocks."""

    scripts: list[str]
    """The text of every script a browser runs, exactly as written (what its hash is of)."""
    styles: list[str]
    script_elements: int
    """Every <script>, inline or not."""
    blocked_attributes: list[str]

    @classmethod
    def of(cls, html: str, where: str) -> InlineCode:
        scripts: list[str] = []
        styles: list[str] = []
        script_elements = 0
        for opened in _CODE_OPEN.finditer(html):
            tag = start_tag(html, opened.start())
            if tag.end == -1:
                continue
            closing = _CODE_END[tag.name].search(html, tag.end)
            text = html[tag.end : closing.start() if closing else len(html)]
            if tag.name == "style":
                styles.append(text)
                continue
            script_elements += 1
            named = dict(reversed(tag.attributes))  # the first of a name counts
            kind = html_module.unescape(named.get("type", "")).strip(_SPACE).lower()
            if "src" in named or kind not in RUNNABLE_SCRIPT_TYPES:
                continue
            if _SCRIPT_ESCAPE in text:
                raise PolicyError(
                    f"{where}: an inline script holds {_SCRIPT_ESCAPE}, so where it ends "
                    "cannot be told for its hash; move it into a script file"
                )
            scripts.append(text)
        return cls(scripts, styles, script_elements, blocked_attributes(html))


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
    found = InlineCode.of(html, where)
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
        where = page.relative_to(site_dir).as_posix()
        found = InlineCode.of(page.read_text(encoding="utf-8"), where)
        if found.blocked_attributes:
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


def safe_json(data: object, *, indent: int | None = None, compact: bool = False) -> str:
    """JSON that stays inert even if a file is pasted into HTML: <, > and & are escaped
    as \\u003c, \\u003e and \\u0026, exactly as Jinja's tojson does. `compact` sorts the keys
    and drops every space, so the same data always gives the same bytes (and hash)."""
    if compact:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    else:
        text = json.dumps(data, indent=indent, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
