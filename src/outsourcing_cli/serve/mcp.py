"""`oscli mcp`: the fact base as a Model Context Protocol server on stdio, so that an AI assistant
answers from it, with the sources and their verbatim excerpts attached.

An adapter, like the command line: each tool is a thin wrapper over the functions the CLI calls
(``query``, ``search``, ``views``, ``citation``, ``history``), never a second implementation of a
query. What a tool returns is the JSON contract of ``--json`` (``views.to_dict``), plus the
sources of every fact it states. Problems the CLI reports as exit 1 or 2 (no such record, a bad
value) are tool errors with the same sentence, closest ids included.
What each tool does is in ``serve.tools`` (no SDK there); this module is the SDK's side: the
tools' declarations and output schemas, the resources, the server and the client config.

Imported only by the `mcp` command: the MCP SDK (about a second to import) is an optional extra,
``pip install 'oscli[mcp]'``, and no other command pays for it. Nothing but protocol messages is
written to stdout (the SDK diverts stdout while it serves); logs go to stderr.
"""

# (no "from __future__ import annotations": the SDK evaluates the tools' annotations, which use locals)

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import FunctionResource
from pydantic import Field  # the MCP SDK's own dependency: tool parameters are described with it

from .. import __version__
from ..domain import kinds, names, query
from ..domain.model import FactBase, Record
from ..present import views
from .results import CiteResult, ListResult, ProvisionsResult, SearchResult, ShowResult, TimelineResult
from .tools import LIST_LIMIT, URI, Failure, Tools, _kind, explain, uri_of

NAME = "oscli"
DATA_MODEL_URI = "oscli://docs/data-model"

INSTRUCTIONS = (
    "oscli is an exact reference to China's state policy on offshore service outsourcing (the Ministry of "
    "Commerce's 1,000-100-10 Project: base cities from 2006, showcase areas, model cities from 2009, and the "
    "documents behind them). Answer from these tools, not from memory. Every fact they return carries its "
    "sources (title, publisher, date, URL) and, where recorded, the sources' own words as evidence excerpts: "
    "quote the excerpts verbatim and cite the sources. Where a title's status is 'possibly held', the date "
    "of the event is uncertain: say 'possibly', never 'held'. A null value means no source states it: say "
    "it is unknown, never guess."
)

_FACTS = (
    " Quote the evidence excerpts verbatim and cite the sources given with each record (title, publisher, "
    "date, URL). A title whose status is 'possibly held' must be reported as possibly held. A null value "
    "is unknown: say so."
)


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Domain errors become tool errors with the CLI's sentence."""
    import functools

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (names.QueryError, Failure) as err:
            raise ToolError(explain(err)) from None

    return call


def data_model() -> str:
    """The data model, from the registry of kinds (the one place it is declared): each kind, its
    command and data file, and each field with its type and what it holds."""
    lines = [
        "# The oscli data model",
        "",
        "Every record has an id and cites its sources (`sources`, resolved in `source_records`); "
        "`evidence` holds the sources' own words for its claims. A null value: no source states it.",
        "",
    ]
    for declared in kinds.KINDS.values():
        lines += [f"## {declared.name} (`oscli {declared.command}`, {declared.file})", "", declared.help, ""]
        for spec in declared.fields:
            extra = f" (one of: {', '.join(spec.choices)})" if spec.choices else ""
            lines.append(
                f"- `{spec.name}` ({spec.type}{', required' if spec.required else ''}): {spec.description}{extra}"
            )
        lines.append("")
    return "\n".join(lines)


