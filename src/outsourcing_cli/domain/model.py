"""The fact base as plain, frozen values. No I/O, no YAML, no rendering.

The record classes themselves are not written out here: each kind's class is made from its
declaration in the registry (``kinds``), so that a field is declared once. This module holds what
every record shares:

- ``Record``: ``id``, ``sources``, ``note``, ``acknowledgements``, ``evidence``, and where it was
  read: ``origin`` (file, line, column) and ``spans`` (where each field was read, keyed by dotted
  path such as ``sources.1`` or ``quotes.0.text``), both left out of equality;
- ``Part``: a value inside a record (a quote, a statement, an acknowledgement...);
- ``FactBase``: every record of a data directory, by kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from .frozen import Frozen

if TYPE_CHECKING:
    from typing import TypeVar

    _F = TypeVar("_F", bound=Frozen)

_NO_SPANS: Mapping[str, tuple[int, int]] = {}  # the default for records built by hand; never mutated


class PackedSpans(Mapping[str, tuple[int, int]]):
    """Where each field of a record was read, kept as the cache stores it ("path line column" lines)
    and unpacked only when asked: only `check`'s rules read positions, and a cache hit runs none."""

    __slots__ = ("_packed", "_spans")

    _spans: dict[str, tuple[int, int]] | None

    def __init__(self, packed: str) -> None:
        self._packed, self._spans = packed, None

    def _unpacked(self) -> dict[str, tuple[int, int]]:
        if self._spans is None:
            spans: dict[str, tuple[int, int]] = {}
            for line in self._packed.split("\n") if self._packed else ():
                path, row, column = line.rsplit(" ", 2)
                spans[path] = (int(row), int(column))
            self._spans = spans
        return self._spans

    def __getitem__(self, path: str) -> tuple[int, int]:
        return self._unpacked()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __contains__(self, path: object) -> bool:
        return path in self._unpacked()


def pack_spans(spans: Mapping[str, tuple[int, int]]) -> str:
    return "\n".join(f"{path} {line} {column}" for path, (line, column) in spans.items())


class Origin(Frozen):
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Part(Frozen):
    """A value inside a record; its class is made from a part declaration in ``kinds``."""

    part: ClassVar[str] = "part"

    if TYPE_CHECKING:
        # A part's own fields are declared at run time from ``kinds`` (make_class): to the type
        # checker they read as Any.
        def __getattr__(self, name: str) -> Any: ...


class Record(Frozen):
    """Fields every record shares; each kind's class adds its own (see ``kinds``)."""

    id: str
    sources: tuple[str, ...] = ()
    note: str | None = None
    acknowledgements: tuple[Part, ...] = ()
    evidence: tuple[Part, ...] = ()
    origin: Origin = Origin("?", 1, 1)
    spans: Mapping[str, tuple[int, int]] = _NO_SPANS
    _no_compare = ("origin", "spans")

    kind: ClassVar[str] = "record"  # the kind's singular name: the word used in messages and JSON

    if TYPE_CHECKING:
        # A kind's own fields (a city's ``name``, a policy's ``title``...) are declared at run time
        # from the registry in ``kinds`` (make_class): to the type checker they read as Any.
        def __getattr__(self, name: str) -> Any: ...

    def at(self, path: str) -> Origin:
        """Where the field at ``path`` was read; the nearest enclosing field, else the record."""
        while path:
            if path in self.spans:
                line, column = self.spans[path]
                return Origin(self.origin.file, line, column)
            path = path.rpartition(".")[0]
        return self.origin


def make_class(base: type[_F], name: str, fields: list[tuple[str, Any]], **attributes: Any) -> type[_F]:
    """A Frozen subclass of ``base`` with these (name, default) fields, defined in this module so
    that its name reads well in reprs and tracebacks."""
    namespace: dict[str, Any] = {
        "__annotations__": {field: "Any" for field, _ in fields},
        "__module__": __name__,
        "__qualname__": name,
    }
    namespace.update(dict(fields))
    namespace.update(attributes)
    return cast("type[_F]", type(name, (base,), namespace))  # (type() is typed as returning a bare type)


class FactBase:
    """Every record of a data directory, by kind (the kind's singular name), in file order.

    ``later`` gives, for some kinds, a function that makes their records when they are first asked
    for (the cache decodes only the kinds a command reads); to every reader it is the same base."""

    __slots__ = ("_by_kind", "_later", "_order")
    _by_kind: dict[str, tuple[Record, ...]]
    _later: dict[str, Callable[[], tuple[Record, ...]]]
    _order: list[str]

    def __init__(
        self,
        by_kind: Mapping[str, tuple[Record, ...]],
        later: Mapping[str, Callable[[], tuple[Record, ...]]] | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_by_kind", dict(by_kind))
        set_(self, "_later", dict(later or {}))
        set_(self, "_order", list(dict.fromkeys([*by_kind, *(later or {})])))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a FactBase is immutable")

    def of(self, kind: str) -> tuple[Record, ...]:
        """The records of one kind (by its singular name); none when the data has none."""
        found = self._by_kind.get(kind)
        if found is None:
            make = self._later.pop(kind, None)
            if make is None:
                return ()
            found = self._by_kind[kind] = make()
        return found

    def kinds(self) -> list[str]:
        return list(self._order)

    def records(self) -> Iterator[Record]:
        for kind in self._order:
            yield from self.of(kind)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactBase):
            return NotImplemented
        mine = {k: self.of(k) for k in self._order if self.of(k)}
        theirs = {k: other.of(k) for k in other._order if other.of(k)}
        return mine == theirs

    __hash__ = None  # type: ignore[assignment]  # unhashable, as __eq__ compares contents (typeshed types __hash__ as a method)

    def __repr__(self) -> str:
        return "FactBase(" + ", ".join(f"{k}={len(self.of(k))}" for k in self._order) + ")"
