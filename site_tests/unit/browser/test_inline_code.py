"""The build's reader of inline code (macros/browser/security.py) against html.parser.

The build reads tags by the HTML standard's rules from every "<" and a letter; html.parser
reads a page the ordinary way. On well-formed pages both must find the same scripts, styles
and blocked attributes; on any text at all, the build must find every blocked attribute
html.parser finds, and more where a browser might make an element a parser would not.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macros.browser.security import InlineCode, PolicyError, start_tag
from site_tests.inline_code_oracle import ParsedInlineCode

# Not "src" or "type": a script tag names them once (a browser reads the first, html.parser
# the last).
_NAMES = ["class", "id", "href", "button", "icon", "data-on", "aria-controls"]
_BLOCKED_NAMES = ["onclick", "ONLOAD", "on", "onerror", "style", "Style"]
_TAGS = ["div", "p", "a", "button", "svg", "img", "SPAN", "input", "section"]
_TEXT = st.text(alphabet="abc on style= x-/&;1", max_size=12)
_VALUE = st.text(alphabet="abc on style=/ &amp;x", max_size=10)  # "<" is escaped in a value


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_NAMES + _BLOCKED_NAMES))
    quote = draw(st.sampled_from(['"', "'", None]))
    if quote is None:
        return name
    value = draw(_VALUE).replace(quote, "")
    return f"{name}={quote}{value}{quote}"


@st.composite
def _element(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["tag", "script", "style", "text"]))
    if kind == "text":
        return draw(_TEXT)
    attributes = "".join(" " + a for a in draw(st.lists(_attribute(), max_size=4)))
    if kind == "tag":
        tag = draw(st.sampled_from(_TAGS))
        return f"<{tag}{attributes}>{draw(_TEXT)}</{tag}>"
    body = draw(st.text(alphabet="ab;()'\"=> &amp;", max_size=20))
    # No "<": a fake tag in a script counts (see below), a fake end ends it early.
    if kind == "script":
        kind_attr = draw(st.sampled_from(["", ' type="module"', ' type="application/json"']))
        src = draw(st.sampled_from(["", ' src="x.js"']))
        return f"<script{kind_attr}{src}{attributes}>{body}</script>"
    return f"<style{attributes}>{body}</style>"


_PAGES = st.lists(_element(), max_size=8).map("".join)


@given(_PAGES)
def test_on_well_formed_pages_both_readers_find_the_same(page: str) -> None:
    built = InlineCode.of(page, "page.html")
    parsed = ParsedInlineCode.of(page)
    assert sorted(set(built.blocked_attributes)) == sorted(set(parsed.blocked_attributes))
    assert built.scripts == parsed.scripts
    assert built.styles == parsed.styles
    assert built.script_elements == parsed.script_elements


# Anything at all from the characters that make tags, comments and values: html.parser's
# findings are the least the build must find.
_MARKUP = ["<", ">", "/", "=", '"', "'", " ", "\n", "\t", "<!--", "-->", "<!", "</", "&amp;"]
_WORDS = ["a", "p", "x", "on", "click", "style", "script", "div", "STYLE", "ON"]
_ANY = st.lists(
    st.sampled_from([*_MARKUP, *_WORDS]),
    max_size=40,
).map("".join)


@given(_ANY)
def test_on_any_text_the_build_finds_every_blocked_attribute_html_parser_finds(page: str) -> None:
    try:
        built = set(InlineCode.of(page, "page.html").blocked_attributes)
    except PolicyError:
        return  # an inline script whose end is ambiguous is refused outright
    parsed = ParsedInlineCode.of(page)
    assert set(parsed.blocked_attributes) <= built


@pytest.mark.parametrize(
    ("html", "named"),
    [
        # Where html.parser sees a comment, text or a script, a browser may see an element:
        ("<!--> <div onclick=go()> -->", "<div onclick=…>"),
        ('<p title="x"onclick="go()">', "<p onclick=…>"),
        ("<p/onclick=go()>", "<p onclick=…>"),
        ("<P STYLE=color:red>", "<p style=…>"),
        ("<script>var a = '<b onmouseover=go()>'</script>", "<b onmouseover=…>"),
    ],
)
def test_attributes_a_browser_could_read_are_refused(html: str, named: str) -> None:
    assert named in InlineCode.of(html, "page.html").blocked_attributes


@pytest.mark.parametrize(
    "html",
    [
        '<button class="md-icon" aria-controls="__search" data-on="x">',
        '<a href="/on/style.css" title="style=on">styles on</a>',
        "<p>What to do on the day: style your plan</p>",
        '<img alt="" =onclick>',
    ],
)
def test_names_that_only_contain_on_or_style_are_not_refused(html: str) -> None:
    assert InlineCode.of(html, "page.html").blocked_attributes == []


def test_a_start_tag_is_read_as_a_browser_reads_it() -> None:
    tag = start_tag('<A HREF = "x y" data-z=1 / checked>rest', 0)
    assert tag.name == "a"
    assert tag.attributes == [("href", "x y"), ("data-z", "1"), ("checked", "")]
    assert tag.end == len('<A HREF = "x y" data-z=1 / checked>')
    assert start_tag('<a href="x', 0).end == -1


def test_an_inline_script_whose_end_could_be_read_two_ways_is_refused() -> None:
    with pytest.raises(PolicyError, match=r"^page\.html: an inline script holds <!--"):
        InlineCode.of("<script><!--<script></script>--></script>", "page.html")
