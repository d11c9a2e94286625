"""The fact base as plain, frozen values. No I/O, no YAML, no rendering.

Every record keeps where it was read (``origin``) and where each of its fields was read
(``spans``, keyed by dotted path such as ``sources.1`` or ``quotes.0.text``), so that any rule
can point at the exact line and column. Both are left out of equality.
"""

from __future__ import annotations

from typing import Mapping, Optional

from .frozen import Frozen

_NO_SPANS: Mapping[str, tuple[int, int]] = {}  # the default for records built by hand; never mutated


class Origin(Frozen):
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Record(Frozen):
    """Fields every record shares."""

    id: str
    sources: tuple[str, ...] = ()
    note: Optional[str] = None
    acknowledgements: tuple["Acknowledgement", ...] = ()
    origin: Origin = Origin("?", 1, 1)
    spans: Mapping[str, tuple[int, int]] = _NO_SPANS
    _no_compare = ("origin", "spans")

    kind = "record"  # overridden by each record type: the word used in messages and JSON

    def at(self, path: str) -> Origin:
        """Where the field at ``path`` was read; the nearest enclosing field, else the record."""
        while path:
            if path in self.spans:
                line, column = self.spans[path]
                return Origin(self.origin.file, line, column)
            path = path.rpartition(".")[0]
        return self.origin


class Acknowledgement(Frozen):
    """A finding this record is known and allowed to raise, with the reason and its source."""

    rule: str
    reason: Optional[str]
    sources: tuple[str, ...] = ()


class Source(Record):
    kind = "source"
    title: Optional[str] = None
    type: Optional[str] = None  # article, web-page, legal-text, report, general-reference
    author: Optional[str] = None
    publisher: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    accessed: Optional[str] = None
    language: Optional[str] = None


class Agency(Record):
    kind = "agency"
    abbr: Optional[str] = None
    name: Optional[str] = None
    name_zh: Optional[str] = None


class City(Record):
    kind = "city"
    name: Optional[str] = None
    name_zh: Optional[str] = None
    province: Optional[str] = None
    province_type: Optional[str] = None
    primary_outsourcing_city: Optional[bool] = None


class ShowcaseArea(Record):
    kind = "area"
    name: Optional[str] = None
    name_zh: Optional[str] = None
    city: Optional[str] = None
    level: Optional[str] = None
    established: Optional[str] = None


class Quote(Frozen):
    """Words quoted verbatim from an official statement, and the source that prints them."""

    text: str
    source: Optional[str]
    speaker: Optional[str] = None


class Statement(Frozen):
    """Something a source says of a policy, in the source's words; not a quotation."""

    text: str
    sources: tuple[str, ...] = ()
    topic: Optional[str] = None


class Designation(Frozen):
    """The role some agencies play in a policy, as a source states it."""

    role: str
    agencies: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class Policy(Record):
    kind = "policy"
    title: Optional[str] = None
    title_zh: Optional[str] = None
    type: Optional[str] = None  # plan, speech, project, circular, notice
    date: Optional[str] = None
    document_number: Optional[str] = None
    speaker: Optional[str] = None
    occasion: Optional[str] = None
    designations: tuple[Designation, ...] = ()
    quotes: tuple[Quote, ...] = ()
    statements: tuple[Statement, ...] = ()
    targets: tuple[Statement, ...] = ()


class Term(Record):
    kind = "term"
    term: Optional[str] = None
    definition: Optional[str] = None


class FactBase(Frozen):
    sources: tuple[Source, ...] = ()
    agencies: tuple[Agency, ...] = ()
    cities: tuple[City, ...] = ()
    areas: tuple[ShowcaseArea, ...] = ()
    policies: tuple[Policy, ...] = ()
    terms: tuple[Term, ...] = ()

    def collections(self) -> dict[str, tuple[Record, ...]]:
        return {
            "sources": self.sources,
            "agencies": self.agencies,
            "cities": self.cities,
            "areas": self.areas,
            "policies": self.policies,
            "terms": self.terms,
        }

    def records(self):
        for records in self.collections().values():
            yield from records


def source_citations(record: Record):
    """(path, source id) for every source a record cites, in the record and its parts."""
    for index, source in enumerate(record.sources):
        yield f"sources.{index}", source
    for part in ("quotes", "statements", "targets", "designations", "acknowledgements"):
        for p_index, item in enumerate(getattr(record, part, ())):
            if part == "quotes":
                if item.source is not None:
                    yield f"{part}.{p_index}.source", item.source
                continue
            for s_index, source in enumerate(item.sources):
                yield f"{part}.{p_index}.sources.{s_index}", source
