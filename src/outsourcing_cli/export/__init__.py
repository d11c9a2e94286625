"""Publish the fact base: a SQLite database ready for Datasette (with its metadata) and a GeoJSON
map of the cities. No rendering: the CLI passes a base and paths, and prints the summary.

One module per part, each importing only the ones it builds on: ``tables`` (a kind's tables, from
the registry), ``fulltext`` (``records`` and its full-text index, Chinese included), ``citations``,
``holdings`` (the titles held year by year, their views and canned queries), ``layout`` (every
table, and how the database is laid out), ``sqlite`` (the database: ``sqlite()``), ``datasette``
(its metadata), ``geojson`` (the map) and ``files`` (every file written whole or not at all).
"""


class ExportError(Exception):
    """A file that cannot be written: it exists and replacing was not asked for, or the system refuses."""
