"""`oscli mcp`: the fact base as a Model Context Protocol server on stdio, so that an AI assistant
answers from it, with the sources and their verbatim excerpts attached.

An adapter, like the command line: each tool is a thin wrapper over the functions the CLI calls
(``query``, ``search``, ``views``, ``citation``, ``history``), never a second implementation of a
query. What a tool returns is the JSON contract of ``--json`` (``views.to_dict``), plus the
sources of every fact it states. Problems the CLI reports as exit 1 or 2 (no such record, a bad
value) are tool errors with the same sentence, closest ids included.

Imported only by the `mcp` command: the MCP SDK (about a second to import) is an optional extra,
``pip install 'oscli[mcp]'``, and no other command pays for it. Nothing but protocol messages is
written to stdout (the SDK diverts stdout while it serves); logs go to stderr.
"""

# (no "from __future__ import annotations": the SDK evaluates the tools' annotations, which use locals)

from pathlib import Path
from typing import Annotated, Any, Callable, Optional

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import FunctionResource
from pydantic import Field  # the MCP SDK's own dependency: tool parameters are described with it
from typing_extensions import NotRequired, TypedDict  # pydantic reads typing's TypedDict only from 3.12

from .. import __version__
from ..domain import kinds, query
from ..domain.index import index
from ..present import views
from ..domain.model import FactBase, Record

NAME = "oscli"
URI = "oscli://{kind}/{id}"
DATA_MODEL_URI = "oscli://docs/data-model"
LIST_LIMIT = 50  # records a `list` call returns unless asked for more: an assistant's context is finite

INSTRUCTIONS = (
    "oscli is an exact reference to China's state policy on offshore service outsourcing (the Ministry of "
    "Commerce's 1,000-100-10 Project: base cities from 2006, showcase areas, model cities from 2009, and the "
    "documents behind them). Answer from these tools, not from memory. Every fact they return carries its "
    "sources (title, publisher, date, URL) and, where recorded, the sources' own words as evidence excerpts: "
    "quote the excerpts verbatim and cite the sources. Where a title's status is 'possibly held', the date "
    "of the event is uncertain: say 'possibly', never 'held'. A null value means no source states it: say "
    "it is unknown, never guess."
)

_FACTS = (" Quote the evidence excerpts verbatim and cite the sources given with each record (title, publisher, "
          "date, URL). A title whose status is 'possibly held' must be reported as possibly held. A null value "
          "is unknown: say so.")


# -- what the tools return: their output schemas -------------------------------------------------


class SourceBrief(TypedDict):
    """A source as a citation needs it."""

    id: str
    title: Optional[str]
    publisher: Optional[str]
    author: Optional[str]
    date: Optional[str]
    url: Optional[str]
    archive_url: Optional[str]


class SearchHit(TypedDict):
    type: str
    id: str
    field: str
    snippet: str
    score: float
    match: str
    label: str
    sources: list[SourceBrief]


class SearchResult(TypedDict):
    query: str
    close_matches_only: bool
    total: int
    hits: list[SearchHit]


class ShowResult(TypedDict):
    type: str
    as_of: Optional[str]
    label: str
    uri: str
    record: dict[str, Any]  # the JSON contract of `oscli KIND show ID --json`


class ListResult(TypedDict):
    type: str
    total: int
    notes: list[str]
    records: list[dict[str, Any]]  # each as `oscli KIND list --json` gives it


class RecordRef(TypedDict):
    type: str
    id: str
    label: str


class CiteResult(TypedDict):
    record: RecordRef
    format: str
    citation: str
    claim: NotRequired[dict[str, Any]]  # as `oscli cite ID --claim C --format json`
    sources: NotRequired[list[SourceBrief]]


class ProvisionsResult(TypedDict):
    place: RecordRef
    as_of: Optional[str]
    total: int
    notes: list[str]
    provisions: list[dict[str, Any]]  # each as `oscli provisions list --city C --json`, with its status there


class TimelineResult(TypedDict):
    total: int
    note: str
    events: list[dict[str, Any]]  # as `oscli timeline --json`, with source_records


class Failure(Exception):
    """What a tool cannot do, in the CLI's words: the SDK turns it into a tool error."""


