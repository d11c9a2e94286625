"""``citations``: every source each record cites, with the claim it supports (see ``layout``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..domain import kinds
from ..domain.model import Record
from .fulltext import RECORDS
from .tables import Column, Table

if TYPE_CHECKING:
    # a row of citations: record, record_type, record_id, claim, path, source, excerpt, locator
    CitationRow = tuple[int, str, str, str | None, str, str, str | None, str | None]
    # how a field's citations are read: how ("ids", "one", "part" or "evidence"), the field, the claim
    # (ids, one) and the fields of its part that cite a source, each (name, a list?, claim suffix)
    Step = tuple[str, str, str | None, list[tuple[str, bool, str]]]


def _citations_table() -> Table:
    return Table(
        "citations",
        "Every source each record cites: in its sources, in its parts (quotes, statements, "
        "targets...) and in its evidence, with the claim each supports.",
        (
            Column(
                "record",
                "INTEGER",
                "the citing record's number (a foreign key to records)",
                True,
                RECORDS,
                key="number",
            ),
            Column("record_type", "TEXT", "the kind of the citing record", True),
            Column("record_id", "TEXT", "the citing record's id", True),
            Column(
                "claim",
                "TEXT",
                "what the source supports: a field (name_zh), a part (targets[3]) or, when null, the record as a whole",
            ),
            Column(
                "path",
                "TEXT",
                "where the citation is written in the record's JSON (sources[0], "
                "targets[3].sources[1], evidence[2].source, not_before_source)",
                True,
            ),
            Column("source", "TEXT", "the cited source's id (a foreign key to sources)", True, "sources"),
            Column("excerpt", "TEXT", "for a piece of evidence: the source's words, verbatim"),
            Column("locator", "TEXT", "for a piece of evidence: where in the source"),
        ),
        facets=("record_type", "source"),
    )


class _Citations:
    """The rows of ``citations`` for each record of one kind: the citations ``kinds.citations``
    finds, in its order, with JSON paths and claims worked out once per field rather than per record
    (the tests hold the two to the same result)."""

    def __init__(self, declared: kinds.Kind) -> None:
        self.kind = declared.name
        self.steps: list[Step] = []
        for spec in sorted(declared.data_fields, key=lambda f: f.name != "sources"):  # kinds.citations' order
            if spec.ref == "source":
                supported = spec.name[: -len("_source")] if spec.name.endswith("_source") else spec.name
                claim = (
                    (None if spec.name == "sources" else spec.name)
                    if spec.type == "ids"
                    else (supported if declared.field(supported) is not None else spec.name)
                )
                self.steps.append(("ids" if spec.type == "ids" else "one", spec.name, claim, []))
            elif spec.part is not None:
                part = kinds.PARTS[spec.part]
                inner: list[tuple[str, bool, str]] = []
                for pf in part.fields:
                    if pf.ref != "source":
                        continue
                    claimed = pf.name[: -len("_source")] if pf.name.endswith("_source") else None
                    suffix = f".{claimed}" if claimed and part.field(claimed) is not None else ""
                    inner.append((pf.name, pf.type == "ids", suffix))
                if inner:
                    self.steps.append(("evidence" if spec.part == "evidence" else "part", spec.name, None, inner))

    def rows(self, number: int, record: Record) -> Iterator[CitationRow]:
        kind, rid = self.kind, record.id
        for how, name, field_claim, detail in self.steps:
            value = getattr(record, name)
            if how == "ids":
                for index, source in enumerate(value):
                    yield number, kind, rid, field_claim, f"{name}[{index}]", source.lower(), None, None
            elif how == "one":
                if value is not None:
                    yield number, kind, rid, field_claim, name, value.lower(), None, None
            else:
                for p_index, item in enumerate(value):
                    for inner, many, suffix in detail:
                        got = getattr(item, inner)
                        if how == "evidence":
                            claim, excerpt, locator = item.claim, item.excerpt, item.locator
                        else:
                            claim, excerpt, locator = f"{name}[{p_index}]{suffix}", None, None
                        if many:
                            for s_index, source in enumerate(got):
                                yield (
                                    number,
                                    kind,
                                    rid,
                                    claim,
                                    f"{name}[{p_index}].{inner}[{s_index}]",
                                    source.lower(),
                                    excerpt,
                                    locator,
                                )
                        elif got is not None:
                            yield number, kind, rid, claim, f"{name}[{p_index}].{inner}", got.lower(), excerpt, locator


def json_path(dotted: str) -> str:
    """``targets.3.sources.0`` (as ``kinds.citations`` gives it) as the JSON path ``targets[3].sources[0]``."""
    out = ""
    for piece in dotted.split("."):
        out += f"[{piece}]" if piece.isdigit() else (f".{piece}" if out else piece)
    return out
