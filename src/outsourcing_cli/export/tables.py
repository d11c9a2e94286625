"""A kind's tables, laid out from the registry: its own table, its join tables and its parts'
tables (``KindLayout``), and the columns and tables they are made of (see ``layout``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..domain import kinds
from ..domain.frozen import Frozen
from ..domain.model import FactBase, Record
from ..present import views

if TYPE_CHECKING:
    from ..domain.model import Part

    Row = tuple[Any, ...]  # one row of a table, its values in the order of its columns
    Getter = Callable[[Record | Part], Any]  # how one column's value is read from a record or a part
    RecordGetter = Callable[[Record], Any]  # how one column of a kind's own table is read from a record
    PartTable = tuple["Table", str, list[Getter], list[tuple["Table", str]]]


class Column(Frozen):
    name: str
    type: str  # TEXT, INTEGER or REAL
    description: str
    not_null: bool = False
    references: str | None = None  # the table whose key it names
    check: str | None = None
    key: str = "id"  # the column it names in that table
    primary: bool = False  # INTEGER PRIMARY KEY: the rowid


class Table(Frozen):
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    foreign: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (columns, table, its columns)
    label: str | None = None  # the column Datasette shows for a row that another row links to
    facets: tuple[str, ...] = ()
    kind: str | None = None  # the kind whose records it holds, one row each (rowid shared with records)
    numbered: bool = False  # rows are inserted with the record's rowid first

    def ddl(self) -> str:
        lines = []
        for c in self.columns:
            line = f"{_q(c.name)} {c.type}"
            if c.primary:
                line += " PRIMARY KEY"
            if c.not_null:
                line += " NOT NULL"
            if c.check:
                line += f" CHECK ({c.check})"
            if c.references:
                line += f" REFERENCES {_q(c.references)}({_q(c.key)})"
            lines.append(line)
        if self.primary_key:
            lines.append(f"PRIMARY KEY ({', '.join(map(_q, self.primary_key))})")
        if self.unique:
            lines.append(f"UNIQUE ({', '.join(map(_q, self.unique))})")
        for mine, table, theirs in self.foreign:
            lines.append(
                f"FOREIGN KEY ({', '.join(map(_q, mine))}) REFERENCES {_q(table)}({', '.join(map(_q, theirs))})"
            )
        return f"CREATE TABLE {_q(self.name)} (\n  " + ",\n  ".join(lines) + "\n)"

    def indexes(self) -> list[str]:
        """An index on each foreign key that the primary key or a unique key does not lead with."""
        covered = {keys[0] for keys in (self.primary_key, self.unique) if keys} | {
            c.name for c in self.columns if c.primary
        }
        wanted: list[tuple[str, ...]] = [(c.name,) for c in self.columns if c.references and c.name not in covered]
        wanted += [mine for mine, _, _ in self.foreign if mine[0] not in covered]
        return [
            f"CREATE INDEX {_q(self.name + '_' + '_'.join(cols))} ON {_q(self.name)}({', '.join(map(_q, cols))})"
            for cols in wanted
        ]

    def insert(self) -> str:
        names = (["rowid"] if self.numbered else []) + [c.name for c in self.columns]
        return f"INSERT INTO {_q(self.name)}({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _one_of(column: str, choices: Iterable[str]) -> str:
    return f"{_q(column)} IN ({', '.join(map(_literal, choices))})"


def _plural(kind_name: str) -> str:
    return kinds.KINDS[kind_name].plural


def _lower(value: str | None) -> str | None:
    """A reference as the id it names: oscli matches ids case-insensitively, and ids are lower case."""
    return value.lower() if isinstance(value, str) else value


def _boolean(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _json_list(value: Iterable[str]) -> str:
    return json.dumps(list(value), ensure_ascii=False)


_SQL_TYPES = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER", "number": "NUMERIC"}


def _scalar(spec: kinds.Field, holder_fields: Iterable[kinds.Field]) -> list[tuple[Column, Getter]]:
    """The column(s) of one scalar field, each with how to read it from its record or part."""
    name, description = spec.name, spec.description or spec.name
    check = None
    if spec.type == "bool":
        check = f"{_q(name)} IN (0, 1)"
    elif spec.type == "choice" and spec.choices:
        check = _one_of(name, spec.choices)
    if spec.ref and not spec.ref.startswith("@"):
        target = _plural(spec.ref)
        return [
            (
                Column(name, "TEXT", f"{description} (a foreign key to {target})", spec.required, target, check),
                _read(name, _lower),
            )
        ]
    if spec.type == "bool":
        return [
            (
                Column(name, "INTEGER", description + " (1 true, 0 false)", spec.required, check=check),
                _read(name, _boolean),
            )
        ]
    out = [(Column(name, _SQL_TYPES.get(spec.type, "TEXT"), description, spec.required, check=check), _read(name))]
    if spec.ref:  # "@FIELD": the kind named by another field's value; one foreign key per kind it can be
        selector = spec.ref[1:]
        chooser = next(f for f in holder_fields if f.name == selector)
        for choice in chooser.choices:
            target = _plural(choice)
            out.append(
                (
                    Column(
                        f"{name}_{choice}",
                        "TEXT",
                        f"the {name} when {selector} is {choice} (a foreign key to {target}); else null",
                        references=target,
                    ),
                    _read_when(name, selector, choice),
                )
            )
    return out


def _read(name: str, convert: Callable[[Any], Any] | None = None) -> Getter:
    """The value of the field ``name``, as it is or converted."""
    if convert is None:
        return lambda holder: getattr(holder, name)
    return lambda holder: convert(getattr(holder, name))


def _read_when(name: str, selector: str, choice: str) -> Getter:
    """The id in the field ``name`` (lower case) when the field ``selector`` is ``choice``; else None."""
    return lambda holder: _lower(getattr(holder, name)) if getattr(holder, selector) == choice else None


def _derived(derive: Callable[[FactBase, Record, str | None], Any], base: FactBase | None) -> RecordGetter:
    """A derived field's value, computed from the fact base. A layout made without it (Datasette's
    metadata) describes its tables and fills none: its getters are never called."""
    if base is None:

        def unfilled(record: Record) -> Any:
            raise ValueError(f"a layout made without the fact base has no rows ({record.kind} {record.id})")

        return unfilled
    return lambda record: derive(base, record, None)


def _one_part_columns(spec: kinds.Field) -> list[tuple[Column, Getter]]:
    """The columns of a field that holds one part (issue 18: a provision's scope): scope_nationwide
    (1 true, 0 false), scope_titles and scope_places (ids, comma-separated)."""
    assert spec.one is not None  # a part:PART field
    out: list[tuple[Column, Getter]] = []
    for pf in kinds.PARTS[spec.one].fields:
        name = f"{spec.name}_{pf.name}"

        def get(
            record: Record | Part,
            outer: str = spec.name,
            inner: str = pf.name,
            many: bool = pf.is_list,
            flag: bool = pf.type == "bool",
        ) -> Any:
            part = getattr(record, outer)
            value = None if part is None else getattr(part, inner)
            return ", ".join(value) if many and value is not None else _boolean(value) if flag else value

        kind = "INTEGER" if pf.type == "bool" else "TEXT"
        words = " (1 true, 0 false)" if pf.type == "bool" else " (comma-separated)" if pf.is_list else ""
        out.append((Column(name, kind, f"{spec.name}: {pf.description}{words}"), get))
    return out


def _owner_column(kind_name: str, other_names: Iterable[str]) -> str:
    """The column naming the owning record in a child table: the kind's name, unless a field of the
    part already has that name (a source's evidence has a ``source``): then ``<kind>_id``."""
    return kind_name if kind_name not in set(other_names) else f"{kind_name}_id"


def _is_column(spec: kinds.Field) -> bool:
    """A derived field with one value (``when``) is a column; derived lists are joins of tables."""
    return spec.derived is None or (not spec.is_list and not spec.nested and spec.type != "objects")


class KindLayout:
    """One kind's tables (its own, its join tables and its parts' tables) and how a record becomes
    rows of each."""

    def __init__(self, declared: kinds.Kind, base: FactBase | None = None) -> None:
        self.kind = declared
        table = declared.plural
        columns: list[tuple[Column, RecordGetter]] = []
        self.joins: list[tuple[Table, str]] = []
        self.parts: list[PartTable] = []
        for spec in declared.fields:
            if not _is_column(spec):
                continue
            if spec.name == "id":
                columns.append((Column("id", "TEXT", spec.description, True), lambda r: r.id))
            elif spec.derived is not None:
                columns.append(
                    (Column(spec.name, "TEXT", spec.description), _derived(views.DERIVED[spec.derived], base))
                )
            elif spec.part is not None:
                if spec.part != "evidence":  # evidence is rows of citations, with its excerpt and locator
                    self.parts.append(self._part_table(spec))
            elif spec.one is not None:  # one part (a provision's scope): a column per field of it
                columns.extend(_one_part_columns(spec))
            elif spec.type == "texts":  # a list of text (a provision's conditions): a JSON array
                columns.append(
                    (
                        Column(spec.name, "TEXT", f"{spec.description} (a JSON array of text)"),
                        _read(spec.name, _json_list),
                    )
                )
            elif spec.type == "ids":
                if spec.ref != "source":  # the sources a record cites are rows of citations
                    self.joins.append((self._join_table(spec), spec.name))
            else:
                columns.extend(_scalar(spec, declared.fields))
        label = next((f for f in declared.label if declared.field(f) is not None), None)
        facets = tuple(
            f.name
            for f in declared.data_fields
            if f.type in ("choice", "bool")
            or (f.type == "id" and f.ref and not f.ref.startswith("@") and f.ref != "source")
        )
        self.table = Table(
            table,
            declared.help,
            tuple(c for c, _ in columns),
            ("id",),
            label=label or "id",
            facets=facets,
            kind=declared.name,
            numbered=True,
        )
        self.getters = [g for _, g in columns]

    def _join_table(self, spec: kinds.Field) -> Table:
        owner, table = self.kind.name, self.kind.plural
        assert spec.ref is not None  # a list of ids that is a column names a kind (derived lists are not columns)
        target = spec.ref if spec.ref != owner else spec.name
        return Table(
            f"{table}_{spec.name}",
            f"{self.kind.title}: {spec.description}",
            (
                Column(owner, "TEXT", f"the {owner}'s id (a foreign key to {table})", True, table),
                Column("position", "INTEGER", f"its place in the {owner}'s {spec.name}, from 0", True),
                Column(
                    target,
                    "TEXT",
                    f"the {spec.ref}'s id (a foreign key to {_plural(spec.ref)})",
                    True,
                    _plural(spec.ref),
                ),
            ),
            (owner, "position"),
        )

    def _part_table(self, spec: kinds.Field) -> PartTable:
        assert spec.part is not None  # a list:PART field
        part, table = kinds.PARTS[spec.part], self.kind.plural
        owner = _owner_column(self.kind.name, (f.name for f in part.fields))
        name = f"{table}_{spec.name}"
        columns: list[tuple[Column, Getter]] = []
        grandchildren: list[tuple[Table, str]] = []
        for pf in part.fields:
            if pf.type != "ids":
                columns.extend(_scalar(pf, part.fields))
            elif pf.ref != "source" and pf.ref is not None:  # a list of ids in a part (a role's agencies): a table
                # under the part's
                grandchildren.append(
                    (
                        Table(
                            f"{name}_{pf.name}",
                            f"{self.kind.title}, {spec.name}: {pf.description}",
                            (
                                Column(
                                    owner, "TEXT", f"the {self.kind.name}'s id (a foreign key to {table})", True, table
                                ),
                                Column(
                                    f"{part.name}_position", "INTEGER", f"the {part.name}'s position in {name}", True
                                ),
                                Column(
                                    "position", "INTEGER", f"its place in the {part.name}'s {pf.name}, from 0", True
                                ),
                                Column(
                                    pf.ref,
                                    "TEXT",
                                    f"the {pf.ref}'s id (a foreign key to {_plural(pf.ref)})",
                                    True,
                                    _plural(pf.ref),
                                ),
                            ),
                            (owner, f"{part.name}_position", "position"),
                            foreign=(((owner, f"{part.name}_position"), name, (owner, "position")),),
                        ),
                        pf.name,
                    )
                )
        child = Table(
            name,
            f"{self.kind.title}: {spec.description}",
            (
                Column(owner, "TEXT", f"the {self.kind.name}'s id (a foreign key to {table})", True, table),
                Column(
                    "position",
                    "INTEGER",
                    f"its index in the {self.kind.name}'s {spec.name} (as in the JSON: {spec.name}[0] is 0)",
                    True,
                ),
                *(c for c, _ in columns),
            ),
            (owner, "position"),
        )
        return child, spec.name, [g for _, g in columns], grandchildren

    def tables(self) -> list[Table]:
        out = [self.table, *(t for t, _ in self.joins)]
        for child, _, _, grandchildren in self.parts:
            out.append(child)
            out.extend(t for t, _ in grandchildren)
        return out

    def rows(self, rowid: int, record: Record, sink: dict[str, list[Row]]) -> None:
        sink[self.table.name].append((rowid, *(get(record) for get in self.getters)))
        rid = record.id
        for table, field_name in self.joins:
            rows = sink[table.name]
            for position, wanted in enumerate(getattr(record, field_name)):
                rows.append((rid, position, _lower(wanted)))
        for child, field_name, getters, grandchildren in self.parts:
            rows = sink[child.name]
            for position, item in enumerate(getattr(record, field_name)):
                rows.append((rid, position, *(get(item) for get in getters)))
                for table, list_name in grandchildren:
                    more = sink[table.name]
                    for index, wanted in enumerate(getattr(item, list_name)):
                        more.append((rid, position, index, _lower(wanted)))
