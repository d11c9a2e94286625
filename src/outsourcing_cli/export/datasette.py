"""Datasette metadata for the database: descriptions, sources, licences, search, facets, the
cluster map and canned queries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..domain import kinds
from ..domain.model import FactBase
from .fulltext import RECORDS_FTS
from .holdings import QUERIES, VIEWS
from .layout import Layout

GEONAMES = {
    "name": "GeoNames",
    "url": "https://www.geonames.org/",
    "license": "CC BY 4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
}
DATA_LICENSE = {"license": "MIT", "license_url": "https://opensource.org/licenses/MIT"}


def metadata(base: FactBase, database: str) -> dict[str, Any]:
    """Datasette 0.65 metadata for the database named ``database`` (its file name without .db):
    title, description, licences and GeoNames' attribution, each table's description, source and
    column descriptions (from the registry), search, facets, the cluster map and canned queries."""
    layout = Layout()
    tables: dict[str, dict[str, Any]] = {}
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
    cities.update(
        {
            "source": f"{GEONAMES['name']} (GeoNames ids, coordinates) and the sources each row cites",
            "source_url": GEONAMES["url"],
            "license": GEONAMES["license"],
            "license_url": GEONAMES["license_url"],
            "plugins": {"datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"}},
        }
    )
    for name, (description, _) in VIEWS.items():
        tables[name] = {
            "description": description,
            "source": "derived from the designations (title_holdings)",
            "source_url": f"/{database}/title_holdings",
        }
    counted = f" {sum(len(base.of(k)) for k in kinds.KINDS):,} records."
    return {
        "title": "oscli: China's offshore service outsourcing policy",
        "description": (
            "The Ministry of Commerce's 1,000-100-10 Project, the base cities, model cities and showcase areas, "
            "their designations year by year, and the official statements behind them."
            + counted
            + " Every row cites its sources (the citations table). The cities' English names, GeoNames ids and "
            "coordinates are from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0."
        ),
        **DATA_LICENSE,
        "source": "oscli's data and the sources it cites (the sources table)",
        "source_url": f"/{database}/sources",
        "databases": {
            database: {
                "description": "Exported by oscli (`oscli export sqlite`).",
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }


def metadata_text(base: FactBase, database: str, path: Path) -> str:
    """The metadata as JSON, or as YAML when ``path`` ends in .yml or .yaml (Datasette reads both)."""
    data = metadata(base, database)
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
