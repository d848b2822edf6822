"""The one JSON boundary between the calculators and the outside (browser worker, CLI, tests).

    bridge = Bridge.from_json(catalogue_json)     # once
    bridge.call("self_check", payload_json)       # many times -> JSON text

or, for a Pyodide worker that keeps module state:

    configure(catalogue_json)                     # -> '{"ok":true,"result":{...}}'
    call("return_to_run_plan", payload_json)

A browser configures the shared part of the catalogue and adds conditions as pages need them
(calculators/chunks.py): `wanted(name, payload_json)` lists the slugs a call reads, and
`add_conditions(chunk_json)` adds one chunk to the configured catalogue.

Every call returns JSON text: {"ok": true, "result": {...}} or
{"ok": false, "errors": [{"field": ..., "message": ...}]}. Nothing escapes as an exception.
Output is deterministic (sorted keys, fixed separators, ASCII) so browser and CPython
results can be compared byte for byte. A plan's result also carries `html`, the plan as
calculators.plan_view renders it, the same renderer the build uses for each page's default plan.

The recovery journal (calculators/journal.py, calculators/journal_format.py):
    call("journal", {"journal": <document>, "today": "YYYY-MM-DD"})
        -> {journal (normalised, migrated), migrated_from, today, plan, chart_svg, table, weeks}
    call("journal_merge", {"journal": <on the device>, "incoming": <imported file>})
        -> {journal (merged), added_recoveries, added_entries, replaced_entries, migrated_from}
Errors name their place in the document: "recoveries[0].entries[3].pain_during" (and, for a
merge, "journal.<path>" or "incoming.<path>").
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from calculators.catalogue import Catalogue, parse_catalogue_json
from calculators.chunks import wanted_conditions, with_chunk
from calculators.errors import CatalogueError, FieldError, InputError
from calculators.ics import calendar_filename, plan_calendar, split_calendar_payload
from calculators.inputs import parse_plan, parse_self_check
from calculators.journal import run_journal
from calculators.journal_format import merge_journals, read_journal_payload, read_merge_payload
from calculators.plan import build_plan
from calculators.plan_view import render_plan
from calculators.self_check import run_self_check
from calculators.share import decode, encode, split_share_payload

CALCULATORS = (
    "journal",
    "journal_merge",
    "open_share",
    "plan_calendar",
    "return_to_run_plan",
    "self_check",
    "share_link",
)


_ENCODER = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=True,
    allow_nan=False,
    # Results are trees built for each call, never cyclic: the cycle check only cost time
    # (a quarter of encoding a plan). A cycle would still end, as a RecursionError.
    check_circular=False,
)


def dumps(data: Any) -> str:
    """The canonical JSON text of a result."""
    return _ENCODER.encode(data)


def ok(result: Any) -> str:
    return dumps({"ok": True, "result": result})


MAX_ERRORS = 50
"""At most this many errors in one answer (the last counts the rest): a real form has fewer
fields than this, and a hostile payload must not get an answer larger than itself."""


def failed(errors: list[FieldError] | tuple[FieldError, ...]) -> str:
    shown = list(errors)
    if len(shown) > MAX_ERRORS:
        rest = len(shown) - (MAX_ERRORS - 1)
        shown = [
            *shown[: MAX_ERRORS - 1],
            FieldError("payload", f"{rest} more problems not listed; fix these first"),
        ]
    return dumps({"ok": False, "errors": [e.as_dict() for e in shown]})


def _self_check(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    answers, _family = parse_self_check(payload, catalogue)
    return run_self_check(catalogue, answers).to_dict(catalogue)


def _plan(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    inp, protocol = parse_plan(payload, catalogue)
    plan = build_plan(catalogue, inp, protocol).to_dict(catalogue, inp.start_date)
    # The page shows this HTML as it is: the build renders the default plan the same way.
    return {**plan, "html": render_plan(plan)}


def _calendar(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    """The plan's .ics text: the plan fields as for a plan, plus reminder, link and stamp."""
    fields, options = split_calendar_payload(payload)
    inp, protocol = parse_plan(fields, catalogue)
    plan = build_plan(catalogue, inp, protocol).to_dict(catalogue, inp.start_date)
    if not plan["weeks"]:
        raise InputError(
            [
                FieldError(
                    "payload", f"this plan has no sessions to add to a calendar: {plan['message']}"
                )
            ]
        )
    return {
        "ics": plan_calendar(plan, options),
        "filename": calendar_filename(plan),
        "events": sum(len(week["sessions"]) for week in plan["weeks"]),
    }


