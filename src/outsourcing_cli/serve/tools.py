"""What each MCP tool does, over one fact base: thin wrappers over the functions the CLI calls,
returning the JSON contract of ``--json`` with the sources of every fact (see ``serve.mcp``).
Without the MCP SDK: ``serve.mcp`` declares these as the server's tools and turns ``Failure``
and the domain's errors into tool errors with ``explain``'s sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from ..domain import filters, kinds, names, query
from ..domain.index import index
from ..domain.model import FactBase, Record
from ..present import views

if TYPE_CHECKING:
    from .results import (
        CiteResult,
        ListResult,
        ProvisionsResult,
        RecordRef,
        SearchHit,
        SearchResult,
        ShowResult,
        SourceBrief,
        TimelineResult,
    )

URI = "oscli://{kind}/{id}"
LIST_LIMIT = 50  # records a `list` call returns unless asked for more: an assistant's context is finite


class Failure(Exception):
    """What a tool cannot do, in the CLI's words: the SDK turns it into a tool error."""


def explain(err: Exception) -> str:
    """The sentence the CLI prints for a domain error (exit 1 or 2), for a tool error."""
    from ..domain.names import suggestion

    if isinstance(err, names.NotFound):
        return f"no {err.word} '{err.wanted}'{suggestion(err.suggestions) or '.'} Call `list` to see them all."
    if isinstance(err, names.Ambiguous):
        listed = ", ".join(f"{r.kind} {r.id} ({kinds.label_of(r)})" for r in err.candidates)
        return f"'{err.wanted}' names more than one {err.word}: {listed}. Give the id (and the kind)."
    if isinstance(err, names.UnknownValue):
        return f"no {err.word} has {err.option} '{err.wanted}'{suggestion(err.suggestions) or '.'}"
    if isinstance(err, names.BadOption):
        return f"{err.option.lstrip('-').replace('-', '_')}: {err.message}"
    return str(err)


def _kind(name: str) -> kinds.Kind:
    """The kind a tool's `kind` or `type` names, as `--type` reads it (BadOption, the CLI's sentence)."""
    chosen = query.kinds_for_types([name])
    assert chosen is not None  # None only when no type is given
    (found,) = chosen
    return kinds.KINDS[found]


