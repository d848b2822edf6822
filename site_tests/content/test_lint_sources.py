"""HB307 covers self-check rules and pain bands as well as red flags (the fixture covers flags)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from macros.lint.content_rules import check_content

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
TODAY = date(2026, 11, 21)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_emergency_self_check_rule_on_a_blog_alone_is_refused(content: Path) -> None:
    _edit(
        content / "self-check" / "respiratory.yml",
        "    reference: gulati-2021\n    grade: C\n",
        "    reference: seed-runnersblueprint\n    grade: D\n",
    )
    _book, problems = check_content(content, TODAY)
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [
        ("content/self-check/respiratory.yml", 44, 14, "HB307")
    ]
    assert "'seed-runnersblueprint' (web)" in problems[0].message


def test_a_same_day_pain_band_rests_on_the_chosen_published_option(content: Path) -> None:
    """The generic family's chosen bands are the seed blog's: a same-day red band is refused."""
    _edit(
        content / "self-check" / "generic.yml",
        "    urgency: soon\n    reason: Pain of 7 out of 10",
        "    urgency: same_day\n    reason: Pain of 7 out of 10",
    )
    _book, problems = check_content(content, TODAY)
    text = (content / "self-check" / "generic.yml").read_text()
    band_line = text[: text.index("    urgency: same_day\n    reason: Pain of 7")].count("\n") + 1
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("content/self-check/generic.yml", band_line, "HB307")
    ]


def test_a_patient_leaflet_alone_is_not_enough_for_a_same_day_flag(content: Path) -> None:
    _edit(
        content / "conditions" / "deep-vein-thrombosis.yml",
        "than usual.\n    urgency: same_day\n    reference: nice-ng158\n    grade: C\n",
        "than usual.\n    urgency: same_day\n    reference: nhs-dvt\n    grade: D\n",
    )
    _book, problems = check_content(content, TODAY)
    text = (content / "conditions" / "deep-vein-thrombosis.yml").read_text()
    flag_line = text[: text.index("    urgency: same_day\n    reference: nhs-dvt")].count("\n") + 1
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("content/conditions/deep-vein-thrombosis.yml", flag_line, "HB307")
    ]
    assert "'nhs-dvt' (patient_information)" in problems[0].message
