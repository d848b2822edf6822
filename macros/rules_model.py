"""Models for the calculators' data: return-to-run protocols and self-check families.

Stub shape; the calculators issue defines these fully.
"""

from __future__ import annotations

from pydantic import Field

from macros.model import Key, StrictModel, Text


class Protocol(StrictModel):
    """content/protocols/<key>.yml: one published walk/run progression."""

    name: Text
    references: list[Key] = Field(min_length=1)


class SelfCheckFamily(StrictModel):
    """content/self-check/<key>.yml: the traffic-light rules for one kind of tissue."""

    name: Text
    references: list[Key] = Field(min_length=1)
