"""A GeoJSON map of the cities (RFC 7946). Loads neither sqlite3 nor the database's layout."""

from __future__ import annotations

import json
from typing import Any

from ..domain import dates, filters, history
from ..domain.model import FactBase, Record
from ..present import views

GEOJSON_FIELDS = (
    "id",
    "name",
    "name_zh",
    "province",
    "province_zh",
    "division_code",
    "geonames_id",
    "primary_outsourcing_city",
    "titles",
    "sources",
)


def geojson(base: FactBase, as_of: str | None = None, title: str | None = None) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of the cities that ``oscli cities list --as-of --title`` selects:
    each a Point at [longitude, latitude] (null geometry where the data has no coordinates), with the
    JSON contract's values, the titles held at ``as_of`` and the first designation's date or bounds."""
    features = []
    for city in filters.select(base, "city", {"as_of": as_of, "title": title}):
        data = views.to_dict(base, city, as_of)
        properties = {name: data[name] for name in GEOJSON_FIELDS}
        first = first_grant(base, city)
        properties["first_designation"] = (
            None
            if first is None
            else {
                "id": first.id,
                "title": first.title,
                "date": first.date,
                "not_before": first.not_before,
                "not_after": first.not_after,
                "when": dates.when(first),
            }
        )
        has_point = city.longitude is not None and city.latitude is not None
        features.append(
            {
                "type": "Feature",
                "id": city.id,
                "geometry": {"type": "Point", "coordinates": [city.longitude, city.latitude]} if has_point else None,
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": "Coordinates and GeoNames ids: GeoNames (https://www.geonames.org/), CC BY 4.0",
        "features": features,
    }


def geojson_text(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def first_grant(base: FactBase, record: Record) -> Record | None:
    """The earliest designation granting ``record`` a title (in date order, bounds counted)."""
    return next((e for e in history.designations_of(base, record.kind, record.id) if e.event == "granted"), None)
