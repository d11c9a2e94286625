"""`oscli sources open`: a source's page in the web browser (a command of the `sources` kind
beyond list and show).

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import sys
from typing import Annotated

import typer

from ..domain import query
from ..present import output
from .common import EXIT_NOT_FOUND, _complete_ids, _domain, _examples

# -- sources open: a source's page in the browser ----------------------------------------------------

sources_open_app = typer.Typer(add_completion=False)


@sources_open_app.command(
    "open",
    epilog=_examples("oscli sources open oj-article --no-browser", "oscli sources open geonames --archived -n"),
)
def sources_open(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The source's id or title, e.g. oj-article.", autocompletion=_complete_ids("source")
        ),
    ],
    archived: Annotated[bool, typer.Option("--archived", help="Open the archived copy, where there is one.")] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", "-n", help="Print the URL instead of opening it (as gh browse -n does).")
    ] = False,
) -> None:
    """Open a source's page in the web browser, as `gh browse` does: its URL, or its archived copy
    (--archived, or when the source has no URL of its own).

    The browser is Python's webbrowser: $BROWSER if set (e.g. BROWSER=w3m), else the system's.
    Where there is no display (no $DISPLAY or $WAYLAND_DISPLAY on Linux, e.g. over SSH) or no
    browser, or with --no-browser, the URL is printed instead, for you to open or pipe.
    """
    base = ctx.obj.base()
    with _domain():
        source = query.get(base, "source", record_id)
    url = (source.archive_url or source.url) if archived else (source.url or source.archive_url)
    if not url:
        output.error(
            f"source {source.id} has no URL and no archived copy; `oscli sources show {source.id}` "
            "says where it is found."
        )
        raise typer.Exit(EXIT_NOT_FOUND)
    if archived and not source.archive_url:
        output.error(f"note: source {source.id} has no archived copy; its URL instead.")
    from ..present.browse import open_url

    if no_browser or not open_url(url):  # no display or no browser: the URL, for the reader to open
        with output.writing():
            sys.stdout.write(url + "\n")
        return
    output.error(f"opening {url} in your browser")
