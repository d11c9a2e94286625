"""The domain rules: one pure function per rule code, over the model, returning findings.

``run`` applies them all, then the records' acknowledgements: a finding that a record
acknowledges (same rule, same record) with a reason and a source is kept apart, not counted as
an error; an acknowledgement that matches nothing, has no reason or names an unknown rule is
itself reported.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from . import kinds
from .findings import RULES, Finding, finding
from .kinds import citations
from .model import FactBase, Origin, Record
from .names import did_you_mean

RuleFn = Callable[[FactBase], Iterable[Finding]]
_RULES: list[RuleFn] = []


def rule(fn: RuleFn) -> RuleFn:
    _RULES.append(fn)
    return fn


def _at(record: Record, path: str, code: str, message: str) -> Finding:
    where: Origin = record.at(path)
    return finding(code, message, where.file, where.line, where.column, record.id)


def _ids(records: Iterable[Record]) -> dict[str, Record]:
    index: dict[str, Record] = {}
    for record in records:
        if record.id is not None:
            index.setdefault(record.id.lower(), record)
    return index


@rule
def duplicate_ids(base: FactBase) -> Iterator[Finding]:
    """OSC201: ids are unique within each kind of record, compared case-insensitively."""
    for name in base.kinds():
        seen: dict[str, Record] = {}
        for record in base.of(name):
            if record.id is None:
                continue
            key = record.id.lower()
            if key in seen:
                first = seen[key]
                yield _at(record, "id", "OSC201",
                          f"{record.kind} id '{record.id}' is already used at {first.at('id')}")
            else:
                seen[key] = record


# Did-you-mean compares a name with every id of its kind, so suggesting for every unknown reference
# is quadratic: the 100x base (bench/generate.py) with its sources renamed, 7,900 unknown
# references, took 37 s for `check`. Suggestions stop once this many ids have been compared in a
# run: thousands of suggestions on data of the shipped size, 83 at 100x, 8 at 1000x. (A fixed
# count of 100 still cost 5 s at 1000x: 50 ms a suggestion among 6,000 similar ids.)
COMPARED = 50_000


@rule
def references(base: FactBase) -> Iterator[Finding]:
    """One rule for every field that names a record (declared with ``ref`` in the registry): the
    id resolves to a record of that kind. The code is the referenced kind's (OSC202 city, OSC203
    agency, OSC204 source, ...), so that codes stay stable as kinds are added."""
    known = {name: _ids(base.of(name)) for name in kinds.KINDS}
    compared = 0
    for record in base.records():
        for path, target, wanted in kinds.references(record):
            if wanted.lower() not in known[target]:
                hint = ""
                if compared + len(known[target]) <= COMPARED:
                    compared += len(known[target])
                    hint = did_you_mean(wanted, known[target])
                yield _at(record, path, kinds.KINDS[target].missing,
                          f"{record.kind} '{record.id}' names unknown {target} '{wanted}'{hint}")


@rule
def provenance(base: FactBase) -> Iterator[Finding]:
    """OSC301, OSC302: every record and every quotation names its source."""
    for record in base.records():
        if record.kind != "source" and not record.sources:
            yield _at(record, "sources", "OSC301", f"{record.kind} '{record.id}' cites no source")
        for index, quote in enumerate(getattr(record, "quotes", ())):
            if not quote.source:
                yield _at(record, f"quotes.{index}", "OSC302",
                          f"quotation {index + 1} of {record.kind} '{record.id}' names no source")


@rule
def unused_sources(base: FactBase) -> Iterator[Finding]:
    """OSC303: a source nobody cites is probably a lost reference."""
    cited = {source.lower() for record in base.records() for _, source in citations(record)}
    for source in base.of("source"):
        if source.id is not None and source.id.lower() not in cited:
            yield _at(source, "id", "OSC303", f"source '{source.id}' is cited by no record")


@rule
def areas_in_primary_cities(base: FactBase) -> Iterator[Finding]:
    """OSC401: a showcase area is an area in a primary outsourcing city."""
    cities = _ids(base.of("city"))
    for area in base.of("area"):
        city = cities.get((area.city or "").lower())
        if city is not None and city.primary_outsourcing_city is False:
            yield _at(area, "city", "OSC401",
                      f"showcase area '{area.id}' is in '{city.id}', which is not a primary outsourcing city")


def run(base: FactBase, load_findings: Iterable[Finding] = ()) -> list[Finding]:
    """All findings, sorted; acknowledged ones carry their reason in ``acknowledged``."""
    raw = list(load_findings)
    for fn in _RULES:
        raw.extend(fn(base))
    return sorted(_apply_acknowledgements(base, raw), key=Finding.sort_key)


def _apply_acknowledgements(base: FactBase, findings: list[Finding]) -> list[Finding]:
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for index, item in enumerate(findings):
        if item.record is not None:
            by_key.setdefault((item.file, item.record, item.code), []).append(index)
    result = list(findings)
    for record in base.records():
        for index, ack in enumerate(record.acknowledgements):
            path = f"acknowledgements.{index}"
            if ack.rule is None:  # missing or not text: already reported by the schema
                continue
            if ack.rule not in RULES:
                result.append(_at(record, f"{path}.rule", "OSC503",
                                  f"acknowledgement names unknown rule '{ack.rule}'{did_you_mean(ack.rule, RULES)}"))
                continue
            if not ack.reason or not ack.sources:
                missing = "a reason" if not ack.reason else "a source for its reason"
                result.append(_at(record, path, "OSC501",
                                  f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' needs {missing}"))
                continue
            matches = by_key.get((record.origin.file, record.id, ack.rule), [])
            if not matches:
                result.append(_at(record, path, "OSC502",
                                  f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' matches no finding; remove it"))
            for match in matches:
                result[match] = result[match].replace(acknowledged=ack.reason)
    return result
