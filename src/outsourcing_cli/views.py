"""What each record looks like to the outside, derived from the registry of kinds and
independent of how it is drawn.

- ``to_dict``: the JSON contract (documented in the README). Keys never silently change: they
  are the kind's fields, in declaration order.
- ``rows``: a list as table headers and cells (the kind's default columns, or ``--fields``).
- ``document``: a show page as a neutral Document (title, label/value rows, sections) that the
  plain and Rich renderers both draw. It shows what the record has, in words a reader knows.
- ``search_dict``: the shape of one search hit.
"""

from __future__ import annotations

from typing import Any, Callable

from . import kinds, query
from .frozen import Frozen
from .model import FactBase, Part, Record

MISSING = "—"


class Marked(str):
    """Text with marked spans (a search match), which a terminal highlights; plain text elsewhere."""

    marks: tuple[tuple[int, int], ...] = ()

    def __new__(cls, text: str, marks) -> "Marked":
        value = super().__new__(cls, text)
        value.marks = tuple(marks)
        return value


# -- the JSON contract ----------------------------------------------------------------------------


def part_dict(part: Part) -> dict:
    spec = kinds.PARTS[part.part]
    return {f.name: (list(getattr(part, f.name)) if f.is_list else getattr(part, f.name)) for f in spec.fields}


def source_dict(source: Record) -> dict:
    """A source in full, as `source_records` holds it: its own (not derived, not nested) fields."""
    declared = kinds.KINDS["source"]
    return {f.name: getattr(source, f.name) for f in declared.data_fields if not f.nested and not f.is_list}


def _derived(base: FactBase, record: Record, spec: kinds.Field) -> Any:
    how = spec.derived
    if how.startswith("reverse:"):
        return [r.id for r in query.reverse(base, how[8:], record)]
    return DERIVED[how](base, record)


DERIVED: dict[str, Callable[[FactBase, Record], Any]] = {
    "source_records": lambda base, record: [source_dict(s) for s in query.sources_of(base, record)],
    "cited_by": lambda base, record: [{"type": c.kind, "id": c.id} for c in query.cited_by(base, record.id)],
}


def to_dict(base: FactBase, record: Record) -> dict:
    data: dict[str, Any] = {}
    for spec in kinds.KINDS[record.kind].fields:
        if spec.derived is not None:
            data[spec.name] = _derived(base, record, spec)
            continue
        value = getattr(record, spec.name)
        if spec.part is not None:
            data[spec.name] = [part_dict(p) for p in value]
        elif spec.is_list:
            data[spec.name] = list(value)
        else:
            data[spec.name] = value
    return data


def search_dict(hit, snippet: Marked) -> dict:
    """One search hit as JSON: what kind of record, which, where it matched, how well."""
    return {"type": hit.kind, "id": hit.id, "field": hit.field, "snippet": snippet, "score": hit.score}


SEARCH_FIELDS = ["type", "id", "field", "snippet", "score"]
SEARCH_DESCRIPTIONS = {
    "type": "the kind of record (city, area, policy, agency, term, source)",
    "id": "the record's id; `oscli <kind> show ID` shows it",
    "field": "the field that matched, as in the JSON (e.g. statements[4].text)",
    "snippet": "the matching text, shortened around the match",
    "score": "how well it matched, 0-100 (higher is better)",
}
SEARCH_COLUMNS = ["type", "id", "field", "snippet"]


def field_help(kind: str) -> list[tuple[str, str]]:
    """(field, what it holds) for `--fields help`."""
    if kind == "search":
        return [(name, SEARCH_DESCRIPTIONS[name]) for name in SEARCH_FIELDS]
    return [(f.name, f.description) for f in kinds.get(kind).fields]


def project(data: dict, fields: list[str] | None) -> dict:
    return data if fields is None else {f: data[f] for f in fields}


# -- tables -------------------------------------------------------------------------------------


def cell(value) -> str:
    """One value as table text: null as a dash, booleans as yes/no, lists joined by ', '."""
    if value is None or value == []:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):  # a nested object: its text, role or id
        return next((str(value[k]) for k in ("text", "role", "excerpt", "id", "rule") if value.get(k)), MISSING)
    return value if isinstance(value, str) else str(value)  # a str subclass keeps its highlights


def headers_for(kind: str, columns: list[str]) -> list[str]:
    if kind == "search":
        return [name.capitalize() if name != "id" else "ID" for name in columns]
    declared = kinds.get(kind)
    return [declared.field(c).table_header if declared.field(c) else c for c in columns]


def default_columns(kind: str) -> list[str]:
    return SEARCH_COLUMNS if kind == "search" else kinds.get(kind).columns


