"""The recovery journal's document: what the app stores and exports and the CLI reads.

Written once here; the JSON Schema (`journal_schema.py`) is made from these same constants.

    {"format": "runners-injury-handbook/journal", "version": 1,
     "active": "<recovery id>" | null,
     "recoveries": [{"id", "condition", "created", "plan": <return_to_run_plan payload>,
                     "entries": [<entry>, ...]}]}

An entry is one calendar day (YYYY-MM-DD, the device's local date: no times, no zones):

    date           the day; one entry a day per recovery
    updated        when the entry was last changed, UTC "YYYY-MM-DDTHH:MM:SSZ" (merges keep
                   the newer of two entries for the same day)
    pain_morning   how it is this morning, on waking (0-10; 0 or 1 for a yes/no family)
    pain_during, pain_after   the session's pain, when there was a session
    red_flags      the condition's red-flag ids that are true now
    signs          the family's signs that are true now
    done           planned | less | more | skipped (absent: a rest day or a morning check-in)
    minutes        minutes actually done (running and walking); required with less and more
    sleep_hours, swelling (none | usual | more), mood (1-5), notes   optional

What the journal works out itself is never stored: the week-on-week trend, the next morning
after a session (the next day's `pain_morning`) and the usual level it is compared with (the
morning before the session).

`parse_document` never raises: it returns the normalised document, or every problem found,
each at its path (`recoveries[0].entries[3].pain_during`), as `FieldError`s. Older versions
are migrated first (`MIGRATIONS`), so a file any version of the app wrote still opens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from calculators.catalogue import Catalogue, Family
from calculators.errors import FieldError, InputError
from calculators.inputs import PAIN_RANGE, PLAN_FIELDS, PlanInput, _Fields, _show, parse_plan

FORMAT = "runners-injury-handbook/journal"
VERSION = 1
"""The version this code writes. Each older version has a step in MIGRATIONS."""

DONE = ("planned", "less", "more", "skipped")
"""What was done against today's planned session."""
SESSION_DONE = ("planned", "less", "more")
SWELLING = ("none", "usual", "more")
"""`more` counts as the family's swelling sign wherever the family has one."""

MAX_RECOVERIES = 20
MAX_ENTRIES = 1500
"""About four years of daily check-ins in one recovery; a hostile file meets this first."""
MAX_NOTES_CHARS = 500
MINUTES_RANGE = (0, 600)
SLEEP_RANGE = (0, 24)
MOOD_RANGE = (1, 5)
ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
_ID = re.compile(ID_PATTERN, re.ASCII)
UPDATED_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z"
_UPDATED = re.compile(UPDATED_PATTERN, re.ASCII)
MAX_ERRORS = 60
"""Stop reading after this many problems: enough to fix a file, never as big as the file."""

DOCUMENT_FIELDS = ("format", "version", "active", "recoveries", "exported")
RECOVERY_FIELDS = ("id", "condition", "created", "plan", "entries")
PAIN_ENTRY_FIELDS = ("pain_morning", "pain_during", "pain_after")
ENTRY_FIELDS = (
    "date",
    "updated",
    *PAIN_ENTRY_FIELDS,
    "red_flags",
    "signs",
    "done",
    "minutes",
    "sleep_hours",
    "swelling",
    "mood",
    "notes",
)


