"""The index of a fact base: every lookup a command needs (records by id, by name, by the records
that name them, the records that cite a source), each built on first use in one pass over the
records it concerns, so that listing N records costs O(N), not O(N²). Pure: no I/O, no rendering.

Below ``history``, ``provisions`` and ``query``, which all look records up through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import kinds
from .fold import name_key
from .frozen import Frozen
from .kinds import citations, label_of
from .model import FactBase, Record


class Citing(Frozen):
    kind: str
    id: str
    label: str


K = TypeVar("K")
V = TypeVar("V")


class _Lazy(dict[K, V]):
    """A dict whose missing keys are computed on first use (and kept)."""

    def __init__(self, make: Callable[[K], V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: K) -> V:
        value = self[key] = self._make(key)
        return value

    def get(self, key: K, default: Any = None) -> Any:
        return self[key] if key in kinds.KINDS or isinstance(key, tuple) or key in self else default


class Index:
    """Every lookup a command needs, each built on first use in one pass over the records it
    concerns: a run that lists cities never indexes the sources' citing records."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self._by_name: dict[tuple[str, bool], dict[str, list[Record]]] = {}
        self.by_id: dict[str, dict[str, Record]] = _Lazy(self._ids)
        self.reverse: dict[tuple[str, str], dict[str, list[Record]]] = _Lazy(self._reverse)
        self._citing: dict[str, list[Citing]] | None = None

    def _ids(self, kind: str) -> dict[str, Record]:
        table: dict[str, Record] = {}
        for record in self.base.of(kind):
            if record.id is not None:
                table.setdefault(record.id.lower(), record)
        return table

    def _reverse(self, key: tuple[str, str]) -> dict[str, list[Record]]:
        """'TARGETKIND:id' -> the records of KIND whose FIELD (or a part in it) names that record."""
        kind, field_name = key
        bucket: dict[str, list[Record]] = {}
        for record in self.base.of(kind):
            if record.id is None:
                continue
            for path, target, wanted in kinds.references(record):
                if path.partition(".")[0] != field_name:
                    continue
                hits = bucket.setdefault(f"{target}:{wanted.lower()}", [])
                if not hits or hits[-1] is not record:
                    hits.append(record)
        return bucket

    @property
    def citing(self) -> dict[str, list[Citing]]:
        if self._citing is None:
            citing: dict[str, list[Citing]] = {}
            for record in self.base.records():
                if record.kind == "source" or record.id is None:
                    continue
                for source_id in dict.fromkeys(s.lower() for _, s in citations(record)):
                    citing.setdefault(source_id, []).append(Citing(record.kind, record.id, label_of(record)))
            self._citing = citing
        return self._citing

    def by_name(self, kind: str, han: bool = False) -> dict[str, list[Record]]:
        """The records of a kind under each of their names (``name_key``) and aliases, built on
        first use; with ``han``, traditional Chinese characters folded to simplified (for a name
        typed in Chinese: folding loads OpenCC, which a name typed in Latin letters never needs)."""
        names = self._by_name.get((kind, han))
        if names is None:
            names = {}
            fields = kinds.KINDS[kind].fields
            named_by = [f.name for f in fields if f.name in NAME_FIELDS]
            aliased_by = [f.name for f in fields if f.part == "alias"]
            for record in self.base.of(kind):
                values = [getattr(record, attr) for attr in named_by]
                values += [alias.name for attr in aliased_by for alias in getattr(record, attr)]
                for value in values:
                    if value:
                        bucket = names.setdefault(name_key(value, han), [])
                        if record not in bucket:
                            bucket.append(record)
            self._by_name[(kind, han)] = names
        return names


# the fields whose values name a record for a reader (looked up by `show`, `--city`...)
NAME_FIELDS = ("name", "name_zh", "title", "title_zh", "term", "abbr")

_LAST: tuple[FactBase, Index] | None = None


def index(base: FactBase) -> Index:
    """The index of ``base``; a command works on one base, so the last one built is kept."""
    global _LAST
    if _LAST is None or _LAST[0] is not base:
        _LAST = (base, Index(base))
    return _LAST[1]
