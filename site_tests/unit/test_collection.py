"""Every test file runs: pytest silently skips some folder names, so check the default run."""

from __future__ import annotations

import subprocess
import sys

from site_tests.conftest import PROJECT_ROOT


def test_the_default_run_collects_every_test_file() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
    collected = {line.split("::", 1)[0] for line in listed.stdout.splitlines() if "::" in line}
    on_disk = {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in (PROJECT_ROOT / "site_tests").rglob("test_*.py")
    }
    assert len(on_disk) > 20
    assert on_disk - collected == set()


def test_every_test_file_is_in_git() -> None:
    """A test file that an ignore pattern hides from git (like `site/`) would never reach CI."""
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "site_tests"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    on_disk = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in (PROJECT_ROOT / "site_tests").rglob("*.py")
        if "__pycache__" not in path.parts
    ]
    assert [path for path in on_disk if path not in tracked] == []
