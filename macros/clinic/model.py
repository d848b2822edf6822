"""What `clinics/<id>/clinic.yml` may contain: the clinic file's shape, as pydantic models.

Shape only, with the content model's strict text types. Rules that need colour arithmetic,
the content or the clinic folder are in `rules.py` (HB6xx); `loader.py` reads the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from macros.content.model import StrictModel, Text, TitleText, no_markup

CLINIC_FILE = "clinic.yml"

# The handbook's own palette (docs/assets/stylesheets/handbook.css), used when a clinic
# gives no colours.
HANDBOOK_PRIMARY = "#17466e"
HANDBOOK_ACCENT = "#a3122f"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,4}$")


def _quoted_colour(value: Any) -> Any:
    """An unquoted `#17466e` is a YAML comment, so the value arrives empty: say why."""
    if value is None:
        raise PydanticCustomError(
            "colour_comment",
            "is empty: YAML reads an unquoted # as a comment, so put the colour in quotes, "
            "e.g. '#17466e'",
        )
    return value


# Checked for form and contrast by `_colour_problems` (HB601/HB602), which can say more.
Colour = Annotated[str, BeforeValidator(_quoted_colour)]
ShortName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=12, strip_whitespace=True),
    AfterValidator(no_markup),
]


class Colours(StrictModel):
    primary: Colour = Field(
        default=HANDBOOK_PRIMARY,
        description="Header background and link colour; white text must be readable on it.",
    )
    accent: Colour = Field(
        default=HANDBOOK_ACCENT, description="Links under the pointer or keyboard focus."
    )


class Contacts(StrictModel):
    phone: Text
    email: Text | None = None
    address: Text | None = None
    booking_url: Text | None = Field(default=None, description="An http(s) address.")
    opening_hours: Text | None = None

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str | None) -> str | None:
        # Loose on purpose: the only aim is to catch a phone number or a name pasted here.
        if value is not None and not _EMAIL.match(value):
            raise PydanticCustomError(
                "email", "should be an email address, e.g. 'reception@clinic.example'"
            )
        return value


class Emergency(StrictModel):
    emergency_number: Text = Field(description="What to dial in an emergency: 999, 911, 112.")
    urgent_number: Text | None = Field(default=None, description="Urgent, not emergency: 111.")
    urgent_label: Text | None = Field(default=None, description="How to name it: 'NHS 111'.")

    @field_validator("emergency_number")
    @classmethod
    def _short_digits(cls, value: str) -> str:
        # Pages print "call 999 now"; a long number or words here would read wrongly.
        if not _EMERGENCY_NUMBER.match(value):
            raise PydanticCustomError(
                "emergency_number",
                "should be the short number people dial, digits only, e.g. '999', '911' or '112'",
            )
        return value

    @model_validator(mode="after")
    def _label_needs_number(self) -> Emergency:
        if self.urgent_label is not None and self.urgent_number is None:
            raise PydanticCustomError(
                "urgent_label", "urgent_label names urgent_number, so give urgent_number too"
            )
        return self


class Include(StrictModel):
    """Which conditions the copy shows. Names are checked against the content (HB603/HB604)."""

    regions: list[Text] = Field(default_factory=list)
    conditions: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Include:
        # An empty include would build a handbook with no conditions at all.
        if not self.regions and not self.conditions:
            raise PydanticCustomError(
                "include_empty",
                "list at least one region or condition, or leave include out to show them all",
            )
        return self


class ExtraPage(StrictModel):
    title: TitleText
    file: Text = Field(description="A Markdown file in the clinic folder.")


class ClinicFile(StrictModel):
    """Exactly what `clinics/<id>/clinic.yml` may contain."""

    name: TitleText
    short_name: ShortName = Field(description="At most 12 characters: the home-screen label.")
    logo: Text = Field(description="An .svg or .png file in the clinic folder.")
    colours: Colours = Field(default_factory=Colours)
    contacts: Contacts
    emergency: Emergency
    include: Include | None = Field(default=None, description="Leave out to show everything.")
    extra_pages: list[ExtraPage] = Field(default_factory=list)
    disclaimer: Text | None = None
    site_url: Text = Field(description="Where the copy is served, ending with '/'.")
    journal: bool = Field(
        default=True,
        description="The 'My recovery' journal page and its links; false leaves them out.",
    )


class Clinic(ClinicFile):
    """A validated clinic: the file's settings plus where its folder is."""

    id: str = Field(description="The folder name under clinics/.")
    folder: Path

    @property
    def logo_path(self) -> Path:
        return self.folder / self.logo

    def page_path(self, page: ExtraPage) -> Path:
        return self.folder / page.file
