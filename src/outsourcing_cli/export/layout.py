"""The database is laid out from the registry of kinds (``kinds.KINDS``), never from a list here:

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
"""

from __future__ import annotations

from ..domain import kinds
from ..domain.model import FactBase
from .citations import _citations_table
from .fulltext import RECORDS_FTS, _records_table
from .holdings import VIEWS, _holdings_table, _years_table
from .tables import KindLayout, Table


class Layout:
    """Every table of the database, from the registry, in the order they are created."""

    def __init__(self, base: FactBase | None = None) -> None:
        self.kinds = [KindLayout(k, base) for k in kinds.KINDS.values()]
        self.records = _records_table()
        self.citations = _citations_table()
        self.holdings = _holdings_table()
        self.years = _years_table()
        names = [t.name for t in self.tables()] + [RECORDS_FTS, *VIEWS]
        assert len(names) == len(set(names)), f"two tables share a name: {names}"

    def tables(self) -> list[Table]:
        out = [t for layout in self.kinds for t in layout.tables()]
        return [*out, self.records, self.citations, self.years, self.holdings]
