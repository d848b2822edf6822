"""The calculator forms' markup on every real condition page: every control can show its error.

The page script matches the engine's errors to the form by field name only, so these structural
rules are what make a field's error reach its slot, the summary and a screen reader. They are
checked over every field the templates render, including fields added later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from calculators.inputs import PAIN_FIELDS, PAIN_RANGE
from calculators.vocabulary import PAIN_SCALE_WORDS
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
def pages() -> dict[str, str]:
    """Every real condition page, with its build-time calculators."""
    book, problems = check_content(CONTENT_DIR)
    assert problems == []
    assert book is not None
    extras = condition_extras(build_catalogue(book))
    return {
        slug: render_condition(book, slug, extra=extras[slug]) for slug in sorted(book.conditions)
    }


@pytest.fixture(scope="module")
def forms(pages: dict[str, str]) -> list[tuple[str, Form]]:
    found = []
    for slug, page in pages.items():
        parser = FormParser()
        parser.feed(page)
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


SCALE = [str(value) for value in range(PAIN_RANGE[0], PAIN_RANGE[1] + 1)]


def test_pain_is_tapped_on_a_scale_never_typed(forms: list[tuple[str, Form]]) -> None:
    """Every pain question is a radio group under its engine field name: 0 to 10 where the
    family asks for a score, Yes (1) or No (0) where it asks yes or no. None is typed."""
    scales = 0
    for slug, form in forms:
        for name in PAIN_FIELDS:
            controls = [c for c in form.controls if c["name"] == name]
            if not controls:
                continue
            assert {c.get("type") for c in controls} == {"radio"}, (slug, name)
            assert {c.get("data-type") for c in controls} == {"int"}, (slug, name)
            values = [c["value"] for c in controls]
            assert values in (SCALE, ["1", "0"]), (slug, name, values)
            scales += values == SCALE
    assert scales > 40  # most families score pain; the bone family asks yes or no


def test_a_scale_names_its_ends_and_middle(pages: dict[str, str]) -> None:
    """0, 5 and 10 carry their words in their labels, for screen readers, and once under the
    row for the eye (hidden from screen readers, which already heard them)."""
    page = pages["calf-strain"]
    for name in ("pain_during", "pain_baseline"):
        for value, word in PAIN_SCALE_WORDS.items():
            segment = re.search(
                rf'<label class="hb-segment" for="hb-calf-strain-check-{name}-{value}">'
                rf'<input type="radio"[^>]*><span>{value}<span class="hb-visually-hidden">, '
                rf"{word}</span></span></label>",
                page,
            )
            assert segment, (name, value)
    words = "".join(f"<span>{word}</span>" for word in PAIN_SCALE_WORDS.values())
    assert page.count(f'<p class="hb-scale-words" aria-hidden="true">{words}</p>') == 4
