"""A JSON Schema of the data files, derived from the registry of kinds (``oscli schema``).

Editors that use yaml-language-server (VS Code's YAML extension, Neovim, Helix...) and
check-jsonschema validate and complete a data file with it as it is typed. It says what a schema
can say: each section's records, their fields and types, required fields, id patterns, the
vocabularies (choices, and the ids of vocabulary kinds such as titles), ranges, and no unknown
field (``additionalProperties: false``). What it cannot say is left to ``oscli check``: that a
reference names a record of another file, that a date exists in the calendar (2007-02-30), the
domain rules; the README lists them.

Draft-07, the draft yaml-language-server implements in full.
"""

from __future__ import annotations

from typing import Any

from ..domain import dates, kinds

DRAFT = "http://json-schema.org/draft-07/schema#"
ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # schema.ID_PATTERN, anchored
# YYYY, YYYY-MM or YYYY-MM-DD with a year from 1000 (the calendar itself is check's: 2007-02-30)
DATE = r"^[1-9][0-9]{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"
TEXT = r"\S"  # not empty, not only spaces (OSC105)


def _scalar(spec: kinds.Field, vocabularies: dict[str, list[str]]) -> dict[str, Any]:
    kind = spec.type
    if kind in ("text", "texts"):  # texts: a list of them (see _field)
        schema: dict[str, Any] = {"type": "string", "pattern": f"^(?:{spec.pattern})$" if spec.pattern else TEXT}
    elif kind in ("id", "ids"):
        target = spec.ref if spec.ref and not spec.ref.startswith("@") else None
        if target and vocabularies.get(target):
            schema = {"type": "string", "enum": list(vocabularies[target])}
        else:
            schema = {"type": "string", "pattern": ID}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind in ("int", "float", "number"):  # "number": an int or a float, kept as written (15 stays 15)
        schema = {"type": "integer" if kind == "int" else "number"}
        low = spec.minimum if spec.minimum is not None else (0 if kind == "int" else None)
        high = spec.maximum if spec.maximum is not None else (kinds.MAX_INT if kind != "float" else None)
        if low is not None:
            schema["minimum"] = low
        if high is not None:
            schema["maximum"] = high
    elif kind == "date":  # a bare year is a number in YAML
        return {
            "anyOf": [{"type": "string", "pattern": DATE}, {"type": "integer", "minimum": 1000, "maximum": 9999}],
            "description": f"{spec.description} ({dates.FORMS})".strip(),
        }
    elif kind == "url":
        schema = {"type": "string", "pattern": r"^https?://"}
    elif kind == "choice":
        schema = {"type": "string", "enum": list(spec.choices)}
    else:  # pragma: no cover - a new field type must be added here
        raise ValueError(f"no JSON Schema for field type {kind!r}")
    return schema


def _field(spec: kinds.Field, vocabularies: dict[str, list[str]]) -> dict[str, Any]:
    if spec.part is not None:
        schema: dict[str, Any] = {"type": "array", "items": {"$ref": f"#/definitions/part-{spec.part}"}}
    elif spec.one is not None:  # part:PART, one nested mapping
        schema = {"$ref": f"#/definitions/part-{spec.one}"}
    elif spec.type in ("ids", "texts"):
        schema = {"type": "array", "items": _scalar(spec, vocabularies)}
    else:
        schema = _scalar(spec, vocabularies)
    if spec.description and "description" not in schema:
        schema["description"] = spec.description
    if not spec.required:  # an optional field may be written as null (`date: null`: unknown)
        schema = {"anyOf": [schema, {"type": "null"}], "description": schema.get("description", "")}
    return schema


def _object(fields: tuple[kinds.Field, ...], vocabularies: dict[str, list[str]], title: str) -> dict[str, Any]:
    written = [f for f in fields if f.derived is None]
    schema: dict[str, Any] = {
        "title": title,
        "type": "object",
        "properties": {f.name: _field(f, vocabularies) for f in written},
        "additionalProperties": False,
    }
    required = [f.name for f in written if f.required]
    if required:
        schema["required"] = required
    return schema


def json_schema(vocabularies: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The schema every data file validates against: a mapping of sections (the kinds' plurals),
    each a list of records. ``vocabularies``: kind -> ids, for the kinds marked ``vocabulary``."""
    vocabularies = vocabularies or {}
    definitions: dict[str, Any] = {}
    for name, part in kinds.PARTS.items():
        definitions[f"part-{name}"] = _object(part.fields, vocabularies, name)
    sections: dict[str, Any] = {}
    for declared in kinds.KINDS.values():
        definitions[declared.name] = _object(declared.fields, vocabularies, declared.name)
        definitions[declared.name]["description"] = f"{declared.help} (in {declared.file})"
        sections[declared.plural] = {
            "type": "array",
            "items": {"$ref": f"#/definitions/{declared.name}"},
            "description": f"{declared.help} (in {declared.file})",
        }
    files = ", ".join(kinds.files())
    return {
        "$schema": DRAFT,
        "title": "oscli data file",
        "description": f"A data file of an oscli fact base ({files}): a mapping of sections, each a list of "
        "records. `oscli check` checks what a schema cannot: references between files, "
        "calendar dates and the domain rules.",
        "type": "object",
        "properties": sections,
        "additionalProperties": False,
        "definitions": definitions,
    }
