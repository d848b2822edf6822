"""JSON Schemas for editors, generated from the model so they can never disagree with it.

Content files start with a `yaml-language-server: $schema=` modeline pointing here, which
gives contributors completion and inline errors in VS Code and other editors.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, RootModel

from macros.content import model as m
from macros.content.loader import CONTENT_DIR

SCHEMA_DIR = CONTENT_DIR / "schema"


def _mapping_of(cls: type[BaseModel]) -> type[BaseModel]:
    # pydantic accepts a class chosen at run time as a type argument; a static checker cannot.
    return RootModel[dict[str, cls]]  # type: ignore[valid-type]


SCHEMAS: dict[str, type[BaseModel]] = {
    "condition.schema.json": m.Condition,
    "exercises.schema.json": _mapping_of(m.Exercise),
    "references.schema.json": _mapping_of(m.Reference),
}


def render_schema(cls: type[BaseModel], filename: str) -> str:
    schema = cls.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": filename,
        **schema,
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_schemas() -> dict[str, str]:
    return {name: render_schema(cls, name) for name, cls in SCHEMAS.items()}


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
