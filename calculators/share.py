"""A plan's inputs as a short, versioned link fragment: `#plan=1~cplantar-heel-pain~d42~...`.

Why a fragment: browsers never send the part after `#` to a server, so a link a physio hands
over, or a runner saves, reaches no one but the person who opens it.

The format, version 1: tokens joined by `~` (a character no slug, id, number or date uses,
and one a link keeps as it is). The first token is the version; each other token is one
letter naming a field followed by its value (percent-encoded for the note); the last is `#`
and eight hex digits, a CRC-32 of everything before it. The checksum is why a link cut short
in a message, or changed by hand, is refused with a clear message instead of quietly giving
another plan ("d42" cut to "d4" would still be a valid number of days).

Decoding only turns text back into the payload a form would send; the payload is then
validated by `inputs.parse_plan`, exactly as the form's answers are.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from calculators.errors import FieldError, InputError

VERSION = "1"
PREFIX = "plan="
SEPARATOR = "~"
MAX_NOTE = 500
MAX_LINK = 4000
"""A link longer than this was not made here; it is refused before any parsing."""
SHARE_FIELDS = ("note", "prescribed")
"""What a share request adds to a plan request's fields: a clinician's note, and whether the
start date was chosen by the clinician (a clinic copy's "prescribe" fields)."""

# Field name -> (letter, kind). Kinds: text (a slug, id or word), int, float, bool, date, list.
_FIELDS: dict[str, tuple[str, str]] = {
    "condition": ("c", "text"),
    "days_since_stopped": ("d", "int"),
    "walk_test_passed": ("w", "bool"),
    "hop_test_passed": ("h", "bool"),
    "pre_injury_minutes_per_week": ("m", "int"),
    "pre_injury_km_per_week": ("k", "number"),
    "easy_pace_min_per_km": ("p", "number"),
    "pre_injury_runs_per_week": ("r", "int"),
    "running_days_per_week": ("n", "int"),
    "start_date": ("s", "date"),
    "goal_race_date": ("g", "date"),
    "goal_race_km": ("x", "number"),
    "today_colour": ("t", "text"),
    "today_urgency": ("u", "text"),
    "red_flags": ("f", "list"),
    "fracture_site": ("z", "text"),
}
_NOTE, _PRESCRIBED, _CHECK = "N", "P", "#"
_BY_LETTER = {letter: (name, kind) for name, (letter, kind) in _FIELDS.items()}
_WORD = re.compile(r"[a-z0-9_-]{1,80}", re.ASCII)
_INT = re.compile(r"-?[0-9]{1,9}", re.ASCII)
_NUMBER = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,9})?", re.ASCII)
_DATE = re.compile(r"[0-9]{8}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")

BROKEN = (
    "this plan link is incomplete or was changed after it was made (it may have been cut "
    "short when it was copied); ask for the link again, or fill in the form yourself"
)


@dataclass(frozen=True)
class SharedPlan:
    """What a link holds: the plan form's payload, and a clinician's prescription if any."""

    payload: dict[str, Any]
    note: str | None = None
    prescribed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"payload": self.payload, "note": self.note, "prescribed": self.prescribed}


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def _value(kind: str, value: Any) -> str:
    if kind == "bool":
        return "1" if value else "0"
    if kind == "date":
        return str(value).replace("-", "")
    if kind == "list":
        return ".".join(value)
    return str(value)


def check_note(value: Any) -> str | None:
    """A clinician's note: plain text, at most MAX_NOTE characters, line breaks allowed."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError([FieldError("note", "must be text")])
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > MAX_NOTE:
        raise InputError(
            [FieldError("note", f"must be at most {MAX_NOTE} characters; got {len(text)}")]
        )
    return text or None


def split_share_payload(payload: Any) -> tuple[dict[str, Any], str | None, bool]:
    """The plan's own fields, the note and the prescribed flag, from a share request."""
    if not isinstance(payload, Mapping):
        raise InputError([FieldError("payload", "must be a JSON object of named fields")])
    prescribed = payload.get("prescribed", False)
    if not isinstance(prescribed, bool):
        raise InputError([FieldError("prescribed", "must be true or false")])
    fields = {k: v for k, v in payload.items() if k not in SHARE_FIELDS}
    return fields, check_note(payload.get("note")), prescribed


def encode(
    plan_payload: Mapping[str, Any], note: str | None = None, prescribed: bool = False
) -> str:
    """The fragment text (without `#`) for a plan payload that `parse_plan` accepted."""
    tokens = [VERSION]
    for name, (letter, kind) in _FIELDS.items():
        value = plan_payload.get(name)
        if value is None or (kind == "list" and not value):
            continue
        tokens.append(letter + _value(kind, value))
    if note:
        tokens.append(_NOTE + quote(note, safe="").replace("~", "%7E"))
    if prescribed:
        tokens.append(_PRESCRIBED + "1")
    body = SEPARATOR.join(tokens)
    return f"{PREFIX}{body}{SEPARATOR}{_CHECK}{_checksum(body)}"


def _broken() -> InputError:
    return InputError([FieldError("link", BROKEN)])


def _number(raw: str) -> int | float | None:
    if not _NUMBER.fullmatch(raw):
        return None
    return float(raw) if "." in raw else int(raw)


def _date(raw: str) -> str | None:
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}" if _DATE.fullmatch(raw) else None


def _words(raw: str) -> list[str] | None:
    items = raw.split(".")
    return items if all(_WORD.fullmatch(item) for item in items) else None


_READERS: dict[str, Callable[[str], Any]] = {
    "bool": {"1": True, "0": False}.get,
    "int": lambda raw: int(raw) if _INT.fullmatch(raw) else None,
    "number": _number,
    "date": _date,
    "list": _words,
    "text": lambda raw: raw if _WORD.fullmatch(raw) else None,
}
"""One token's value by its field's kind; None if it is not what that field holds."""


def decode(fragment: Any) -> SharedPlan:
    """The payload a link holds. Raises InputError (field "link") with a message a runner can
    act on for anything that is not a whole, unchanged link made by this version."""
    if not isinstance(fragment, str) or len(fragment) > MAX_LINK:
        raise _broken()
    text = fragment.removeprefix("#").removeprefix(PREFIX)
    body, _, check = text.rpartition(SEPARATOR)
    if not check.startswith(_CHECK) or _checksum(body) != check[1:]:
        raise _broken()
    version, *tokens = body.split(SEPARATOR)
    if version != VERSION:
        raise InputError(
            [
                FieldError(
                    "link",
                    f"this plan link was made by another version of the handbook (format "
                    f"{version[:10]!r}; this version reads format {VERSION}); fill in the form "
                    "yourself",
                )
            ]
        )
    payload: dict[str, Any] = {}
    note, prescribed = None, False
    for token in tokens:
        letter, raw = token[:1], token[1:]
        if letter == _NOTE:
            try:
                note = check_note(unquote(raw, errors="strict"))
            except UnicodeDecodeError:
                raise _broken() from None
        elif letter == _PRESCRIBED and raw == "1":
            prescribed = True
        elif letter in _BY_LETTER and _BY_LETTER[letter][0] not in payload:
            name, kind = _BY_LETTER[letter]
            value = _READERS[kind](raw)
            if value is None:
                raise _broken()
            payload[name] = value
        else:
            raise _broken()
    return SharedPlan(payload, note, prescribed)
