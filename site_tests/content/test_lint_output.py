"""What `python -m macros lint` prints for hostile files: located lines, escaped, no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from macros.content.problems import MAX_MESSAGE, Problem
from site_tests.conftest import PROJECT_ROOT

REAL_CONTENT = PROJECT_ROOT / "content"
CONDITION = "plantar-heel-pain.yml"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


def _lint(content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "macros",
            "lint",
            "--content",
            str(content),
            "--today",
            "2026-11-21",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_key_cannot_forge_a_line_or_colour_the_terminal(content: Path) -> None:
    """An unknown key holding ESC and a newline is printed escaped, on its own located line."""
    condition = content / "conditions" / CONDITION
    original = condition.read_text(encoding="utf-8")
    forged = '"\\e[32m\\ncontent OK\\r\\u202e": 1\n'
    condition.write_text(original + forged, encoding="utf-8")
    try:
        run = _lint(content)
    finally:
        condition.write_text(original, encoding="utf-8")
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert "\x1b" not in output
    assert "\r" not in output
    assert "\u202e" not in output
    assert "content OK" not in output.splitlines()
    (line,) = run.stdout.splitlines()
    assert line.startswith(f"content/conditions/{CONDITION}:")
    assert "HB104 unknown key '\\x1b[32m\\ncontent OK\\r\\u202e'" in line
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("[" * 5000, "HB114", id="5000-brackets"),
        pytest.param(
            "a: &a ['lol', 'lol']\n"
            + "".join(f"{n}: &{n} [*{p}, *{p}, *{p}]\n" for p, n in pairwise("abcdefghi")),
            "HB111",
            id="billion-laughs",
        ),
    ],
)
def test_hostile_yaml_is_a_located_error(content: Path, text: str, code: str) -> None:
    condition = content / "conditions" / CONDITION
    original = condition.read_text(encoding="utf-8")
    condition.write_text(text, encoding="utf-8")
    try:
        run = _lint(content)
    finally:
        condition.write_text(original, encoding="utf-8")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"content/conditions/{CONDITION}:1:")
    assert f": {code} " in first


def test_a_problem_never_prints_more_than_its_cap() -> None:
    problem = Problem("content/x.yml", 1, 1, "HB105", "x" * 1_000_000)
    assert len(str(problem)) < MAX_MESSAGE + 100
    assert str(problem).endswith("…")