def explain(err: Exception) -> str:
    """The sentence the CLI prints for a domain error (exit 1 or 2), for a tool error."""
    from ..domain.names import suggestion

    if isinstance(err, query.NotFound):
        return f"no {err.word} '{err.wanted}'{suggestion(err.suggestions) or '.'} Call `list` to see them all."
    if isinstance(err, query.Ambiguous):
        names = ", ".join(f"{r.kind} {r.id} ({kinds.label_of(r)})" for r in err.candidates)
        return f"'{err.wanted}' names more than one {err.word}: {names}. Give the id (and the kind)."
    if isinstance(err, query.UnknownValue):
        return f"no {err.word} has {err.option} '{err.wanted}'{suggestion(err.suggestions) or '.'}"
    if isinstance(err, query.BadOption):
        return f"{err.option.lstrip('-').replace('-', '_')}: {err.message}"
    return str(err)


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Domain errors become tool errors with the CLI's sentence."""
    import functools

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (query.QueryError, Failure) as err:
            raise ToolError(explain(err)) from None

    return call


def _kind(name: str) -> kinds.Kind:
    """The kind a tool's `kind` or `type` names, as `--type` reads it (BadOption, the CLI's sentence)."""
    (found,) = query.kinds_for_types([name])
    return kinds.KINDS[found]


def source_brief(source: Record) -> dict:
    """A source as a citation needs it: what a reader looks for, and where."""
    return {"id": source.id, "title": source.title, "publisher": source.publisher, "author": source.author,
            "date": source.date, "url": source.url, "archive_url": source.archive_url}


def _sources(base: FactBase, record: Record) -> list[dict]:
    if record.kind == "source":
        return [source_brief(record)]
    return [source_brief(s) for s in query.sources_of(base, record)]


