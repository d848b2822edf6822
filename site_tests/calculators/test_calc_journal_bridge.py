"""The `journal` bridge call and the `python -m calculators journal` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from site_tests.calculators.helpers import errors, result, run
from site_tests.calculators.journal_fixtures import JOURNAL_DIR, fixture, valid_names

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", valid_names())
def test_bridge_answers_every_valid_fixture(name: str, real_json: str) -> None:
    r = result("journal", {"journal": fixture(name), "today": "2026-12-01"}, real_json)
    assert set(r) == {"journal", "migrated_from", "today", "plan", "chart_svg", "table", "weeks"}
    assert r["journal"]["version"] == 1
    assert r["today"]["check"]["colour"] in ("green", "amber", "red")
    assert r["chart_svg"].startswith('<svg class="jc-chart"')


def test_bridge_gives_located_errors(real_json: str) -> None:
    doc = fixture("valid-v1-achilles.json")
    doc["recoveries"][0]["entries"][0]["pain_during"] = "seven"
    found = errors("journal", {"journal": doc, "today": "2026-03-20"}, real_json)
    assert list(found) == ["recoveries[0].entries[0].pain_during"]
    assert "0 to 10" in found["recoveries[0].entries[0].pain_during"]


def test_bridge_needs_today_and_journal(real_json: str) -> None:
    assert set(errors("journal", {}, real_json)) == {"today", "journal"}
    found = errors(
        "journal", {"journal": fixture("valid-v1-achilles.json"), "today": "soon"}, real_json
    )
    assert list(found) == ["today"]


def test_future_entry_beyond_a_time_zone_is_an_error(real_json: str) -> None:
    found = errors(
        "journal", {"journal": fixture("valid-v1-achilles.json"), "today": "2026-03-10"}, real_json
    )
    assert set(found) == {
        "recoveries[0].entries[11].date",
        "recoveries[0].entries[12].date",
        "recoveries[0].entries[13].date",
    }


def test_bridge_output_is_deterministic(real_json: str) -> None:
    from calculators.bridge import call  # noqa: PLC0415

    payload = json.dumps({"journal": fixture("valid-v1-achilles.json"), "today": "2026-03-20"})
    assert call("journal", payload, real_json) == call("journal", payload, real_json)


def _cli(*args: str, catalogue: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", "--catalogue", str(catalogue), "journal", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def catalogue_file(tmp_path_factory: pytest.TempPathFactory, real_json: str) -> Path:
    path = tmp_path_factory.mktemp("cat") / "catalogue.json"
    path.write_text(real_json, encoding="utf-8")
    return path


def test_cli_prints_todays_answer_and_plan(catalogue_file: Path, real_json: str) -> None:
    path = JOURNAL_DIR / "valid-v1-achilles.json"
    done = _cli(str(path), "--today", "2026-03-16", catalogue=catalogue_file)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    bridge = result("journal", {"journal": fixture(path.name), "today": "2026-03-16"}, real_json)
    assert out["colour"] == bridge["today"]["check"]["colour"]
    assert out["next_step"] == bridge["today"]["check"]["next_step"]["text"]
    assert out["session"] == bridge["today"]["session"]
    assert out["plan"]["weeks"] == bridge["plan"]["weeks"]
    assert out["plan"]["changes"] == bridge["plan"]["changes"]


def test_cli_json_is_the_bridge_answer(catalogue_file: Path, real_json: str) -> None:
    path = JOURNAL_DIR / "valid-v0-calf.json"
    done = _cli(str(path), "--today", "2026-10-23", catalogue=catalogue_file)
    assert done.returncode == 0
    full = subprocess.run(
        [
            sys.executable,
            "-m",
            "calculators",
            "--catalogue",
            str(catalogue_file),
            "--json",
            "journal",
            str(path),
            "--today",
            "2026-10-23",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(full.stdout) == run(
        "journal", {"journal": fixture(path.name), "today": "2026-10-23"}, real_json
    )


def test_cli_bad_file_exits_1_with_the_fields(catalogue_file: Path) -> None:
    path = JOURNAL_DIR / "invalid" / "pain-out-of-range.json"
    done = _cli(str(path), "--today", "2026-03-20", catalogue=catalogue_file)
    assert done.returncode == 1
    assert "recoveries[0].entries[3].pain_during" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe"])
def test_cli_unreadable_file_exits_2(content: bytes, tmp_path: Path, catalogue_file: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(content)
    done = _cli(str(path), catalogue=catalogue_file)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "Traceback" not in done.stderr


def test_cli_missing_file_exits_2(tmp_path: Path, catalogue_file: Path) -> None:
    done = _cli(str(tmp_path / "nope.json"), catalogue=catalogue_file)
    assert done.returncode == 2
    assert "cannot read" in done.stderr
