"""The `journal` bridge call and the `python -m calculators journal` command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import calculators.cli
from calculators.cli import main
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


@pytest.fixture(autouse=True)
def _content_catalogue(monkeypatch: pytest.MonkeyPatch, real_json: str) -> None:
    """The CLI gets the session's catalogue instead of a child process per test."""
    monkeypatch.setattr(calculators.cli, "catalogue_from_content", lambda: real_json)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["journal", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_python_m_calculators_journal_runs(tmp_path: Path, real_json: str) -> None:
    """The real command, in a child process, as a clinician or a script would run it."""
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(real_json, encoding="utf-8")
    path = JOURNAL_DIR / "valid-v1-achilles.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "calculators",
            "--catalogue",
            str(catalogue),
            "journal",
            str(path),
            "--today",
            "2026-03-16",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["colour"] == "green"


def test_cli_prints_todays_answer_and_plan(
    capsys: pytest.CaptureFixture[str], real_json: str
) -> None:
    path = JOURNAL_DIR / "valid-v1-achilles.json"
    code, stdout, stderr = _cli(capsys, str(path), "--today", "2026-03-16")
    assert code == 0, stderr
    out = json.loads(stdout)
    bridge = result("journal", {"journal": fixture(path.name), "today": "2026-03-16"}, real_json)
    assert out["colour"] == bridge["today"]["check"]["colour"]
    assert out["reasons"] == [r["text"] for r in bridge["today"]["check"]["reasons"]]
    assert out["next_step"] == bridge["today"]["check"]["next_step"]["text"]
    assert out["session"] == bridge["today"]["session"]
    assert out["plan"]["weeks"] == bridge["plan"]["weeks"]
    assert out["plan"]["changes"] == bridge["plan"]["changes"]


def test_cli_json_is_the_bridge_answer(capsys: pytest.CaptureFixture[str], real_json: str) -> None:
    path = JOURNAL_DIR / "valid-v0-calf.json"
    code = main(["--json", "journal", str(path), "--today", "2026-10-23"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == run(
        "journal", {"journal": fixture(path.name), "today": "2026-10-23"}, real_json
    )


def test_cli_today_defaults_to_the_local_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _cli(capsys, str(JOURNAL_DIR / "valid-v0-calf.json"))
    assert code == 0
    assert json.loads(stdout)["date"] >= date.today().isoformat()


def test_cli_bad_file_exits_1_with_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    path = JOURNAL_DIR / "invalid" / "pain-out-of-range.json"
    code, stdout, stderr = _cli(capsys, str(path), "--today", "2026-03-20")
    assert code == 1
    assert "recoveries[0].entries[3].pain_during" in stderr
    assert stdout == ""


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b""])
def test_cli_unreadable_file_exits_2(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(content)
    code, stdout, stderr = _cli(capsys, str(path))
    assert code == 2
    assert stderr.startswith("error: ")
    assert stdout == ""


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = _cli(capsys, str(tmp_path / "nope.json"))
    assert code == 2
    assert "cannot read" in stderr


def test_cli_reads_a_file_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(b"\xef\xbb\xbf" + (JOURNAL_DIR / "valid-v1-achilles.json").read_bytes())
    code, stdout, stderr = _cli(capsys, str(path), "--today", "2026-03-16")
    assert code == 0, stderr
    assert json.loads(stdout)["colour"] == "green"
