"""Filling the calculator forms as a runner does: type in number and date fields, tick choices."""

from __future__ import annotations

from playwright.sync_api import Locator


def fill_and_submit(form: Locator, answers: dict[str, str]) -> None:
    """Text-like fields are typed; radio and checkbox answers are ticked by their value."""
    for name, value in answers.items():
        field = form.locator(f'input[name="{name}"]').first
        if field.get_attribute("type") in ("radio", "checkbox"):
            form.locator(f'input[name="{name}"][value="{value}"]').check()
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
