"""One claim (`cite --claim`): what it says, in words, and as JSON with its sources and excerpts.
Loaded only by `cite` and the MCP server, through ``views``.
"""

from __future__ import annotations

from typing import Any

from ..domain import kinds
from ..domain.claims import Claim, claim_sources, text_stored
from ..domain.model import FactBase, Part, Record
from .views import cell, part_dict, source_dict


def claim_text(base: FactBase, record: Record, claim: Claim) -> str:
    """What the claim says, in words: a part's text, or the record's name and the field's value."""
    if claim.index is not None:
        part = claim.value
        spec = kinds.PARTS[part.part]
        text = getattr(part, spec.text) or ""
        agencies = getattr(part, "agencies", None)
        if agencies:
            abbr = {a.id: a.abbr or a.name for a in base.of("agency")}
            text = f"{', '.join(abbr.get(a, a) for a in agencies)}: {text}"
        return text
    field = kinds.KINDS[record.kind].field(claim.field)
    if field is None:  # claims are made from the kind's declared fields
        raise KeyError(claim.field)
    value = claim.value
    return f"{kinds.label_of(record)}, {field.shown_as}: {cell(list(value) if isinstance(value, tuple) else value)}"


def claim_dict(base: FactBase, record: Record, claim: Claim) -> dict[str, Any]:
    """One claim as JSON: the record, the claim's path and text, and one object per source and
    excerpt (a source without an excerpt once, with ``excerpt`` null)."""
    sources: list[dict[str, Any]] = []
    for source, evidence in claim_sources(base, claim):
        entries: list[Part | None] = [*evidence] or [None]  # a source without an excerpt: once
        sources.extend(
            {
                **source_dict(source),
                "excerpt": entry.excerpt if entry else None,
                "locator": entry.locator if entry else None,
                "stored": text_stored(source),
            }
            for entry in entries
        )
    value = claim.value
    return {
        "record": {"type": record.kind, "id": record.id, "label": kinds.label_of(record)},
        "claim": claim.path,
        "field": claim.field,
        "text": claim_text(base, record, claim),
        "value": part_dict(value) if claim.index is not None else (list(value) if isinstance(value, tuple) else value),
        "sources": sources,
    }
