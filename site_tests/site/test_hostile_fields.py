"""No text field can become markup: every string field of a condition, a region and a clinic
config is filled with a hostile payload. A field that refuses it must say so at its own line;
every field that accepts it is built, and no built file may carry the payload unescaped.

The field list is derived from the pydantic models, so a field added later is attacked too.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from macros.browser.search_index import indexed_pages
from macros.clinic.model import ClinicFile
from macros.clinic.subset import load_clinic_for
from macros.content.loader import CONTENT_DIR
from macros.content.model import Condition, Region
from macros.content.problems import Problem
from macros.lint.content_rules import check_content
from site_tests.conftest import PROJECT_ROOT, build_site

pytestmark = pytest.mark.build

CONDITION = "plantar-heel-pain"  # in the example clinic's copy, with exercises and red flags
REGION = "foot-ankle"  # its region
EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"

# Breaks out of a double- or single-quoted attribute, opens a script and an event handler,
# and offers a javascript: address; each piece is checked separately below.
MARKUP = (
    "A \" onmouseover=\"alert('hb')\" x=' <script>alert('hb')</script>"
    " <img src=x onerror=alert('hb')> javascript:alert('hb')"
)
# Escape sequences in YAML's double quotes reach the value as real control characters.
CONTROL = "Fine text\x1b[2K\x1b[1Acontent OK\x07\x85"
NEVER_RAW = ("<script>alert(", "<img src=x onerror", 'onmouseover="alert(')

Path_ = tuple[str | int, ...]


# --- every string field, from the models -------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The type under Annotated[...] and `X | None`."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            assert len(kept) == 1, f"cannot attack a union of {kept}"
            annotation = kept[0]
        else:
            return annotation


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    return typing.get_origin(annotation) is typing.Literal and all(
        isinstance(arg, str) for arg in typing.get_args(annotation)
    )


def string_fields(model: type[BaseModel], data: dict[str, Any], at: Path_ = ()) -> Iterator[Path_]:
    """Every path where `model` holds text, present in `data` or not.

    Lists of text are attacked at their first item; lists of records through the first
    record, which `data` must have so that no field is silently left out."""
    for name, info in model.model_fields.items():
        kind = _unwrap(info.annotation)
        if typing.get_origin(kind) is list:
            item = _unwrap(typing.get_args(kind)[0])
            if _is_text(item):
                yield (*at, name, 0)
            elif isinstance(item, type) and issubclass(item, BaseModel):
                records = data.get(name) or []
                assert records, f"{'.'.join(map(str, (*at, name)))}: give one record to attack"
                yield from string_fields(item, records[0], (*at, name, 0))
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            assert isinstance(data.get(name), dict), f"{name}: give the record to attack"
            yield from string_fields(kind, data[name], (*at, name))
        elif _is_text(kind):
            yield (*at, name)


def _set(data: Any, path: Path_, value: str) -> None:
    """Put `value` at `path`, creating an absent optional field or an empty list's item."""
    for part, after in itertools.pairwise(path):
        if isinstance(after, int) and not data.get(part):
            data[part] = []
        data = data[part]
    if isinstance(path[-1], int) and len(data) <= path[-1]:
        data.append(value)
    else:
        data[path[-1]] = value


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _line_of(text: str, path: Path_) -> int:
    """The 1-based line of the value at `path`, read independently of the project's loader."""
    node = yaml.compose(text)
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(value for key, value in node.value if key.value == part)
    return node.start_mark.line + 1


# --- one attacked copy of the content and the clinic -------------------------------------


@dataclass(frozen=True)
class Target:
    """One attacked file: what it is, where it is, and the data path of its record."""

    model: type[BaseModel]
    file: Path
    prefix: Path_  # where the record sits in the file: () for a whole-file record


def _targets(content: Path, clinic: Path) -> list[Target]:
    return [
        Target(Condition, content / "conditions" / f"{CONDITION}.yml", ()),
        Target(Region, content / "vocabularies" / "regions.yml", (REGION,)),
        Target(ClinicFile, clinic / "clinic.yml", ()),
    ]


def _attack(target: Target, payload: str, keep: set[Path_]) -> tuple[list[Path_], str]:
    """Write `payload` into every string field except `keep`; return the attacked paths."""
    whole = yaml.safe_load(target.file.read_text(encoding="utf-8"))
    record = _get(whole, target.prefix) if target.prefix else whole
    fields = list(string_fields(target.model, record))
    attacked = [path for path in fields if path not in keep]
    for path in attacked:
        _set(record, path, payload)
    text = yaml.safe_dump(whole, allow_unicode=True, sort_keys=False, width=10_000)
    target.file.write_text(text, encoding="utf-8")
    return attacked, text


