"""Rendering a condition: fixed section order, escaping, and links that survive sub-paths."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from macros.content.loader import Handbook
from macros.lint.content_rules import check_content
from macros.pages.render import Contacts, relative_url, render_condition, site_pages

PASSING = Path(__file__).resolve().parents[2] / "content" / "fixtures" / "passing"


@pytest.fixture(scope="module")
def book() -> Handbook:
    handbook, problems = check_content(PASSING)
    assert problems == []
    assert handbook is not None
    return handbook


def to_html(text: str) -> str:
    """Convert as MkDocs does, with the same extensions, front matter removed."""
    body = text.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["admonition", "attr_list", "toc", "tables"])


def test_sections_come_in_the_fixed_order(book: Handbook) -> None:
    """At a glance, red flags, symptoms, causes, what to do, exercises, running, references."""
    headings = re.findall(
        r"^## (.+?)(?: { #[a-z-]+ })?$", render_condition(book, "knee-pain"), flags=re.M
    )
    assert headings == [
        "At a glance",
        "Red flags",
        "Symptoms",
        "Causes",
        "What to do now",
        "Exercises",
        "Return to running",
        "References",
    ]


def test_yaml_text_cannot_inject_markup(book: Handbook) -> None:
    """A <script> or a Markdown link in any field is shown as text, never as markup."""
    knee = book.conditions["knee-pain"]
    evil = "<script>alert(1)</script> [click](javascript:alert(2)) *bold*"
    book.conditions["knee-pain"] = knee.model_copy(
        update={"summary": evil, "symptoms": [evil], "name": evil, "aliases": [evil]}
    )
    try:
        html = to_html(render_condition(book, "knee-pain"))
    finally:
        book.conditions["knee-pain"] = knee
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<em>bold</em>" not in html


def test_red_flags_use_generic_wording_without_a_local_number(book: Handbook) -> None:
    """The unbranded default says to call the local emergency number."""
    shin = book.conditions["shin-bone-stress"]
    emergency = shin.red_flags[1].model_copy(update={"urgency": "emergency"})
    book.conditions["shin-bone-stress"] = shin.model_copy(
        update={"red_flags": [shin.red_flags[0], emergency]}
    )
    try:
        generic = render_condition(book, "shin-bone-stress")
        local = render_condition(book, "shin-bone-stress", Contacts("999", "111"))
    finally:
        book.conditions["shin-bone-stress"] = shin
    assert "Call your local emergency number now" in generic
    assert "Call 999 now" in local


def test_exercise_dosage_defaults_to_the_library(book: Handbook) -> None:
    """A condition without its own dosage shows the library's, in words."""
    assert "3 × 10 reps on each side, every other day" in render_condition(book, "knee-pain")


def test_edit_links_point_at_the_yaml(book: Handbook) -> None:
    """Generated condition pages are edited through their YAML file, not generated Markdown."""
    pages = {page.src_uri: page for page in site_pages(book, PASSING)}
    assert pages["conditions/knee-pain.md"].edit_path == "passing/conditions/knee-pain.yml"
    assert pages["exercises.md"].edit_path == "passing/exercises.yml"
    assert pages["index.md"].edit_path is None


@pytest.mark.parametrize(
    ("source", "target", "url"),
    [
        ("index.md", "regions/knee.md", "regions/knee/"),
        ("regions/knee.md", "conditions/knee-pain.md", "../../conditions/knee-pain/"),
        ("conditions/knee-pain.md", "index.md", "../../"),
        ("exercises.md", "exercises.md", "./"),
    ],
)
def test_relative_urls_work_under_any_sub_path(source: str, target: str, url: str) -> None:
    """Links are relative, so a copy hosted at /handbook/ still works."""
    assert relative_url(source, target) == url


def test_titles_and_reference_links_refuse_markup_and_scripts() -> None:
    """Names shown in menus cannot carry tags; a reference link must be a web address."""
    from pydantic import ValidationError  # noqa: PLC0415

    from macros.content.model import Reference, Region  # noqa: PLC0415

    with pytest.raises(ValidationError, match="must not contain <, > or"):
        Region.model_validate({"name": "<i>Knee</i>", "summary": "x", "order": 1})
    with pytest.raises(ValidationError, match="must be a web address"):
        Reference.model_validate(
            {
                "title": "t",
                "authors": "a",
                "year": 2020,
                "source": "s",
                "url": "javascript:alert(1)",
                "grade": "A",
            }
        )