def rows(kind: str, dicts: list[dict], fields: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    columns = fields or default_columns(kind)
    return headers_for(kind, columns), [[cell(d[c]) for c in columns] for d in dicts]


# -- show pages --------------------------------------------------------------------------------


class Item(Frozen):
    text: str
    quote: bool = False  # an official statement, quoted word for word
    meta: str | None = None  # attribution or citation ids, shown after the text


class Section(Frozen):
    heading: str
    items: list


class Document:
    """A show page: a title, label/value rows, then sections of items."""

    def __init__(self, kind: str, id: str, title: str, fields: list[tuple[str, str]] | None = None) -> None:
        self.kind, self.id, self.title = kind, id, title
        self.fields: list[tuple[str, str]] = fields or []
        self.sections: list[Section] = []


def source_line(source: Record) -> str:
    """A source in one line: title, author, publisher, date, then the URL (no period after it)."""
    parts = [source.title or "[untitled]", source.author, source.publisher, source.date or "n.d."]
    text = ". ".join(p.rstrip(".") for p in parts if p) + "."
    return f"{text} {source.url}" if source.url else text


def _cites(ids) -> str:
    return "[" + ", ".join(ids) + "]" if ids else "[no source]"


def _agency_names(base: FactBase) -> dict[str, str]:
    return {a.id: a.abbr or a.id for a in base.of("agency")}


# How each kind of part reads on a show page: an Item per part.
PART_ITEMS: dict[str, Callable[[FactBase, Record, Part], Item]] = {
    "quote": lambda base, record, q: Item(
        q.text, quote=True, meta=(f"{q.speaker}, " if q.speaker else "") + f"as quoted in [{q.source}]"),
    "statement": lambda base, record, s: Item((f"{s.topic}: " if s.topic else "") + s.text, meta=_cites(s.sources)),
    "role": lambda base, record, d: Item(
        f"{', '.join(_agency_names(base).get(a, a) for a in d.agencies)}: {d.role}", meta=_cites(d.sources)),
    "acknowledgement": lambda base, record, a: Item(
        f"A known exception to rule {a.rule}: {a.reason or MISSING}", meta=_cites(a.sources)),
    "evidence": lambda base, record, e: Item(
        e.excerpt, quote=True,
        meta=", ".join(p for p in (f"[{e.source}]", e.locator, f"for {e.claim}" if e.claim else None) if p)),
}


def document(base: FactBase, record: Record) -> Document:
    declared = kinds.KINDS[record.kind]
    title = kinds.label_of(record)
    title_field = next((a for a in declared.label if getattr(record, a, None)), None)
    rows_: list[tuple[str, str]] = []
    sections: list[Section] = []
    for spec in declared.fields:
        if spec.name in ("id", "sources", title_field) or spec.derived in ("source_records", "cited_by"):
            continue
        if spec.part is not None:
            items = getattr(record, spec.name)
            if items:
                render = PART_ITEMS[spec.part]
                sections.append(Section(spec.shown_as, [render(base, record, p) for p in items]))
            continue
        value = _derived(base, record, spec) if spec.derived else getattr(record, spec.name)
        if value is None or value == () or value == []:
            continue  # what the record does not have is not printed
        if spec.section:
            sections.append(Section(spec.shown_as, [Item(value, meta=_cites(record.sources)
                                                         if spec.name != "note" else None)]))
        else:
            rows_.append((spec.shown_as, cell(list(value) if isinstance(value, tuple) else value)))
    doc = Document(record.kind, record.id, title, rows_)
    doc.sections.extend(sections)
    if record.kind == "source":
        users = query.cited_by(base, record.id)
        doc.sections.append(Section("Cited by", [Item(f"{c.kind} {c.id}: {c.label}") for c in users]
                                    or [Item("no record")]))
    else:
        doc.sections.append(Section("Sources", [
            Item(source_line(s), meta=f"[{s.id}]") for s in query.sources_of(base, record)
        ]))
    return doc


def fields_document(record: Record, data: dict, fields: list[str]) -> Document:
    """A show page of only the fields asked for (`show ID --fields a,b`), without sections."""
    return Document(record.kind, record.id, kinds.label_of(record), [(f, cell(data[f])) for f in fields])


# -- one claim (`cite --claim`) ----------------------------------------------------------------------


def claim_text(base: FactBase, record: Record, claim: query.Claim) -> str:
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
    spec = kinds.KINDS[record.kind].field(claim.field)
    value = claim.value
    return f"{kinds.label_of(record)}, {spec.shown_as}: {cell(list(value) if isinstance(value, tuple) else value)}"


def claim_dict(base: FactBase, record: Record, claim: query.Claim) -> dict:
    """One claim as JSON: the record, the claim's path and text, and one object per source and
    excerpt (a source without an excerpt once, with ``excerpt`` null)."""
    known = query.index(base).by_id["source"]
    sources = []
    for source_id in claim.sources:
        source = known.get(source_id.lower())
        if source is None:
            continue
        evidence = [e for e in claim.evidence if e.source.lower() == source_id.lower()] or [None]
        for entry in evidence:
            sources.append({**source_dict(source),
                            "excerpt": entry.excerpt if entry else None,
                            "locator": entry.locator if entry else None,
                            "stored": query.text_stored(source)})
    value = claim.value
    return {
        "record": {"type": record.kind, "id": record.id, "label": kinds.label_of(record)},
        "claim": claim.path,
        "field": claim.field,
        "text": claim_text(base, record, claim),
        "value": part_dict(value) if claim.index is not None else (list(value) if isinstance(value, tuple) else value),
        "sources": sources,
    }
