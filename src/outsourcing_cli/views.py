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


class Marked(str):
    """Text with marked spans (a search match), which a terminal highlights; plain text elsewhere."""

    marks: tuple[tuple[int, int], ...] = ()

    def __new__(cls, text: str, marks) -> "Marked":
        value = super().__new__(cls, text)
        value.marks = tuple(marks)
        return value


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


# Every field of each kind, in the JSON contract's order. A test keeps these equal to to_dict's keys.
FIELDS: dict[str, list[str]] = {
    "cities": ["id", "name", "name_zh", "province", "province_type", "primary_outsourcing_city",
               "showcase_areas", "note", "sources", "source_records"],
    "areas": ["id", "name", "name_zh", "city", "level", "established", "note", "acknowledgements",
              "sources", "source_records"],
    "policy": ["id", "title", "title_zh", "type", "date", "document_number", "speaker", "occasion",
               "designations", "quotes", "statements", "targets", "note", "sources", "source_records"],
    "agencies": ["id", "abbr", "name", "name_zh", "note", "sources", "source_records"],
    "terms": ["id", "term", "definition", "note", "sources", "source_records"],
    "sources": ["id", "title", "type", "author", "publisher", "date", "url", "accessed", "language",
                "note", "cited_by"],
    "search": ["type", "id", "field", "snippet", "score"],
}

# Fields whose values are lists of objects; every other field is text, a boolean, null or a list of ids.
NESTED = {"source_records", "acknowledgements", "designations", "quotes", "statements", "targets", "cited_by"}

DESCRIPTIONS: dict[str, str] = {
    "id": "the record's id (lower case, hyphens); `show` takes it",
    "name": "name in English",
    "name_zh": "name in Chinese",
    "province": "province or municipality",
    "province_type": "province, municipality or autonomous region",
    "primary_outsourcing_city": "true if a source lists it among the primary outsourcing cities",
    "showcase_areas": "ids of the showcase areas in the city",
    "city": "id of the city the area is in",
    "level": "level of the designation (state)",
    "established": "date established (ISO 8601)",
    "title": "title in English",
    "title_zh": "title in Chinese",
    "type": "kind of record (plan, speech, project, circular; article, web-page, ...)",
    "date": "date (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD)",
    "document_number": "official document number",
    "speaker": "who spoke",
    "occasion": "where or when it was said",
    "designations": "agencies and their roles: objects with role, agencies, sources",
    "quotes": "official statements quoted word for word: objects with text, source, speaker",
    "statements": "what the sources say of it: objects with topic, text, sources",
    "targets": "stated targets: objects with topic, text, sources",
    "abbr": "abbreviation",
    "term": "the term as the policy uses it",
    "definition": "the definition, in the source's words",
    "author": "author",
    "publisher": "publisher or website",
    "url": "address",
    "accessed": "date the page was read",
    "language": "language (ISO 639-1)",
    "note": "a note on the record",
    "acknowledgements": "check findings known and allowed: objects with rule, reason, sources",
    "sources": "ids of the sources the record cites",
    "source_records": "the cited sources in full: objects as in `sources show --json`",
    "cited_by": "the records that cite this source: objects with type and id",
    "field": "the field that matched",
    "snippet": "the matching text, shortened around the match",
    "score": "how well it matched, 0-100 (higher is better)",
}

HEADERS: dict[str, str] = {
    "id": "ID", "name": "Name", "name_zh": "Chinese", "province": "Province", "primary_outsourcing_city": "Primary",
    "showcase_areas": "Showcase areas", "city": "City", "level": "Level", "date": "Date", "type": "Type",
    "title": "Title", "abbr": "Abbr", "term": "Term", "definition": "Definition", "publisher": "Publisher",
    "field": "Field", "snippet": "Snippet", "score": "Score",
}

# The columns a table shows by default (every field is available with --fields).
COLUMNS: dict[str, list[str]] = {
    "cities": ["id", "name", "name_zh", "province", "primary_outsourcing_city", "showcase_areas"],
    "areas": ["id", "name", "name_zh", "city", "level"],
    "policy": ["id", "date", "type", "title"],
    "agencies": ["id", "abbr", "name", "name_zh"],
    "terms": ["id", "term", "definition"],
    "sources": ["id", "type", "publisher", "date", "title"],
    "search": ["type", "id", "field", "snippet"],
}


def flat_fields(kind: str) -> list[str]:
    """The fields a flat format (CSV) shows by default: all but lists of objects."""
    return [f for f in FIELDS[kind] if f not in NESTED]


def project(data: dict, fields: list[str] | None) -> dict:
    return data if fields is None else {f: data[f] for f in fields}


def cell(value) -> str:
    """One value as table text: null as a dash, booleans as yes/no, lists joined by ', '."""
    if value is None or value == []:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):  # a nested object: its text, role or id
        return next((str(value[k]) for k in ("text", "role", "id", "rule") if value.get(k)), MISSING)
    return value if isinstance(value, str) else str(value)  # a str subclass keeps its highlights


def rows(kind: str, dicts: list[dict], fields: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    columns = fields or COLUMNS[kind]
    return [HEADERS.get(c, c) for c in columns], [[cell(d[c]) for c in columns] for d in dicts]


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


def fields_document(record: Record, data: dict, fields: list[str]) -> Document:
    """A show page of only the fields asked for (`show ID --fields a,b`), without sections."""
    return Document(record.kind, record.id, query.label_of(record), [(f, cell(data[f])) for f in fields])
