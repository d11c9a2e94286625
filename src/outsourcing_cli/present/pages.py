"""Show pages: a record as a neutral Document (a title, label/value rows, then sections of items)
that the plain and Rich renderers both draw. It shows what the record has, in words a reader
knows. Loaded only by `show` (and the MCP server's pages), through ``views``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..domain import dates, history, kinds, provisions, query
from ..domain.frozen import Frozen
from ..domain.index import index
from ..domain.model import FactBase, Part, Record
from .views import MISSING, _derived, _label_of, cell, label, part_dict, value_at

# -- show pages --------------------------------------------------------------------------------


class Item(Frozen):
    text: str
    quote: bool = False  # an official statement, quoted word for word
    meta: str | None = None  # attribution or citation ids, shown after the text
    original: str | None = None  # a quotation's words in the language it was said in (Chinese), beside the text


class Section(Frozen):
    heading: str
    items: list[Item]


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


def _cites(ids: Iterable[str] | None) -> str:
    return "[" + ", ".join(ids) + "]" if ids else "[no source]"


def _rule_name(code: str) -> str:
    from ..domain.findings import RULES

    rule = RULES.get(code)
    return rule.checks if rule else "unknown rule"


def _agency_names(base: FactBase) -> dict[str, str]:
    return {a.id: a.abbr or a.id for a in base.of("agency")}


# How each kind of part reads on a show page: an Item per part.
PART_ITEMS: dict[str, Callable[[FactBase, Record, Part], Item]] = {
    "quote": lambda base, record, q: Item(
        q.text,
        quote=True,
        meta=(f"{q.speaker}, " if q.speaker else "")
        + f"as quoted in [{q.source}]"
        + (
            f"; the Chinese as printed in [{q.text_zh_source}]"
            if q.text_zh and q.text_zh_source and q.text_zh_source != q.source
            else ""
        ),
        original=q.text_zh,
    ),
    "statement": lambda base, record, s: Item((f"{s.topic}: " if s.topic else "") + s.text, meta=_cites(s.sources)),
    "role": lambda base, record, d: Item(
        f"{', '.join(_agency_names(base).get(a, a) for a in d.agencies)}: {d.role}", meta=_cites(d.sources)
    ),
    "acknowledgement": lambda base, record, a: Item(
        f"A known exception to rule {a.rule} ({_rule_name(a.rule)}): {a.reason or MISSING}"
        + (f" {_resolution(base, record, a.rule)}" if _resolution(base, record, a.rule) else ""),
        meta=_cites(a.sources),
    ),
    "claim": lambda base, record, c: Item(
        c.claim
        + (
            " (the data follows this claim)"
            if getattr(record, "follows", None) and record.claims.index(c) + 1 == record.follows
            else ""
        ),
        meta=_cites(c.sources),
    ),
    "concern": lambda base, record, c: Item(f"{c.type} {c.id}: {_label_of(base, c.type, c.id)}"),
    "alias": lambda base, record, a: Item(a.name, meta=_cites(a.sources)),
    "evidence": lambda base, record, e: Item(
        e.excerpt,
        quote=True,
        meta=", ".join(p for p in (f"[{e.source}]", e.locator, f"for {e.claim}" if e.claim else None) if p),
    ),
}


def _titles_text(base: FactBase, holdings: list[dict[str, Any]]) -> str:
    parts = []
    for h in holdings:
        name = _label_of(base, "title", h["title"])
        grant = index(base).by_id["designation"].get(h["designation"].lower())
        since = f"since {h['since']}" if h["since"] else f"granted {dates.when(grant)}" if grant else ""
        parts.append(f"{name} ({h['status']}{', ' + since if since else ''})")
    return "; ".join(parts) if parts else "none"


def _history(base: FactBase, record: Record) -> list[Item]:
    items = []
    for event in history.designations_of(base, record.kind, record.id):
        details = [
            f"granted by {', '.join(_label_of(base, 'agency', a) for a in event.granted_by)}"
            if event.granted_by
            else None,
            event.ordinal,
            event.document,
        ]
        text = f"{dates.when(event)}: {_label_of(base, 'title', event.title)} {event.event}" + "".join(
            f"; {d}" for d in details if d
        )
        items.append(Item(text, meta=f"[{event.id}] " + _cites(event.sources)))
    return items


def _provision_items(base: FactBase, record: Record, as_of: str | None) -> list[Item]:
    """A city's or area's provisions in force: what, for whom, from when, how it reaches the place."""
    items = []
    for provision, reach in provisions.in_force_for(base, record, as_of):
        how = (
            "nationwide"
            if reach.via == "nationwide"
            else f"as {_label_of(base, 'title', reach.title or '?').lower()}"
            if reach.via == "title"
            else f"named, as {_label_of(base, 'title', reach.title).lower()}"
            if reach.title
            else "named"
        )
        if reach.area:
            how += f", through {_label_of(base, 'area', reach.area)}"
        elif provisions.through_its_city(provision, record, reach):
            how = f"through its city {_label_of(base, 'city', record.city or '?')}: {how}"
        span = f"{provision.effective_from or 'start unknown'} to {provision.effective_until or 'no end stated'}"
        status = "" if reach.status == "held" else "possibly in force; "
        items.append(
            Item(
                f"{provision.benefit} ({status}{span}; {how})",
                meta=f"[{provision.id}] {provisions.document_of(base, provision)}",
            )
        )
    return items


def _chain_items(base: FactBase, record: Record) -> list[Item]:
    """The provisions a provision's chain joins, in date order, with what links each to another."""
    items = []
    for member in provisions.chain(base, record):
        linked = "; ".join(
            f"{word} {', '.join(ids)}"
            for word, ids in (("extends", member.extends), ("supersedes", member.supersedes))
            if ids
        )
        here = " (this provision)" if member.id == record.id else ""
        items.append(
            Item(
                f"{member.effective_from or 'start unknown'}: {member.id}{here}, "
                f"{provisions.document_of(base, member)}, {provisions.scope_text(member.scope)}"
                + (f"; {linked}" if linked else "")
            )
        )
    return items


