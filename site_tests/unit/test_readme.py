"""The README's rule table is the linter's own table, so neither can drift from the other."""

from __future__ import annotations

import re

from macros.content.problems import rules_table
from site_tests.conftest import PROJECT_ROOT


def test_readme_rule_table_is_the_linters() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- rules:[^\n]*-->\n(.*?)<!-- /rules -->", readme, re.DOTALL)
    assert found, "README.md lost its <!-- rules --> markers"
    assert found.group(1) == rules_table(), "run `python -m macros rules` and paste the table"
