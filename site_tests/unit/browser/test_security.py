"""macros/browser/security.py on small folders: what is hashed, what is refused, what _headers
says."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from macros.browser.security import (
    HEADERS_FILE,
    PolicyError,
    apply,
    headers_for,
    read_headers_file,
    refuse_scripts_in_content,
    safe_json,
    site_policy,
)

HEAD = '<!doctype html><html><head><meta charset="utf-8">'


def _page(folder: Path, name: str, body: str) -> Path:
    page = folder / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"{HEAD}</head><body>{body}</body></html>", encoding="utf-8")
    return page


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def test_inline_scripts_and_styles_are_hashed_as_written_data_blocks_are_not(
    tmp_path: Path,
) -> None:
    _page(tmp_path, "index.html", '<script>var a = "&amp;";</script><style>p{color:red}</style>')
    _page(
        tmp_path,
        "b/index.html",
        '<script type="module">import "./x.mjs"</script><script src="x.js"></script>'
        '<script id="c" type="application/json">{"a": 1}</script>',
    )
    policy = site_policy(tmp_path)
    assert set(policy.script_hashes) == {
        _sha256('var a = "&amp;";'),
        _sha256('import "./x.mjs"'),
    }
    assert policy.style_hashes == (_sha256("p{color:red}"),)


@pytest.mark.parametrize(
    "body",
    ['<p style="color:red">x</p>', '<img src="a.png" onerror="go()">', '<a onclick="x()">a</a>'],
)
def test_inline_handlers_and_style_attributes_fail_the_build_naming_the_page(
    tmp_path: Path, body: str
) -> None:
    _page(tmp_path, "guides/x/index.html", body)
    with pytest.raises(PolicyError, match=r"^guides/x/index\.html: <"):
        site_policy(tmp_path)


def test_apply_puts_the_policy_first_and_writes_headers(tmp_path: Path) -> None:
    page = _page(tmp_path, "index.html", "<script>go()</script>")
    policy = apply(tmp_path)
    html = page.read_text(encoding="utf-8")
    assert html.startswith(
        HEAD + '<meta http-equiv="Content-Security-Policy" content="default-src \'self\';'
    )
    assert _sha256("go()") in html
    rules = read_headers_file((tmp_path / HEADERS_FILE).read_text(encoding="utf-8"))
    assert dict(headers_for(rules, "/assets/x.mjs"))["Content-Security-Policy"] == (
        policy.header_value()
    )


def test_a_page_without_the_charset_tag_is_refused(tmp_path: Path) -> None:
    (tmp_path / "raw.html").write_text("<html><head></head></html>", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"raw\.html: no <meta charset"):
        apply(tmp_path)


def test_headers_file_rules_match_paths() -> None:
    rules = read_headers_file("# note\n/*\n  A: 1\n\n/assets/*\n  B: 2\n")
    assert headers_for(rules, "/index.html") == [("A", "1")]
    assert headers_for(rules, "/assets/x.js") == [("A", "1"), ("B", "2")]


def test_safe_json_cannot_close_a_script_or_start_a_tag() -> None:
    data = {"name": "</script><b>&amp;"}
    text = safe_json(data)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('<script src="/assets/x.js"></script>', "<script>"),
        ("<script>go()</script>", "<script>"),
        ("<style>p{}</style>", "<style>"),
        ('<p style="color:red">x</p>', "<p style=…>"),
        ('<svg onload="go()"></svg>', "<svg onload=…>"),
    ],
)
def test_a_page_body_may_hold_no_script_or_inline_style(body: str, named: str) -> None:
    """The policy hashes the theme's scripts; none written in a page is ever allowed."""
    with pytest.raises(PolicyError, match=rf"^clinic/team\.md: {re.escape(named)}"):
        refuse_scripts_in_content(f"<p>Hello</p>{body}", "clinic/team.md")
    refuse_scripts_in_content("<p>A &lt;script&gt; shown as text</p>", "clinic/team.md")
