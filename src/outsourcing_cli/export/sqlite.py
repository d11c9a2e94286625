"""The database: every table, index, the full-text index and the views, built and filled in a
temporary file that is put in place whole (``sqlite``)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import history, kinds, query
from ..domain.frozen import Frozen
from ..domain.model import FactBase
from ..store.gcpause import paused
from . import ExportError
from .citations import _Citations
from .datasette import metadata_text
from .files import _atomic, _check_target, _sync, write_text
from .fulltext import RECORDS_FTS, _fts_ddl, searchable, zh_bigrams, zh_ngrams
from .holdings import VIEWS, holdings_rows
from .layout import Layout
from .tables import Table, _q

if TYPE_CHECKING:
    from sqlite3 import Connection

    from .citations import CitationRow
    from .tables import Row


class Summary(Frozen):
    """What an export wrote."""

    path: str
    tables: dict[str, int]  # table -> rows (the full-text index left out)
    views: tuple[str, ...]
    records: int
    size: int
    metadata: str | None = None


def build(base: FactBase, connection: Connection) -> dict[str, int]:
    """Create every table, index, the full-text index and the views in an empty database, and fill
    them, kind by kind; return the rows per table."""
    layout = Layout(base)
    tables = layout.tables()
    counts = {t.name: 0 for t in tables}

    def write(table: Table, rows: Sequence[Row]) -> None:
        if rows:
            connection.executemany(table.insert(), rows)
        counts[table.name] += len(rows)

    for table in tables:
        connection.execute(table.ddl())
    connection.execute(_fts_ddl())
    rowid = 0
    for kind_layout in layout.kinds:
        own = kind_layout.tables()
        sink: dict[str, list[Row]] = {t.name: [] for t in own}
        cited = _Citations(kind_layout.kind)
        citations: list[CitationRow] = []
        records: list[tuple[int, str, str, str]] = []
        fts: list[tuple[int, str, str, str]] = []
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


def sqlite(base: FactBase, path: Path, replace: bool = False, metadata: Path | None = None) -> Summary:
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
            with contextlib.suppress(OSError):
                os.unlink(created)
        raise
    records = sum(len(base.of(k)) for k in kinds.KINDS)
    return Summary(
        str(path), counts, tuple(VIEWS), records, path.stat().st_size, str(metadata) if metadata is not None else None
    )


_WRITE_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")
