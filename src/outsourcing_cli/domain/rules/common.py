"""What every family of rules shares: a rule's type, and a finding at a record's field."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings import Finding, finding
from ..model import FactBase, Origin, Record

RuleFn = Callable[[FactBase], Iterable[Finding]]


def _at(record: Record, path: str, code: str, message: str) -> Finding:
    where: Origin = record.at(path)
    return finding(code, message, where.file, where.line, where.column, record.id)


def _ids(records: Iterable[Record]) -> dict[str, Record]:
    index: dict[str, Record] = {}
    for record in records:
        if record.id is not None:
            index.setdefault(record.id.lower(), record)
    return index
