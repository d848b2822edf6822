"""Filling the calculator forms as a runner does: type in number and date fields, tap a pain
scale's segment, tick choices."""

from __future__ import annotations

from playwright.sync_api import Locator


def tap(form: Locator, name: str, value: int | str) -> None:
    """Choose `value` on a radio question: a segment of a 0 to 10 scale, or Yes (1) / No (0)."""
    form.locator(f'input[name="{name}"][value="{value}"]').check()


def fill_and_submit(form: Locator, answers: dict[str, str]) -> None:
    """Text-like fields are typed; radio (pain scales included) and checkbox answers are
    ticked by their value."""
    for name, value in answers.items():
        field = form.locator(f'input[name="{name}"]').first
        if field.get_attribute("type") in ("radio", "checkbox"):
            tap(form, name, value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