def _disagreements(base: FactBase, record: Record) -> list[Item]:
    items = []
    for conflict in query.reverse(base, "conflict.concerns", record):
        followed = conflict.claims[conflict.follows - 1].claim if conflict.follows else "none of the claims"
        items.append(
            Item(
                f"Sources disagree: {conflict.question} The data follows: {followed}",
                meta=f"[{conflict.id}] `oscli conflicts show {conflict.id}`",
            )
        )
    return items


def _resolution(base: FactBase, record: Record, rule: str) -> str | None:
    """For a known exception, when it stopped being one, in plain words (OSC401: the city's title)."""
    found = history.resolved(base, record, rule)
    if found is None:
        return None
    city, later = found
    return (
        f"Resolved when {kinds.label_of(city)} became a {_label_of(base, 'title', later.title).lower()} "
        f"({dates.when(later)})."
    )


def _as_of(as_of: str | None) -> str:
    return "as of " + as_of if as_of else "as of the newest data"


def _cited_by(base: FactBase, record: Record) -> list[Item]:
    return [Item(f"{c.kind} {c.id}: {c.label}") for c in query.cited_by(base, record.id)] or [Item("no record")]


def _sources(base: FactBase, record: Record) -> list[Item]:
    return [Item(source_line(s), meta=f"[{s.id}]") for s in query.sources_of(base, record)]


# How a field declared with ``shown=NAME`` is drawn: its rows (label, text) and sections, in order.
Shown = Callable[[FactBase, Record, kinds.Field, "str | None"], "list[Section | tuple[str, str]]"]
SHOWN: dict[str, Shown] = {
    "history": lambda base, record, spec, as_of: [
        Section("History", items) for items in [_history(base, record)] if items
    ],
    "titles": lambda base, record, spec, as_of: [
        (f"Titles ({_as_of(as_of)})", _titles_text(base, _derived(base, record, spec, as_of)))
    ],
    "provisions": lambda base, record, spec, as_of: [
        Section(
            f"Provisions in force ({_as_of(as_of)})",
            _provision_items(base, record, as_of) or [Item("none in the data")],
        )
    ],
    "chain": lambda base, record, spec, as_of: (
        [Section("Chain", _chain_items(base, record))] if len(_derived(base, record, spec, as_of)) > 1 else []
    ),
    "disagreements": lambda base, record, spec, as_of: [
        Section("Sources disagree", items) for items in [_disagreements(base, record)] if items
    ],
    "sources": lambda base, record, spec, as_of: [Section("Sources", _sources(base, record))],
    "cited_by": lambda base, record, spec, as_of: [Section("Cited by", _cited_by(base, record))],
}


def document(base: FactBase, record: Record, as_of: str | None = None) -> Document:
    """The show page: a row or a section per field the record has, in declaration order, each as
    the registry declares it (``on_page``, ``shown``, ``section``) and its type asks."""
    declared = kinds.KINDS[record.kind]
    title = label(base, record)
    title_field = next((a for a in declared.label if getattr(record, a, None)), None)
    rows_: list[tuple[str, str]] = []
    sections: list[Section] = []
    for spec in declared.fields:
        if spec.name in ("id", "sources", title_field) or not spec.on_page:
            continue
        if spec.shown is not None:
            for drawn in SHOWN[spec.shown](base, record, spec, as_of):
                if isinstance(drawn, Section):
                    sections.append(drawn)
                else:
                    rows_.append(drawn)
            continue
        if spec.one is not None:
            value = getattr(record, spec.name)
            if value is not None:
                rows_.append((spec.shown_as, cell(part_dict(value))))
            continue
        if spec.type == "texts":  # a list of text (conditions): one item each, as commas may be in them
            if getattr(record, spec.name):
                sections.append(Section(spec.shown_as, [Item(t) for t in getattr(record, spec.name)]))
            continue
        if spec.part is not None:
            items = getattr(record, spec.name)
            if items:
                render = PART_ITEMS[spec.part]
                sections.append(Section(spec.shown_as, [render(base, record, p) for p in items]))
            continue
        value = _derived(base, record, spec, as_of) if spec.derived else getattr(record, spec.name)
        if value is None or value == () or value == []:
            continue  # what the record does not have is not printed
        if spec.section:
            sections.append(
                Section(spec.shown_as, [Item(value, meta=_cites(record.sources) if spec.name != "note" else None)])
            )
        elif spec.ref and spec.type == "id":  # "@FIELD": the kind that field names
            target = getattr(record, spec.ref[1:]) if spec.ref.startswith("@") else spec.ref
            rows_.append((spec.shown_as, f"{value} ({_label_of(base, target, value)})"))
        else:
            rows_.append((spec.shown_as, cell(list(value) if isinstance(value, tuple) else value)))
    doc = Document(record.kind, record.id, title, rows_)
    doc.sections.extend(sections)
    return doc


def fields_document(record: Record, data: dict[str, Any], fields: list[str]) -> Document:
    """A show page of only the fields asked for (`show ID --fields a,b`), without sections."""
    return Document(record.kind, record.id, kinds.label_of(record), [(f, cell(value_at(data, f))) for f in fields])