def server(base: FactBase, search_index: Callable[[], Any]) -> MCPServer:
    """The MCP server over one validated fact base: its tools and resources."""
    tools = Tools(base, search_index)
    app = MCPServer(
        NAME,
        title="oscli: China's offshore service outsourcing policy",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
    )
    kind_names = ", ".join(kinds.names())

    @app.tool(
        name="search",
        structured_output=True,
        description="Search every record (names in English and Chinese, titles, quotations, "
        "statements, definitions, document numbers). Each hit gives the record's type and id, the field that "
        "matched, a snippet, how it matched (exact, prefix, word; fuzzy only when nothing else matched) and "
        "the record's sources. Follow up with `show` for the full record and its evidence." + _FACTS,
    )
    @_guarded
    def search_tool(
        query: Annotated[
            str, Field(description="Words to look for, in English or Chinese (e.g. 苏州, Suzhou, 1000-100-10).")
        ],
        type: Annotated[list[str] | None, Field(description=f"Only records of these kinds: {kind_names}.")] = None,
        exact: Annotated[bool, Field(description="No close spellings: only exact, prefix and word matches.")] = False,
        limit: Annotated[int, Field(description="At most this many hits (0: all).", ge=0)] = 20,
    ) -> SearchResult:
        return tools.search(query, type, exact, limit)

    @app.tool(
        name="show",
        structured_output=True,
        description="One record in full (the JSON contract of `oscli KIND show ID --json`): "
        "its fields, the titles it held as of `as_of` (each 'held' or 'possibly held', with the designation "
        "that granted it), its evidence excerpts and its sources in full." + _FACTS,
    )
    @_guarded
    def show_tool(
        kind: Annotated[str, Field(description=f"The kind of record: {kind_names}.")],
        id: Annotated[
            str, Field(description="The record's id, or its name in English or Chinese (e.g. suzhou, 苏州).")
        ],
        as_of: Annotated[
            str | None,
            Field(
                description="A date (YYYY, YYYY-MM or YYYY-MM-DD): the titles held at "
                "its end (2009 means by 31 December 2009)."
            ),
        ] = None,
    ) -> ShowResult:
        return tools.show(kind, id, as_of)

    @app.tool(
        name="list",
        structured_output=True,
        description="The records of one kind that the filters select, each in full with "
        "its sources (as `oscli KIND list --json`). Cities and areas take as_of, title and (cities) "
        "province; designations take city, title, since and until. 'notes' says what the filters left out "
        "or what is only possibly held." + _FACTS,
    )
    @_guarded
    def list_tool(
        kind: Annotated[str, Field(description=f"The kind of record: {kind_names}.")],
        as_of: Annotated[str | None, Field(description="Only what held a title at the end of this date.")] = None,
        title: Annotated[
            str | None,
            Field(
                description="Only holders (or events) of this title: base-city, "
                "model-city, showcase-area, showcase-base."
            ),
        ] = None,
        city: Annotated[str | None, Field(description="Only records in this city (id or name).")] = None,
        province: Annotated[str | None, Field(description="Only cities in this province (English or Chinese).")] = None,
        since: Annotated[str | None, Field(description="Only records dated in or after this date.")] = None,
        until: Annotated[str | None, Field(description="Only records dated in or before this date.")] = None,
        limit: Annotated[int, Field(description="At most this many records (0: all).", ge=0)] = LIST_LIMIT,
        area: Annotated[
            str | None,
            Field(description="Provisions: only those that reach a company in this showcase area (id or name)."),
        ] = None,
        category: Annotated[
            str | None,
            Field(description="Provisions: only this category (tax, fund, labour, procedure, training, other)."),
        ] = None,
    ) -> ListResult:
        return tools.list(kind, as_of, title, city, province, since, until, limit, area, category)

    @app.tool(
        name="provisions",
        structured_output=True,
        description="What a title gave: the provisions (tax "
        "rates, funds, working hours...) in force at a date for a company in a city or a showcase area, each "
        "with its document, value, conditions, validity, its status there ('held': certainly in force and "
        "reaching the place; 'possibly held': the date or the place's title is uncertain) and its sources, "
        "as `oscli provisions list --city C --as-of D` gives them. A provision whose end no source states "
        "says so: do not infer one." + _FACTS,
    )
    @_guarded
    def provisions_tool(
        place: Annotated[
            str,
            Field(
                description="A city or a showcase area: id or name in English or Chinese "
                "(suzhou, 苏州, suzhou-industrial-park)."
            ),
        ],
        as_of: Annotated[
            str | None,
            Field(
                description="A date (YYYY, YYYY-MM or YYYY-MM-DD): in force at its end; none: as of the newest data."
            ),
        ] = None,
        category: Annotated[
            str | None, Field(description="Only this category: tax, fund, labour, procedure, training, other.")
        ] = None,
    ) -> ProvisionsResult:
        return tools.provisions(place, as_of, category)

    @app.tool(
        name="cite",
        structured_output=True,
        description="A citation of a record or of one of its claims, ready to paste: as text, "
        "BibTeX, biblatex, CSL-JSON or RIS. A policy or source is cited as itself; any other record by the "
        "sources that support it. With `claim` (a field such as name_zh, or a part such as targets[3]), the "
        "claim's sources with their verbatim excerpts." + _FACTS,
    )
    @_guarded
    def cite_tool(
        id: Annotated[str, Field(description="The id or name of any record.")],
        claim: Annotated[
            str | None,
            Field(description="One claim of the record: a field (name_zh) or a part (targets[3], statements[0])."),
        ] = None,
        format: Annotated[str, Field(description="text, bibtex, biblatex, csl-json or ris.")] = "text",
        type: Annotated[str | None, Field(description="The kind of record, when the id names several.")] = None,
    ) -> CiteResult:
        return tools.cite(id, claim, format, type)

    @app.tool(
        name="timeline",
        structured_output=True,
        description="Every designation (a title granted or revoked) in date order, with "
        "its sources. An event whose day is unknown is placed by its bounds and marked uncertain." + _FACTS,
    )
    @_guarded
    def timeline_tool(
        title: Annotated[str | None, Field(description="Only events of this title.")] = None,
        since: Annotated[str | None, Field(description="Only events in or after this date.")] = None,
        until: Annotated[str | None, Field(description="Only events in or before this date.")] = None,
        city: Annotated[str | None, Field(description="Only events of this city (id or name).")] = None,
    ) -> TimelineResult:
        return tools.timeline(title, since, until, city)

    for record in base.records():
        if not record.id:
            continue
        app.add_resource(
            FunctionResource.from_function(
                fn=_reader(base, record),
                uri=uri_of(record),
                name=f"{record.kind}/{record.id}",
                title=views.label(base, record),
                mime_type="application/json",
                description=f"The {record.kind} {record.id} as JSON, with its sources and evidence.",
            )
        )

    @app.resource(
        URI,
        name="record",
        mime_type="application/json",
        description="Any record as JSON (the contract of `oscli KIND show ID --json`).",
    )
    def record_resource(kind: str, id: str) -> str:
        try:
            found = query.get(base, _kind(kind).name, id)
        except names.QueryError as err:
            raise ResourceError(explain(err)) from None
        return _reader(base, found)()

    @app.resource(
        DATA_MODEL_URI,
        name="data-model",
        title="The oscli data model",
        mime_type="text/markdown",
        description="Every kind of record and its fields, with what each holds.",
    )
    def data_model_resource() -> str:
        return data_model()

    return app


def _reader(base: FactBase, record: Record) -> Callable[[], str]:
    def read() -> str:
        from ..present.render import json_text

        return json_text(views.to_dict(base, record))

    return read


def client_config(client: str, data_dir: Path | None = None) -> str:
    """The JSON that registers this server in a client: ``claude`` (claude_desktop_config.json) or
    ``vscode`` (.vscode/mcp.json), with the full path of the running oscli (a client does not see
    the shell's PATH) and the data directory, when one was given, as an absolute path."""
    import json
    import shutil
    import sys

    running = Path(sys.argv[0])
    command = str(running.resolve()) if running.name == "oscli" else shutil.which("oscli") or "oscli"
    args = (["--data-dir", str(Path(data_dir).resolve())] if data_dir else []) + ["mcp"]
    entry: dict[str, Any] = {"command": command, "args": args}
    document = {"servers": {NAME: {"type": "stdio", **entry}}} if client == "vscode" else {"mcpServers": {NAME: entry}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def serve(base: FactBase, search_index: Callable[[], Any]) -> None:
    """Serve on stdin and stdout until the client closes them."""
    server(base, search_index).run("stdio")
