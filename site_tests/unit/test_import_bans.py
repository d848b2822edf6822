"""Ruff's banned-import rule keeps the layers apart: MkDocs only in its adapter, and nothing but
the standard library in calculators/ (which also runs in the browser)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_tests.conftest import PROJECT_ROOT


def _banned(path: str, source: str) -> bool:
    """Whether `ruff check` reports a banned import (TID251) in `source` placed at `path`."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--select",
            "TID251",
            "--output-format",
            "concise",
            "--stdin-filename",
            path,
            "-",
        ],
        cwd=PROJECT_ROOT,
        input=source + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.returncode in (0, 1), out.stderr
    return "TID251" in out.stdout


@pytest.mark.parametrize("module", ["pydantic", "yaml", "jinja2", "markdown", "mkdocs", "macros"])
def test_calculators_import_no_third_party_package(module: str) -> None:
    assert _banned("calculators/new_module.py", f"import {module}")
    assert _banned("calculators/new_module.py", f"from {module} import something")


def test_calculators_may_import_the_standard_library() -> None:
    assert not _banned("calculators/new_module.py", "import json\nfrom typing import Any")


@pytest.mark.parametrize(
    "path",
    [
        "macros/pages/render.py",
        "macros/new_module.py",
        "macros/build/pipeline.py",
        "site_tests/unit/test_new.py",
        "benchmarks/new.py",
    ],
)
@pytest.mark.parametrize("generator", ["mkdocs", "material", "properdocs", "zensical"])
def test_no_module_imports_a_site_generator(path: str, generator: str) -> None:
    assert _banned(path, f"from {generator}.config import something")
    assert _banned(path, f"import {generator}")
