"""`oscli timeline`: every designation in date order, and a provision's spread (--provision).

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..domain import filters, query
from ..present import output, views
from ..present.output import Format
from .common import FormatOpt, JsonOpt, _chosen, _complete_ids, _domain, _emit, _examples, _fields_type

if TYPE_CHECKING:  # the --fields option Typer reads, as the checker sees it
    TimelineFieldsOpt = Optional[str]
else:
    TimelineFieldsOpt = _fields_type("timeline")

timeline_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@timeline_app.command(
    "timeline",
    rich_help_panel="Find, cite and check",
    epilog=_examples(
        "oscli timeline",
        "oscli timeline --title model-city --since 2016",
        "oscli timeline --city suzhou --json",
        "oscli timeline --until 2008 --format csv",
        "oscli timeline --provision tase-eit-model-cities-2009",
    ),
)
def timeline(
    ctx: typer.Context,
    city: Annotated[
        Optional[str], typer.Option("--city", help=filters.FILTERS["city"].help, autocompletion=_complete_ids("city"))
    ] = None,
    title: Annotated[
        Optional[str],
        typer.Option(
            "--title",
            metavar="TITLE",
            help="Only events of this title (base-city, model-city, showcase-area, showcase-base).",
            autocompletion=_complete_ids("title"),
        ),
    ] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help=filters.FILTERS["since"].help)] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help=filters.FILTERS["until"].help)] = None,
    provision: Annotated[
        Optional[str],
        typer.Option(
            "--provision",
            metavar="ID",
            help="Instead: the spread of this provision's chain (pilot, model cities, "
            "nationwide): each link, when it was in force and how many cities it reached.",
            autocompletion=_complete_ids("provision"),
        ),
    ] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: TimelineFieldsOpt = None,
) -> None:
    """Every designation in date order, and how many held each title, year by year.

    An event whose day is unknown is placed by its bounds and marked (its "When" says "between",
    "by" or "not before"). On a terminal a chart follows: a bar per year for each title, solid for
    the cities that held it at the end of the year, light for those that possibly did.
    """
    from ..present.render import Payload
    from ..present.timeline import spread_dicts, timeline_dict, yearly_chart

    if provision is not None:  # issue 18: a provision's spread
        if city or title or since or until:
            raise typer.BadParameter(
                "--provision shows one chain; drop --city, --title, --since and --until", param_hint="'--provision'"
            )
        chosen_format, chosen = _chosen("spread", fmt, as_json, fields, views.VIEWS["spread"].names)
        base = ctx.obj.base()
        with _domain():
            record = query.get(base, "provision", provision)
        _emit(
            chosen_format,
            Payload(
                "spread",
                f"The spread of {record.id} and its chain",
                spread_dicts(base, record),
                chosen,
                flat_fields=views.VIEWS["spread"].names,
            ),
        )
        return
    chosen_format, chosen = _chosen("timeline", fmt, as_json, fields, views.VIEWS["timeline"].names)
    with _domain():
        query.check_date("--since", since)
        query.check_date("--until", until)
    base = ctx.obj.base()
    with _domain():
        events = query.sort_records(
            "designation",
            filters.select(base, "designation", {"city": city, "title": title, "since": since, "until": until}),
            None,
        )
    dicts = [timeline_dict(base, e) for e in events]
    titles = list(dict.fromkeys(e.title for e in events if e.title))
    chart = yearly_chart(base, titles, since, until) if chosen_format is Format.table else None
    note = views.undated_note(
        base, "designation", {"city": city, "title": title, "since": since, "until": until}, hint=False
    )
    _emit(
        chosen_format,
        Payload(
            "timeline",
            "Designations, in date order",
            dicts,
            chosen,
            flat_fields=views.VIEWS["timeline"].names,
            chart=chart,
        ),
    )
    if note:
        output.error(f"note: {note}")
