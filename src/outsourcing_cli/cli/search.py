"""`oscli search`: every record, ranked, exact evidence first.

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..domain import kinds, query
from ..present import output, views
from ..present.output import Format
from .common import EXIT_NOT_FOUND, FormatOpt, JsonOpt, _chosen, _domain, _emit, _examples, _fields_type

if TYPE_CHECKING:  # the --fields option Typer reads, as the checker sees it
    SearchFieldsOpt = Optional[str]
else:
    SearchFieldsOpt = _fields_type("search")

search_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@search_app.command(
    "search",
    rich_help_panel="Find, cite and check",
    epilog=_examples(
        "oscli search suzhou",
        'oscli search "Xian"',
        "oscli search 1000-100-10 --json",
        "oscli search Shenzen",
        "oscli search 2009 --type designation --exact",
        "oscli search 苏州",
    ),
)
def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for, in English or Chinese.")],
    types: Annotated[
        Optional[list[str]],
        typer.Option(
            "--type",
            "-t",
            metavar="KIND",
            help="Only records of this kind: "
            + ", ".join(kinds.names())
            + " (or the command names: "
            + ", ".join(k.command for k in kinds.KINDS.values())
            + "). Repeat for several.",
            autocompletion=lambda incomplete: [k for k in kinds.aliases() if k.startswith(incomplete)],
        ),
    ] = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="No close spellings: only exact, prefix and word matches.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most this many (0: all).")] = 20,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: SearchFieldsOpt = None,
) -> None:
    """Search every record: names in English and Chinese, titles, quotes, statements, definitions.

    Results are ranked, exact evidence first, and each shows the field that matched and how
    (exact, prefix, word). Case, spaces and punctuation do not matter ("Xian" finds Xi'an,
    "1000-100-10" finds "1,000-100-10"); numbers match only whole ("2009" finds 2009年, never
    20091). Only when nothing matches so does a close spelling count ("Shenzen"), and the hits are
    then labelled as close matches (--exact turns this off). Exits 1 when nothing matches.
    """
    from ..domain.fold import compact
    from ..domain.search import FUZZY, MAX_QUERY, search, snippet
    from ..present.render import Payload

    chosen_format, chosen = _chosen("search", fmt, as_json, fields, views.SEARCH_FIELDS)
    if not compact(text):
        raise typer.BadParameter("give at least one letter or digit to search for", param_hint="'TEXT'")
    if len(text) > MAX_QUERY:
        raise typer.BadParameter(
            f"the text is {len(text):,} characters; search takes at most {MAX_QUERY}", param_hint="'TEXT'"
        )
    with _domain():
        wanted = query.kinds_for_types(types)
    hits = search(ctx.obj.base(), text, wanted, exact_only=exact, index=ctx.obj.search_index())
    shown = hits[:limit] if limit else hits
    close = bool(hits) and hits[0].match == FUZZY
    dicts = []
    for hit in shown:
        cut, start, end = snippet(hit)
        dicts.append(views.search_dict(hit, views.Marked(cut, [(start, end)])))
    title = f"No exact match for '{text}'; close matches:" if close else f"Search: {text}"
    if not hits:  # no header, no row on stdout (JSON and YAML still write their empty list); exit 1
        if chosen_format in (Format.json, Format.yaml):
            _emit(chosen_format, Payload("search", title, [], chosen, flat_fields=views.SEARCH_FIELDS))
        output.error(
            f"nothing matches '{text}'"
            + ("" if exact else ", exactly or closely")
            + ". Try fewer or other words, or `oscli <command> list`."
        )
        raise typer.Exit(EXIT_NOT_FOUND)
    if close and chosen_format in output.HUMAN:
        output.error(f"no exact match for '{text}'; close matches:")
    _emit(chosen_format, Payload("search", title, dicts, chosen, flat_fields=views.SEARCH_FIELDS))
    if len(shown) < len(hits) and chosen_format in output.HUMAN:
        output.error(f"showing {len(shown)} of {len(hits)} matches; --limit 0 shows all.")
