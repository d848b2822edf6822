"""Located content problems and the table of rule codes.

Codes are grouped by hundreds, as in tldr-lint: 1xx shape, 2xx cross-references,
3xx clinical safety, 5xx identity (file names, uniqueness), 6xx clinic copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RULES: dict[str, str] = {
    "HB100": "a required content file is missing or unreadable",
    "HB101": "the file is not valid YAML",
    "HB102": "a required field is missing",
    "HB103": "a field has the wrong type",
    "HB104": "unknown key (a typo?)",
    "HB105": "a value is outside what the field allows",
    "HB106": "a date is not a date in YYYY-MM-DD form",
    "HB201": "unknown reference key",
    "HB202": "unknown exercise key",
    "HB203": "unknown region key",
    "HB204": "unknown tissue key",
    "HB205": "unknown return-to-run protocol",
    "HB206": "unknown self-check family",
    "HB207": "a protocol or self-check family cites an unknown reference key",
    "HB208": "a tissue's default self-check family does not exist",
    "HB209": "a protocol's fracture sites name a condition that does not use that protocol",
    "HB301": "a condition has no red flags",
    "HB302": "a bone condition must use the bone self-check family",
    "HB303": "a reference has no evidence grade",
    "HB304": "last_reviewed is older than the review interval",
    "HB305": "a self-managed plan with an emergency red flag must say so first",
    "HB306": "a calculator threshold claims a stronger evidence grade than its reference",
    "HB501": "slug differs from the file name",
    "HB502": "the same slug in two files",
    "HB503": "the same alias or name in two conditions",
    # 6xx: clinic copies (clinics/<id>/clinic.yml)
    "HB601": "a clinic colour is not a CSS hex colour (#rrggbb or #rgb)",
    "HB602": "a clinic brand colour fails WCAG AA contrast (4.5:1) against white",
    "HB603": "a clinic includes an unknown condition slug",
    "HB604": "a clinic includes an unknown region",
    "HB605": "a clinic logo is missing, outside the clinic folder, or not an .svg or .png",
    "HB606": "a clinic extra page file is missing or not a Markdown file",
    "HB607": "a clinic web address (site_url or booking_url) is not a full http(s) URL",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one content file."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in RULES:
            # A code missing from the table is a bug in the linter, not in the content.
            raise ValueError(f"unregistered rule code {self.code!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def display_path(path: Path, root: Path) -> str:
    """A path as a contributor types it: relative to the project root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class ContentError(Exception):
    """Raised by the build when content has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            "\n".join(str(p) for p in self.problems)
            + f"\n{count} content problem{'s' if count != 1 else ''} found; nothing was built."
        )
