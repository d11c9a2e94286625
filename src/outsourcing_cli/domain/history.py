"""Designations through time: which titles a city or area held at a date, the timeline of events
and the yearly counts. Pure: no I/O, no rendering.

A designation happened on a day within a period: its date covers a whole period when it is
partial (2010 is every day of 2010), and bounds narrow it (``not_before``, ``not_after``). Asked
about a point in time (``--as-of DATE`` means the end of DATE: 2009 means by 31 December 2009):

- the event is **held** if its period ends on or before the point: it had certainly happened;
- it is **possibly held** if the point falls inside its period: it may have happened;
- otherwise it had not happened yet.

"Possibly held" is a separate status, never folded into "held". A title is taken away only by a
``revoked`` event, judged the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import dates
from .frozen import Frozen
from .index import index
from .model import FactBase, Record

HELD = "held"
POSSIBLY = "possibly held"
_END_OF_TIME = 10**7  # an ordinal after any date


class Period(Frozen):
    """The days an event may have happened on: from ``first`` to ``last`` (None: unbounded)."""

    first: int | None
    last: int | None

    @property
    def exact(self) -> bool:
        return self.first is not None and self.first == self.last

    def status_at(self, point: int) -> str | None:
        if self.last is not None and self.last <= point:
            return HELD
        if self.first is None or self.first <= point:
            return POSSIBLY
        return None


def period(record: Record) -> Period:
    """The period a dated record (designation, total) covers, from its date and its bounds."""
    key = (record.date, record.not_before, record.not_after)
    found = _PERIODS.get(key)
    if found is None:
        firsts = [dates.first_day(v) for v in (record.date, record.not_before) if v]
        lasts = [dates.last_day(v) for v in (record.date, record.not_after) if v]
        found = _PERIODS[key] = Period(max(firsts) if firsts else None, min(lasts) if lasts else None)
    return found


_PERIODS: dict[
    tuple[str | None, str | None, str | None], Period
] = {}  # by (date, not_before, not_after): the same dates, the same period


def point_of(as_of: str | None) -> int:
    """The moment ``--as-of`` asks about: the last day of the date given; no date is the newest data."""
    return dates.last_day(as_of) if as_of else _END_OF_TIME


def sort_key(record: Record) -> tuple[int, int, str, str]:
    """Events in date order; an uncertain one placed by its bounds (its earliest possible day, else
    its latest), the undated last."""
    span = period(record)
    anchor = span.first if span.first is not None else span.last if span.last is not None else _END_OF_TIME
    return (
        anchor,
        span.last if span.last is not None else _END_OF_TIME,
        getattr(record, "subject", None) or "",
        record.id or "",
    )


class Holding(Frozen):
    """A title a subject holds at a point: held or possibly held, since when, by which designation."""

    title: str
    status: str
    since: str | None
    designation: str

    def as_dict(self) -> dict[str, str | None]:
        return {"title": self.title, "status": self.status, "since": self.since, "designation": self.designation}


def designations_of(base: FactBase, subject_type: str, subject_id: str) -> list[Record]:
    """The designations naming one city or area, in date order."""
    if not subject_id:
        return []
    found = index(base).reverse.get(("designation", "subject"), {}).get(f"{subject_type}:{subject_id.lower()}", [])
    return sorted(found, key=sort_key)


def holdings(events: Iterable[Record], point: int) -> list[Holding]:
    """The titles that ``events`` (one subject's designations) leave held or possibly held at ``point``."""
    by_title: dict[str, list[Record]] = {}
    for event in events:
        if event.title:
            by_title.setdefault(event.title, []).append(event)
    result = []
    for title, items in by_title.items():
        best: Holding | None = None
        for grant in (e for e in items if e.event == "granted"):
            status = period(grant).status_at(point)
            if status is None:
                continue
            status = _after_revocations(grant, items, point, status)
            if status is None:
                continue
            if best is None or (best.status == POSSIBLY and status == HELD):
                best = Holding(title, status, grant.date, grant.id)
        if best is not None:
            result.append(best)
    return result


def _after_revocations(grant: Record, items: list[Record], point: int, status: str) -> str | None:
    """A grant's status once the revocations that may follow it are counted."""
    start = period(grant).first or 0
    for revocation in (e for e in items if e.event == "revoked"):
        span = period(revocation)
        if span.last is not None and span.last < start:
            continue  # revoked before this grant: a later grant stands
        revoked = span.status_at(point)
        if revoked == HELD:
            return None
        if revoked == POSSIBLY:
            status = POSSIBLY
    return status


def titles_at(base: FactBase, record: Record, as_of: str | None) -> list[Holding]:
    return holdings(designations_of(base, record.kind, record.id), point_of(as_of))


def holders(base: FactBase, title: str, point: int, subject_type: str | None = None) -> dict[str, str]:
    """Subject id -> status, for every subject that holds ``title`` at ``point``."""
    events: dict[tuple[str, str], list[Record]] = {}
    for d in index(base).reverse[("designation", "title")].get(f"title:{title.lower()}", []):
        if d.subject and (subject_type is None or d.subject_type == subject_type):
            events.setdefault((d.subject_type, d.subject.lower()), []).append(d)
    result = {}
    for (_, subject), items in events.items():
        for holding in holdings(items, point):
            result[subject] = holding.status
    return result


def yearly_counts(base: FactBase, title: str, years: Iterable[int]) -> list[tuple[int, int, int]]:
    """(year, held, possibly held) at the end of each year, for one title."""
    rows = []
    for year in years:
        statuses = holders(base, title, dates.last_day(str(year))).values()
        rows.append((year, sum(s == HELD for s in statuses), sum(s == POSSIBLY for s in statuses)))
    return rows


def year_span(base: FactBase) -> range:
    """From the first year an event may fall in to the last year any event or total names."""
    years = [
        int(value[:4])
        for record in (*base.of("designation"), *base.of("total"))
        for value in (record.date, record.not_before, record.not_after)
        if value
    ]
    return range(min(years), max(years) + 1) if years else range(0)


def first_title_after(base: FactBase, record: Record, point: int) -> Record | None:
    """The first grant to ``record`` that was not yet held at ``point`` (when its lack of a title ended)."""
    for event in designations_of(base, record.kind, record.id):
        if event.event == "granted" and period(event).status_at(point) is None:
            return event
    return None


def total_point(total: Record) -> int | None:
    """The day a total speaks of: its date's last day, else its lower bound, else its upper bound."""
    if total.date:
        return dates.last_day(total.date)
    if total.not_before:
        return dates.first_day(total.not_before)
    if total.not_after:
        return dates.last_day(total.not_after)
    return None


def latest_total(base: FactBase, title: str, point: int) -> Record | None:
    """The last total a source gives for ``title`` on or before ``point``."""
    best, best_point = None, None
    for total in base.of("total"):
        at = total_point(total)
        if total.title == title and at is not None and at <= point and (best_point is None or at >= best_point):
            best, best_point = total, at
    return best


def resolved(base: FactBase, record: Record, rule: str) -> tuple[Record, Record] | None:
    """For a known exception, what ended it: for OSC401 on an area (granted while its city held no
    title), the city and the grant of the city's first title after the area's; None otherwise."""
    if rule != "OSC401" or record.kind != "area":
        return None
    city = index(base).by_id["city"].get((record.city or "").lower())
    grants = [d for d in designations_of(base, "area", record.id) if d.event == "granted"]
    if city is None or not grants:
        return None
    later = first_title_after(base, city, period(grants[0]).last or 0)
    return None if later is None else (city, later)


def dated(record: Record) -> tuple[int, int] | None:
    """The first and last day a record's date can be, from its date and any bounds, else from the
    year in its document number; None when either end is unknown."""
    if hasattr(record, "not_before"):
        span = period(record)
        if span.first is not None and span.last is not None:
            return span.first, span.last
    date = getattr(record, "date", None) or dates.year_from_number(record)
    return (dates.first_day(date), dates.last_day(date)) if date else None
