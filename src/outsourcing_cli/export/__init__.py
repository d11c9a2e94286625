"""Publish the fact base: a SQLite database ready for Datasette (with its metadata) and a GeoJSON
map of the cities. No rendering: the CLI passes a base and paths, and prints the summary.

The database is laid out from the registry of kinds (``kinds.KINDS``), never from a list here:

- one table per kind (``cities``, ``designations``...), primary key ``id``; scalar fields are
  columns typed from the registry (text, date, url and choice as TEXT, int as INTEGER, float as
  REAL, bool as INTEGER 0/1), required fields NOT NULL, choices and booleans CHECKed;
- a reference to one record is a foreign key, indexed. Where the kind it names is given by
  another field (a designation's ``subject`` is a city or an area, per ``subject_type``), the
  column keeps the id as written and one nullable foreign key per kind it can name is added
  (``subject_city``, ``subject_area``);
- a list of ids is a join table ``<table>_<field>`` (``designations_granted_by``: designation,
  position, agency), so that every reference is a checked, indexed foreign key; a list of source
  ids is a set of rows of the one ``citations`` table instead;
- parts (quotes, statements, targets, roles, claims, acknowledgements...) are child tables
  ``<table>_<field>`` keyed by (record, position), the position being the index in the JSON
  (``targets[3]`` is position 3). Evidence is the exception: each piece is a row of
  ``citations`` (source, claim, excerpt, locator), which would otherwise hold every excerpt twice;
- ``records``: every record of every kind, one row each (its number, kind, id and label), with
  the full-text index ``records_fts`` (FTS5) over the fields with a search weight. A record's
  number is its rowid in its kind's table, in ``records`` and in ``records_fts``, so that the one
  index searches ``records`` and every kind's table alike (Datasette: ``fts_table``, ``fts_pk``);
- ``citations``: every source every record cites, in its ``sources``, in its parts and in its
  evidence: the record (its number, a foreign key to ``records``, with its kind and id), the
  claim it supports (null: the record; ``name_zh``; ``targets[3]``), where it is written
  (``targets[3].sources[1]``), the source, and the excerpt and locator of a piece of evidence;
- ``title_holdings``: the titles each city and area held, as computed by ``history`` (held, or
  possibly held when the event's date is uncertain), one row per run of years with the same
  holding, and whether it holds as of the newest data; ``years`` lists the years the data spans.
  The views ``city_titles_by_year``, ``area_titles_by_year``, ``titles_latest``,
  ``model_cities_latest`` and ``model_cities_2016`` read them.

Full-text search and Chinese: FTS5's unicode61 tokenizer makes a run of Han characters one token
(苏州工业园区 is one word to it), and the trigram tokenizer matches nothing shorter than three
characters (苏州 is two). ``records_fts`` uses unicode61 and has two more columns, from the first
``ZH_CAP`` Han characters of each field: ``zh``, every substring of one to ``ZH_NGRAM`` characters
of every run of Han characters (a Chinese query that short is one token, and matches wherever it
occurs), and ``zh2``, each run as the sequence of its overlapping pairs of characters (a longer
query is the phrase of its pairs: ``zh_match``). Both are linear in the text.

Files are written through a temporary file in the same directory, then put in place: a failed or
interrupted export leaves no half-written file, and an existing file is replaced only when asked,
and only if it is a regular file (see "files" below).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from ..domain import dates, history, kinds, query
from ..present import views
from ..domain.frozen import Frozen
from ..store.gcpause import paused
from ..domain.model import FactBase, Record

ZH_NGRAM = 4  # the longest Chinese query the index answers as one token (zh); longer: a phrase (zh2)
ZH_CAP = 2000  # Han characters per field in the Chinese index (the longest searchable field has 424)
ZH_BREAK = "\ue000"  # a token between two runs in zh2 (private use: no query holds it)
TOKENIZER = "unicode61 remove_diacritics 2"
RECORDS, RECORDS_FTS = "records", "records_fts"
GEONAMES = {"name": "GeoNames", "url": "https://www.geonames.org/", "license": "CC BY 4.0",
            "license_url": "https://creativecommons.org/licenses/by/4.0/"}
DATA_LICENSE = {"license": "MIT", "license_url": "https://opensource.org/licenses/MIT"}


class ExportError(Exception):
    """A file that cannot be written: it exists and replacing was not asked for, or the system refuses."""


# -- tables ---------------------------------------------------------------------------------------


class Column(Frozen):
    name: str
    type: str  # TEXT, INTEGER or REAL
    description: str
    not_null: bool = False
    references: Optional[str] = None  # the table whose key it names
    check: Optional[str] = None
    key: str = "id"  # the column it names in that table
    primary: bool = False  # INTEGER PRIMARY KEY: the rowid


class Table(Frozen):
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    foreign: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (columns, table, its columns)
    label: Optional[str] = None  # the column Datasette shows for a row that another row links to
    facets: tuple[str, ...] = ()
    kind: Optional[str] = None  # the kind whose records it holds, one row each (rowid shared with records)
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
            lines.append(f"FOREIGN KEY ({', '.join(map(_q, mine))}) REFERENCES {_q(table)}"
                         f"({', '.join(map(_q, theirs))})")
        return f"CREATE TABLE {_q(self.name)} (\n  " + ",\n  ".join(lines) + "\n)"

    def indexes(self) -> list[str]:
        """An index on each foreign key that the primary key or a unique key does not lead with."""
        covered = {keys[0] for keys in (self.primary_key, self.unique) if keys} | {c.name for c in self.columns
                                                                                 if c.primary}
        wanted = [(c.name,) for c in self.columns if c.references and c.name not in covered]
        wanted += [mine for mine, _, _ in self.foreign if mine[0] not in covered]
        return [f"CREATE INDEX {_q(self.name + '_' + '_'.join(cols))} ON {_q(self.name)}"
                f"({', '.join(map(_q, cols))})" for cols in wanted]

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


def _lower(value: Optional[str]) -> Optional[str]:
    """A reference as the id it names: oscli matches ids case-insensitively, and ids are lower case."""
    return value.lower() if isinstance(value, str) else value


def _boolean(value: Any) -> Optional[int]:
    return None if value is None else int(bool(value))


_SQL_TYPES = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER", "number": "NUMERIC"}


def _scalar(spec: kinds.Field, holder_fields: Iterable[kinds.Field]) -> list[tuple[Column, Callable]]:
    """The column(s) of one scalar field, each with how to read it from its record or part."""
    name, description = spec.name, spec.description or spec.name
    check = None
    if spec.type == "bool":
        check = f"{_q(name)} IN (0, 1)"
    elif spec.type == "choice" and spec.choices:
        check = _one_of(name, spec.choices)
    if spec.ref and not spec.ref.startswith("@"):
        target = _plural(spec.ref)
        return [(Column(name, "TEXT", f"{description} (a foreign key to {target})", spec.required, target, check),
                 lambda holder, n=name: _lower(getattr(holder, n)))]
    if spec.type == "bool":
        return [(Column(name, "INTEGER", description + " (1 true, 0 false)", spec.required, check=check),
                 lambda holder, n=name: _boolean(getattr(holder, n)))]
    out = [(Column(name, _SQL_TYPES.get(spec.type, "TEXT"), description, spec.required, check=check),
            lambda holder, n=name: getattr(holder, n))]
    if spec.ref:  # "@FIELD": the kind named by another field's value; one foreign key per kind it can be
        selector = spec.ref[1:]
        chooser = next(f for f in holder_fields if f.name == selector)
        for choice in chooser.choices:
            target = _plural(choice)
            out.append((Column(f"{name}_{choice}", "TEXT",
                               f"the {name} when {selector} is {choice} (a foreign key to {target}); else null",
                               references=target),
                        lambda holder, n=name, s=selector, c=choice:
                        _lower(getattr(holder, n)) if getattr(holder, s) == c else None))
    return out


def _one_part_columns(spec: kinds.Field) -> list[tuple[Column, Callable]]:
    """The columns of a field that holds one part (issue 18: a provision's scope): scope_nationwide
    (1 true, 0 false), scope_titles and scope_places (ids, comma-separated)."""
    out = []
    for pf in kinds.PARTS[spec.one].fields:
        name = f"{spec.name}_{pf.name}"

        def get(record, outer=spec.name, inner=pf.name, many=pf.is_list, flag=pf.type == "bool"):
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

    def __init__(self, declared: kinds.Kind, base: Optional[FactBase] = None) -> None:
        self.kind = declared
        table = declared.plural
        columns: list[tuple[Column, Callable]] = []
        self.joins: list[tuple[Table, str]] = []
        self.parts: list[tuple[Table, str, list[Callable], list[tuple[Table, str]]]] = []
        for spec in declared.fields:
            if not _is_column(spec):
                continue
            if spec.name == "id":
                columns.append((Column("id", "TEXT", spec.description, True), lambda r: r.id))
            elif spec.derived is not None:
                derive = views.DERIVED[spec.derived]
                columns.append((Column(spec.name, "TEXT", spec.description), lambda r, d=derive: d(base, r, None)))
            elif spec.part is not None:
                if spec.part != "evidence":  # evidence is rows of citations, with its excerpt and locator
                    self.parts.append(self._part_table(spec))
            elif spec.one is not None:  # one part (a provision's scope): a column per field of it
                columns.extend(_one_part_columns(spec))
            elif spec.type == "texts":  # a list of text (a provision's conditions): a JSON array
                columns.append((Column(spec.name, "TEXT", f"{spec.description} (a JSON array of text)"),
                                lambda r, n=spec.name: json.dumps(list(getattr(r, n)), ensure_ascii=False)))
            elif spec.type == "ids":
                if spec.ref != "source":  # the sources a record cites are rows of citations
                    self.joins.append((self._join_table(spec), spec.name))
            else:
                columns.extend(_scalar(spec, declared.fields))
        label = next((f for f in declared.label if declared.field(f) is not None), None)
        facets = tuple(f.name for f in declared.data_fields
                       if f.type in ("choice", "bool") or (f.type == "id" and f.ref and not f.ref.startswith("@")
                                                           and f.ref != "source"))
        self.table = Table(table, declared.help, tuple(c for c, _ in columns), ("id",), label=label or "id",
                           facets=facets, kind=declared.name, numbered=True)
        self.getters = [g for _, g in columns]

    def _join_table(self, spec: kinds.Field) -> Table:
        owner, table = self.kind.name, self.kind.plural
        target = spec.ref if spec.ref != owner else spec.name
        return Table(f"{table}_{spec.name}", f"{self.kind.title}: {spec.description}", (
            Column(owner, "TEXT", f"the {owner}'s id (a foreign key to {table})", True, table),
            Column("position", "INTEGER", f"its place in the {owner}'s {spec.name}, from 0", True),
            Column(target, "TEXT", f"the {spec.ref}'s id (a foreign key to {_plural(spec.ref)})", True,
                   _plural(spec.ref)),
        ), (owner, "position"))

    def _part_table(self, spec: kinds.Field):
        part, table = kinds.PARTS[spec.part], self.kind.plural
        owner = _owner_column(self.kind.name, (f.name for f in part.fields))
        name = f"{table}_{spec.name}"
        columns: list[tuple[Column, Callable]] = []
        grandchildren: list[tuple[Table, str]] = []
        for pf in part.fields:
            if pf.type != "ids":
                columns.extend(_scalar(pf, part.fields))
            elif pf.ref != "source":  # a list of ids in a part (a role's agencies): a table under the part's
                grandchildren.append((Table(f"{name}_{pf.name}", f"{self.kind.title}, {spec.name}: {pf.description}", (
                    Column(owner, "TEXT", f"the {self.kind.name}'s id (a foreign key to {table})", True, table),
                    Column(f"{part.name}_position", "INTEGER", f"the {part.name}'s position in {name}", True),
                    Column("position", "INTEGER", f"its place in the {part.name}'s {pf.name}, from 0", True),
                    Column(pf.ref, "TEXT", f"the {pf.ref}'s id (a foreign key to {_plural(pf.ref)})", True,
                           _plural(pf.ref)),
                ), (owner, f"{part.name}_position", "position"),
                    foreign=(((owner, f"{part.name}_position"), name, (owner, "position")),)), pf.name))
        child = Table(name, f"{self.kind.title}: {spec.description}", (
            Column(owner, "TEXT", f"the {self.kind.name}'s id (a foreign key to {table})", True, table),
            Column("position", "INTEGER", f"its index in the {self.kind.name}'s {spec.name} (as in the JSON: "
                   f"{spec.name}[0] is 0)", True),
            *(c for c, _ in columns)), (owner, "position"))
        return child, spec.name, [g for _, g in columns], grandchildren

    def tables(self) -> list[Table]:
        out = [self.table, *(t for t, _ in self.joins)]
        for child, _, _, grandchildren in self.parts:
            out.append(child)
            out.extend(t for t, _ in grandchildren)
        return out

    def rows(self, rowid: int, record: Record, sink: dict[str, list]) -> None:
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


# -- records and full-text search -----------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def _han_runs(texts: Iterable[Optional[str]]) -> Iterator[str]:
    """The runs of Han characters of each text, the first ZH_CAP characters of them per text."""
    for text in texts:
        if not text:
            continue
        budget = ZH_CAP
        for match in _HAN.finditer(text):
            run = match.group()[:budget]
            budget -= len(run)
            yield run
            if budget <= 0:
                break


def zh_ngrams(*texts: Optional[str]) -> str:
    """Every substring of one to ZH_NGRAM characters of every run of Han characters in ``texts``
    (the first ZH_CAP of them per text), each once, shortest first, separated by spaces: the
    unicode61 tokenizer indexes each as a token, so that a Chinese query of up to ZH_NGRAM
    characters (one token to it) matches a text that contains it anywhere. At most ZH_NGRAM
    tokens per character: linear in the text."""
    grams: dict[str, None] = {}
    runs = list(_han_runs(texts))
    for size in range(1, ZH_NGRAM + 1):
        for run in runs:
            for start in range(len(run) - size + 1):
                grams[run[start:start + size]] = None
    return " ".join(grams)


def zh_bigrams(*texts: Optional[str]) -> str:
    """Each run of Han characters (the first ZH_CAP per text) as the sequence of its overlapping
    pairs of characters (a run of one: that character), runs apart by ZH_BREAK: a longer query
    is the phrase of its pairs in this column (``zh_match``), which matches where the text holds
    it. Two tokens per character at most."""
    out: list[str] = []
    for run in _han_runs(texts):
        if out:
            out.append(ZH_BREAK)
        out.extend(run[i:i + 2] for i in range(max(len(run) - 1, 1)))
    return " ".join(out)


def zh_match(text: str) -> str:
    """An FTS5 query for ``records_fts`` that finds ``text`` (Chinese, English or both) as the
    export indexes it: each run of Han characters of up to ZH_NGRAM characters is a token (of
    ``zh``, or of ``text`` when it is a whole run there); a longer one is the phrase of its
    pairs of characters in ``zh2``; other words are tokens as FTS5 reads them."""
    parts: list[str] = []
    at = 0
    for match in _HAN.finditer(text):
        parts += [f'"{w}"' for w in re.findall(r"[^\W_]+", text[at:match.start()])]
        run = match.group()
        if len(run) <= ZH_NGRAM:
            parts.append(f'"{run}"')
        else:
            parts.append("zh2 : \"" + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"')
        at = match.end()
    parts += [f'"{w}"' for w in re.findall(r"[^\W_]+", text[at:])]
    return " AND ".join(parts)


def searchable(record: Record) -> Iterator[str]:
    """Every text the registry makes searchable in a record, as ``oscli search`` reads them."""
    from ..domain.searchindex import fields_of

    return (text for _, text, _ in fields_of(record))


def _records_table() -> Table:
    names = kinds.names()
    return Table(RECORDS, "Every record of every kind, one row each: full-text search in English and Chinese "
                 "across every kind, over the fields with a search weight (names, titles, quotes, statements, "
                 "targets, definitions, notes). Each kind's table searches the same index.", (
                     Column("number", "INTEGER", "the record's number: its rowid here, in its kind's table and in "
                            "the full-text index", True, primary=True),
                     Column("record_type", "TEXT", "the kind of record: " + ", ".join(names), True,
                            check=_one_of("record_type", names)),
                     Column("record_id", "TEXT", "the record's id", True),
                     Column("label", "TEXT", "what names the record: its name, title or term, or a description"),
                 ), unique=("record_type", "record_id"), label="label", facets=("record_type",))


def _fts_ddl() -> str:
    """The one full-text index, without a copy of the text (the kinds' tables hold it)."""
    return (f"CREATE VIRTUAL TABLE {RECORDS_FTS} USING fts5(text, zh, zh2, content='', "
            f"tokenize={_literal(TOKENIZER)})")


# -- citations --------------------------------------------------------------------------------------


def _citations_table() -> Table:
    return Table("citations", "Every source each record cites: in its sources, in its parts (quotes, statements, "
                 "targets...) and in its evidence, with the claim each supports.", (
                     Column("record", "INTEGER", "the citing record's number (a foreign key to records)", True,
                            RECORDS, key="number"),
                     Column("record_type", "TEXT", "the kind of the citing record", True),
                     Column("record_id", "TEXT", "the citing record's id", True),
                     Column("claim", "TEXT", "what the source supports: a field (name_zh), a part (targets[3]) or, "
                            "when null, the record as a whole"),
                     Column("path", "TEXT", "where the citation is written in the record's JSON (sources[0], "
                            "targets[3].sources[1], evidence[2].source, not_before_source)", True),
                     Column("source", "TEXT", "the cited source's id (a foreign key to sources)", True, "sources"),
                     Column("excerpt", "TEXT", "for a piece of evidence: the source's words, verbatim"),
                     Column("locator", "TEXT", "for a piece of evidence: where in the source"),
                 ), facets=("record_type", "source"))


class _Citations:
    """The rows of ``citations`` for each record of one kind: the citations ``kinds.citations``
    finds, in its order, with JSON paths and claims worked out once per field rather than per record
    (the tests hold the two to the same result)."""

    def __init__(self, declared: kinds.Kind) -> None:
        self.kind = declared.name
        self.steps: list[tuple] = []
        for spec in sorted(declared.data_fields, key=lambda f: f.name != "sources"):  # kinds.citations' order
            if spec.ref == "source":
                supported = spec.name[:-len("_source")] if spec.name.endswith("_source") else spec.name
                claim = (None if spec.name == "sources" else spec.name) if spec.type == "ids" else (
                    supported if declared.field(supported) is not None else spec.name)
                self.steps.append(("ids" if spec.type == "ids" else "one", spec.name, claim))
            elif spec.part is not None:
                part = kinds.PARTS[spec.part]
                inner = []
                for pf in part.fields:
                    if pf.ref != "source":
                        continue
                    supported = pf.name[:-len("_source")] if pf.name.endswith("_source") else None
                    suffix = f".{supported}" if supported and part.field(supported) is not None else ""
                    inner.append((pf.name, pf.type == "ids", suffix))
                if inner:
                    self.steps.append(("evidence" if spec.part == "evidence" else "part", spec.name, inner))

    def rows(self, number: int, record: Record) -> Iterator[tuple]:
        kind, rid = self.kind, record.id
        for how, name, detail in self.steps:
            value = getattr(record, name)
            if how == "ids":
                for index, source in enumerate(value):
                    yield number, kind, rid, detail, f"{name}[{index}]", source.lower(), None, None
            elif how == "one":
                if value is not None:
                    yield number, kind, rid, detail, name, value.lower(), None, None
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
                                yield (number, kind, rid, claim, f"{name}[{p_index}].{inner}[{s_index}]",
                                       source.lower(), excerpt, locator)
                        elif got is not None:
                            yield number, kind, rid, claim, f"{name}[{p_index}].{inner}", got.lower(), excerpt, locator


def json_path(dotted: str) -> str:
    """``targets.3.sources.0`` (as ``kinds.citations`` gives it) as the JSON path ``targets[3].sources[0]``."""
    out = ""
    for piece in dotted.split("."):
        out += f"[{piece}]" if piece.isdigit() else (f".{piece}" if out else piece)
    return out


# -- titles held, year by year ----------------------------------------------------------------------


def _subject_types() -> tuple[str, ...]:
    return kinds.KINDS["designation"].field("subject_type").choices


def _holdings_table() -> Table:
    choices = _subject_types()
    return Table("title_holdings", "The titles each city and area held, from its designations (oscli's history): "
                 "one row per run of years at whose end it held the title the same way (held, or possibly held "
                 "when the event's date is uncertain), and whether it holds it as of the newest data. "
                 "city_titles_by_year gives one row per year.", (
                     Column("subject_type", "TEXT", "city or area", True, check=_one_of("subject_type", choices)),
                     Column("subject", "TEXT", "the city's or area's id", True),
                     *(Column(f"subject_{c}", "TEXT", f"the subject when it is a {c} (a foreign key to "
                              f"{_plural(c)}); else null", references=_plural(c)) for c in choices),
                     Column("title", "TEXT", "the title's id (a foreign key to titles)", True, "titles"),
                     Column("status", "TEXT", "held, or possibly held (the event's date is uncertain)", True,
                            check=_one_of("status", (history.HELD, history.POSSIBLY))),
                     Column("since", "TEXT", "the date of the grant, or null when only its bounds are known"),
                     Column("designation", "TEXT", "the designation that granted it (a foreign key to designations)",
                            True, "designations"),
                     Column("first_year", "INTEGER", "the first year at whose end it held the title so (null: only "
                            "as of the newest data)"),
                     Column("last_year", "INTEGER", "the last year at whose end it held the title so"),
                     Column("latest", "INTEGER", "1 if it holds the title so as of the newest data, else 0", True,
                            check='"latest" IN (0, 1)'),
                 ), facets=("title", "status", "latest"))


def _years_table() -> Table:
    return Table("years", "The years the designations and totals span: the rows of city_titles_by_year.", (
        Column("year", "INTEGER", "a year", True),), ("year",))


def holdings_rows(base: FactBase) -> Iterator[tuple]:
    """The rows of ``title_holdings``: for each city and area, each title it held or possibly held
    at the end of a year (``history.holdings``, as ``--as-of YEAR`` answers), as runs of consecutive
    years with the same holding, and whether it holds so as of the newest data.

    Linear in the data: a subject's designations are looked up in one index (``history``), and its
    holdings are worked out again only at the end of a year in which one of its events may have
    happened (an event's period starts or ends in it); between those nothing can change."""
    from bisect import bisect_left

    years = list(history.year_span(base))
    ends = [history.point_of(str(year)) for year in years]
    newest = history.point_of(None)
    choices = _subject_types()

    def keys(holdings) -> list[tuple]:
        return [(h.title.lower(), h.status, h.since, h.designation.lower()) for h in holdings]

    for subject_type in choices:
        for record in base.of(subject_type):
            items = history.designations_of(base, subject_type, record.id)
            if not items:
                continue
            changed = {0}  # the years (their index) at whose end the holdings are worked out
            beyond = not years
            for event in items:
                span = history.period(event)
                for day in (span.first, span.last):
                    if day is not None:
                        at = bisect_left(ends, day)  # the first year whose end is on or after the day
                        changed.add(at)
                        beyond = beyond or at == len(years)
            runs: dict[tuple, list] = {}  # holding -> [first year, last year], open while held
            closed: list[tuple[tuple, int, int]] = []
            held: list = []
            for index, (year, end) in enumerate(zip(years, ends)):
                if index in changed:
                    held = keys(history.holdings(items, end))
                for key in [k for k in runs if k not in held]:
                    first, last = runs.pop(key)
                    closed.append((key, first, last))
                for key in held:
                    runs.setdefault(key, [year, year])[1] = year
            # as of the newest data: the same as at the end of the last year, unless an event may fall after it
            latest = set(keys(history.holdings(items, newest)) if beyond else held)
            owner = [record.id if c == subject_type else None for c in choices]
            for key, first, last in closed:
                yield (subject_type, record.id, *owner, *key, first, last, 0)
            for key, (first, last) in runs.items():
                yield (subject_type, record.id, *owner, *key, first, last, int(key in latest))
            for key in latest.difference(runs):  # held only beyond the years (no dated event at all)
                yield (subject_type, record.id, *owner, *key, None, None, 1)


def first_grant(base: FactBase, record: Record) -> Optional[Record]:
    """The earliest designation granting ``record`` a title (in date order, bounds counted)."""
    return next((e for e in history.designations_of(base, record.kind, record.id) if e.event == "granted"), None)


_BY_YEAR = "JOIN years y ON y.year BETWEEN h.first_year AND h.last_year"

VIEWS: dict[str, tuple[str, str]] = {
    "city_titles_by_year": (
        "The titles each city held at the end of each year: held, or possibly held (the event's date is "
        "uncertain). Filter by year and title: ?year=2016&title=model-city.",
        f"""SELECT y.year, h.subject_city AS city, c.name, c.name_zh, c.province, h.title, t.name AS title_name,
       h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h {_BY_YEAR}
JOIN cities c ON c.id = h.subject_city JOIN titles t ON t.id = h.title
ORDER BY y.year, h.title, c.id"""),
    "area_titles_by_year": (
        "The titles each showcase area held at the end of each year.",
        f"""SELECT y.year, h.subject_area AS area, a.name, a.name_zh, a.city, h.title, t.name AS title_name,
       h.status, h.since, h.designation
FROM title_holdings h {_BY_YEAR}
JOIN areas a ON a.id = h.subject_area JOIN titles t ON t.id = h.title
ORDER BY y.year, h.title, a.id"""),
    "titles_latest": (
        "The titles every city and area holds as of the newest data.",
        """SELECT h.subject_type, h.subject, COALESCE(c.name, a.name) AS name, COALESCE(c.name_zh, a.name_zh) AS name_zh,
       h.title, t.name AS title_name, h.status, h.since, h.designation
FROM title_holdings h JOIN titles t ON t.id = h.title
LEFT JOIN cities c ON c.id = h.subject_city LEFT JOIN areas a ON a.id = h.subject_area
WHERE h.latest = 1
ORDER BY h.title, h.subject_type, h.subject"""),
    "model_cities_latest": (
        "The model cities (中国服务外包示范城市) as of the newest data.",
        """SELECT c.id AS city, c.name, c.name_zh, c.province, h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h JOIN cities c ON c.id = h.subject_city
WHERE h.latest = 1 AND h.title = 'model-city'
ORDER BY c.id"""),
    "model_cities_2016": (
        "The model cities at the end of 2016. Any year: city_titles_by_year?title=model-city&year=YEAR, or the "
        "canned query model_cities_in_year.",
        """SELECT c.id AS city, c.name, c.name_zh, c.province, h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h JOIN cities c ON c.id = h.subject_city
WHERE 2016 BETWEEN h.first_year AND h.last_year AND h.title = 'model-city'
ORDER BY c.id"""),
}

QUERIES: dict[str, dict[str, str]] = {
    "model_cities_in_year": {
        "title": "Model cities at the end of a year",
        "description": "The cities that held the model-city title at the end of :year (held or possibly held).",
        "sql": "SELECT city, name, name_zh, province, status, since, designation, latitude, longitude\n"
               "FROM city_titles_by_year WHERE title = 'model-city' AND year = CAST(:year AS INTEGER) ORDER BY city",
    },
    "holders_in_year": {
        "title": "Holders of a title at the end of a year",
        "description": "The cities and areas that held :title (base-city, model-city, showcase-area, showcase-base) "
                       "at the end of :year.",
        "sql": "SELECT subject_type, subject, status, since, designation FROM title_holdings\n"
               "WHERE title = :title AND CAST(:year AS INTEGER) BETWEEN first_year AND last_year ORDER BY subject",
    },
}


# -- the database -----------------------------------------------------------------------------------


class Layout:
    """Every table of the database, from the registry, in the order they are created."""

    def __init__(self, base: Optional[FactBase] = None) -> None:
        self.kinds = [KindLayout(k, base) for k in kinds.KINDS.values()]
        self.records = _records_table()
        self.citations = _citations_table()
        self.holdings = _holdings_table()
        self.years = _years_table()
        names = [t.name for t in self.tables()] + [RECORDS_FTS, *VIEWS]
        assert len(names) == len(set(names)), f"two tables share a name: {names}"

    def tables(self) -> list[Table]:
        out = [t for layout in self.kinds for t in layout.tables()]
        return out + [self.records, self.citations, self.years, self.holdings]


class Summary(Frozen):
    """What an export wrote."""

    path: str
    tables: dict  # table -> rows (the full-text index left out)
    views: tuple[str, ...]
    records: int
    size: int
    metadata: Optional[str] = None


def build(base: FactBase, connection) -> dict[str, int]:
    """Create every table, index, the full-text index and the views in an empty database, and fill
    them, kind by kind; return the rows per table."""
    layout = Layout(base)
    tables = layout.tables()
    counts = {t.name: 0 for t in tables}

    def write(table: Table, rows: list) -> None:
        if rows:
            connection.executemany(table.insert(), rows)
        counts[table.name] += len(rows)

    for table in tables:
        connection.execute(table.ddl())
    connection.execute(_fts_ddl())
    rowid = 0
    for kind_layout in layout.kinds:
        own = kind_layout.tables()
        sink: dict[str, list] = {t.name: [] for t in own}
        cited, citations, records, fts = _Citations(kind_layout.kind), [], [], []
        for record in query.sort_records(kind_layout.kind.name, base.of(kind_layout.kind.name), None):
            rowid += 1  # in the order `oscli KIND list` gives (events in date order)
            kind_layout.rows(rowid, record, sink)
            citations.extend(cited.rows(rowid, record))
            texts = list(searchable(record))
            text = "\n".join(texts)
            records.append((rowid, record.kind, record.id, kinds.label_of(record)))
            fts.append((rowid, text, zh_ngrams(*texts), zh_bigrams(*texts)))
        for table in own:
            write(table, sink[table.name])
        write(layout.records, records)
        write(layout.citations, citations)
        connection.executemany(f"INSERT INTO {RECORDS_FTS}(rowid, text, zh, zh2) VALUES (?, ?, ?, ?)", fts)
    write(layout.years, [(year,) for year in history.year_span(base)])
    write(layout.holdings, list(holdings_rows(base)))
    for table in tables:  # after the rows: building an index once is cheaper than keeping it up to date
        for statement in table.indexes():
            connection.execute(statement)
    for name, (_, sql) in VIEWS.items():
        connection.execute(f"CREATE VIEW {_q(name)} AS\n{sql}")
    return counts


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (as written, through links, or as the same inode)."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def sqlite(base: FactBase, path: Path, replace: bool = False, metadata: Optional[Path] = None) -> Summary:
    """Write the fact base to a SQLite database at ``path`` (and Datasette metadata at ``metadata``),
    each file whole or not at all; an existing file only with ``replace``."""
    import sqlite3

    for target in [path] + ([metadata] if metadata is not None else []):
        _check_target(target, replace)
    if metadata is not None and _same_file(path, metadata):
        raise ExportError(f"--metadata {metadata} is the database's own file; give another name (e.g. metadata.json)")
    created = None  # the metadata file this export made, taken back if the database cannot be put in place
    try:
        with _atomic(path, replace) as temporary:
            connection = sqlite3.connect(temporary, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode = OFF")  # a temporary file: putting it in place makes it whole
                connection.execute("PRAGMA synchronous = OFF")
                connection.execute("BEGIN")
                with paused():  # millions of rows, no cycles: full collections would walk them again and again
                    counts = build(base, connection)
                connection.execute("COMMIT")
            except sqlite3.OperationalError as err:
                if getattr(err, "sqlite_errorname", "").startswith(_WRITE_ERRORS):  # a full disk, an I/O error
                    raise ExportError(f"cannot write {path}: {err}") from None
                raise
            finally:
                connection.close()
            _sync(temporary)
            if metadata is not None:
                write_text(metadata, metadata_text(base, path.stem, metadata), replace=replace)
                created = metadata if not replace else None
    except ExportError:
        if created is not None:
            try:
                os.unlink(created)
            except OSError:
                pass
        raise
    records = sum(len(base.of(k)) for k in kinds.KINDS)
    return Summary(str(path), counts, tuple(VIEWS), records, path.stat().st_size,
                   str(metadata) if metadata is not None else None)


_WRITE_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")


# -- Datasette metadata ---------------------------------------------------------------------------


def metadata(base: FactBase, database: str) -> dict:
    """Datasette 0.65 metadata for the database named ``database`` (its file name without .db):
    title, description, licences and GeoNames' attribution, each table's description, source and
    column descriptions (from the registry), search, facets, the cluster map and canned queries."""
    layout = Layout()
    tables: dict[str, dict] = {}
    for table in layout.tables():
        entry: dict[str, Any] = {"description": table.description}
        if table.kind is not None:
            entry["source"] = f"the sources each row cites (citations, record_type {table.kind})"
            entry["source_url"] = f"/{database}/citations?record_type={table.kind}"
        else:
            entry["source"] = "oscli's data and the sources it cites"
            entry["source_url"] = f"/{database}/sources"
        entry["columns"] = {c.name: c.description for c in table.columns}
        if table.label:
            entry["label_column"] = table.label
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.kind is not None or table is layout.records:  # one full-text index, by rowid
            entry["fts_table"], entry["fts_pk"] = RECORDS_FTS, "rowid"
        tables[table.name] = entry
    cities = tables[kinds.KINDS["city"].plural]
    cities.update({
        "source": f"{GEONAMES['name']} (GeoNames ids, coordinates) and the sources each row cites",
        "source_url": GEONAMES["url"], "license": GEONAMES["license"], "license_url": GEONAMES["license_url"],
        "plugins": {"datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"}},
    })
    for name, (description, _) in VIEWS.items():
        tables[name] = {"description": description, "source": "derived from the designations (title_holdings)",
                        "source_url": f"/{database}/title_holdings"}
    counted = f" {sum(len(base.of(k)) for k in kinds.KINDS):,} records."
    return {
        "title": "oscli: China's offshore service outsourcing policy",
        "description": (
            "The Ministry of Commerce's 1,000-100-10 Project, the base cities, model cities and showcase areas, "
            "their designations year by year, and the official statements behind them." + counted
            + " Every row cites its sources (the citations table). The cities' English names, GeoNames ids and "
            "coordinates are from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0."),
        **DATA_LICENSE,
        "source": "oscli's data and the sources it cites (the sources table)",
        "source_url": f"/{database}/sources",
        "databases": {database: {
            "description": "Exported by oscli (`oscli export sqlite`).",
            "tables": tables,
            "queries": QUERIES,
        }},
    }


def metadata_text(base: FactBase, database: str, path: Path) -> str:
    """The metadata as JSON, or as YAML when ``path`` ends in .yml or .yaml (Datasette reads both)."""
    data = metadata(base, database)
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- GeoJSON ----------------------------------------------------------------------------------------

GEOJSON_FIELDS = ("id", "name", "name_zh", "province", "province_zh", "division_code", "geonames_id",
                  "primary_outsourcing_city", "titles", "sources")


def geojson(base: FactBase, as_of: Optional[str] = None, title: Optional[str] = None) -> dict:
    """An RFC 7946 FeatureCollection of the cities that ``oscli cities list --as-of --title`` selects:
    each a Point at [longitude, latitude] (null geometry where the data has no coordinates), with the
    JSON contract's values, the titles held at ``as_of`` and the first designation's date or bounds."""
    features = []
    for city in query.select(base, "city", {"as_of": as_of, "title": title}):
        data = views.to_dict(base, city, as_of)
        properties = {name: data[name] for name in GEOJSON_FIELDS}
        first = first_grant(base, city)
        properties["first_designation"] = None if first is None else {
            "id": first.id, "title": first.title, "date": first.date, "not_before": first.not_before,
            "not_after": first.not_after, "when": dates.when(first)}
        has_point = city.longitude is not None and city.latitude is not None
        features.append({
            "type": "Feature", "id": city.id,
            "geometry": {"type": "Point", "coordinates": [city.longitude, city.latitude]} if has_point else None,
            "properties": properties,
        })
    return {
        "type": "FeatureCollection",
        "attribution": "Coordinates and GeoNames ids: GeoNames (https://www.geonames.org/), CC BY 4.0",
        "features": features,
    }


def geojson_text(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


# -- files ------------------------------------------------------------------------------------------
#
# A file is written whole to a temporary file beside it (``.NAME.oscli-XXXXXXXX.tmp``), then put in
# place: without ``replace`` by a hard link, which fails if anything has taken the name meanwhile
# (the other file wins, and the export fails), with ``replace`` by ``os.replace``, over a regular
# file only. The temporary file is removed on any failure, on SIGINT, SIGTERM and SIGHUP; one left
# by SIGKILL is removed by the next export into that directory once no process holds its lock and
# it is ``STALE`` seconds old.

STALE = 60  # seconds after which an unlocked temporary file is a leftover of a killed export
TEMPORARY = re.compile(r"\..+\.oscli-[0-9a-z_]{8}\.tmp")  # (mkstemp's random part: 8 of [a-z0-9_])
_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_LIVE: dict[str, int] = {}  # the temporary files this process is writing -> the descriptor holding their lock


def _kind_of(path: Path) -> Optional[str]:
    """What ``path`` names, following symbolic links: None (nothing), "file", or what it is instead."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return "file"  # (a loop, no permission: the write will say what is wrong)
    if stat.S_ISREG(mode):
        return "file"
    return ("a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket"
            if stat.S_ISSOCK(mode) else "a device")


def _check_target(path: Path, replace: bool) -> None:
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name")
    if os.path.lexists(path) and not replace:
        raise ExportError(f"{path} exists; give --replace to overwrite it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: no directory {path.parent}")
    _check_replaceable(path)


def _check_replaceable(path: Path) -> None:
    """Only a regular file (or nothing) is replaced: never a FIFO, a device, a directory, nor a
    symbolic link to one (``/dev/stdout``)."""
    kind = _kind_of(path)
    if kind not in (None, "file"):
        link = " (a symbolic link to it)" if os.path.islink(path) else ""
        raise ExportError(f"{path} is {kind}{link}, not a regular file: --replace replaces only a regular file; "
                          "give a file name")


def _target(path: Path, replace: bool) -> Path:
    """Where the file goes: with ``replace``, a symbolic link's target (the link stays a link)."""
    return Path(os.path.realpath(path)) if replace and os.path.islink(path) else path


class _atomic:
    """A temporary file beside ``path`` that is put in place on success (replacing a regular file
    only with ``replace``; else only if nothing has the name then) and removed on any failure or
    signal."""

    def __init__(self, path: Path, replace: bool = True) -> None:
        self.path, self.replace = _target(path, replace), replace

    def __enter__(self) -> str:
        import signal
        import tempfile

        directory = self.path.parent or Path(".")
        sweep(directory)
        _handle_signals()
        blocked = {getattr(signal, name) for name in _SIGNALS}
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # created and registered, or neither
        try:
            try:
                handle, self.temporary = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.oscli-",
                                                          suffix=".tmp")
            except OSError as err:
                raise ExportError(f"cannot write {self.path}: {err.strerror}") from None
            _lock(handle)
            _LIVE[self.temporary] = handle
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # as a new file would be, not mkstemp's 0600
        return self.temporary

    def __exit__(self, kind, error, trace) -> bool:
        if kind is None:
            try:
                _put_in_place(self.temporary, self.path, self.replace)
                return False
            except OSError as err:
                raise ExportError(f"cannot write {self.path}: {err.strerror}") from None
            finally:
                _forget(self.temporary)
        _forget(self.temporary)
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(f"cannot write {self.path}: {error.strerror or error}") from None
        return False


def _put_in_place(temporary: str, path: Path, replace: bool) -> None:
    """``temporary`` becomes ``path``: with ``replace`` over a regular file or nothing; without it
    only if nothing has the name (a hard link fails if it has: no window between a check and the
    write). Raises ExportError, or OSError."""
    if replace:
        _check_replaceable(path)  # again: it may have changed while the export ran
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise ExportError(f"{path} exists (it appeared while exporting); give --replace to overwrite it") from None
    except OSError as err:
        import errno

        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV):
            raise
        _rename_noreplace(temporary, path)  # a file system without hard links (FAT, some FUSE)


def _rename_noreplace(temporary: str, path: Path) -> None:
    """renameat2(RENAME_NOREPLACE) (Linux 3.15, glibc 2.28): the other primitive that never replaces."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise ExportError(f"cannot write {path}: the file system makes no hard links, and this system cannot "
                          "rename without replacing") from None
    at_fdcwd, noreplace = -100, 1
    if renameat2(at_fdcwd, os.fsencode(temporary), at_fdcwd, os.fsencode(str(path)), noreplace) != 0:
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise ExportError(f"{path} exists (it appeared while exporting); give --replace to overwrite it")
        raise OSError(code, os.strerror(code))


def _lock(handle: int) -> None:
    """Hold an advisory lock on the temporary file while this process lives: a sweep by another
    export leaves it alone."""
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass  # (a file system without locks: the age alone protects it)


def _forget(temporary: str) -> None:
    """Remove the temporary file (if it is still there) and stop tracking it."""
    _remove(temporary)
    handle = _LIVE.pop(temporary, None)
    if handle is not None:
        try:
            os.close(handle)
        except OSError:
            pass
    _restore_signals()


_PREVIOUS: dict[int, Any] = {}  # the handlers _handle_signals replaced, put back when no file is being written


def _handle_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP remove the temporary files being written, then end the process
    as the signal would (exit 128 + its number: 130 for Ctrl-C). (Python lets only the main thread
    set a handler: in another, the temporary file is removed on failure only.)"""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for name in _SIGNALS:
        number = getattr(signal, name)
        if signal.getsignal(number) is not _on_signal:
            _PREVIOUS[number] = signal.signal(number, _on_signal)


def _restore_signals() -> None:
    """The handlers as they were before the first file, once no file is being written."""
    import signal
    import threading

    if _LIVE or threading.current_thread() is not threading.main_thread():
        return
    while _PREVIOUS:
        number, handler = _PREVIOUS.popitem()
        signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _on_signal(number, frame) -> None:  # pragma: no cover - exercised in a subprocess by the tests
    for temporary in list(_LIVE):
        _remove(temporary)
    os._exit(128 + number)


def sweep(directory: Path, now: Optional[float] = None) -> list[str]:
    """Remove the temporary files a killed export left in ``directory``: named as an export names
    them, ``STALE`` seconds old or more, and locked by no process. The names removed."""
    import fcntl
    import time

    now = time.time() if now is None else now
    removed = []
    try:
        names = [n for n in os.listdir(directory) if TEMPORARY.fullmatch(n)]
    except OSError:
        return removed
    for name in names:
        path = os.path.join(directory, name)
        if path in _LIVE:
            continue
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            import stat

            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live export holds it
            if os.path.samestat(info, os.lstat(path)):
                os.unlink(path)
                removed.append(name)
        except OSError:
            continue
        finally:
            os.close(handle)
    return removed


def _remove(path: str) -> None:
    for leftover in (path, path + "-journal"):
        try:
            os.unlink(leftover)
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _sync(path: str) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_text(path: Path, text: str, replace: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file; refuse to overwrite unless asked."""
    _check_target(path, replace)
    with _atomic(path, replace) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