def _fresh_copy(root: Path) -> tuple[Path, Path]:
    content, clinic = root / "content", root / "clinic"
    shutil.copytree(CONTENT_DIR, content)
    shutil.copytree(EXAMPLE_CLINIC, clinic)
    return content, clinic


def _problems(content: Path, clinic: Path) -> list[Problem]:
    book, problems = check_content(content)
    if book is None:
        return problems
    # The clinic is checked against the unattacked handbook, so its own rules all run.
    clean, _ = check_content(CONTENT_DIR)
    assert clean is not None
    _clinic, clinic_problems = load_clinic_for(clean, clinic)
    return problems + clinic_problems


def _refused(
    target: Target, text: str, attacked: list[Path_], problems: list[Problem]
) -> tuple[set[Path_], list[str]]:
    """Attacked fields with a problem at their own line, and problems found nowhere else."""
    name = target.file.name
    lines = {path: _line_of(text, (*target.prefix, *path)) for path in attacked}
    here = [p for p in problems if p.path.endswith(name)]
    refused = {path for path, line in lines.items() if any(p.line == line for p in here)}
    located = set(lines.values())
    stray = [str(p) for p in here if p.line not in located]
    return refused, stray


@dataclass(frozen=True)
class Attack:
    site: Path
    condition_text: str
    region_summary: str
    attacked: dict[str, list[Path_]]  # file name -> fields that carry the payload
    refused: dict[str, set[Path_]]  # file name -> fields that refused it at lint time


@pytest.fixture(scope="module")
def markup_attack(tmp_path_factory: pytest.TempPathFactory) -> Attack:
    """Lint with the payload everywhere; then, in a fresh copy, keep it wherever lint
    accepted it and build once."""
    content, clinic = _fresh_copy(tmp_path_factory.mktemp("lint"))
    written = [
        (target, *_attack(target, MARKUP, keep=set())) for target in _targets(content, clinic)
    ]
    problems = _problems(content, clinic)
    refused: dict[str, set[Path_]] = {}
    for target, attacked, text in written:
        refused[target.file.name], stray = _refused(target, text, attacked, problems)
        assert stray == [], f"{target.file.name}: problems away from any attacked field"

    root = tmp_path_factory.mktemp("build")
    content, clinic = _fresh_copy(root)
    carried = {
        target.file.name: _attack(target, MARKUP, keep=refused[target.file.name])[0]
        for target in _targets(content, clinic)
    }
    assert [str(p) for p in _problems(content, clinic)] == [], "accepted payloads lint clean"
    site = root / "site"
    result = build_site(site, HANDBOOK_CONTENT=str(content), HANDBOOK_CLINIC=str(clinic))
    assert result.returncode == 0, result.stdout + result.stderr
    book, _ = check_content(content)
    assert book is not None
    return Attack(
        site,
        (site / "conditions" / CONDITION / "index.html").read_text(encoding="utf-8"),
        book.regions[REGION].summary,
        carried,
        refused,
    )


# --- what lint must refuse ---------------------------------------------------------------


def test_fields_shown_as_titles_urls_or_codes_refuse_markup_at_their_line(
    markup_attack: Attack,
) -> None:
    """Titles, names, keys, colours, addresses and numbers refuse it; free text accepts it."""
    refused = {
        name: {".".join(map(str, p)) for p in paths}
        for name, paths in markup_attack.refused.items()
    }
    assert {"name", "aliases.0", "slug", "region", "red_flags.0.urgency"} <= refused[
        f"{CONDITION}.yml"
    ]
    assert {"summary", "symptoms.0", "urgent_notice"}.isdisjoint(refused[f"{CONDITION}.yml"])
    assert refused["regions.yml"] == {"name"}
    assert {
        "name",
        "short_name",
        "logo",
        "colours.primary",
        "contacts.booking_url",
        "emergency.emergency_number",
        "site_url",
        "extra_pages.0.title",
    } <= refused["clinic.yml"]
    assert {"contacts.phone", "contacts.address", "disclaimer"}.isdisjoint(refused["clinic.yml"])


