"""Located content problems and the table of rule codes.

Codes are grouped by hundreds, as in tldr-lint (RULE_GROUPS names them): 1xx shape,
2xx cross-references, 3xx clinical safety, 5xx identity, 6xx clinic copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from calculators.terminal import printable

# Far above the longest real message (a list of every known reference key), yet a hostile
# file cannot make one problem print megabytes.
MAX_MESSAGE = 4000
MAX_SHOWN_PATH = 300
# Keys and values quoted inside a message are cut to this, so the rest of the message survives.
MAX_QUOTED = 120


def shown(value: object) -> str:
    """A key or value from a file as a message quotes it: control characters escaped, cut."""
    return printable(value if isinstance(value, str) else repr(value), MAX_QUOTED)


RULES: dict[str, str] = {
    "HB100": "a required content file is missing or unreadable",
    "HB101": "the file is not valid YAML",
    "HB102": "a required field is missing",
    "HB103": "a field has the wrong type",
    "HB104": "unknown key (a typo?)",
    "HB105": "a value is outside what the field allows",
    "HB106": "a date is not a date in YYYY-MM-DD form",
    # YAML that content does not use: each would repeat, retype or hide a value.
    "HB110": "the same key twice in one mapping (YAML would silently keep the last)",
    "HB111": "a YAML anchor (&name) or alias (*name)",
    "HB112": "a YAML tag (!!set, !name)",
    "HB113": "a YAML merge key (<<)",
    "HB114": "lists and mappings nested too deep",
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
    "HB307": "an emergency or same-day rule cites no guideline, peer-reviewed paper or book",
    "HB310": "a see-a-clinician condition needs an urgent notice and no return-to-run protocol",
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
    # 62x: the clinic logo, checked before anything is built (macros/clinic/logo.py)
    "HB620": "a clinic logo file is too large",
    "HB621": "a clinic logo has too few or too many pixels (a decompression bomb)",
    "HB622": "a clinic logo is not square enough for an app icon",
    "HB623": "a clinic logo is damaged: a cut-short PNG, or an SVG that does not parse or draw",
    "HB624": "a clinic SVG logo holds code, a reference to a file or site, or a DOCTYPE",
    "HB625": "a clinic SVG logo nests too deep or has too many elements",
    "HB626": "a clinic extra page is too large, not UTF-8, or nests lists or quotes too deep",
}


RULE_GROUPS = {
    "1": "shape",
    "2": "cross-references",
    "3": "clinical safety",
    "5": "identity",
    "6": "clinic copies",
}


def _spans(codes: list[str]) -> str:
    """Each run of consecutive codes as one span, e.g. HB100 to HB106 written with a dash."""
    runs: list[list[str]] = []
    for code in codes:
        if runs and int(code[2:]) == int(runs[-1][-1][2:]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def rules_table() -> str:
    """The README's rule table, made from RULES so that it cannot drift (a test compares)."""
    rows = ["| Codes | Group | Rules |", "| --- | --- | --- |"]
    for digit, group in RULE_GROUPS.items():
        codes = [code for code in RULES if code[2] == digit]
        rows.append(f"| {_spans(codes)} | {group} | {'; '.join(RULES[code] for code in codes)} |")
    return "\n".join(rows) + "\n"


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
        # Paths and messages echo file names, keys and values: escape control characters
        # so that none can recolour the terminal or forge a line such as "content OK".
        path = printable(self.path, MAX_SHOWN_PATH)
        return f"{path}:{self.line}:{self.col}: {self.code} {printable(self.message, MAX_MESSAGE)}"


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
