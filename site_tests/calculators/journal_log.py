"""A short way to write a journal's log in tests: one line a day, or a run of days.

    "3: m1 d2 a1 planned"            day 3 after the plan's start: morning 1, during 2,
                                     after 1, the planned session done
    "2026-03-29: m0 skipped"         a date instead of a day number
    "0-20 every 2: m1 d1 a0 planned" days 0, 2, ..., 20
    tokens: m<N> d<N> a<N> (pains), planned | less | more | skipped, min<N> (minutes),
            sign:<sign>, flag:<red-flag id>, swelling:<none|usual|more>, notes:<word>
A later line for the same day replaces that day's earlier entry.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from calculators.journal_format import DONE, FORMAT, VERSION

_RANGE = re.compile(r"(\d+)-(\d+) every (\d+)")
_PAINS = {"m": "pain_morning", "d": "pain_during", "a": "pain_after"}


def _days(spec: str, start: date) -> list[date]:
    spec = spec.strip()
    if found := _RANGE.fullmatch(spec):
        low, high, step = (int(g) for g in found.groups())
        return [start + timedelta(days=i) for i in range(low, high + 1, step)]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
        return [date.fromisoformat(spec)]
    return [start + timedelta(days=int(spec))]


def entry(day: date, tokens: str) -> dict[str, Any]:
    e: dict[str, Any] = {"date": day.isoformat(), "updated": f"{day.isoformat()}T20:00:00Z"}
    for token in tokens.split():
        if token in DONE:
            e["done"] = token
        elif token.startswith("min"):
            e["minutes"] = int(token[3:])
        elif ":" in token:
            key, value = token.split(":", 1)
            if key in ("sign", "flag"):
                e.setdefault("signs" if key == "sign" else "red_flags", []).append(value)
            else:
                e[key] = value
        elif token[0] in _PAINS and token[1:].isdigit():
            e[_PAINS[token[0]]] = int(token[1:])
        else:
            raise ValueError(f"unknown log token {token!r}")
    return e


def log_entries(lines: list[str], start: date) -> list[dict[str, Any]]:
    by_day: dict[str, dict[str, Any]] = {}
    for line in lines:
        spec, _, tokens = (
            line.partition(":")
            if not re.match(r"\d{4}-", line)
            else (
                line[:10],
                ":",
                line[11:],
            )
        )
        for day in _days(spec, start):
            by_day[day.isoformat()] = entry(day, tokens)
    return [by_day[d] for d in sorted(by_day)]


def journal(plan: dict[str, Any], lines: list[str], rid: str = "r1") -> dict[str, Any]:
    start = date.fromisoformat(plan["start_date"])
    return {
        "format": FORMAT,
        "version": VERSION,
        "active": rid,
        "recoveries": [
            {
                "id": rid,
                "condition": plan["condition"],
                "created": plan["start_date"],
                "plan": plan,
                "entries": log_entries(lines, start),
            }
        ],
    }
