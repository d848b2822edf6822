"""The journal's pure modules in Node: how a save merges with another tab's newer copy, and a
CSV that no spreadsheet can run as a formula. (An import's merge is the engine's:
journal_merge, tested in site_tests/calculators.)"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from site_tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.node

JOURNAL_JS = PROJECT_ROOT / "docs" / "assets" / "javascripts" / "journal"


def run(module: str, call: str) -> Any:
    """Import `module` from the journal's folder, evaluate `call` with it as `m`, return JSON."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the journal's modules"
    script = (
        f"import * as m from {json.dumps((JOURNAL_JS / module).as_uri())};\n"
        f"process.stdout.write(JSON.stringify(await ({call})));\n"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_save_keeps_what_another_tab_wrote_meanwhile() -> None:
    """This tab opened the day empty and set the session; the other tab set the morning."""
    merged = run(
        "document.mjs",
        "m.applyChanges({pain_morning: 2, notes: 'theirs'}, {}, {done: 'planned', pain_during: 1})",
    )
    assert merged == {"pain_morning": 2, "notes": "theirs", "done": "planned", "pain_during": 1}
    # A field this tab cleared is cleared; one it left alone keeps the other tab's value.
    cleared = run(
        "document.mjs",
        "m.applyChanges({mood: 4, minutes: 20, done: 'less'}, {minutes: 20, done: 'less'},"
        " {done: 'skipped'})",
    )
    assert cleared == {"mood": 4, "done": "skipped"}


def test_the_csv_quotes_text_and_never_starts_a_cell_with_a_formula() -> None:
    document = {
        "recoveries": [
            {
                "id": "a",
                "condition": "calf-strain",
                "entries": [
                    {
                        "date": "2026-01-01",
                        "done": "planned",
                        "signs": ["swelling", "limp"],
                        "notes": '=HYPERLINK("x"), "quoted"\nline two',
                    }
                ],
            }
        ]
    }
    csv = run("files.mjs", f"m.toCsv({json.dumps(document)}, {{'calf-strain': 'Calf strain'}})")
    header, row = csv.split("\r\n", 1)
    assert header.split(",")[:4] == ["recovery", "condition", "date", "done"]
    assert row.startswith("a,Calf strain,2026-01-01,planned,")
    assert "swelling; limp" in row
    assert '"\'=HYPERLINK(""x""), ""quoted""\nline two"' in row