class Tools:
    """The tools, over one validated fact base (and its search index, built on first use)."""

    def __init__(self, base: FactBase, search_index: Callable[[], Any]) -> None:
        self.base, self._search_index = base, search_index

    # -- search -------------------------------------------------------------------------------

    def search(self, query_text: str, type: Optional[list[str]] = None, exact: bool = False,
               limit: int = 20) -> dict:
        from ..domain.fold import compact
        from ..domain.search import FUZZY, MAX_QUERY, search, snippet

        if not compact(query_text):
            raise Failure("query: give at least one letter or digit to search for")
        if len(query_text) > MAX_QUERY:
            raise Failure(f"query: it is {len(query_text):,} characters; search takes at most {MAX_QUERY}")
        if limit < 0:
            raise Failure("limit: give 0 (all) or more")
        wanted = query.kinds_for_types(type)
        hits = search(self.base, query_text, wanted, exact_only=exact, index=self._search_index())
        shown = hits[:limit] if limit else hits
        found = index(self.base).by_id
        results = []
        for hit in shown:
            cut, start, end = snippet(hit)
            item = views.search_dict(hit, str(cut))
            record = found[hit.kind].get(hit.id.lower())
            item["label"] = views.label(self.base, record) if record is not None else hit.id
            item["sources"] = _sources(self.base, record) if record is not None else []
            results.append(item)
        return {"query": query_text, "close_matches_only": bool(hits) and hits[0].match == FUZZY,
                "total": len(hits), "hits": results}

    # -- one record, a list --------------------------------------------------------------------

    def show(self, kind: str, id: str, as_of: Optional[str] = None) -> dict:
        declared = _kind(kind)
        query.check_date("--as-of", as_of)
        record = query.get(self.base, declared.name, id)
        return {"type": declared.name, "as_of": as_of, "record": views.to_dict(self.base, record, as_of),
                "label": views.label(self.base, record), "uri": uri_of(record)}

    def list(self, kind: str, as_of: Optional[str] = None, title: Optional[str] = None,
             city: Optional[str] = None, province: Optional[str] = None, since: Optional[str] = None,
             until: Optional[str] = None, limit: int = LIST_LIMIT, area: Optional[str] = None,
             category: Optional[str] = None) -> dict:
        declared = _kind(kind)
        values = {"as_of": as_of, "title": title, "city": city, "province": province, "since": since,
                  "until": until, "area": area, "category": category}
        refused = [name for name, value in values.items() if value is not None and name not in declared.filters]
        if refused:
            takes = ", ".join(declared.filters) or "none"
            raise Failure(f"{refused[0]}: {declared.plural} cannot be filtered by {refused[0]}; their filters: "
                          f"{takes}")
        if limit < 0:
            raise Failure("limit: give 0 (all) or more")
        for name in ("as_of", "since", "until"):
            query.check_date(query.FILTERS[name].option, values[name])
        items = query.sort_records(declared.name, query.select(self.base, declared.name, values), None)
        shown = items[:limit] if limit else items
        notes = [views.undated_note(self.base, declared.name, values),
                 views.list_footer(self.base, declared.name, values)]
        if len(shown) < len(items):
            notes.append(f"showing {len(shown)} of {len(items)}; call again with limit 0 for all.")
        from ..domain.currency import past_the_data

        notes.insert(0, past_the_data(self.base, as_of))
        dicts = views.in_context(self.base, declared.name, shown, [views.to_dict(self.base, r, as_of) for r in shown],
                                 values)  # provisions for a place: their status there (held or possibly held)
        return {"type": declared.name, "total": len(items), "notes": [n for n in notes if n], "records": dicts}

    def provisions(self, place: str, as_of: Optional[str] = None, category: Optional[str] = None) -> dict:
        """The provisions in force for a company in a city or a showcase area: `oscli provisions list
        --city C (or --area A) --as-of D`."""
        from ..domain.names import closest

        found = [r for kind in ("city", "area") if (r := query.resolve(self.base, kind, place)) is not None]
        if not found:
            ids = [r.id for kind in ("city", "area") for r in self.base.of(kind) if r.id]
            raise query.NotFound("city or area", place, closest(place.strip(), ids),
                                 "`oscli cities list` or `oscli areas list`")
        if len(found) > 1:
            raise query.Ambiguous("place", place, found)
        subject = found[0]
        listed = self.list("provision", as_of=as_of, category=category, limit=0,
                           **({"city": subject.id} if subject.kind == "city" else {"area": subject.id}))
        return {"place": {"type": subject.kind, "id": subject.id, "label": views.label(self.base, subject)},
                "as_of": as_of, "total": listed["total"], "notes": listed["notes"], "provisions": listed["records"]}

    # -- citations and time --------------------------------------------------------------------

    def cite(self, id: str, claim: Optional[str] = None, format: str = "text", type: Optional[str] = None) -> dict:
        from ..present import citation

        formats = ("text", "bibtex", "biblatex", "csl-json", "ris")
        if format not in formats:
            raise Failure(f"format: '{format}' is not one of {', '.join(formats)}")
        record = query.find_any(self.base, id, _kind(type).name if type else None)
        result: dict[str, Any] = {"record": {"type": record.kind, "id": record.id,
                                             "label": views.label(self.base, record)}, "format": format}
        if claim is not None:
            if record.kind == "source":
                raise Failure("claim: a source is cited as itself; leave claim out")
            found = query.claim(record, claim)
            result["claim"] = views.claim_dict(self.base, record, found)
            result["citation"] = (citation.footnote(self.base, record, found) if format == "text"
                                  else citation.render(citation.claim_references(self.base, record, found), format))
            return result
        result["citation"] = citation.render(citation.references(self.base, record), format)
        result["sources"] = _sources(self.base, record)
        return result

    def timeline(self, title: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                 city: Optional[str] = None) -> dict:
        values = {"title": title, "since": since, "until": until, "city": city}
        for name in ("since", "until"):
            query.check_date(query.FILTERS[name].option, values[name])
        events = query.sort_records("designation", query.select(self.base, "designation", values), None)
        known = index(self.base).by_id["designation"]
        rows = []
        for event in events:
            row = views.timeline_dict(self.base, event)
            row["source_records"] = _sources(self.base, known[event.id.lower()])
            rows.append(row)
        return {"total": len(rows), "events": rows,
                "note": "An event whose day is unknown is placed by its bounds: its 'when' says 'between', 'by' "
                        "or 'not before', and 'uncertain' is true."}


def uri_of(record: Record) -> str:
    return URI.format(kind=record.kind, id=record.id)


