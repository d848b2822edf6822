"""Load every content file into one typed `Handbook`, collecting every problem.

A file that fails is reported and left out; the rest still load, so a single run
shows all problems in all files. Cross-file rules run afterwards in `macros/lint/content_rules.py`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from macros.content import calculator_model as rm
from macros.content import model as m
from macros.content.problems import Problem, display_path, shown
from macros.content.yaml_source import DataPath, SourceMap, YamlRefused, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = PROJECT_ROOT / "content"


@dataclass(frozen=True)
class Origin:
    """Where a record came from, so later rules can point back at it."""

    path: str
    smap: SourceMap
    prefix: DataPath = ()

    def at(self, *data_path: str | int, key: bool = False) -> tuple[str, int, int]:
        line, col = self.smap.locate((*self.prefix, *data_path), key=key)
        return self.path, line, col


@dataclass
class Handbook:
    """All content, validated. Dicts keep file order; conditions are sorted by name."""

    settings: m.SiteSettings
    regions: dict[str, m.Region] = field(default_factory=dict)
    tissues: dict[str, m.Tissue] = field(default_factory=dict)
    grades: dict[str, m.EvidenceGrade] = field(default_factory=dict)
    references: dict[str, m.Reference] = field(default_factory=dict)
    exercises: dict[str, m.Exercise] = field(default_factory=dict)
    protocols: dict[str, rm.Protocol] = field(default_factory=dict)
    self_checks: dict[str, rm.SelfCheckFamily] = field(default_factory=dict)
    conditions: dict[str, m.Condition] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    condition_files: dict[str, str] = field(default_factory=dict)

    def origin(self, kind: str, key: str) -> Origin:
        return self.origins[(kind, key)]

    def regions_in_order(self) -> list[tuple[str, m.Region]]:
        return sorted(self.regions.items(), key=lambda item: item[1].order)

    def conditions_in(self, region: str) -> list[m.Condition]:
        return [c for c in self.conditions.values() if c.region == region]


_ALL_FIELD_NAMES = sorted(
    {
        name
        for cls in vars(m).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
    }
)


def _describe_type(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def problems_from_validation(error: ValidationError, origin: Origin) -> Iterator[Problem]:
    """Translate pydantic's errors into located, coded messages a contributor can act on."""
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind = detail["type"]
        dotted = shown(".".join(str(part) for part in (*origin.prefix, *loc)) or "document")
        if kind == "missing":
            path, line, col = origin.at(*loc[:-1])
            yield Problem(path, line, col, "HB102", f"missing required field '{dotted}'")
        elif kind == "extra_forbidden":
            path, line, col = origin.at(*loc, key=True)
            hint = difflib.get_close_matches(str(loc[-1]), _ALL_FIELD_NAMES, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            yield Problem(path, line, col, "HB104", f"unknown key '{dotted}'{suggestion}")
        elif kind.startswith("date"):
            path, line, col = origin.at(*loc)
            yield Problem(
                path,
                line,
                col,
                "HB106",
                f"'{dotted}' is {shown(repr(detail['input']))}, not a date; write it as YYYY-MM-DD",
            )
        elif kind.endswith("_type") or kind in {"model_attributes_type", "is_instance_of"}:
            path, line, col = origin.at(*loc)
            yield Problem(
                path,
                line,
                col,
                "HB103",
                f"'{dotted}': {detail['msg'].lower()}, got {_describe_type(detail['input'])}",
            )
        else:
            path, line, col = origin.at(*loc)
            yield Problem(path, line, col, "HB105", f"'{dotted}': {detail['msg']}")


def read_yaml_file(path: Path, problems: list[Problem], root: Path) -> tuple[Any, Origin] | None:
    """Read one YAML file with locations; failures are problems (HB100, HB101, HB110-HB114)."""
    shown = display_path(path, root)
    try:
        data, smap = read_yaml(path)
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, "HB100", f"cannot read the file: {exc.strerror}"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(shown, 1, 1, "HB100", "the file is not UTF-8 text"))
        return None
    except YamlRefused as exc:
        problems.extend(Problem(shown, p.line, p.col, p.code, p.message) for p in exc.problems)
        return None
    return data, Origin(shown, smap)