def test_control_characters_are_refused_in_every_string_field(tmp_path: Path) -> None:
    """Invisible characters could forge what a line says; every field reports them, located."""
    content, clinic = _fresh_copy(tmp_path)
    targets = _targets(content, clinic)
    written = [(target, *_attack(target, CONTROL, keep=set())) for target in targets]
    problems = _problems(content, clinic)
    for target, attacked, text in written:
        refused, stray = _refused(target, text, attacked, problems)
        assert set(attacked) - refused == set(), f"{target.file.name}: accepted control characters"
        assert stray == []


# --- what the build must escape ----------------------------------------------------------


class _Markup(HTMLParser):
    """What a browser would treat as markup: elements, attributes and script text."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[str] = []
        self.script_addresses: list[str] = []
        self.script_text: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.script_addresses.append(f"<{tag} {name}={value}>")
        named = dict(attrs)
        if tag == "meta" and named.get("name"):
            self.meta[str(named["name"])] = named.get("content") or ""
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def _text_files(site: Path) -> Iterator[tuple[str, str]]:
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        try:
            yield file.relative_to(site).as_posix(), file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, wasm, zip and gzip: no browser reads them as text


def test_every_accepted_field_was_attacked(markup_attack: Attack) -> None:
    """The build below really carries the payload in the free-text fields of all three files."""
    carried = {
        name: {".".join(map(str, p)) for p in paths}
        for name, paths in markup_attack.attacked.items()
    }
    assert {"summary", "symptoms.0", "self_care.first_days.0", "exercises.0.dosage"} <= carried[
        f"{CONDITION}.yml"
    ]
    assert carried["regions.yml"] == {"summary"}
    assert {"contacts.phone", "contacts.address", "disclaimer"} <= carried["clinic.yml"]
    assert "&lt;script&gt;alert(" in markup_attack.condition_text  # shown, as text


def test_no_built_file_carries_the_payload_unescaped(markup_attack: Attack) -> None:
    """HTML, the manifest, the service worker, the sitemap, the search index, the CSS."""
    files = dict(_text_files(markup_attack.site))
    # The search records are gzip files of plain text; the test below covers them.
    assert {"manifest.webmanifest", "sw.js", "sitemap.xml"} <= set(files)
    leaks = [f"{name}: {raw!r}" for name, text in files.items() for raw in NEVER_RAW if raw in text]
    assert leaks == []


def test_no_page_gains_a_handler_a_script_or_a_javascript_address(markup_attack: Attack) -> None:
    for name, text in _text_files(markup_attack.site):
        if not name.endswith(".html"):
            continue
        found = _Markup()
        found.feed(text)
        assert found.handlers == [], name
        assert found.script_addresses == [], name
        assert not any("alert(" in script for script in found.script_text), name


def test_search_records_keep_the_payload_as_text_and_the_dialog_never_parses_it(
    markup_attack: Attack,
) -> None:
    """Pagefind keeps each page's text as plain text (the payload is searchable, as typed);
    the dialog splits an excerpt only at <mark> and shows every other piece as text."""
    records = indexed_pages(markup_attack.site).values()
    texts = [record["content"] for record in records if "alert(" in record["content"]]
    assert texts, "the payload should be searchable, as text"
    assert any("<script>alert(" in text for text in texts)
    node = shutil.which("node")
    assert node, "Node.js runs the dialog's excerpt code"
    excerpt = texts[0].replace("alert(", "<mark>alert</mark>(", 1)
    run = subprocess.run(
        [node, "--input-type=module", "-e", EXCERPT_PARTS, str(SEARCH_ENGINE), excerpt],
        capture_output=True,
        text=True,
        check=True,
    )
    parts = json.loads(run.stdout)
    assert "".join(part["text"] for part in parts) == excerpt.replace("<mark>", "").replace(
        "</mark>", ""
    )
    assert [part["text"] for part in parts if part["marked"]] == ["alert"]


SEARCH_ENGINE = PROJECT_ROOT / "docs" / "assets" / "javascripts" / "search" / "engine.mjs"
EXCERPT_PARTS = """
import { pathToFileURL } from "node:url";
const [engine, excerpt] = process.argv.slice(1);
const { excerptParts } = await import(pathToFileURL(engine));
console.log(JSON.stringify(excerptParts(excerpt)));
"""


def test_a_summary_with_quotes_is_the_page_description_exactly(markup_attack: Attack) -> None:
    """Quotes in a summary neither break the head nor lose a character."""
    condition = _Markup()
    condition.feed(markup_attack.condition_text)
    assert condition.meta["description"] == MARKUP
    region = _Markup()
    region.feed((markup_attack.site / "regions" / REGION / "index.html").read_text("utf-8"))
    assert region.meta["description"] == markup_attack.region_summary == MARKUP