def data_model() -> str:
    """The data model, from the registry of kinds (the one place it is declared): each kind, its
    command and data file, and each field with its type and what it holds."""
    lines = ["# The oscli data model", "",
             "Every record has an id and cites its sources (`sources`, resolved in `source_records`); "
             "`evidence` holds the sources' own words for its claims. A null value: no source states it.", ""]
    for declared in kinds.KINDS.values():
        lines += [f"## {declared.name} (`oscli {declared.command}`, {declared.file})", "", declared.help, ""]
        for spec in declared.fields:
            extra = f" (one of: {', '.join(spec.choices)})" if spec.choices else ""
            lines.append(f"- `{spec.name}` ({spec.type}{', required' if spec.required else ''}): "
                         f"{spec.description}{extra}")
        lines.append("")
    return "\n".join(lines)


def server(base: FactBase, search_index: Callable[[], Any]):
    """The MCP server over one validated fact base: its tools and resources."""
    tools = Tools(base, search_index)
    app = MCPServer(NAME, title="oscli: China's offshore service outsourcing policy", version=__version__,
                    instructions=INSTRUCTIONS, log_level="WARNING")
    kind_names = ", ".join(kinds.names())

    @app.tool(name="search", structured_output=True, description="Search every record (names in English and Chinese, titles, quotations, "
              "statements, definitions, document numbers). Each hit gives the record's type and id, the field that "
              "matched, a snippet, how it matched (exact, prefix, word; fuzzy only when nothing else matched) and "
              "the record's sources. Follow up with `show` for the full record and its evidence." + _FACTS)
    @_guarded
    def search_tool(
        query: Annotated[str, Field(description="Words to look for, in English or Chinese (e.g. 苏州, Suzhou, "
                                                "1000-100-10).")],
        type: Annotated[Optional[list[str]], Field(description=f"Only records of these kinds: {kind_names}.")] = None,
        exact: Annotated[bool, Field(description="No close spellings: only exact, prefix and word matches.")] = False,
        limit: Annotated[int, Field(description="At most this many hits (0: all).", ge=0)] = 20,
    ) -> SearchResult:
        return tools.search(query, type, exact, limit)

    @app.tool(name="show", structured_output=True, description="One record in full (the JSON contract of `oscli KIND show ID --json`): "
              "its fields, the titles it held as of `as_of` (each 'held' or 'possibly held', with the designation "
              "that granted it), its evidence excerpts and its sources in full." + _FACTS)
    @_guarded
    def show_tool(
        kind: Annotated[str, Field(description=f"The kind of record: {kind_names}.")],
        id: Annotated[str, Field(description="The record's id, or its name in English or Chinese (e.g. suzhou, "
                                             "苏州).")],
        as_of: Annotated[Optional[str], Field(description="A date (YYYY, YYYY-MM or YYYY-MM-DD): the titles held at "
                                                          "its end (2009 means by 31 December 2009).")] = None,
    ) -> ShowResult:
        return tools.show(kind, id, as_of)

    @app.tool(name="list", structured_output=True, description="The records of one kind that the filters select, each in full with "
              "its sources (as `oscli KIND list --json`). Cities and areas take as_of, title and (cities) "
              "province; designations take city, title, since and until. 'notes' says what the filters left out "
              "or what is only possibly held." + _FACTS)
    @_guarded
    def list_tool(
        kind: Annotated[str, Field(description=f"The kind of record: {kind_names}.")],
        as_of: Annotated[Optional[str], Field(description="Only what held a title at the end of this date.")] = None,
        title: Annotated[Optional[str], Field(description="Only holders (or events) of this title: base-city, "
                                                          "model-city, showcase-area, showcase-base.")] = None,
        city: Annotated[Optional[str], Field(description="Only records in this city (id or name).")] = None,
        province: Annotated[Optional[str], Field(description="Only cities in this province (English or "
                                                             "Chinese).")] = None,
        since: Annotated[Optional[str], Field(description="Only records dated in or after this date.")] = None,
        until: Annotated[Optional[str], Field(description="Only records dated in or before this date.")] = None,
        limit: Annotated[int, Field(description="At most this many records (0: all).", ge=0)] = LIST_LIMIT,
        area: Annotated[Optional[str], Field(description="Provisions: only those that reach a company in this "
                                                         "showcase area (id or name).")] = None,
        category: Annotated[Optional[str], Field(description="Provisions: only this category (tax, fund, labour, "
                                                             "procedure, training, other).")] = None,
    ) -> ListResult:
        return tools.list(kind, as_of, title, city, province, since, until, limit, area, category)

    @app.tool(name="provisions", structured_output=True, description="What a title gave: the provisions (tax "
              "rates, funds, working hours...) in force at a date for a company in a city or a showcase area, each "
              "with its document, value, conditions, validity, its status there ('held': certainly in force and "
              "reaching the place; 'possibly held': the date or the place's title is uncertain) and its sources, "
              "as `oscli provisions list --city C --as-of D` gives them. A provision whose end no source states "
              "says so: do not infer one." + _FACTS)
    @_guarded
    def provisions_tool(
        place: Annotated[str, Field(description="A city or a showcase area: id or name in English or Chinese "
                                                "(suzhou, 苏州, suzhou-industrial-park).")],
        as_of: Annotated[Optional[str], Field(description="A date (YYYY, YYYY-MM or YYYY-MM-DD): in force at its "
                                                          "end; none: as of the newest data.")] = None,
        category: Annotated[Optional[str], Field(description="Only this category: tax, fund, labour, procedure, "
                                                             "training, other.")] = None,
    ) -> ProvisionsResult:
        return tools.provisions(place, as_of, category)

    @app.tool(name="cite", structured_output=True, description="A citation of a record or of one of its claims, ready to paste: as text, "
              "BibTeX, biblatex, CSL-JSON or RIS. A policy or source is cited as itself; any other record by the "
              "sources that support it. With `claim` (a field such as name_zh, or a part such as targets[3]), the "
              "claim's sources with their verbatim excerpts." + _FACTS)
    @_guarded
    def cite_tool(
        id: Annotated[str, Field(description="The id or name of any record.")],
        claim: Annotated[Optional[str], Field(description="One claim of the record: a field (name_zh) or a part "
                                                          "(targets[3], statements[0]).")] = None,
        format: Annotated[str, Field(description="text, bibtex, biblatex, csl-json or ris.")] = "text",
        type: Annotated[Optional[str], Field(description="The kind of record, when the id names several.")] = None,
    ) -> CiteResult:
        return tools.cite(id, claim, format, type)

    @app.tool(name="timeline", structured_output=True, description="Every designation (a title granted or revoked) in date order, with "
              "its sources. An event whose day is unknown is placed by its bounds and marked uncertain." + _FACTS)
    @_guarded
    def timeline_tool(
        title: Annotated[Optional[str], Field(description="Only events of this title.")] = None,
        since: Annotated[Optional[str], Field(description="Only events in or after this date.")] = None,
        until: Annotated[Optional[str], Field(description="Only events in or before this date.")] = None,
        city: Annotated[Optional[str], Field(description="Only events of this city (id or name).")] = None,
    ) -> TimelineResult:
        return tools.timeline(title, since, until, city)

    for record in base.records():
        if not record.id:
            continue
        app.add_resource(FunctionResource.from_function(
            fn=_reader(base, record), uri=uri_of(record), name=f"{record.kind}/{record.id}",
            title=views.label(base, record), mime_type="application/json",
            description=f"The {record.kind} {record.id} as JSON, with its sources and evidence."))

    @app.resource(URI, name="record", mime_type="application/json",
                  description="Any record as JSON (the contract of `oscli KIND show ID --json`).")
    def record_resource(kind: str, id: str) -> str:
        try:
            found = query.get(base, _kind(kind).name, id)
        except query.QueryError as err:
            raise ResourceError(explain(err)) from None
        return _reader(base, found)()

    @app.resource(DATA_MODEL_URI, name="data-model", title="The oscli data model", mime_type="text/markdown",
                  description="Every kind of record and its fields, with what each holds.")
    def data_model_resource() -> str:
        return data_model()

    return app


def _reader(base: FactBase, record: Record) -> Callable[[], str]:
    def read() -> str:
        from ..present.render import json_text

        return json_text(views.to_dict(base, record))

    return read


def client_config(client: str, data_dir: Optional[Path] = None) -> str:
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
    if client == "vscode":
        document = {"servers": {NAME: {"type": "stdio", **entry}}}
    else:
        document = {"mcpServers": {NAME: entry}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def serve(base: FactBase, search_index: Callable[[], Any]) -> None:
    """Serve on stdin and stdout until the client closes them."""
    server(base, search_index).run("stdio")
