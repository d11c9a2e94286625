"""Provisions through time: which benefits were in force for a company in a city or area at a date,
the chains (lines) that ``extends`` and ``supersedes`` make, and a chain's spread. Pure: no I/O, no rendering.

A provision reaches a subject (a city or an area) in one of three ways, read at the point asked
(``--as-of DATE`` means the end of DATE, as for titles):

- its scope is nationwide;
- its scope names the subject (a place), or, for a city, an area in it: an area's provision
  reaches its city, marked with the area;
- its scope names a title the subject holds at that point (a model-city provision reaches Suzhou
  from 2009 and Shenyang from 2016), or, for a city, a title an area in it holds.

What reaches a city reaches a company in any of its areas too (an area's page lists them).

A scope that names both titles and places reaches the places named while they hold one of the
titles: 财税〔2014〕59号 reached "the 21 model cities" it lists, not Shenyang when it became one in
2016 (a circular of its own extended the policy to the ten new cities). An area named in such a
scope holds a city title through its city.

It is **in force** at the point if ``effective_from`` had certainly begun and ``effective_until``
had not ended; a partial date that the point falls inside (``2009`` asked at 2009-06-30) makes it
only **possibly** in force, as an unknown start does (from the year of the provision's document: a
circular often takes effect from the first day of its year; never before that year here). The
status of a provision for a subject is ``held`` only when both its being in force and its reach
are certain; otherwise ``possibly held`` (the words titles use, so that scripts read both alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import dates
from .frozen import Frozen
from .history import HELD, POSSIBLY, Period, designations_of, holdings, point_of
from .index import index
from .model import FactBase, Part, Record


def in_force(provision: Record, point: int, base: FactBase | None = None) -> str | None:
    """HELD, POSSIBLY, or None (not yet, or no longer, in force) at ``point``. A provision whose start
    no source states is possibly in force, but (given ``base``) not before the year of its document."""
    start = provision.effective_from
    status: str | None
    if start is None:
        status = POSSIBLY  # no source dates its start: it may have been in force
        floor = _floor(base, provision) if base is not None else None
        if floor is not None and point < floor:
            return None
    else:  # begun as an event has happened: a partial date the point falls inside is "possibly"
        status = Period(dates.first_day(start), dates.last_day(start)).status_at(point)
        if status is None:
            return None
    end = provision.effective_until
    if end is not None:
        if point > dates.last_day(end):
            return None
        if dates.first_day(end) <= point < dates.last_day(end):
            status = POSSIBLY  # its last day falls somewhere in a month or year that the point is inside
    return status


def _floor(base: FactBase, provision: Record) -> int | None:
    """The first day of the year of the document that grants a provision (its date's, else the one
    its number carries), as an ordinal; worked out once per document and base."""
    global _FLOORS
    if _FLOORS[0] is not base:
        _FLOORS = (base, {})
    key = (provision.policy or "").lower()
    if key not in _FLOORS[1]:
        policy = index(base).by_id["policy"].get(key)
        year = None if policy is None else policy.date[:4] if policy.date else dates.year_from_number(policy)
        _FLOORS[1][key] = dates.first_day(year) if year else None
    return _FLOORS[1][key]


_FLOORS: tuple[FactBase | None, dict[str, int | None]] = (None, {})  # (the base, {policy id: ordinal or None})


class Reach(Frozen):
    """How a provision reaches one city or area at a point."""

    provision: str
    status: str  # held or possibly held: in force and reaching, both certain or not
    via: str  # nationwide, place, or title
    title: str | None  # the title held, when via is title
    area: str | None  # the area it reaches the city through, if any

    def as_dict(self, provision: Record) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "category": provision.category,
            "policy": provision.policy,
            "status": self.status,
            "via": self.via,
            "title": self.title,
            "area": self.area,
            "effective_from": provision.effective_from,
            "effective_until": provision.effective_until,
        }


def _areas_of(base: FactBase, city: Record) -> list[Record]:
    key = (city.id or "").lower()
    return [a for a in base.of("area") if (a.city or "").lower() == key]


class _Place(Frozen):
    """A city or area as the provisions see it at one point: itself and its areas, each with the
    titles it holds then (worked out once for all the provisions asked about)."""

    subject: Record
    holders: tuple[
        tuple[Record, str | None, dict[str, tuple[str, str]]], ...
    ]  # (record, area id or None, {title: (title, status)}): the subject, then a city's areas


def _place(base: FactBase, subject: Record, point: int) -> _Place:
    holders: list[tuple[Record, str | None]] = [(subject, None)]
    if subject.kind == "city":
        holders += [(area, area.id) for area in _areas_of(base, subject)]
    else:  # a company in an area is in its city: what reaches the city reaches it
        city = index(base).by_id["city"].get((subject.city or "").lower())
        if city is not None:
            holders.append((city, None))
    return _Place(
        subject,
        tuple(
            (
                record,
                area,
                {
                    h.title.lower(): (h.title, h.status)
                    for h in holdings(designations_of(base, record.kind, record.id), point)
                },
            )
            for record, area in holders
        ),
    )


def reach(base: FactBase, provision: Record, subject: Record, point: int, place: _Place | None = None) -> Reach | None:
    """How ``provision`` reaches ``subject`` (a city or an area) at ``point``, if it does; its status
    combines the provision's being in force with the certainty of the title it reaches through.
    (``place``: the subject at that point, when many provisions are asked about.)"""
    scope = provision.scope
    force = in_force(provision, point, base)
    if scope is None or force is None:
        return None
    found: list[tuple[str, str, str | None, str | None]] = []  # (status, via, title, area)
    if scope.nationwide:
        found.append((HELD, "nationwide", None, None))
    elif scope.places or scope.titles:
        place = place if place is not None else _place(base, subject, point)
        places = {p.lower() for p in scope.places}
        titles = [t.lower() for t in scope.titles]
        city_titles = place.holders[0][2] if subject.kind == "city" else {}
        for holder, area, held in place.holders:
            if places and (holder.id or "").lower() not in places:
                continue
            if not titles:
                found.append((HELD, "place", None, area))
                continue
            pairs = [held[t] for t in titles if t in held] or (
                [city_titles[t] for t in titles if t in city_titles] if area else []
            )
            found.extend((status, "place" if places else "title", title, area) for title, status in pairs)
    if not found:
        return None
    status, via, title, area = min(found, key=lambda f: (f[0] != HELD, f[3] is not None))  # certain and direct first
    if force == POSSIBLY:
        status = POSSIBLY
    return Reach(provision.id, status, via, title, area)


def in_force_for(base: FactBase, subject: Record, as_of: str | None) -> list[tuple[Record, Reach]]:
    """The provisions that reach a city or area at the end of ``as_of`` (else as of the newest data),
    in date order. Only the provisions that could reach it are looked at (see ``_Plan``)."""
    point = point_of(as_of)
    plan = _plan(base, point)
    if not plan.candidates:
        return []
    place = _place(base, subject, point)
    wanted = set(plan.nationwide)
    for holder, _, held in place.holders:
        wanted.update(plan.by_place.get((holder.id or "").lower(), ()))
        for title in held:
            wanted.update(plan.by_title.get(title, ()))
    found = []
    for at in sorted(wanted):
        provision = plan.candidates[at]
        got = plan.reached.get(at) or reach(base, provision, subject, point, place)
        if got is not None:
            found.append((provision, got))
    return found


class _Plan(Frozen):
    """The provisions in force at one point, in date order, indexed by what their scope names: a
    nationwide one reaches every place alike (its Reach is made once); the others only the places
    they name, or the holders of the titles they name. Made once per base and point: listing every
    city looks at each provision once per city that it could reach, not once per city."""

    candidates: tuple[Record, ...]  # the provisions in force (or possibly) at the point, in date order
    nationwide: tuple[int, ...]  # indexes into candidates
    by_place: dict[str, list[int]]  # place id -> indexes (scopes that name places)
    by_title: dict[str, list[int]]  # title id -> indexes (scopes that name titles and no place)
    reached: dict[int, Reach]  # index -> the Reach of a nationwide provision


def _plan(base: FactBase, point: int) -> _Plan:
    global _PLANS
    if _PLANS[0] is not base:
        _PLANS = (base, {})
    found = _PLANS[1].get(point)
    if found is None:
        candidates = tuple(
            sorted((p for p in base.of("provision") if p.scope is not None and in_force(p, point, base)), key=_date_key)
        )
        nationwide: list[int] = []
        by_place: dict[str, list[int]] = {}
        by_title: dict[str, list[int]] = {}
        reached: dict[int, Reach] = {}
        for at, provision in enumerate(candidates):
            scope = provision.scope
            if scope.nationwide:
                nationwide.append(at)
                reached[at] = Reach(provision.id, in_force(provision, point, base), "nationwide", None, None)
            elif scope.places:
                for place in scope.places:
                    by_place.setdefault(place.lower(), []).append(at)
            else:
                for title in scope.titles:
                    by_title.setdefault(title.lower(), []).append(at)
        found = _PLANS[1][point] = _Plan(candidates, tuple(nationwide), by_place, by_title, reached)
    return found


_PLANS: tuple[FactBase | None, dict[int, _Plan]] = (None, {})  # (the base, {point: _Plan})


def _date_key(provision: Record) -> tuple[int, str]:
    start = provision.effective_from
    return (dates.first_day(start) if start else 10**7, provision.id or "")


# -- chains --------------------------------------------------------------------------------------


def links(provision: Record) -> list[str]:
    """The ids a provision continues or replaces (extends, then supersedes)."""
    return [*provision.extends, *provision.supersedes]


def chain(base: FactBase, provision: Record) -> list[Record]:
    """The line a provision belongs to, in date order: the provisions it continues or replaces (and
    theirs, back to the first), itself, and those that continue or replace it (and theirs). A
    provision that joins two lines (the 2017 nationwide rate extends the model cities' rate and the
    service-trade pilots') is on both; its other ancestors are not on this one."""
    by_id = {p.id.lower(): p for p in base.of("provision") if p.id}
    back: dict[str, set[str]] = {key: {o.lower() for o in links(r) if o.lower() in by_id} for key, r in by_id.items()}
    forward: dict[str, set[str]] = {key: set() for key in by_id}
    for key, targets in back.items():
        for other in targets:
            forward[other].add(key)
    start = (provision.id or "").lower()
    seen = {start}
    for graph in (back, forward):
        todo = [start]
        while todo:
            for other in graph.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return sorted((by_id[k] for k in seen if k in by_id), key=_date_key)


def cycles(base: FactBase) -> Iterator[tuple[Record, list[str]]]:
    """Each provision whose extends or supersedes links lead back to itself, with the loop's ids."""
    by_id = {p.id.lower(): p for p in base.of("provision") if p.id}
    for key, record in by_id.items():
        path = _path_back(by_id, key)
        if path is not None:
            yield record, path


def _path_back(by_id: dict[str, Record], start: str) -> list[str] | None:
    """A path of links from ``start`` back to itself, if there is one (depth first)."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        key, path = stack.pop()
        for other in links(by_id[key]):
            other = other.lower()
            if other == start:
                return [*path, start]
            if other in by_id and other not in seen:
                seen.add(other)
                stack.append((other, [*path, other]))
    return None


# -- spread --------------------------------------------------------------------------------------


def reached_cities(base: FactBase, provision: Record, point: int) -> dict[str, str] | None:
    """City id -> status for every city the provision reaches at ``point`` (in force or not); None
    for a nationwide provision (every city)."""
    scope = provision.scope
    if scope is None:
        return {}
    if scope.nationwide:
        return None
    reached: dict[str, str] = {}
    for city in base.of("city"):
        got = reach(base, provision.replace(effective_from="0001", effective_until=None), city, point)
        if got is not None:
            reached[city.id] = got.status
    return reached


def last_point(provision: Record) -> int:
    """The last day a provision was in force, or the end of time when no end is known."""
    return dates.last_day(provision.effective_until) if provision.effective_until else point_of(None)


def scope_text(scope: Part | None) -> str:
    """A scope in words: 'nationwide', 'model-city', 'places: suzhou-industrial-park', 'model-city; 20
    places named'."""
    if scope is None:
        return "—"
    if scope.nationwide:
        return "nationwide"
    parts = list(scope.titles)
    if len(scope.places) > 3:
        parts.append(f"{len(scope.places)} places named")
    elif scope.places:
        parts.append("places: " + ", ".join(scope.places))
    return "; ".join(parts) or "no place named"


def document_of(base: FactBase, provision: Record) -> str:
    """The number of the document that grants a provision, else its policy's id."""
    policy = index(base).by_id["policy"].get((provision.policy or "").lower())
    return (policy.document_number or policy.id) if policy is not None else (provision.policy or "")


def through_its_city(provision: Record, subject: Record, reach: Reach) -> bool:
    """Whether a provision reaches an area only through the area's city (not nationwide, not
    naming the area, not through a title the area holds)."""
    if subject.kind != "area" or reach.via == "nationwide" or reach.area:
        return False
    scope = provision.scope
    named = (subject.id or "").lower() in {p.lower() for p in scope.places}
    area_title = reach.title is not None and reach.title.lower() in {"showcase-area", "showcase-base"}
    return not (named if scope.places else area_title)
