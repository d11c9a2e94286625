"""Lookups over a FactBase: by id (case-insensitive, with suggestions) and by relation. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from .model import FactBase, Record, ShowcaseArea, Source
from .names import closest
from .rules import source_citations

# command name -> (FactBase attribute, singular word)
KINDS: dict[str, tuple[str, str]] = {
    "cities": ("cities", "city"),
    "areas": ("areas", "area"),
    "policy": ("policies", "policy"),
    "agencies": ("agencies", "agency"),
    "terms": ("terms", "term"),
    "sources": ("sources", "source"),
}


class NotFound(LookupError):
    def __init__(self, word: str, wanted: str, suggestions: list[str]) -> None:
        super().__init__(f"no {word} '{wanted}'")
        self.word, self.wanted, self.suggestions = word, wanted, suggestions


def records(base: FactBase, kind: str) -> tuple[Record, ...]:
    return getattr(base, KINDS[kind][0])


def get(base: FactBase, kind: str, wanted: str) -> Record:
    items = records(base, kind)
    needle = wanted.strip().lower()
    for record in items:
        if record.id.lower() == needle:
            return record
    raise NotFound(KINDS[kind][1], wanted, closest(needle, [r.id for r in items]))


def areas_of(base: FactBase, city_id: str) -> list[ShowcaseArea]:
    return [a for a in base.areas if (a.city or "").lower() == city_id.lower()]


def sources_of(base: FactBase, record: Record) -> list[Source]:
    """Every source a record cites, in itself or in its parts, each once, in order of first citation."""
    index = {s.id: s for s in base.sources}
    seen: dict[str, Source] = {}
    for _, source_id in source_citations(record):
        if source_id in index and source_id not in seen:
            seen[source_id] = index[source_id]
    return list(seen.values())


@dataclass(frozen=True)
class Citing:
    kind: str
    id: str
    label: str


def cited_by(base: FactBase, source_id: str) -> list[Citing]:
    """The records that rely on a source, directly or through their quotes, statements, targets."""
    result = []
    for record in base.records():
        if record.kind == "source":
            continue
        if any(s.lower() == source_id.lower() for _, s in source_citations(record)):
            result.append(Citing(record.kind, record.id, label_of(record)))
    return result


def label_of(record: Record) -> str:
    for attr in ("name", "title", "term"):
        value = getattr(record, attr, None)
        if value:
            return value
    return record.id