def _share_link(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    """A link fragment for a plan the form accepts, with a clinician's note if any."""
    fields, note, prescribed = split_share_payload(payload)
    parse_plan(fields, catalogue)  # only a plan the form would accept is shared
    return {"fragment": encode(fields, note, prescribed)}


def _open_share(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    """What a link holds, checked as the form's own answers are; field "link" if not."""
    link = payload.get("link") if isinstance(payload, dict) else None
    shared = decode(link)
    try:
        parse_plan(shared.payload, catalogue)
    except InputError as exc:
        problems = "; ".join(f"{e.field}: {e.message}" for e in exc.errors[:3])
        raise InputError(
            [
                FieldError(
                    "link", f"this plan link holds answers this handbook cannot use ({problems})"
                )
            ]
        ) from None
    return shared.to_dict()


def _journal(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    journal, today, migrated_from = read_journal_payload(payload, catalogue)
    return {
        "journal": journal.to_dict(),
        "migrated_from": migrated_from,
        **run_journal(catalogue, journal, today),
    }


def _journal_merge(catalogue: Catalogue, payload: Any) -> dict[str, Any]:
    current, incoming, versions = read_merge_payload(payload, catalogue)
    merged = merge_journals(current, incoming)
    return {
        "journal": merged.journal.to_dict(),
        "added_recoveries": list(merged.added_recoveries),
        "added_entries": merged.added_entries,
        "replaced_entries": merged.replaced_entries,
        "migrated_from": versions,
    }


_HANDLERS: dict[str, Callable[[Catalogue, Any], dict[str, Any]]] = {
    "journal": _journal,
    "journal_merge": _journal_merge,
    "self_check": _self_check,
    "return_to_run_plan": _plan,
    "plan_calendar": _calendar,
    "share_link": _share_link,
    "open_share": _open_share,
}


def _catalogue_errors(exc: CatalogueError) -> str:
    return failed(
        [
            FieldError(
                "catalogue", f"the calculators' catalogue is unusable ({exc.where}: {exc.message})"
            )
        ]
    )


class Bridge:
    """A bridge configured once with a catalogue; `call` is then cheap and stateless."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    @classmethod
    def from_json(cls, catalogue_json: str) -> Bridge:
        """Raises CatalogueError if the catalogue is unusable (use `configure` for JSON errors)."""
        return cls(parse_catalogue_json(catalogue_json))

    def call(self, name: str, payload_json: str) -> str:
        return call_with(self.catalogue, name, payload_json)


def _json_int(text: str) -> int | float:
    """An integer as JSON wrote it; one too long for Python's digit limit becomes +-infinity,
    so its field reports "out of range" rather than the whole payload "not valid JSON"."""
    try:
        return int(text)
    except ValueError:
        return -math.inf if text.startswith("-") else math.inf


def _decode(payload_json: Any) -> Any:
    if not isinstance(payload_json, str | bytes | bytearray):
        raise InputError([FieldError("payload", "must be JSON text")])
    try:
        return json.loads(payload_json, parse_int=_json_int)
    except (ValueError, RecursionError) as exc:
        raise InputError([FieldError("payload", f"not valid JSON: {exc}")]) from None


def call_with(catalogue: Catalogue, name: str, payload_json: str) -> str:
    """Run calculator `name` on a JSON payload; always returns JSON text."""
    try:
        handler = _HANDLERS.get(name) if isinstance(name, str) else None
        if handler is None:
            return failed(
                [
                    FieldError(
                        "name", f"unknown calculator {name!r}; known: {', '.join(CALCULATORS)}"
                    )
                ]
            )
        return ok(handler(catalogue, _decode(payload_json)))
    except InputError as exc:
        return failed(exc.errors)
    except CatalogueError as exc:
        return _catalogue_errors(exc)
    except Exception as exc:  # the boundary: report, never raise
        return failed(
            [
                FieldError(
                    "internal",
                    f"internal error ({type(exc).__name__}: {exc}); "
                    "please report this with your input",
                )
            ]
        )


_configured: Bridge | None = None
_last_parsed: tuple[str, Catalogue] | None = None


def _parse_cached(catalogue_json: str) -> Catalogue:
    """Parse, remembering the last catalogue text so repeated calls do not re-parse it."""
    global _last_parsed  # noqa: PLW0603 - a one-entry cache; the result depends only on the text
    if _last_parsed is not None and _last_parsed[0] == catalogue_json:
        return _last_parsed[1]
    catalogue = parse_catalogue_json(catalogue_json)
    _last_parsed = (catalogue_json, catalogue)
    return catalogue


def configure(catalogue_json: str) -> str:
    """Load the catalogue once for later `call`s; returns JSON with the names it knows."""
    global _configured  # noqa: PLW0603 - one catalogue per worker is the point
    try:
        bridge = Bridge.from_json(catalogue_json)
    except CatalogueError as exc:
        return _catalogue_errors(exc)
    except Exception as exc:  # the boundary: report, never raise
        return failed([FieldError("catalogue", f"unusable ({type(exc).__name__}: {exc})")])
    _configured = bridge
    return ok(
        {
            "calculators": list(CALCULATORS),
            "conditions": sorted(bridge.catalogue.conditions),
            "protocols": sorted(bridge.catalogue.protocols),
            "self_checks": sorted(bridge.catalogue.self_checks),
        }
    )


def add_conditions(chunk_json: str) -> str:
    """Add one chunk's conditions to the configured catalogue; returns JSON with the
    conditions now known. A chunk that does not fit changes nothing."""
    global _configured  # noqa: PLW0603 - one catalogue per worker is the point
    if _configured is None:
        return failed([FieldError("catalogue", "no catalogue loaded: call configure first")])
    try:
        chunk = json.loads(chunk_json)
        catalogue = with_chunk(_configured.catalogue, chunk)
    except CatalogueError as exc:
        return _catalogue_errors(exc)
    except Exception as exc:  # the boundary: report, never raise
        return failed([FieldError("catalogue", f"unusable ({type(exc).__name__}: {exc})")])
    _configured = Bridge(catalogue)
    return ok({"conditions": sorted(catalogue.conditions)})


def wanted(name: str, payload_json: str) -> str:
    """The JSON list of condition slugs call `name` reads from this payload (none for a
    payload that is not JSON: the call then says why)."""
    try:
        return dumps(wanted_conditions(name, _decode(payload_json)))
    except Exception:  # the boundary: never raise; the call itself then says what is wrong
        return dumps([])


def call(name: str, payload_json: str, catalogue_json: str | None = None) -> str:
    """Run a calculator with the configured catalogue, or with `catalogue_json` if given."""
    if catalogue_json is not None:
        try:
            catalogue = _parse_cached(catalogue_json)
        except CatalogueError as exc:
            return _catalogue_errors(exc)
        except Exception as exc:  # the boundary: report, never raise
            return failed([FieldError("catalogue", f"unusable ({type(exc).__name__}: {exc})")])
        return call_with(catalogue, name, payload_json)
    if _configured is None:
        return failed(
            [
                FieldError(
                    "catalogue",
                    "no catalogue loaded: call "
                    "configure(catalogue_json) first, or pass "
                    "catalogue_json",
                )
            ]
        )
    return _configured.call(name, payload_json)