def validate_record(
    cls: type[ModelT],
    data: Any,
    origin: Origin,
    problems: list[Problem],
    convert: Callable[[ValidationError, Origin], Iterable[Problem]] = problems_from_validation,
) -> ModelT | None:
    """Validate one record; its errors become located problems (by `convert`), never raised."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        problems.extend(convert(exc, origin))
        return None


def _load_mapping(
    path: Path, cls: type[ModelT], kind: str, *, book: Handbook, problems: list[Problem], root: Path
) -> dict[str, ModelT]:
    """A file of `key: record` entries, e.g. references.yml."""
    loaded = read_yaml_file(path, problems, root)
    if loaded is None:
        return {}
    data, origin = loaded
    if not isinstance(data, Mapping):
        problems.append(Problem(origin.path, 1, 1, "HB103", "the file should be a mapping of keys"))
        return {}
    records: dict[str, ModelT] = {}
    for key, value in data.items():
        entry_origin = Origin(origin.path, origin.smap, (key,))
        record = validate_record(cls, value, entry_origin, problems)
        if record is not None:
            records[key] = record
            book.origins[(kind, key)] = entry_origin
    return records


def _load_folder(
    folder: Path,
    cls: type[ModelT],
    kind: str,
    *,
    book: Handbook,
    problems: list[Problem],
    root: Path,
) -> dict[str, ModelT]:
    """A folder of one-record files whose key is the file name."""
    records: dict[str, ModelT] = {}
    for path in sorted(folder.glob("*.yml")):
        loaded = read_yaml_file(path, problems, root)
        if loaded is None:
            continue
        data, origin = loaded
        record = validate_record(cls, data, origin, problems)
        if record is not None:
            records[path.stem] = record
            book.origins[(kind, path.stem)] = origin
    return records


def load_handbook(content_dir: Path = CONTENT_DIR) -> tuple[Handbook | None, list[Problem]]:
    """Load and validate all content; return the handbook (None if unusable) and problems.

    Paths in problems are shown relative to the folder holding `content_dir`, as a
    contributor would type them (content/conditions/x.yml).
    """
    problems: list[Problem] = []
    root = content_dir.parent
    loaded = read_yaml_file(content_dir / "settings.yml", problems, root)
    settings = validate_record(m.SiteSettings, loaded[0], loaded[1], problems) if loaded else None
    if settings is None:
        return None, problems
    book = Handbook(settings=settings)
    vocab = content_dir / "vocabularies"
    mappings: list[tuple[str, Path, type[BaseModel], str]] = [
        ("regions", vocab / "regions.yml", m.Region, "region"),
        ("tissues", vocab / "tissues.yml", m.Tissue, "tissue"),
        ("grades", vocab / "evidence-grades.yml", m.EvidenceGrade, "grade"),
        ("references", content_dir / "references.yml", m.Reference, "reference"),
        ("exercises", content_dir / "exercises.yml", m.Exercise, "exercise"),
    ]
    for attribute, path, cls, kind in mappings:
        setattr(
            book, attribute, _load_mapping(path, cls, kind, book=book, problems=problems, root=root)
        )
    folders: list[tuple[str, Path, type[BaseModel], str]] = [
        ("protocols", content_dir / "protocols", rm.Protocol, "protocol"),
        ("self_checks", content_dir / "self-check", rm.SelfCheckFamily, "self_check"),
    ]
    for attribute, path, cls, kind in folders:
        setattr(
            book, attribute, _load_folder(path, cls, kind, book=book, problems=problems, root=root)
        )
    conditions = _load_folder(
        content_dir / "conditions",
        m.Condition,
        "condition-file",
        book=book,
        problems=problems,
        root=root,
    )
    # Keyed by file stem; lint checks that each condition's own slug matches it (HB501).
    book.condition_files = {stem: condition.slug for stem, condition in conditions.items()}
    book.conditions = dict(sorted(conditions.items(), key=lambda kv: kv[1].name.casefold()))
    return book, problems
