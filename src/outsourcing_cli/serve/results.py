"""What the MCP tools return: their output schemas (``serve.mcp`` declares them; ``serve.tools``
builds them). Loaded with the MCP SDK only: pydantic reads these declarations."""

from typing import Any, Optional

from typing_extensions import NotRequired, TypedDict  # pydantic reads typing's TypedDict only from 3.12


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
