"""Failing fixtures: for each rule code, a file that breaks only that rule and says what it prints.

A fixture is a file named `HBxxx.yml` or `HBxxx-what-it-breaks.yml` in one of FIXTURE_FOLDERS.
Its opening comment lines say what it breaks, where it goes and every line the checker prints:

    # HB305: a self-managed plan with an emergency flag and no urgent notice.
    # copy-to: content/conditions/fixture-hb305.yml
    # expect: content/conditions/fixture-hb305.yml:18:3: HB305 this condition offers ...
    slug: fixture-hb305

- `# copy-to: PATH` writes the whole fixture, comments included, to PATH. So a line number in
  an expectation for PATH is the line you see when you open the fixture.
- `# append-to: PATH` adds the fixture to the end of a real file, after one blank line. Write
  a line in it as `{start+N}`: start is where the fixture's first line lands, so the fixture's
  line 4 is `{start+3}`. Use these placeholders only here.
- `# also-copy: FILE to PATH` puts a file from beside the fixture at PATH, e.g. a clinic logo.
- `# expect: LINE` is one line the checker must print, exactly, in the order it prints them.
  The fixture must print these lines and nothing else. A LINE ending in `…` matches any line
  that starts with the text before it; use it only for a list of known keys, which grows with
  the content.

PATH is relative to a scratch project. A path under `content/` lands in a copy of the real
`content/` and is checked by the content linter; a path `clinics/<id>/clinic.yml` lands in a
copy of `clinics/example/` (so its logo and extra page exist) and is checked by the clinic
loader against the real content's conditions and regions.

To add a fixture: write the file with its first two comment lines (what it breaks, where it
goes) and run `.venv/bin/python -m pytest site_tests/test_rule_fixtures.py -k HBxxx`. The test
fails and prints what the checker says as `# expect:` lines, numbered as they will be once
pasted (an appended fixture's own lines come as `{start+N}`). Check that they are what you
mean, cut a long list of known keys to `known: …`, and paste them under the first two lines.

To convert a fixture whose lines are still in a Python dict (the old way): give it those two
lines (an old clinic fixture: `# HBxxx: what it breaks`, `# copy-to: clinics/<its file name in
lower case, without .yml>/clinic.yml`, and `# also-copy: FILE to PATH` for a logo or page
beside it), run the test, check that the lines printed are the dict's with the fixture's own
line numbers grown by the comment lines added, paste them and delete the dict entry.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from macros.clinic.loader import load_clinic
from macros.content.loader import load_handbook
from macros.lint.content_rules import check_content
from site_tests.conftest import PROJECT_ROOT

CONTENT_FIXTURES = PROJECT_ROOT / "site_tests" / "content" / "fixtures" / "failing"
CLINIC_FIXTURES = PROJECT_ROOT / "site_tests" / "clinic" / "fixtures" / "failing"
FIXTURE_FOLDERS = (CONTENT_FIXTURES, CLINIC_FIXTURES)
# Fixed, so that HB304 (review interval) gives the same answer on every day the tests run.
TODAY = date(2026, 11, 21)
EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"
GROWING = "…"
_DIRECTIVE = re.compile(r"# (copy-to|append-to|also-copy|expect): (.*)")
_START = re.compile(r"\{start\+(\d+)\}")
# What a clinic may include: condition slugs (each with its region), and regions.
Known = tuple[dict[str, str], set[str]]


@dataclass(frozen=True)
class Fixture:
    path: Path
    code: str
    action: str  # copy-to or append-to
    target: str
    also_copy: tuple[tuple[str, str], ...]
    expected: tuple[str, ...]

    @property
    def checker(self) -> str:
        return "clinic" if self.target.startswith("clinics/") else "content"


def fixture_paths() -> list[Path]:
    return sorted(path for folder in FIXTURE_FOLDERS for path in folder.glob("HB*.yml"))


def code_of(path: Path) -> str:
    return path.stem.partition("-")[0]


def read_fixture(path: Path) -> Fixture:
    """The fixture's header, read from its opening comment lines; a malformed one raises."""
    directives: list[tuple[str, str]] = []
    # Bytes, as the HB100 fixture is not UTF-8 past its header.
    for raw in path.read_bytes().splitlines():
        if not raw.startswith(b"#"):
            break
        match = _DIRECTIVE.fullmatch(raw.decode("utf-8"))
        if match:
            directives.append((match[1], match[2]))
    placements = [(action, value) for action, value in directives if action.endswith("-to")]
    if len(placements) != 1:
        raise ValueError(f"{path.name}: give exactly one '# copy-to:' or '# append-to:' line")
    action, target = placements[0]
    expected = tuple(value for name, value in directives if name == "expect")
    if action == "copy-to" and any(_START.search(line) for line in expected):
        raise ValueError(f"{path.name}: {{start+N}} is only for a fixture appended to a file")
    also_copy = []
    for name, value in directives:
        if name == "also-copy":
            source, separator, destination = value.partition(" to ")
            if not separator:
                raise ValueError(f"{path.name}: write '# also-copy: FILE to PATH'")
            also_copy.append((source, destination))
    return Fixture(path, code_of(path), action, target, tuple(also_copy), expected)