def source_brief(source: Record) -> SourceBrief:
    """A source as a citation needs it: what a reader looks for, and where."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "date": source.date,
        "url": source.url,
        "archive_url": source.archive_url,
    }


def _sources(base: FactBase, record: Record) -> list[SourceBrief]:
    if record.kind == "source":
        return [source_brief(record)]
    return [source_brief(s) for s in query.sources_of(base, record)]


class Tools:
    """The tools, over one validated fact base (and its search index, built on first use)."""

    def __init__(self, base: FactBase, search_index: Callable[[], Any]) -> None:
        self.base, self._search_index = base, search_index

    # -- search -------------------------------------------------------------------------------

    def search(
        self, query_text: str, type: list[str] | None = None, exact: bool = False, limit: int = 20
    ) -> SearchResult:
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
        results: list[SearchHit] = []
        for hit in shown:
            cut, _start, _end = snippet(hit)
            item = cast("SearchHit", views.search_dict(hit, str(cut)))  # its label and sources are added here
            record = found[hit.kind].get(hit.id.lower())
            item["label"] = views.label(self.base, record) if record is not None else hit.id
            item["sources"] = _sources(self.base, record) if record is not None else []
            results.append(item)
        return {
            "query": query_text,
            "close_matches_only": bool(hits) and hits[0].match == FUZZY,
            "total": len(hits),
            "hits": results,
        }

    # -- one record, a list --------------------------------------------------------------------

    def show(self, kind: str, id: str, as_of: str | None = None) -> ShowResult:
        declared = _kind(kind)
        query.check_date("--as-of", as_of)
        record = query.get(self.base, declared.name, id)
        return {
            "type": declared.name,
            "as_of": as_of,
            "record": views.to_dict(self.base, record, as_of),
            "label": views.label(self.base, record),
            "uri": uri_of(record),
        }

    def list(
        self,
        kind: str,
        as_of: str | None = None,
        title: str | None = None,
        city: str | None = None,
        province: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = LIST_LIMIT,
        area: str | None = None,
        category: str | None = None,
    ) -> ListResult:
        declared = _kind(kind)
        values = {
            "as_of": as_of,
            "title": title,
            "city": city,
            "province": province,
            "since": since,
            "until": until,
            "area": area,
            "category": category,
        }
        refused = [name for name, value in values.items() if value is not None and name not in declared.filters]
        if refused:
            takes = ", ".join(declared.filters) or "none"
            raise Failure(f"{refused[0]}: {declared.plural} cannot be filtered by {refused[0]}; their filters: {takes}")
        if limit < 0:
            raise Failure("limit: give 0 (all) or more")
        for name in ("as_of", "since", "until"):
            query.check_date(filters.FILTERS[name].option, values[name])
        items = query.sort_records(declared.name, filters.select(self.base, declared.name, values), None)
        shown = items[:limit] if limit else items
        notes = [
            views.undated_note(self.base, declared.name, values),
            views.list_footer(self.base, declared.name, values),
        ]
        if len(shown) < len(items):
            notes.append(f"showing {len(shown)} of {len(items)}; call again with limit 0 for all.")
        from ..domain.currency import past_the_data

        notes.insert(0, past_the_data(self.base, as_of))
        dicts = views.in_context(
            self.base, declared.name, shown, [views.to_dict(self.base, r, as_of) for r in shown], values
        )  # provisions for a place: their status there (held or possibly held)
        return {"type": declared.name, "total": len(items), "notes": [n for n in notes if n], "records": dicts}

    def provisions(self, place: str, as_of: str | None = None, category: str | None = None) -> ProvisionsResult:
        """The provisions in force for a company in a city or a showcase area: `oscli provisions list
        --city C (or --area A) --as-of D`."""
        from ..domain.names import closest

        found = [r for kind in ("city", "area") if (r := query.resolve(self.base, kind, place)) is not None]
        if not found:
            ids = [r.id for kind in ("city", "area") for r in self.base.of(kind) if r.id]
            raise names.NotFound(
                "city or area", place, closest(place.strip(), ids), "`oscli cities list` or `oscli areas list`"
            )
        if len(found) > 1:
            raise names.Ambiguous("place", place, found)
        subject = found[0]
        listed = self.list(
            "provision",
            as_of=as_of,
            category=category,
            limit=0,
            **({"city": subject.id} if subject.kind == "city" else {"area": subject.id}),
        )
        return {
            "place": {"type": subject.kind, "id": subject.id, "label": views.label(self.base, subject)},
            "as_of": as_of,
            "total": listed["total"],
            "notes": listed["notes"],
            "provisions": listed["records"],
        }

    # -- citations and time --------------------------------------------------------------------

    def cite(self, id: str, claim: str | None = None, format: str = "text", type: str | None = None) -> CiteResult:
        from ..present import citation

        formats = ("text", "bibtex", "biblatex", "csl-json", "ris")
        if format not in formats:
            raise Failure(f"format: '{format}' is not one of {', '.join(formats)}")
        record = query.find_any(self.base, id, _kind(type).name if type else None)
        cited: RecordRef = {"type": record.kind, "id": record.id, "label": views.label(self.base, record)}
        if claim is not None:
            if record.kind == "source":
                raise Failure("claim: a source is cited as itself; leave claim out")
            from ..domain.claims import claim as claim_of
            from ..present.claims import claim_dict

            found = claim_of(record, claim)
            return {
                "record": cited,
                "format": format,
                "claim": claim_dict(self.base, record, found),
                "citation": (
                    citation.footnote(self.base, record, found)
                    if format == "text"
                    else citation.render(citation.claim_references(self.base, record, found), format)
                ),
            }
        return {
            "record": cited,
            "format": format,
            "citation": citation.render(citation.references(self.base, record), format),
            "sources": _sources(self.base, record),
        }

    def timeline(
        self, title: str | None = None, since: str | None = None, until: str | None = None, city: str | None = None
    ) -> TimelineResult:
        values = {"title": title, "since": since, "until": until, "city": city}
        for name in ("since", "until"):
            query.check_date(filters.FILTERS[name].option, values[name])
        from ..present.timeline import timeline_dict

        events = query.sort_records("designation", filters.select(self.base, "designation", values), None)
        known = index(self.base).by_id["designation"]
        rows: list[dict[str, Any]] = []
        for event in events:
            row = timeline_dict(self.base, event)
            row["source_records"] = _sources(self.base, known[event.id.lower()])
            rows.append(row)
        return {
            "total": len(rows),
            "events": rows,
            "note": "An event whose day is unknown is placed by its bounds: its 'when' says 'between', 'by' "
            "or 'not before', and 'uncertain' is true.",
        }


def uri_of(record: Record) -> str:
    return URI.format(kind=record.kind, id=record.id)