@dataclass(frozen=True)
class Entry:
    day: date
    updated: str
    pain_morning: int | None
    pain_during: int | None
    pain_after: int | None
    red_flags: tuple[str, ...]
    signs: tuple[str, ...]
    done: str | None
    minutes: int | None
    sleep_hours: float | None
    swelling: str | None
    mood: int | None
    notes: str | None

    @property
    def had_session(self) -> bool:
        return self.done in SESSION_DONE

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"date": self.day.isoformat(), "updated": self.updated}
        for name in ENTRY_FIELDS[2:]:
            value = getattr(self, name)
            if value is None or value == ():
                continue
            data[name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class Recovery:
    id: str
    condition: str
    created: date
    plan_payload: dict[str, Any]
    plan: PlanInput
    entries: tuple[Entry, ...]
    """In date order, one a day."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "condition": self.condition,
            "created": self.created.isoformat(),
            "plan": self.plan_payload,
            "entries": [e.to_dict() for e in self.entries],
        }


@dataclass(frozen=True)
class Journal:
    active: str | None
    recoveries: tuple[Recovery, ...]
    exported: str | None = None

    @property
    def active_recovery(self) -> Recovery | None:
        return next((r for r in self.recoveries if r.id == self.active), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "active": self.active,
            "recoveries": [r.to_dict() for r in self.recoveries],
        }
        if self.exported is not None:
            data["exported"] = self.exported
        return data


class _TooMany(Exception):
    """Raised inside the reader once MAX_ERRORS problems are found."""


class _Errors:
    def __init__(self) -> None:
        self.found: list[FieldError] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(FieldError(where, message))
        if len(self.found) >= MAX_ERRORS:
            self.found.append(
                FieldError("journal", f"stopped after {MAX_ERRORS} problems; fix these first")
            )
            raise _TooMany

    def take(self, prefix: str, errors: tuple[FieldError, ...] | list[FieldError]) -> None:
        for e in errors:
            self.add(f"{prefix}.{e.field}" if e.field != "payload" else prefix, e.message)


def _fields(data: Any, allowed: tuple[str, ...], where: str, errors: _Errors) -> _Fields | None:
    try:
        f = _Fields(data, allowed)
    except InputError:
        errors.add(where, f"must be an object; got {_show(data)}")
        return None
    errors.take(where, f.errors)
    f.errors = []
    return f


def _check_updated(value: Any, where: str, errors: _Errors) -> str:
    if not isinstance(value, str) or not _UPDATED.fullmatch(value):
        errors.add(where, f"required: a UTC time written YYYY-MM-DDTHH:MM:SSZ; got {_show(value)}")
        return ""
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        errors.add(where, f"{value[:10]!r} is not a real date")
    return value


def _pains(f: _Fields, family: Family, done: str | None) -> dict[str, int | None]:
    """The pain answers: during and after go with a session, on waking with any day."""
    pains: dict[str, int | None] = {}
    for name in PAIN_ENTRY_FIELDS:
        pains[name] = None
        if not family.asks_pain:
            if f.present(name):
                f.error(name, f"the {family.name} check does not ask about pain; leave it out")
            continue
        session_pain = name != "pain_morning"
        if session_pain and f.present(name) and done not in SESSION_DONE:
            f.error(name, "only with a session (done: planned, less or more); leave it out")
            continue
        unit = " (0 = no pain, 10 = worst imaginable)"
        needed = session_pain and done in SESSION_DONE
        pains[name] = f.whole(name, *PAIN_RANGE, required=needed, unit=unit)
    return pains


def _entry(
    data: Any, where: str, catalogue: Catalogue, condition: str, errors: _Errors
) -> Entry | None:
    f = _fields(data, ENTRY_FIELDS, where, errors)
    if f is None:
        return None
    cond = catalogue.conditions[condition]
    family = catalogue.self_checks[cond.self_check]
    day = f.day("date")
    updated = _check_updated(f.data.get("updated"), f"{where}.updated", errors)
    done = f.choice("done", DONE, default="") or None
    done_refused = f.present("done") and done is None
    pains = _pains(f, family, done) if not done_refused else dict.fromkeys(PAIN_ENTRY_FIELDS)
    flags = f.names(
        "red_flags", tuple(flag.id for flag in cond.red_flags), f"red-flag id for {condition}"
    )
    signs = f.names("signs", family.signs, f"sign for the {family.name} check")
    minutes = f.whole("minutes", *MINUTES_RANGE, required=done in ("less", "more"), unit=" minutes")
    if done == "skipped" and minutes:
        f.error("minutes", f"a skipped session has no minutes; got {minutes}")
    if done is None and not done_refused and f.present("minutes"):
        f.error("minutes", "only with done (planned, less, more or skipped); leave it out")
    sleep = f.number("sleep_hours", *SLEEP_RANGE, required=False, unit=" hours")
    swelling = f.choice("swelling", SWELLING, default="") or None
    mood = f.whole("mood", *MOOD_RANGE, required=False, unit=" (1 = low, 5 = great)")
    notes = f.data.get("notes")
    if notes is not None:
        if not isinstance(notes, str):
            f.error("notes", f"must be text; got {_show(notes)}")
            notes = None
        elif len(notes) > MAX_NOTES_CHARS:
            f.error("notes", f"at most {MAX_NOTES_CHARS} characters; got {len(notes)}")
            notes = None
    errors.take(where, f.errors)
    if f.errors or day is None or not updated:
        return None
    return Entry(
        day=day,
        updated=updated,
        red_flags=flags,
        signs=signs,
        done=done,
        minutes=minutes,
        sleep_hours=sleep,
        swelling=swelling,
        mood=mood,
        notes=notes,
        **pains,
    )


def _entries(
    data: Any, where: str, catalogue: Catalogue, condition: str | None, errors: _Errors
) -> list[Entry]:
    if not isinstance(data, list):
        errors.add(f"{where}.entries", f"required: a list of entries; got {_show(data)}")
        return []
    if len(data) > MAX_ENTRIES:
        errors.add(f"{where}.entries", f"at most {MAX_ENTRIES} entries; got {len(data)}")
        return []
    if condition is None:
        return []  # its entries cannot be read without knowing the condition's family
    entries: list[Entry] = []
    seen: dict[date, int] = {}
    for i, item in enumerate(data):
        entry = _entry(item, f"{where}.entries[{i}]", catalogue, condition, errors)
        if entry is None:
            continue
        if entry.day in seen:
            errors.add(
                f"{where}.entries[{i}].date",
                f"a second entry for {entry.day.isoformat()} (the first is "
                f"entries[{seen[entry.day]}]); keep one entry a day",
            )
            continue
        seen[entry.day] = i
        entries.append(entry)
    return entries


def _recovery(data: Any, where: str, catalogue: Catalogue, errors: _Errors) -> Recovery | None:
    f = _fields(data, RECOVERY_FIELDS, where, errors)
    if f is None:
        return None
    rid = f.data.get("id")
    if not isinstance(rid, str) or not _ID.fullmatch(rid):
        f.error("id", f"required: 1 to 64 letters, digits, - or _; got {_show(rid)}")
        rid = None
    cond = f.condition(catalogue)
    created = f.day("created")
    errors.take(where, f.errors)
    f.errors = []
    plan_data = f.data.get("plan")
    plan: PlanInput | None = None
    if cond is not None:
        if isinstance(plan_data, Mapping) and plan_data.get("condition") != cond.slug:
            errors.add(
                f"{where}.plan.condition",
                f"must be the recovery's condition {cond.slug!r}; "
                f"got {_show(plan_data.get('condition'))}",
            )
        else:
            try:
                plan, _protocol = parse_plan(plan_data, catalogue)
            except InputError as exc:
                errors.take(f"{where}.plan", exc.errors)
    entries = _entries(f.data.get("entries"), where, catalogue, cond.slug if cond else None, errors)
    if rid is None or cond is None or created is None or plan is None:
        return None
    if not isinstance(plan_data, Mapping):  # pragma: no cover - parse_plan refused it
        return None
    payload = {k: plan_data[k] for k in PLAN_FIELDS if plan_data.get(k) is not None}
    return Recovery(
        id=rid,
        condition=cond.slug,
        created=created,
        plan_payload=payload,
        plan=plan,
        entries=tuple(sorted(entries, key=lambda e: e.day)),
    )


def _read(data: Mapping[str, Any], catalogue: Catalogue, errors: _Errors) -> Journal | None:
    f = _fields(data, DOCUMENT_FIELDS, "journal", errors)
    if f is None:
        return None
    active = f.data.get("active")
    exported = f.data.get("exported")
    if exported is not None:
        exported = _check_updated(exported, "journal.exported", errors) or None
    items = f.data.get("recoveries")
    if not isinstance(items, list):
        errors.add("recoveries", f"required: a list of recoveries; got {_show(items)}")
        return None
    if len(items) > MAX_RECOVERIES:
        errors.add("recoveries", f"at most {MAX_RECOVERIES} recoveries; got {len(items)}")
        return None
    recoveries: list[Recovery] = []
    ids: dict[str, int] = {}
    for i, item in enumerate(items):
        recovery = _recovery(item, f"recoveries[{i}]", catalogue, errors)
        if recovery is None:
            continue
        if recovery.id in ids:
            errors.add(
                f"recoveries[{i}].id",
                f"{recovery.id!r} is already the id of recoveries[{ids[recovery.id]}]",
            )
            continue
        ids[recovery.id] = i
        recoveries.append(recovery)
    if active is not None and not isinstance(active, str):
        errors.add("active", f"must be a recovery id or null; got {_show(active)}")
    elif active is None and items:
        errors.add("active", "required: the id of the recovery being followed")
    elif active is not None and not any(
        isinstance(r, Mapping) and r.get("id") == active for r in items
    ):
        errors.add("active", f"{_show(active)} is not the id of any recovery in this file")
    if errors.found:
        return None
    return Journal(active=active, recoveries=tuple(recoveries), exported=exported)


# ---- versions ------------------------------------------------------------------------------


def _from_v0(old: Mapping[str, Any]) -> dict[str, Any]:
    """Version 0 was one flat recovery:

        {"format": FORMAT, "version": 0, "condition", "started": "YYYY-MM-DD", "plan": {...},
         "log": [{"day", "morning", "during", "after", "flags", "signs", "did", "minutes",
                  "note"}]}

    It had no ids and no `updated` times: the one recovery becomes `recovery-1`, each entry's
    time the start of its day (so any later edit wins a merge)."""
    renamed = {
        "day": "date",
        "morning": "pain_morning",
        "during": "pain_during",
        "after": "pain_after",
        "flags": "red_flags",
        "signs": "signs",
        "did": "done",
        "minutes": "minutes",
        "note": "notes",
    }
    log = old.get("log")
    entries: Any = log
    if isinstance(log, list):
        entries = []
        for item in log:
            if not isinstance(item, Mapping):
                entries.append(item)
                continue
            entry = {renamed.get(str(k), str(k)): v for k, v in item.items()}
            if isinstance(entry.get("date"), str):
                entry.setdefault("updated", f"{entry['date']}T00:00:00Z")
            entries.append(entry)
    recovery = {
        "id": "recovery-1",
        "condition": old.get("condition"),
        "created": old.get("started"),
        "plan": old.get("plan"),
        "entries": entries,
    }
    # Anything else is kept, so the reader reports it as an unknown field rather than drop it.
    known = ("format", "version", "condition", "started", "plan", "log")
    recovery.update({str(k): v for k, v in old.items() if k not in known})
    return {"format": FORMAT, "version": 1, "active": "recovery-1", "recoveries": [recovery]}


MIGRATIONS: dict[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {0: _from_v0}
"""version -> a function turning that version into the next one."""


def _migrate(data: Mapping[str, Any], errors: _Errors) -> tuple[Mapping[str, Any] | None, int]:
    fmt = data.get("format")
    if fmt != FORMAT:
        errors.add(
            "format",
            f"this is not a recovery journal (format must be {FORMAT!r}; got {_show(fmt)})",
        )
        return None, -1
    version = data.get("version")
    if type(version) is not int or version < 0:
        errors.add("version", f"must be a whole number from 0 to {VERSION}; got {_show(version)}")
        return None, -1
    if version > VERSION:
        errors.add(
            "version",
            f"this journal was written by a newer version of the handbook (version {version}; "
            f"this one reads up to {VERSION}): update the app, then open it again",
        )
        return None, -1
    original = version
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data, original


@dataclass(frozen=True)
class Parsed:
    journal: Journal | None
    errors: tuple[FieldError, ...]
    migrated_from: int | None = None
    """The version the file was written in, when older than VERSION."""


def parse_document(data: Any, catalogue: Catalogue) -> Parsed:
    """The journal, or every problem found at its path; never raises."""
    errors = _Errors()
    try:
        if not isinstance(data, Mapping):
            errors.add("journal", f"must be a JSON object; got {_show(data)}")
            return Parsed(None, tuple(errors.found))
        current, original = _migrate(data, errors)
        if current is None:
            return Parsed(None, tuple(errors.found))
        journal = _read(current, catalogue, errors)
    except _TooMany:
        journal = None
    if errors.found:
        return Parsed(None, tuple(errors.found))
    return Parsed(journal, (), original if original < VERSION else None)


PAYLOAD_FIELDS = ("journal", "today")


def read_journal_payload(payload: Any, catalogue: Catalogue) -> tuple[Journal, date, int | None]:
    """The bridge's `journal` payload, {"journal": <document>, "today": "YYYY-MM-DD"}: the
    journal, today's date and the version it was migrated from; raises InputError."""
    f = _Fields(payload, PAYLOAD_FIELDS)
    today = f.day("today")
    if "journal" not in f.data:
        f.error("journal", "required: the journal document")
        f.finish()
    parsed = parse_document(f.data.get("journal"), catalogue)
    errors = [*f.errors, *parsed.errors]
    if errors or parsed.journal is None or today is None:
        raise InputError(errors)
    return parsed.journal, today, parsed.migrated_from


# ---- merging two journals (an import that keeps what is already on the device) -------------


def _updated_key(stamp: str) -> tuple[str, str]:
    """Order of two `updated` times: the seconds, then the fraction ("" = .000)."""
    return stamp[:19], stamp[20:-1].ljust(3, "0") if len(stamp) > 20 else "000"


def _merge_entries(
    mine: tuple[Entry, ...], theirs: tuple[Entry, ...]
) -> tuple[list[Entry], int, int]:
    """One entry a day: the newer `updated` wins, and a tie keeps the one already here."""
    by_day = {e.day: e for e in mine}
    added = replaced = 0
    for entry in theirs:
        current = by_day.get(entry.day)
        if current is None:
            added += 1
        elif _updated_key(entry.updated) > _updated_key(current.updated):
            replaced += 1
        else:
            continue
        by_day[entry.day] = entry
    return [by_day[d] for d in sorted(by_day)], added, replaced


def _free_id(wanted: str, taken: set[str]) -> str:
    n = 2
    while f"{wanted[:60]}-{n}" in taken:
        n += 1
    return f"{wanted[:60]}-{n}"


@dataclass(frozen=True)
class Merged:
    journal: Journal
    added_recoveries: tuple[str, ...]
    added_entries: int
    replaced_entries: int


def merge_journals(current: Journal, incoming: Journal) -> Merged:
    """`incoming` merged into `current`. A recovery with the same id, condition and plan gets
    the other's entries (the newer of two for one day); any other recovery is added, under a
    new id if its id is taken. `current` stays active. Raises InputError if the result would
    pass the format's caps, so nothing is half merged."""
    recoveries = {r.id: r for r in current.recoveries}
    added_ids: list[str] = []
    added = replaced = 0
    for theirs in incoming.recoveries:
        mine = recoveries.get(theirs.id)
        if mine is not None and (mine.condition, mine.plan_payload) == (
            theirs.condition,
            theirs.plan_payload,
        ):
            entries, more, newer = _merge_entries(mine.entries, theirs.entries)
            if len(entries) > MAX_ENTRIES:
                raise InputError(
                    [
                        FieldError(
                            "incoming",
                            f"merging would give recovery {theirs.id!r} {len(entries)} entries, "
                            f"more than the {MAX_ENTRIES} a journal keeps; export and start a "
                            "new recovery first",
                        )
                    ]
                )
            recoveries[mine.id] = replace(mine, entries=tuple(entries))
            added, replaced = added + more, replaced + newer
            continue
        new_id = theirs.id if mine is None else _free_id(theirs.id, set(recoveries))
        recoveries[new_id] = replace(theirs, id=new_id)
        added_ids.append(new_id)
        added += len(theirs.entries)
    if len(recoveries) > MAX_RECOVERIES:
        raise InputError(
            [
                FieldError(
                    "incoming",
                    f"merging would give {len(recoveries)} recoveries, more than the "
                    f"{MAX_RECOVERIES} a journal keeps; delete old ones first",
                )
            ]
        )
    active = current.active
    if active is None and incoming.active is not None:
        active = next((i for i in added_ids if i.startswith(incoming.active)), incoming.active)
    journal = Journal(active=active, recoveries=tuple(recoveries.values()))
    return Merged(journal, tuple(added_ids), added, replaced)


MERGE_FIELDS = ("journal", "incoming")


def read_merge_payload(
    payload: Any, catalogue: Catalogue
) -> tuple[Journal, Journal, dict[str, int | None]]:
    """The bridge's `journal_merge` payload, {"journal": <on the device>, "incoming":
    <the file>}: both journals and the versions they were migrated from; errors at
    `journal.<path>` and `incoming.<path>`. Raises InputError."""
    f = _Fields(payload, MERGE_FIELDS)
    errors = list(f.errors)
    journals: list[Journal] = []
    versions: dict[str, int | None] = {}
    for name in MERGE_FIELDS:
        if name not in f.data:
            errors.append(FieldError(name, "required: a journal document"))
            continue
        one = parse_document(f.data[name], catalogue)
        errors += [FieldError(f"{name}.{e.field}", e.message) for e in one.errors]
        if one.journal is not None:
            journals.append(one.journal)
            versions[name] = one.migrated_from
    if errors or len(journals) != len(MERGE_FIELDS):
        raise InputError(errors)
    return journals[0], journals[1], versions
