"""What each record looks like to the outside, independent of how it is drawn.

- ``to_dict``: the JSON contract (documented in the README). Keys never silently change.
- ``COLUMNS``: the columns of each list, as (header, key into ``to_dict``).
- ``document``: a show page as a neutral Document (title, fields, sections) that the plain
  and Rich renderers both draw.
"""

from __future__ import annotations

from . import query
from .frozen import Frozen
from .model import FactBase, Record, Source

MISSING = "—"


def source_dict(source: Source) -> dict:
    return {
        "id": source.id,
        "title": source.title,
        "type": source.type,
        "author": source.author,
        "publisher": source.publisher,
        "date": source.date,
        "url": source.url,
        "accessed": source.accessed,
        "language": source.language,
        "note": source.note,
    }


def _acks(record: Record) -> list[dict]:
    return [{"rule": a.rule, "reason": a.reason, "sources": list(a.sources)} for a in record.acknowledgements]


def _statements(items) -> list[dict]:
    return [{"topic": s.topic, "text": s.text, "sources": list(s.sources)} for s in items]


def to_dict(base: FactBase, record: Record) -> dict:
    kind = record.kind
    if kind == "source":
        data = source_dict(record)
        data["cited_by"] = [{"type": c.kind, "id": c.id} for c in query.cited_by(base, record.id)]
        return data
    if kind == "city":
        data = {
            "id": record.id, "name": record.name, "name_zh": record.name_zh, "province": record.province,
            "province_type": record.province_type, "primary_outsourcing_city": record.primary_outsourcing_city,
            "showcase_areas": [a.id for a in query.areas_of(base, record.id)], "note": record.note,
        }
    elif kind == "area":
        data = {
            "id": record.id, "name": record.name, "name_zh": record.name_zh, "city": record.city,
            "level": record.level, "established": record.established, "note": record.note,
            "acknowledgements": _acks(record),
        }
    elif kind == "policy":
        data = {
            "id": record.id, "title": record.title, "title_zh": record.title_zh, "type": record.type,
            "date": record.date, "document_number": record.document_number, "speaker": record.speaker,
            "occasion": record.occasion,
            "designations": [{"role": d.role, "agencies": list(d.agencies), "sources": list(d.sources)}
                             for d in record.designations],
            "quotes": [{"text": q.text, "source": q.source, "speaker": q.speaker} for q in record.quotes],
            "statements": _statements(record.statements), "targets": _statements(record.targets),
            "note": record.note,
        }
    elif kind == "agency":
        data = {"id": record.id, "abbr": record.abbr, "name": record.name, "name_zh": record.name_zh,
                "note": record.note}
    elif kind == "term":
        data = {"id": record.id, "term": record.term, "definition": record.definition, "note": record.note}
    else:  # pragma: no cover - every kind is listed above
        raise ValueError(kind)
    data["sources"] = list(record.sources)
    data["source_records"] = [source_dict(s) for s in query.sources_of(base, record)]
    return data


COLUMNS: dict[str, list[tuple[str, str]]] = {
    "cities": [("ID", "id"), ("Name", "name"), ("Chinese", "name_zh"), ("Province", "province"),
               ("Primary", "primary_outsourcing_city"), ("Showcase areas", "showcase_areas")],
    "areas": [("ID", "id"), ("Name", "name"), ("Chinese", "name_zh"), ("City", "city"), ("Level", "level")],
    "policy": [("ID", "id"), ("Date", "date"), ("Type", "type"), ("Title", "title")],
    "agencies": [("ID", "id"), ("Abbr", "abbr"), ("Name", "name"), ("Chinese", "name_zh")],
    "terms": [("ID", "id"), ("Term", "term"), ("Definition", "definition")],
    "sources": [("ID", "id"), ("Type", "type"), ("Publisher", "publisher"), ("Date", "date"), ("Title", "title")],
}


def cell(value) -> str:
    """One value as table text: null as a dash, booleans as yes/no, lists joined by ', '."""
    if value is None or value == []:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    return str(value)


def rows(base: FactBase, kind: str, items) -> tuple[list[str], list[list[str]]]:
    columns = COLUMNS[kind]
    dicts = [to_dict(base, r) for r in items]
    return [h for h, _ in columns], [[cell(d[key]) for _, key in columns] for d in dicts]


# -- show pages --------------------------------------------------------------------------------


class Item(Frozen):
    text: str
    quote: bool = False  # an official statement, quoted word for word
    meta: str | None = None  # attribution or citation ids, shown after the text


class Section(Frozen):
    heading: str
    items: list


class Document:
    """A show page: a title, label/value fields, then sections of items."""

    def __init__(self, kind: str, id: str, title: str, fields: list[tuple[str, str]] | None = None) -> None:
        self.kind, self.id, self.title = kind, id, title
        self.fields: list[tuple[str, str]] = fields or []
        self.sections: list[Section] = []


def source_line(source: Source) -> str:
    """A source in one line: title, author, publisher, date, then the URL (no period after it)."""
    parts = [source.title or "[untitled]", source.author, source.publisher, source.date or "n.d."]
    text = ". ".join(p.rstrip(".") for p in parts if p) + "."
    return f"{text} {source.url}" if source.url else text


def _cites(ids) -> str:
    return "[" + ", ".join(ids) + "]" if ids else "[no source]"


def document(base: FactBase, record: Record) -> Document:
    data = to_dict(base, record)
    skip = {"id", "sources", "quotes", "statements", "targets", "designations", "acknowledgements",
            "cited_by", "note"}
    if record.kind in ("policy", "source"):
        skip.add("title")
    if record.kind == "term":
        skip.add("definition")
    fields = [(key, cell(value)) for key, value in data.items() if key not in skip]
    doc = Document(record.kind, record.id, query.label_of(record), fields)
    if record.kind == "term":
        doc.sections.append(Section("Definition", [Item(record.definition or MISSING, meta=_cites(record.sources))]))
    if getattr(record, "quotes", ()):
        doc.sections.append(Section("Quoted statements", [
            Item(q.text, quote=True, meta=(f"{q.speaker}, " if q.speaker else "") + f"as quoted in [{q.source}]")
            for q in record.quotes
        ]))
    if getattr(record, "designations", ()):
        names = {a.id: a.abbr or a.id for a in base.agencies}
        doc.sections.append(Section("Agencies", [
            Item(f"{', '.join(names.get(a, a) for a in d.agencies)}: {d.role}", meta=_cites(d.sources))
            for d in record.designations
        ]))
    for heading, attr in (("What the sources say", "statements"), ("Targets", "targets")):
        items = getattr(record, attr, ())
        if items:
            doc.sections.append(Section(heading, [
                Item((f"{s.topic}: " if s.topic else "") + s.text, meta=_cites(s.sources)) for s in items
            ]))
    if record.note:
        doc.sections.append(Section("Note", [Item(record.note)]))
    for ack in record.acknowledgements:
        doc.sections.append(Section(f"Acknowledged finding {ack.rule}", [
            Item(ack.reason or MISSING, meta=_cites(ack.sources))
        ]))
    if record.kind == "source":
        users = query.cited_by(base, record.id)
        doc.sections.append(Section("Cited by", [Item(f"{c.kind} {c.id}: {c.label}") for c in users]
                                    or [Item("no record")]))
    else:
        doc.sections.append(Section("Sources", [
            Item(source_line(s), meta=f"[{s.id}]") for s in query.sources_of(base, record)
        ]))
    return doc
