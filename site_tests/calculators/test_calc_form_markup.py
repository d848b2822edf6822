"""The calculator forms' markup on every real condition page: every control can show its error.

The page script matches the engine's errors to the form by field name only, so these structural
rules are what make a field's error reach its slot, the summary and a screen reader. They are
checked over every field the templates render, including fields added later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from macros.browser.catalogue import build_catalogue
from macros.content.loader import CONTENT_DIR
from macros.lint.content_rules import check_content
from macros.pages.calculator_views import condition_extras
from macros.pages.render import render_condition

CONTROLS = {"input", "select", "textarea"}


@dataclass
class Form:
    calculator: str
    first_child: dict[str, str] | None = None
    controls: list[dict[str, str]] = field(default_factory=list)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """Every calculator form on a page: its controls, its elements by id, its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.current = Form(attributes.get("data-calculator", ""))
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        form = self.current
        if form.first_child is None:
            form.first_child = attributes
        form.attributes += [name for name, _ in attrs]
        if "id" in attributes:
            form.ids[attributes["id"]] = attributes
        if tag in CONTROLS and attributes.get("name"):
            form.controls.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


@pytest.fixture(scope="module")
def forms() -> list[tuple[str, Form]]:
    book, problems = check_content(CONTENT_DIR)
    assert problems == []
    assert book is not None
    extras = condition_extras(build_catalogue(book))
    found = []
    for slug in sorted(book.conditions):
        parser = FormParser()
        parser.feed(render_condition(book, slug, extra=extras[slug]))
        found += [(slug, form) for form in parser.forms]
    assert {form.calculator for _, form in found} == {"self_check", "return_to_run_plan"}
    return found


def _focusable(form: Form) -> list[dict[str, str]]:
    """Controls a runner can reach. A hidden field (the urgency the check hands the plan) is
    set by the page, never typed, so its rare error is listed in the summary without a link."""
    return [c for c in form.controls if c.get("type") != "hidden"]


def test_every_control_names_its_fields_error_slot(forms: list[tuple[str, Form]]) -> None:
    """Each control (each radio and checkbox too) is described by its field's error slot."""
    checked = 0
    for slug, form in forms:
        for control in _focusable(form):
            described = control.get("aria-describedby", "").split()
            missing = [ref for ref in described if ref not in form.ids]
            assert missing == [], (slug, control["name"], missing)
            slots = [form.ids[ref] for ref in described if "data-error-for" in form.ids[ref]]
            assert [slot["data-error-for"] for slot in slots] == [control["name"]], (
                slug,
                control,
            )
            checked += 1
    assert checked > 100


def test_each_field_has_exactly_one_error_slot(forms: list[tuple[str, Form]]) -> None:
    """One slot per field name, so two fields never share or fight over an error."""
    for slug, form in forms:
        slots = [el["data-error-for"] for el in form.ids.values() if "data-error-for" in el]
        assert sorted(slots) == sorted({c["name"] for c in _focusable(form)}), slug


def test_every_form_starts_with_a_live_error_summary(forms: list[tuple[str, Form]]) -> None:
    """The summary is the form's first element, a focusable alert that is empty until used."""
    for slug, form in forms:
        first = form.first_child
        assert first is not None
        assert "data-error-summary" in first, slug
        assert (first.get("role"), first.get("tabindex")) == ("alert", "-1"), slug


def test_number_fields_are_read_as_text(forms: list[tuple[str, Form]]) -> None:
    """No type="number": it silently turns "7,5" into 75 in an English browser."""
    for slug, form in forms:
        numeric = [c for c in form.controls if c.get("data-type") in ("int", "float")]
        for control in numeric:
            if control.get("type") == "radio":
                continue
            assert control.get("type") == "text", (slug, control["name"])
            assert control.get("inputmode") in ("numeric", "decimal"), (slug, control["name"])


def test_forms_need_no_inline_script_or_style(forms: list[tuple[str, Form]]) -> None:
    """Ready for a strict Content-Security-Policy: no style= and no on*= handlers."""
    for slug, form in forms:
        inline = [a for a in form.attributes if a == "style" or a.startswith("on")]
        assert inline == [], slug
