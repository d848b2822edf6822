"""`python -m calculators self-check|plan|journal ...`: the calculators for clinicians and scripts.

Without --catalogue it makes the catalogue from the handbook's `content/` folder next to this
package, by running `python -m macros catalogue` in a child process: this package imports only
the standard library, so the build's pydantic loader stays out of it. Reading the catalogue is
the CLI's job, never the engines'. Prints readable text, or the bridge's exact
JSON with --json. `journal FILE.json [--today YYYY-MM-DD]` reads a journal exactly as the app
exports it and prints today's colour, reasons, next step, today's session and the adjusted
plan as JSON (today defaults to this machine's local date). Exit status: 0 ok, 1 input errors,
2 usage, file or catalogue problems.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from calculators.bridge import call
from calculators.terminal import printable

YES_NO = {"yes": True, "no": False}
MAX_JOURNAL_BYTES = 50_000_000
"""Far above the largest journal the format allows (its entry and note caps), so a file this
big is refused before it is read."""
# Error lines echo input (an unknown key, a file name); past this they are cut.
MAX_ECHOED = 500


PROJECT_ROOT = Path(__file__).resolve().parent.parent


class CatalogueUnavailable(Exception):
    """The catalogue could not be read or made; the message says what to do."""


def catalogue_from_content(root: Path = PROJECT_ROOT) -> str:
    """The catalogue JSON made from `root/content` by the build's own code."""
    if not (root / "content").is_dir() or not (root / "macros").is_dir():
        raise CatalogueUnavailable(
            f"no handbook content next to this package (looked in {root}); pass --catalogue FILE, "
            "made with `python -m macros catalogue --out FILE`"
        )
    made = subprocess.run(
        [sys.executable, "-m", "macros", "catalogue"],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if made.returncode != 0:
        raise CatalogueUnavailable("the content has problems:\n" + made.stderr.rstrip())
    return made.stdout


def read_catalogue(path: str | None) -> str:
    if path is None:
        return catalogue_from_content()
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueUnavailable(
            f"the catalogue {path} is not UTF-8 text (the first bad byte is at offset {exc.start})"
        ) from exc
    except OSError as exc:
        raise CatalogueUnavailable(
            f"cannot read the catalogue {path}: {exc.strerror or exc}"
        ) from exc


def _error(text: str) -> None:
    print(f"error: {printable(text, MAX_ECHOED)}", file=sys.stderr)


def _terminal_text(text: str) -> str:
    """Each line made safe to print, as the catalogue's texts may come from any file."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--catalogue", help="catalogue JSON file (default: made from content/)")
    parser.add_argument("--json", action="store_true", help="print the bridge's JSON result")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("self-check", help="traffic-light check after a session")
    check.add_argument("--condition", required=True, help="condition slug")
    check.add_argument(
        "--red-flag",
        action="append",
        dest="red_flags",
        metavar="ID",
        help="a ticked red-flag id (repeat for more)",
    )
    for name in ("during", "after", "next-morning", "baseline"):
        check.add_argument(f"--pain-{name}", type=int, metavar="0-10")
    check.add_argument("--trend", choices=("better", "same", "worse"))
    check.add_argument(
        "--sign",
        action="append",
        dest="signs",
        metavar="SIGN",
        help="a ticked sign, e.g. swelling (repeat for more)",
    )
    check.add_argument("--payload", help="a whole JSON payload instead of the options")

    plan = sub.add_parser("plan", help="return-to-run plan")
    plan.add_argument("--condition", required=True, help="condition slug")
    plan.add_argument("--days-since-stopped", type=int)
    plan.add_argument("--walk-test", choices=tuple(YES_NO), help="30 min brisk walk pain-free?")
    plan.add_argument("--hop-test", choices=tuple(YES_NO), help="hop test pain-free?")
    plan.add_argument("--minutes-per-week", type=int, help="pre-injury running minutes a week")
    plan.add_argument("--km-per-week", type=float, help="pre-injury running km a week")
    plan.add_argument("--pace", type=float, help="easy pace in minutes per km (with --km)")
    plan.add_argument("--runs-per-week", type=int, help="pre-injury runs a week")
    plan.add_argument("--days-per-week", type=int, help="running days available a week")
    plan.add_argument("--start", help="start date, YYYY-MM-DD")
    plan.add_argument("--race-date", help="goal race date, YYYY-MM-DD")
    plan.add_argument("--race-km", type=float, help="goal race distance in km")
    plan.add_argument(
        "--today", choices=("green", "amber", "red"), help="today's check colour (required)"
    )
    plan.add_argument(
        "--today-urgency",
        choices=("soon", "same_day", "emergency"),
        help="the urgency of a red check today",
    )
    plan.add_argument(
        "--red-flag",
        action="append",
        dest="red_flags",
        metavar="ID",
        help="a red flag that is true now (repeatable)",
    )
    plan.add_argument("--fracture-site", help="where the fracture is (bone plans that ask)")
    plan.add_argument("--payload", help="a whole JSON payload instead of the options")
    plan.add_argument(
        "--ics", metavar="FILE", help="write the plan as an iCalendar file (- for standard output)"
    )
    plan.add_argument("--reminder", metavar="HH:MM", help="with --ics: a reminder on each day")
    plan.add_argument("--link", metavar="URL", help="with --ics: the page each event links to")

    journal = sub.add_parser("journal", help="today's check and adjusted plan from a journal")
    journal.add_argument("file", help="a journal file, as the app's export writes it")
    journal.add_argument("--today", help="the date to judge, YYYY-MM-DD (default: today here)")
    return parser


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _self_check_payload(a: argparse.Namespace) -> dict[str, Any]:
    return _drop_none(
        {
            "condition": a.condition,
            "red_flags": a.red_flags,
            "pain_during": a.pain_during,
            "pain_after": a.pain_after,
            "pain_next_morning": a.pain_next_morning,
            "pain_baseline": a.pain_baseline,
            "trend": a.trend,
            "signs": a.signs,
        }
    )


def _plan_payload(a: argparse.Namespace) -> dict[str, Any]:
    return _drop_none(
        {
            "condition": a.condition,
            "days_since_stopped": a.days_since_stopped,
            "walk_test_passed": YES_NO.get(a.walk_test or ""),
            "hop_test_passed": YES_NO.get(a.hop_test or ""),
            "pre_injury_minutes_per_week": a.minutes_per_week,
            "pre_injury_km_per_week": a.km_per_week,
            "easy_pace_min_per_km": a.pace,
            "pre_injury_runs_per_week": a.runs_per_week,
            "running_days_per_week": a.days_per_week,
            "start_date": a.start,
            "goal_race_date": a.race_date,
            "goal_race_km": a.race_km,
            "today_colour": a.today,
            "today_urgency": a.today_urgency,
            "red_flags": a.red_flags,
            "fracture_site": a.fracture_site,
        }
    )


def format_self_check(r: dict[str, Any]) -> str:
    step = r["next_step"]["text"]
    lines = [f"{r['colour'].upper()}: {step}"]
    if r["urgency_text"]:
        lines.append(r["urgency_text"])
    lines.append(f"Rules: {r['family_name']}")
    lines.append("Why:")
    for reason in r["reasons"]:
        cite = f" [{reason['citation']}, grade {reason['grade']}]" if reason["citation"] else ""
        lines.append(f"  - {reason['text']}{cite}")
    return "\n".join(lines)


def format_plan(r: dict[str, Any]) -> str:
    lines = [
        f"{r['condition_name']}: {r['protocol_name']} (evidence grade {r['protocol_grade']})",
        r["message"],
        "",
    ]
    if r["referral"]:
        lines += [f"{r['referral']['urgency'].upper()}: {r['referral']['text']}"]
        lines += [f"  - {reason}" for reason in r["referral"]["reasons"]] + [""]
    for week in r["weeks"]:
        extra = " (lighter week)" if week["cutback"] else ""
        if week["intensity"] == "introduce":
            extra += " (you may add strides or hills to one run)"
        lines.append(
            f"Week {week['week']}: {week['label']}, {week['running_minutes']} min running{extra}"
        )
        for s in week["sessions"]:
            when = s["date"] or f"day {s['day']}"
            lines.append(f"  {when}: {s['text']}")
    if r["return_week"]:
        when = r["return_date"] or f"day {r['return_day']}"
        lines += [
            "",
            f"Back to {r['return_minutes_per_week']} min a week: week {r['return_week']} ({when}).",
        ]
    lines += [
        "",
        "After an amber session: " + r["after_amber"]["text"],
        "After a red session: " + r["after_red"]["text"],
        "",
        "Guardrails:",
    ]
    lines += [f"  - {g['text']} [{g['citation']}, grade {g['grade']}]" for g in r["guardrails"]]
    if r["warnings"]:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in r["warnings"]]
    return "\n".join(lines)


def _write_calendar(target: str) -> Callable[[dict[str, Any]], str]:
    """Show a calendar result by writing its exact bytes (CRLF lines) to the file or stdout."""

    def write(result: dict[str, Any]) -> str:
        data = result["ics"].encode("utf-8")
        if target == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            return ""
        Path(target).write_bytes(data)
        return f"wrote {result['events']} sessions to {target}"

    return write


def journal_summary(r: dict[str, Any]) -> dict[str, Any]:
    """What the CLI prints for a journal: today's answer and the adjusted plan."""
    today, plan = r["today"], r["plan"]
    if today is None:
        return {"today": None, "plan": None, "message": "the journal has no active recovery"}
    check = today["check"]
    return {
        "date": today["date"],
        "colour": check["colour"],
        "reasons": [reason["text"] for reason in check["reasons"]],
        "next_step": check["next_step"]["text"],
        "urgency": check["urgency_text"] or plan["urgency_text"],
        "trend": check["trend"]["trend"] if check["trend"]["known"] else None,
        "next_morning": check["next_morning"],
        "session": today["session"],
        "next_session": today["next_session"],
        "plan": {
            key: plan[key]
            for key in ("status", "message", "level", "levels", "changes", "finish_date", "weeks")
        },
    }


def _journal_payload(a: argparse.Namespace) -> str | None:
    """The bridge payload for `journal`, or None after printing why the file is unusable."""
    path = Path(a.file)
    try:
        if path.stat().st_size > MAX_JOURNAL_BYTES:
            _error(f"{a.file} is larger than {MAX_JOURNAL_BYTES // 1_000_000} MB: not a journal")
            return None
        # utf-8-sig: a file saved by an editor that adds a byte-order mark still reads.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        _error(f"{a.file} is not UTF-8 text (the first bad byte is at offset {exc.start})")
        return None
    except OSError as exc:
        _error(f"cannot read {a.file}: {exc.strerror or exc}")
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        _error(f"{a.file} is not valid JSON: {exc}")
        return None
    today = a.today if a.today is not None else date.today().isoformat()
    return json.dumps({"journal": document, "today": today})


def _print_answer(answer: str, show_json: bool, show: Any) -> int:
    data = json.loads(answer)
    if show_json:
        print(answer)  # the bridge writes ASCII-only JSON: every control character is escaped
    elif data["ok"]:
        shown = show(data["result"])
        if shown:  # a calendar written to a file or stdout has nothing more to say
            print(shown)
    else:
        for error in data["errors"]:
            _error(f"{error['field']}: {error['message']}")
    if data["ok"]:
        return 0
    return 2 if data["errors"][0]["field"] == "catalogue" else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    journal_text = _journal_payload(args) if args.command == "journal" else None
    if args.command == "journal" and journal_text is None:
        return 2
    try:
        catalogue = read_catalogue(args.catalogue)
    except CatalogueUnavailable as exc:
        # Content problems arrive as several lines, each already escaped by the linter.
        for line in str(exc).split("\n"):
            _error(line)
        return 2
    show: Callable[[dict[str, Any]], str]
    if journal_text is not None:
        answer = call("journal", journal_text, catalogue)
        # ASCII-only JSON: every control character in a note or a name is escaped.
        return _print_answer(
            answer, args.json, lambda r: json.dumps(journal_summary(r), indent=1, ensure_ascii=True)
        )
    if args.command == "self-check":
        name, payload, show = "self_check", _self_check_payload(args), format_self_check
    elif args.ics is not None:
        name, show = "plan_calendar", _write_calendar(args.ics)
        payload = {
            **_plan_payload(args),
            **_drop_none({"reminder": args.reminder, "link": args.link}),
        }
    else:
        name, payload, show = "return_to_run_plan", _plan_payload(args), format_plan
    text = args.payload if args.payload is not None else json.dumps(payload)
    return _print_answer(call(name, text, catalogue), args.json, lambda r: _terminal_text(show(r)))