def place(fixture: Fixture, project: Path, room_for: int = 0) -> int:
    """Put the fixture into the scratch `project`; the line its first line lands on.

    `room_for` adds that many comment lines under the header, as pasted `# expect:` lines would.
    """
    destination = project / fixture.target
    if fixture.checker == "content" and not (project / "content").exists():
        shutil.copytree(PROJECT_ROOT / "content", project / "content")
    if fixture.checker == "clinic" and not destination.parent.exists():
        shutil.copytree(EXAMPLE_CLINIC, destination.parent)
    for source, target in fixture.also_copy:
        shutil.copy(fixture.path.parent / source, project / target)
    lines = fixture.path.read_bytes().splitlines(keepends=True)
    header = next((i for i, line in enumerate(lines) if not line.startswith(b"#")), len(lines))
    text = b"".join([*lines[:header], *[b"# expect: ...\n"] * room_for, *lines[header:]])
    if fixture.action == "append-to":
        existing = destination.read_bytes()
        destination.write_bytes(existing + b"\n" + text)
        return len(existing.splitlines()) + 2  # after the old lines and one blank line
    destination.write_bytes(text)
    return 1


def expected_lines(fixture: Fixture, start: int) -> list[str]:
    return [_START.sub(lambda match: str(start + int(match[1])), line) for line in fixture.expected]


def known_conditions_and_regions() -> Known:
    """What a clinic may include: the real content's condition slugs (with regions) and regions."""
    book, problems = load_handbook(PROJECT_ROOT / "content")
    if book is None:
        raise AssertionError([str(problem) for problem in problems])
    return {slug: c.region for slug, c in book.conditions.items()}, set(book.regions)


def run_checker(fixture: Fixture, project: Path, known: Known) -> list[str]:
    """Every line the fixture's checker prints for the scratch project."""
    if fixture.checker == "content":
        _book, problems = check_content(project / "content", TODAY)
        return [str(problem) for problem in problems]
    conditions, regions = known
    clinic, problems = load_clinic(
        (project / fixture.target).parent,
        known_conditions=conditions,
        known_regions=regions,
        root=project,
    )
    printed = [str(problem) for problem in problems]
    # A clinic with a problem must never load, or a build could go on with it.
    return printed if clinic is None else [*printed, "(and the clinic loaded anyway)"]


def suggested_header(fixture: Fixture, scratch: Path, known: Known) -> str:
    """The `# expect:` lines to paste under a new fixture's header, numbered as after pasting."""
    place(fixture, scratch / "as-is")
    count = len(run_checker(fixture, scratch / "as-is", known))
    start = place(fixture, scratch / "pasted", room_for=count)
    printed = run_checker(fixture, scratch / "pasted", known)
    if fixture.action == "append-to":
        own = re.compile(rf"^{re.escape(fixture.target)}:(\d+):")
        printed = [
            own.sub(lambda m: f"{fixture.target}:{{start+{int(m[1]) - start}}}:", line)
            for line in printed
        ]
    return "\n".join(f"# expect: {line}" for line in printed)
