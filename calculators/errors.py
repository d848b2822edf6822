"""Errors as data: every bad input becomes a `FieldError` naming the field and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass

FIELD_MAX_CHARS = 100
"""A field name longer than any real one (an unknown key) is cut to this many characters."""
MESSAGE_MAX_CHARS = 1000
"""No message is longer than this, whatever it echoes, so a hostile payload cannot make the
answer as big as itself."""


def clip(text: str, limit: int) -> str:
    """`text`, cut to at most `limit` characters with "..." marking the cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, in words a person can act on; both parts are capped."""

    field: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", clip(self.field, FIELD_MAX_CHARS))
        object.__setattr__(self, "message", clip(self.message, MESSAGE_MAX_CHARS))

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InputError(Exception):
    """Raised by the input parsers with every problem found, never just the first."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class CatalogueError(Exception):
    """The catalogue data is not in the expected shape (a build problem, not a user one)."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"catalogue {where}: {message}")
