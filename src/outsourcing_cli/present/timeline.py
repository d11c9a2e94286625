"""The timeline's rows: designations as events, a title's holders year by year, and a provision's
spread along its chain. Loaded only by `timeline` (and the MCP server), through ``views``.
"""

from __future__ import annotations

from typing import Any

from ..domain import dates, history, provisions
from ..domain.model import FactBase, Record
from .views import _label_of


def spread_dicts(base: FactBase, record: Record) -> list[dict[str, Any]]:
    """The chain a provision belongs to, link by link in date order: when, where and how many cities."""
    rows = []
    for member in provisions.chain(base, record):
        reached = provisions.reached_cities(base, member, provisions.last_point(member))
        rows.append(
            {
                "when": f"{member.effective_from or '…'} – {member.effective_until or '…'}",
                "id": member.id,
                "document": provisions.document_of(base, member),
                "scope": provisions.scope_text(member.scope),
                "cities": None if reached is None else sum(1 for s in reached.values() if s == "held"),
                "possibly": None if reached is None else sum(1 for s in reached.values() if s != "held"),
                "reached": None if reached is None else sorted(reached),
                "effective_from": member.effective_from,
                "effective_until": member.effective_until,
                "benefit": member.benefit,
            }
        )
    return rows


def timeline_dict(base: FactBase, event: Record) -> dict[str, Any]:
    """One event of the timeline: when (in words, bounds included), whether the date is uncertain,
    what happened to whom."""
    return {
        "when": dates.when(event),
        "uncertain": not (event.date and len(event.date) == 10),
        "subject_type": event.subject_type,
        "subject": event.subject,
        "subject_name": _label_of(base, event.subject_type or "city", event.subject or "?"),
        "title": event.title,
        "title_name": _label_of(base, "title", event.title or "?"),
        "event": event.event,
        "document": event.document,
        "id": event.id,
        "date": event.date,
        "not_before": event.not_before,
        "not_after": event.not_after,
        "sources": list(event.sources),
    }


def yearly_chart(
    base: FactBase, titles: list[str], since: str | None = None, until: str | None = None
) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """(title name, [(year, held, possibly held)]) at the end of each year the data spans, within
    the years of --since and --until when given."""
    years = [
        y
        for y in history.year_span(base)
        if (since is None or y >= int(since[:4])) and (until is None or y <= int(until[:4]))
    ]
    return [(_label_of(base, "title", t), history.yearly_counts(base, t, years)) for t in titles]
