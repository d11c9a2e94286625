"""Lookups over a FactBase: by id (case-insensitive, with suggestions), by relation, filters and
sorting. Pure: no I/O, no rendering.

Every relation (a city's areas, a record's sources, a source's citing records) is read from one
``Index`` built in a single pass over the base, so that listing N records costs O(N), not O(N²).
"""

from __future__ import annotations

import re

from .frozen import Frozen
from .model import (Agency, City, FactBase, Policy, Record, ShowcaseArea, Source, Term,
                    source_citations)
from .names import closest

# command name -> (FactBase attribute, singular word, record class)
KINDS: dict[str, tuple[str, str, type[Record]]] = {
    "cities": ("cities", "city", City),
    "areas": ("areas", "area", ShowcaseArea),
    "policy": ("policies", "policy", Policy),
    "agencies": ("agencies", "agency", Agency),
    "terms": ("terms", "term", Term),
    "sources": ("sources", "source", Source),
}


class NotFound(LookupError):
    def __init__(self, word: str, wanted: str, suggestions: list[str]) -> None:
        super().__init__(f"no {word} '{wanted}'")
        self.word, self.wanted, self.suggestions = word, wanted, suggestions


class Citing(Frozen):
    kind: str
    id: str
    label: str


class Index:
    """Every lookup a command needs, built once per fact base in time linear in its size."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self.by_id: dict[str, dict[str, Record]] = {}
        for kind, (attr, _, _) in KINDS.items():
            table: dict[str, Record] = {}
            for record in getattr(base, attr):
                if record.id is not None:
                    table.setdefault(record.id.lower(), record)
            self.by_id[kind] = table
        self.areas_by_city: dict[str, list[ShowcaseArea]] = {}
        for area in base.areas:
            self.areas_by_city.setdefault((area.city or "").lower(), []).append(area)
        self.citing: dict[str, list[Citing]] = {}
        for record in base.records():
            if record.kind == "source":
                continue
            cited = {source.lower() for _, source in source_citations(record)}
            for source_id in cited:
                self.citing.setdefault(source_id, []).append(Citing(record.kind, record.id, label_of(record)))


_LAST: tuple[FactBase, Index] | None = None


def index(base: FactBase) -> Index:
    """The index of ``base``; a command works on one base, so the last one built is kept."""
    global _LAST
    if _LAST is None or _LAST[0] is not base:
        _LAST = (base, Index(base))
    return _LAST[1]


def records(base: FactBase, kind: str) -> tuple[Record, ...]:
    return getattr(base, KINDS[kind][0])


def get(base: FactBase, kind: str, wanted: str) -> Record:
    needle = wanted.strip().lower()
    found = index(base).by_id[kind].get(needle)
    if found is None:
        raise NotFound(KINDS[kind][1], wanted, closest(needle, [r.id for r in records(base, kind)]))
    return found


def areas_of(base: FactBase, city_id: str) -> list[ShowcaseArea]:
    return index(base).areas_by_city.get(city_id.lower(), [])


def sources_of(base: FactBase, record: Record) -> list[Source]:
    """Every source a record cites, in itself or in its parts, each once, in order of first citation."""
    known = index(base).by_id["sources"]
    seen: dict[str, Source] = {}
    for _, source_id in source_citations(record):
        key = source_id.lower()
        if key in known and key not in seen:
            seen[key] = known[key]
    return list(seen.values())


def cited_by(base: FactBase, source_id: str) -> list[Citing]:
    """The records that rely on a source, directly or through their quotes, statements, targets."""
    return index(base).citing.get(source_id.lower(), [])


def label_of(record: Record) -> str:
    for attr in ("name", "title", "term"):
        value = getattr(record, attr, None)
        if value:
            return value
    return record.id


# -- filters and sorting -----------------------------------------------------------------------


class UnknownValue(LookupError):
    """A filter names a value that no record has (a misspelt province, an unknown city)."""

    def __init__(self, option: str, wanted: str, known: list[str]) -> None:
        super().__init__(f"no record has {option} '{wanted}'")
        self.option, self.wanted = option, wanted
        self.suggestions = closest(wanted.lower(), known)
        self.known = known


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def is_date_prefix(text: str) -> bool:
    return bool(_DATE.match(text))


def by_province(base: FactBase, items, province: str):
    """Cities in a province, matched case-insensitively by its English name."""
    known = sorted({c.province for c in base.cities if c.province})
    wanted = province.strip().lower()
    if wanted not in {p.lower() for p in known}:
        raise UnknownValue("province", province, known)
    return [c for c in items if (c.province or "").lower() == wanted]


def by_primary(items, primary: bool):
    return [c for c in items if c.primary_outsourcing_city is primary]


def by_city(base: FactBase, items, city: str):
    """Areas in a city, named by id or by English name, case-insensitively."""
    wanted = city.strip().lower()
    ids = {c.id.lower() for c in base.cities if c.id}
    by_name = {(c.name or "").lower(): c.id.lower() for c in base.cities if c.id}
    if wanted not in ids and wanted not in by_name:
        raise UnknownValue("city", city, sorted(c.id for c in base.cities if c.id))
    city_id = wanted if wanted in ids else by_name[wanted]
    return [a for a in items if (a.city or "").lower() == city_id]


def by_date(items, since: str | None = None, until: str | None = None):
    """Records dated within [since, until], compared at the precision given (2007 = all of 2007).

    An undated record is left out whenever a bound is given: its date is not known.
    """
    result = []
    for record in items:
        date = getattr(record, "date", None)
        if date is None:
            continue
        if since is not None and date[:len(since)] < since:
            continue
        if until is not None and date[:len(until)] > until:
            continue
        result.append(record)
    return result


def sortable_fields(kind: str) -> list[str]:
    """The fields a list can be sorted by: the record's single-valued fields."""
    cls = KINDS[kind][2]
    return [name for name in cls.fields() if name not in ("sources", "acknowledgements", "origin", "spans", "note")
            and not isinstance(cls._defaults.get(name), tuple)]


def sort_records(items, field: str | None, reverse: bool = False):
    """Sorted by ``field``, case-insensitively for text; records without a value always come last.

    Without a field, the records keep the data's order (reversed if asked).
    """
    if field is None:
        return list(reversed(items)) if reverse else list(items)
    present = [r for r in items if getattr(r, field, None) is not None]
    absent = [r for r in items if getattr(r, field, None) is None]

    def key(record):
        value = getattr(record, field)
        return value.lower() if isinstance(value, str) else value

    return sorted(present, key=key, reverse=reverse) + absent
