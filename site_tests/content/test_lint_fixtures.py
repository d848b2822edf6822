"""Every lint rule has a fixture that breaks exactly that rule, and the message is exact."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from macros.lint import check_content
from macros.problems import RULES

FIXTURES = Path(__file__).parent / "fixtures"
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
TODAY = date(2026, 11, 21)

# code -> every line the linter must print for that code's fixture, exactly.
EXPECTED: dict[str, list[str]] = {
    "HB101": [
        "content/conditions/fixture-hb101.yml:10:6: HB101 YAML syntax: "
        "expected ',' or ']', but got ':'"
    ],
    "HB102": ["content/conditions/fixture-hb102.yml:3:1: HB102 missing required field 'summary'"],
    "HB103": [
        "content/conditions/fixture-hb103.yml:9:11: HB103 'symptoms': "
        "input should be a valid list, got text"
    ],
    "HB104": [
        "content/conditions/fixture-hb104.yml:11:1: HB104 unknown key 'cuases'; "
        "did you mean 'causes'?"
    ],
    "HB105": [
        "content/conditions/fixture-hb105.yml:19:14: HB105 'red_flags.0.urgency': "
        "Input should be 'emergency', 'same_day' or 'soon'"
    ],
    "HB106": [
        "content/conditions/fixture-hb106.yml:27:16: HB106 'last_reviewed' is 'last spring', "
        "not a date; write it as YYYY-MM-DD"
    ],
    "HB110": [
        "content/conditions/fixture-hb110.yml:11:1: HB110 the key 'summary' appears twice in "
        "one mapping (first on line 8); keep one",
        "content/conditions/fixture-hb110.yml:12:1: HB110 the key 'causes' appears twice in "
        "one mapping (first on line 10); keep one",
    ],
    "HB111": [
        "content/conditions/fixture-hb111.yml:9:11: HB111 anchor &ache: anchors and aliases "
        "are not used; content files write every value out in full",
        "content/conditions/fixture-hb111.yml:10:9: HB111 alias *ache repeats another value; "
        "content files write every value out in full",
    ],
    "HB112": [
        "content/conditions/fixture-hb112.yml:9:11: HB112 tag !symptom-list: YAML tags are not "
        "used; write the value plainly, with quotes around text that could be read as a number "
        "or true/false"
    ],
    "HB113": [
        "content/conditions/fixture-hb113.yml:14:3: HB113 merge keys (<<) are not used; "
        "write the keys of this mapping out in full"
    ],
    "HB114": [
        "content/conditions/fixture-hb114.yml:9:30: HB114 lists and mappings are nested more "
        "than 20 levels deep here"
    ],
    "HB201": [
        "content/conditions/fixture-hb201.yml:26:28: HB201 unknown reference "
        "'no-such-paper-1999'; known: "
    ],
    "HB202": [
        "content/conditions/fixture-hb202.yml:16:10: HB202 unknown exercise 'no-such-exercise'; "
        "known: "
    ],
    "HB203": [
        "content/conditions/fixture-hb203.yml:6:9: HB203 unknown region 'elbow'; known: "
        "back, breathing, foot-ankle, hip, knee, shin-calf-achilles, whole-body"
    ],
    "HB204": [
        "content/conditions/fixture-hb204.yml:7:9: HB204 unknown tissue 'cartilage'; known: "
        "blood-vessel, bone, bursa, fascia, joint, ligament, muscle, nerve, respiratory, "
        "skin-nail, systemic, tendon"
    ],
    "HB205": [
        "content/conditions/fixture-hb205.yml:24:13: HB205 unknown protocol 'no-such-protocol'; "
        "known: "
    ],
    "HB206": [
        "content/conditions/fixture-hb206.yml:25:15: HB206 unknown self-check family "
        "'no-such-family'; known: "
    ],
    "HB207": [
        "content/self-check/fixture-hb207.yml:41:18: HB207 unknown reference "
        "'no-such-paper-2001'; add it to content/references.yml or cite an existing key"
    ],
    # Appended fixtures: {start} is the line the fixture's first line lands on.
    "HB208": [
        "content/vocabularies/tissues.yml:{start+2}:50: HB208 default_self_check "
        "'no-such-family' is not a file in content/self-check/; known: "
    ],
    "HB306": [
        "content/self-check/fixture-hb306.yml:42:14: HB306 grade A is stronger than reference "
        "'afl-hamstring-running' (grade D); a rule cannot be surer than its source"
    ],
    "HB307": [
        "content/conditions/fixture-hb307.yml:17:14: HB307 this same-day rule cites only "
        "'seed-runnersblueprint' (web); cite a guideline, peer-reviewed paper or book (where "
        "none exists, the closest one, graded D: expert opinion)"
    ],
    "HB301": [
        "content/conditions/fixture-hb301.yml:16:12: HB301 red_flags is empty; "
        "every condition needs at least one"
    ],
    "HB302": [
        "content/conditions/fixture-hb302.yml:25:15: HB302 tissue is bone but self_check is "
        "'generic'; bone must be pain-free, so use 'bone'"
    ],
    "HB303": [
        "content/references.yml:{start+2}:1: HB303 reference 'ungraded-fixture-2020' has no "
        "evidence grade; add grade: A, B, C or D"
    ],
    "HB304": [
        "content/conditions/fixture-hb304.yml:27:16: HB304 last reviewed 2019-06-30, "
        "more than 730 days ago; review it and update the date"
    ],
    "HB305": [
        "content/conditions/fixture-hb305.yml:17:3: HB305 this condition offers a self-managed "
        "plan and has an emergency red flag; add urgent_notice so the page says so first"
    ],
    "HB310": [
        "content/conditions/fixture-hb310.yml:9:15: HB310 a see-a-clinician condition needs "
        "urgent_notice and no protocol"
    ],
    "HB501": [
        "content/conditions/fixture-hb501.yml:3:7: HB501 slug 'fixture-hb-501' differs from "
        "the file name 'fixture-hb501.yml'"
    ],
    "HB502": [
        "content/conditions/fixture-hb502.yml:3:7: HB501 slug 'patellofemoral-pain' differs "
        "from the file name 'fixture-hb502.yml'",
        "content/conditions/fixture-hb502.yml:3:7: HB502 slug 'patellofemoral-pain' is also "
        "used by patellofemoral-pain.yml",
        "content/conditions/patellofemoral-pain.yml:2:7: HB502 slug 'patellofemoral-pain' is also "
        "used by fixture-hb502.yml",
    ],
    "HB503": [
        "content/conditions/fixture-hb503.yml:5:32: HB503 'Shin splints' is also a name or "
        "alias of medial-tibial-stress-syndrome.yml",
        "content/conditions/medial-tibial-stress-syndrome.yml:5:5: HB503 'shin splints' is also "
        "a name or alias of fixture-hb503.yml",
    ],
}


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the real content, which must lint clean on its own."""
    root = tmp_path_factory.mktemp("clean") / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


