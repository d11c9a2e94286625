"""What the MCP tools return: their output schemas (``serve.mcp`` declares them; ``serve.tools``
builds them). Loaded with the MCP SDK only: pydantic reads these declarations."""

from typing import (
    Any,
    NotRequired,  # pydantic reads typing's TypedDict only from 3.12
)

from typing_extensions import TypedDict


class SourceBrief(TypedDict):
    """A source as a citation needs it."""

    id: str
    title: str | None
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    archive_url: str | None


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
    as_of: str | None
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
    as_of: str | None
    total: int
    notes: list[str]
    provisions: list[dict[str, Any]]  # each as `oscli provisions list --city C --json`, with its status there


class TimelineResult(TypedDict):
    total: int
    note: str
    events: list[dict[str, Any]]  # as `oscli timeline --json`, with source_records
