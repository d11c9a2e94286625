"""`oscli export`: the fact base as a SQLite database (for Datasette) and as GeoJSON. A group of
commands; cli/app.py places it in the help panel "Publish".

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..domain import filters, query
from ..domain.names import plural
from ..present import output
from .common import _complete_ids, _domain, _examples

# -- export: the fact base as a SQLite database (for Datasette) and as GeoJSON -----------------------

export_app = typer.Typer(
    help="Publish the fact base: a SQLite database for Datasette (with its metadata), a GeoJSON map.",
    epilog=_examples(
        "oscli export sqlite oscli.db --metadata metadata.json",
        "oscli export geojson --as-of 2016 --title model-city > model-cities.geojson",
    ),
    no_args_is_help=True,
    add_completion=False,
)

EXIT_EXPORT = 1  # the file exists (without --replace) or cannot be written
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="Overwrite files that exist (else exit 1).")]


@contextmanager
def _exporting() -> Iterator[None]:
    """A file that exists (without --replace) or cannot be written: a message and exit 1."""
    from ..export import ExportError

    with _domain():
        try:
            yield
        except ExportError as err:
            output.error(str(err))
            raise typer.Exit(EXIT_EXPORT) from None


@export_app.command(
    "sqlite",
    epilog=_examples(
        "oscli export sqlite oscli.db",
        "oscli export sqlite oscli.db --metadata metadata.json",
        "oscli export sqlite oscli.db --metadata metadata.yml --replace",
    ),
)
def export_sqlite(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The database to write, e.g. oscli.db.", dir_okay=False)],
    metadata: Annotated[
        Optional[Path],
        typer.Option(
            "--metadata",
            metavar="FILE",
            dir_okay=False,
            help="Also write Datasette metadata: JSON, or YAML if FILE ends in .yml or .yaml.",
        ),
    ] = None,
    replace: ReplaceOpt = False,
) -> None:
    """Write the fact base as a SQLite database: a table per kind, join and part tables, citations,
    full-text search and views of the titles held year by year.

    Then browse it: datasette oscli.db -m metadata.json. Prints each file written (path, then what it
    holds). The file is written whole or not at all.
    """
    from ..export.sqlite import sqlite

    if str(file) == "-":  # a database is not a stream: `-` would be a file named '-'
        raise typer.BadParameter(
            "a SQLite database cannot be written to standard output; give a file name, e.g. oscli.db",
            param_hint="'FILE'",
        )
    base = ctx.obj.base()
    with _exporting():
        summary = sqlite(base, file, replace=replace, metadata=metadata)
    with output.writing():
        sys.stdout.write(
            f"{summary.path}\tSQLite database: {summary.records:,} records, "
            f"{sum(summary.tables.values()):,} rows in {len(summary.tables)} tables, "
            f"{len(summary.views)} views\n"
        )
        if summary.metadata:
            sys.stdout.write(f"{summary.metadata}\tDatasette metadata\n")
    import shlex

    output.error(
        f"browse it: datasette {shlex.quote(summary.path)}"
        + (f" -m {shlex.quote(summary.metadata)}" if summary.metadata else "")
    )


@export_app.command(
    "geojson",
    epilog=_examples(
        "oscli export geojson",
        "oscli export geojson --as-of 2016 --title model-city",
        "oscli export geojson cities.geojson --replace",
    ),
)
def export_geojson(
    ctx: typer.Context,
    file: Annotated[
        Optional[Path],
        typer.Argument(
            metavar="[FILE]", dir_okay=False, help="The file to write; standard output when left out or '-'."
        ),
    ] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help=filters.FILTERS["as_of"].help)] = None,
    title: Annotated[
        Optional[str],
        typer.Option(
            "--title", metavar="TITLE", help=filters.FILTERS["title"].help, autocompletion=_complete_ids("title")
        ),
    ] = None,
    replace: ReplaceOpt = False,
) -> None:
    """Write the cities as a GeoJSON FeatureCollection (RFC 7946): a point per city at
    [longitude, latitude], with its names, codes, the titles held at --as-of, its first
    designation and its sources.

    --as-of and --title select cities as `oscli cities list` does.
    """
    from ..export.files import write_text
    from ..export.geojson import geojson, geojson_text

    with _domain():
        query.check_date("--as-of", as_of)
    base = ctx.obj.base()
    with _exporting():
        collection = geojson(base, as_of, title)
        text = geojson_text(collection)
        if file is None or str(file) == "-":
            output.json_escapes()
            with output.writing():
                sys.stdout.write(text)
            return
        write_text(file, text, replace=replace)
    with output.writing():
        sys.stdout.write(f"{file}\tGeoJSON: {plural(len(collection['features']), 'city', 'cities')}\n")
