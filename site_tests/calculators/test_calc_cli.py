"""The command line: readable text by default, the bridge's JSON with --json."""

from __future__ import annotations

import json

import pytest

import calculators.cli
from calculators.cli import main


@pytest.fixture(autouse=True)
def _content_catalogue(monkeypatch: pytest.MonkeyPatch, real_json: str) -> None:
    """Hand the CLI the session's catalogue instead of a child process per test; the default
    path itself is tested in test_calc_catalogue.py."""
    monkeypatch.setattr(calculators.cli, "catalogue_from_content", lambda: real_json)


def test_self_check_text(capsys: pytest.CaptureFixture[str]) -> None:
    """self-check prints the colour, the next step and the reasons."""
    code = main(
        [
            "self-check",
            "--condition",
            "plantar-heel-pain",
            "--pain-during",
            "3",
            "--pain-after",
            "1",
            "--pain-next-morning",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("AMBER: Hold: repeat the same level at your next session.")
    assert "Why:" in out
    assert "grade" in out


def test_plan_json_is_the_bridge_answer(capsys: pytest.CaptureFixture[str]) -> None:
    """plan --json prints the canonical bridge JSON."""
    code = main(
        [
            "--json",
            "plan",
            "--condition",
            "plantar-heel-pain",
            "--days-since-stopped",
            "30",
            "--walk-test",
            "yes",
            "--minutes-per-week",
            "120",
            "--runs-per-week",
            "3",
            "--days-per-week",
            "3",
            "--start",
            "2027-01-04",
            "--today",
            "green",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["ok"]
    assert data["result"]["weeks"][0]["sessions"][0]["date"] == "2027-01-04"


def test_plan_text_lists_weeks(capsys: pytest.CaptureFixture[str]) -> None:
    """plan prints every week with dated sessions and the guardrails."""
    main(
        [
            "plan",
            "--condition",
            "plantar-heel-pain",
            "--days-since-stopped",
            "30",
            "--walk-test",
            "yes",
            "--minutes-per-week",
            "120",
            "--runs-per-week",
            "3",
            "--days-per-week",
            "3",
            "--start",
            "2027-01-04",
            "--today",
            "green",
        ]
    )
    out = capsys.readouterr().out
    assert "Week 1: Week 1, 45 min running" in out
    assert "2027-01-04: 15 × (run 1 min / walk 1 min), 30 min in all" in out
    assert "Guardrails:" in out


def test_plan_with_a_red_flag_prints_the_referral(capsys: pytest.CaptureFixture[str]) -> None:
    """A red flag on the plan gives only the referral, with its urgency."""
    code = main(
        [
            "plan",
            "--condition",
            "calf-strain",
            "--red-flag",
            "calf-swelling-no-injury",
            "--today",
            "green",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "You ticked a warning sign, so there is no running plan." in out
    assert "Week 1" not in out


def test_errors_go_to_stderr_with_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input prints one 'error: field: message' line per problem and exits 1."""
    code = main(["self-check", "--condition", "plantar-heel-pain", "--pain-during", "11"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: pain_during: must be a whole number from 0 to 10" in err


def test_missing_catalogue_is_status_2(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable catalogue file exits 2 with a message."""
    code = main(["--catalogue", str(tmp_path / "nope.json"), "self-check", "--condition", "x"])
    assert code == 2
    assert "cannot read the catalogue" in capsys.readouterr().err


def test_a_catalogue_that_is_not_utf8_is_status_2(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"name": "caf\xe9"}')
    code = main(["--catalogue", str(bad), "self-check", "--condition", "x"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"error: the catalogue {bad} is not UTF-8 text (the first bad byte is at offset 13)\n"
    )


def test_a_catalogue_that_is_a_folder_is_status_2(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--catalogue", str(tmp_path), "self-check", "--condition", "x"])
    assert code == 2
    err = capsys.readouterr().err
    assert err == f"error: cannot read the catalogue {tmp_path}: Is a directory\n"


def test_echoed_input_cannot_forge_lines_or_escape_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unknown key with ESC and newlines is echoed escaped, on one line, and cut."""
    key = "\x1b[32m\nOK: GREEN\r" + "x" * 5000
    payload = json.dumps({"condition": "plantar-heel-pain", key: 1})
    code = main(["self-check", "--condition", "plantar-heel-pain", "--payload", payload])
    err = capsys.readouterr().err
    assert code == 1
    assert "\x1b" not in err
    assert "\r" not in err
    assert all(line.startswith("error: ") for line in err.splitlines())
    assert "\\x1b[32m\\nOK: GREEN\\r" in err
    assert max(len(line) for line in err.splitlines()) <= len("error: ") + 500


def test_catalogue_text_is_escaped_in_readable_output(
    tmp_path, real_json: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile catalogue cannot colour the terminal through the texts the CLI prints."""
    text = real_json.replace('"Tendon (', '"\\u001b[2JTendon (')
    assert text != real_json
    path = tmp_path / "catalogue.json"
    path.write_text(text, encoding="utf-8")
    code = main(
        [
            "--catalogue",
            str(path),
            "self-check",
            "--condition",
            "plantar-heel-pain",
            "--pain-during",
            "3",
            "--pain-after",
            "1",
            "--pain-next-morning",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out
    assert "\nRules: \\x1b[2JTendon (pain-monitoring model)\n" in out
