"""Citations as CSL-JSON (the items citeproc, Zotero and Pandoc read)."""

from __future__ import annotations

import json
from typing import Any

from .cite_model import _DEFAULT_TYPES, _TYPES, Reference, _date_parts


def csl_item(ref: Reference) -> dict[str, Any]:
    item: dict[str, Any] = {"id": ref.id, "type": _TYPES.get(ref.kind, _DEFAULT_TYPES)[0]}
    if ref.title:
        item["title"] = ref.title
    if ref.authors:
        item["author"] = [{"literal": a} for a in ref.authors]
    if ref.date:
        item["issued"] = {"date-parts": [_date_parts(ref.date)]}
    # an outlet (newspaper, website) is the container the styles print; publisher only where it is not one
    publisher = None if ref.outlet else ref.publisher
    optional = (
        ("container-title", ref.outlet),
        ("publisher", publisher),
        ("original-publisher", ref.original),
        ("URL", ref.url or ref.via_url),
        ("number", ref.number),
        ("version", ref.version),
        ("event", ref.event),
        ("language", ref.language),
    )
    item.update({key: value for key, value in optional if value})
    if ref.accessed:
        item["accessed"] = {"date-parts": [_date_parts(ref.accessed)]}
    if ref.notes:
        item["note"] = "\n".join(ref.notes)
    return item


def to_csl_json(refs: list[Reference]) -> str:
    return json.dumps([csl_item(r) for r in refs], ensure_ascii=False, indent=2) + "\n"