@pytest.fixture
def content(clean_copy: Path, tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(clean_copy, root)
    return root


def _apply(code: str, content: Path) -> int:
    """Place a fixture where its second line says: `# copy-to:` or `# append-to:` a path.

    Returns the line of the target file that the fixture's first line lands on.
    """
    fixture = (FIXTURES / "failing" / f"{code}.yml").read_text(encoding="utf-8")
    action, _, target = fixture.splitlines()[1].removeprefix("# ").partition(": ")
    destination = content.parent / target
    if action == "append-to":
        existing = destination.read_text(encoding="utf-8")
        destination.write_text(existing + "\n" + fixture, encoding="utf-8")
        return len(existing.splitlines()) + 2  # after the old lines and one blank line
    assert action == "copy-to", f"{code}.yml: unknown placement {action!r}"
    destination.write_text(fixture, encoding="utf-8")
    return 1


def _at(line: str, start: int) -> str:
    return re.sub(r"\{start\+(\d+)\}", lambda m: str(start + int(m.group(1))), line)


def test_real_content_is_clean(clean_copy: Path) -> None:
    """The shipped content is the passing corpus: no problems at all."""
    _book, problems = check_content(clean_copy, TODAY)
    assert [str(p) for p in problems] == []


def test_every_rule_has_a_failing_fixture() -> None:
    """A rule without a fixture is an untested rule (HB100 is tested by deleting a file).

    Clinic rules (HB6xx) have their fixtures in site_tests/clinic/fixtures/failing/.
    """
    fixtures = {path.stem for path in (FIXTURES / "failing").glob("HB*.yml")}
    clinic = FIXTURES.parents[1] / "clinic" / "fixtures" / "failing"
    clinic_fixtures = {path.stem.split("-")[0] for path in clinic.glob("HB6*.yml")}
    assert fixtures | clinic_fixtures | {"HB100"} == set(RULES)


@pytest.mark.parametrize("code", sorted(EXPECTED), ids=str)
def test_fixture_breaks_exactly_its_rule(code: str, content: Path) -> None:
    """The fixture yields exactly the documented located messages, and nothing else."""
    start = _apply(code, content)
    _book, problems = check_content(content, TODAY)
    printed = [str(p) for p in problems]
    expected = [_at(line, start) for line in EXPECTED[code]]
    assert len(printed) == len(expected)
    for line, want in zip(printed, expected, strict=True):
        # Lists of known keys grow with the content, so those lines are compared by prefix.
        assert line.startswith(want) if want.endswith("known: ") else line == want


def test_missing_file_is_reported_not_raised(content: Path) -> None:
    """HB100: a deleted vocabulary gives a located message instead of a traceback."""
    (content / "exercises.yml").unlink()
    _book, problems = check_content(content, TODAY)
    assert "content/exercises.yml:1:1: HB100 cannot read the file: No such file or directory" in [
        str(p) for p in problems
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(content: Path) -> None:
    """Three broken files give three problems in one run, sorted by path."""
    for code in ("HB101", "HB203", "HB106"):
        _apply(code, content)
    _book, problems = check_content(content, TODAY)
    assert [p.code for p in problems] == ["HB101", "HB106", "HB203"]


def test_a_see_a_clinician_condition_offers_no_protocol(content: Path) -> None:
    """HB310's other half: with its urgent notice, a see-a-clinician page still has no plan."""
    _apply("HB310", content)
    target = content / "conditions" / "fixture-hb310.yml"
    text = target.read_text(encoding="utf-8").replace(
        "self_managed: false\n", "self_managed: false\nurgent_notice: Get seen today.\n"
    )
    target.write_text(
        text.replace("  self_check: generic", "  protocol: oxford-walk-run\n  self_check: generic"),
        encoding="utf-8",
    )
    _book, problems = check_content(content, TODAY)
    assert [str(p) for p in problems] == [
        "content/conditions/fixture-hb310.yml:9:15: HB310 a see-a-clinician condition needs "
        "urgent_notice and no protocol"
    ]
