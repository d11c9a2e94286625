"""Facets: how many records have each value of a field (``list --count-by``), as Datasette counts
them. Pure. Imported only by a run that counts.
"""

from __future__ import annotations

from typing import Any

from . import kinds
from .fold import sort_text
from .names import BadOption, did_you_mean


def count_by(kind: str, dicts: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """How many records have each value of ``field`` (as Datasette's facets count): a list counts
    each of its items, a title held counts by title. Most frequent first, then by value."""
    valid = kinds.get(kind).field_names
    if field not in valid:
        raise BadOption(
            "--count-by", f"no field '{field}' in {kind}{did_you_mean(field, valid)} Fields: {', '.join(valid)}."
        )
    spec = kinds.get(kind).field(field)
    if spec is not None and spec.part is not None and not _FACET_KEYS & {f.name for f in kinds.PARTS[spec.part].fields}:
        _no_facet(kind, field, [f.name for f in kinds.PARTS[spec.part].fields])
    counts: dict[Any, int] = {}
    for data in dicts:
        value = data[field]
        items = value if isinstance(value, list) else [value]
        for item in items:  # (what the registry cannot tell: a derived list of objects)
            if isinstance(item, dict) and not _FACET_KEYS & set(item):
                _no_facet(kind, field, list(item))
        for item in dict.fromkeys(_facet_value(v) for v in items) if items else [None]:
            counts[item] = counts.get(item, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, sort_text(str(kv[0]))))
    return [{field: value, "count": count} for value, count in ordered]


_FACET_KEYS = {"id", "title", "text"}  # what an object in a list is counted by (_facet_value's order)


def _no_facet(kind: str, field: str, keys: list[str]) -> None:
    """A list of objects with nothing to count them by (evidence: source, claim, excerpt...): refused,
    not counted as if every record had none."""
    raise BadOption(
        "--count-by",
        f"'{field}' of {kind} is a list of objects ({', '.join(keys)}) with no id, title "
        f"or text to count by; count by one of its record's other fields, or list them "
        f"with --fields {field} --json.",
    )


def _facet_value(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("id") or value.get("title") or value.get("text")  # a source record by its id, not its title
    return value
