"""The filters of `list`: each an option that selects records (``--province``, ``--as-of``,
``--since``...), declared once in ``FILTERS`` and named by the kinds that take them
(``kind(..., filters=("province", ...))``); ``select`` applies those a command was given. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import dates, history, kinds, provisions
from .fold import has_cjk, name_key
from .frozen import Frozen
from .model import FactBase, Record
from .names import BadOption, UnknownValue, did_you_mean
from .query import check_date, resolve


class Filter(Frozen):
    """An option of `list` that selects records: ``apply(base, kind, items, value, values)``, where
    ``values`` holds every filter's value (``--title`` reads ``--as-of``)."""

    name: str  # the parameter name
    option: str  # as typed: --province; a flag pair for booleans: --primary/--no-primary
    help: str
    apply: Callable[[FactBase, str, list[Record], Any, dict[str, Any]], list[Record]]
    type: str = "text"  # text, date or bool
    metavar: str = "TEXT"
    complete: str | None = None  # the kind whose ids complete the value


def _by_province(base: FactBase, kind: str, items: list[Record], wanted: str, values: dict[str, Any]) -> list[Record]:
    """Cities in a province, named in English or Chinese (simplified or traditional), any case."""
    han = has_cjk(wanted)
    known: dict[str, str] = {}
    for city in base.of("city"):
        for value in (city.province, getattr(city, "province_zh", None)):
            if value:
                known.setdefault(name_key(value, han), city.province or value)
    key = name_key(wanted, han)
    if key not in known:
        raise UnknownValue(kind, "province", wanted, sorted(set(known.values())))
    target = name_key(known[key])
    return [c for c in items if c.province and name_key(c.province) == target]


def _by_primary(base: FactBase, kind: str, items: list[Record], primary: bool, values: dict[str, Any]) -> list[Record]:
    return [c for c in items if c.primary_outsourcing_city is primary]


def _by_city(base: FactBase, kind: str, items: list[Record], wanted: str, values: dict[str, Any]) -> list[Record]:
    """Records in a city, named by id or by name (English or Chinese): areas in it, designations of
    it or of an area in it."""
    city = resolve(base, "city", wanted)
    if city is None:
        raise UnknownValue(kind, "city", wanted, [c.id for c in base.of("city") if c.id])
    if kind == "provision":
        return _reaching(base, items, city, values)
    key = city.id.lower()
    areas = {a.id.lower() for a in base.of("area") if (a.city or "").lower() == key}

    def in_city(record: Record) -> bool:
        if record.kind == "designation":
            subject = (record.subject or "").lower()
            return subject == key if record.subject_type == "city" else subject in areas
        return (getattr(record, "city", None) or "").lower() == key

    return [r for r in items if in_city(r)]


def _title_of(base: FactBase, wanted: str) -> Record:
    title = resolve(base, "title", wanted)
    if title is None:
        raise UnknownValue("title", "id or name", wanted, [t.id for t in base.of("title") if t.id])
    return title


def _by_title(base: FactBase, kind: str, items: list[Record], wanted: str, values: dict[str, Any]) -> list[Record]:
    """Cities or areas that hold the title (at --as-of, else as of the newest data); designations
    and totals of the title."""
    title = _title_of(base, wanted)
    if kind in ("designation", "total"):
        return [r for r in items if (r.title or "").lower() == title.id.lower()]
    holding = history.holders(base, title.id, history.point_of(values.get("as_of")), kind)
    return [r for r in items if r.id.lower() in holding]


def _as_of(base: FactBase, kind: str, items: list[Record], as_of: str, values: dict[str, Any]) -> list[Record]:
    """Cities or areas that held a title at the end of DATE, or possibly did; provisions in force then."""
    if kind == "provision":
        point = history.point_of(as_of)
        return [r for r in items if provisions.in_force(r, point, base)]

    return [r for r in items if history.titles_at(base, r, as_of)]


# -- provisions (issue 18) --


def _reaching(base: FactBase, items: list[Record], subject: Record, values: dict[str, Any]) -> list[Record]:
    """Provisions that reach a company in ``subject`` (a city or area) at --as-of, else as of the newest
    data: nationwide, naming it (or, for a city, an area in it) or a title it holds then."""
    point = history.point_of(values.get("as_of"))
    as_of = values.get("as_of")  # without it: every provision that reaches the place, ended or not
    return [r for r in items if provisions.reach(base, r if as_of else r.replace(effective_until=None), subject, point)]


def _by_area(base: FactBase, kind: str, items: list[Record], wanted: str, values: dict[str, Any]) -> list[Record]:
    area = resolve(base, "area", wanted)
    if area is None:
        raise UnknownValue(kind, "area", wanted, [a.id for a in base.of("area") if a.id])
    return _reaching(base, items, area, values)


def _by_category(base: FactBase, kind: str, items: list[Record], wanted: str, values: dict[str, Any]) -> list[Record]:
    spec = kinds.KINDS[kind].field("category")
    choices = spec.choices if spec is not None else ()
    if wanted.strip().lower() not in choices:
        raise BadOption(
            "--category",
            f"no category '{wanted}'{did_you_mean(wanted, choices) or '.'} Categories: {', '.join(choices)}.",
        )
    return [r for r in items if r.category == wanted.strip().lower()]


def _since(base: FactBase, kind: str, items: list[Record], since: str, values: dict[str, Any]) -> list[Record]:
    start = dates.first_day(since)
    return [
        r
        for r in items
        if ((span := history.dated(r)) is None and values.get("include_undated"))
        or (span is not None and span[0] >= start)
    ]


def _until(base: FactBase, kind: str, items: list[Record], until: str, values: dict[str, Any]) -> list[Record]:
    end = dates.last_day(until)
    return [
        r
        for r in items
        if ((span := history.dated(r)) is None and values.get("include_undated"))
        or (span is not None and span[1] <= end)
    ]


def _include_undated(
    base: FactBase, kind: str, items: list[Record], include: bool, values: dict[str, Any]
) -> list[Record]:
    return items  # read by --since and --until


def undated_left_out(base: FactBase, kind: str, values: dict[str, Any]) -> list[Record]:
    """The records a --since or --until left out only because no date for them is known."""
    if not (values.get("since") or values.get("until")) or values.get("include_undated"):
        return []
    others = select(base, kind, {**values, "since": None, "until": None})  # the other filters still apply
    return [r for r in others if history.dated(r) is None]


FILTERS: dict[str, Filter] = {
    f.name: f
    for f in (
        Filter(
            "province", "--province", "Only cities in this province (English or Chinese name, any case).", _by_province
        ),
        Filter(
            "primary",
            "--primary/--no-primary",
            "Only primary outsourcing cities, or only the others.",
            _by_primary,
            type="bool",
        ),
        Filter(
            "city",
            "--city",
            "Only records in this city (id, or name in English or Chinese); provisions: those "
            "that reach a company there (at --as-of, else as of the newest data).",
            _by_city,
            complete="city",
        ),
        Filter(
            "title",
            "--title",
            "Only records of this title (base-city, model-city, showcase-area, showcase-base; "
            "id or name); for cities and areas: those that hold it at --as-of, else as of the newest data.",
            _by_title,
            complete="title",
            metavar="TITLE",
        ),
        Filter(
            "as_of",
            "--as-of",
            "Only what held a title at the end of DATE (2009 means by 31 December 2009); "
            "each record says which titles it held, and which it only possibly held. Provisions: those in force then.",
            _as_of,
            type="date",
            metavar="DATE",
        ),
        Filter(
            "area",
            "--area",
            "Only provisions that reach a company in this showcase area (id or name), at --as-of "
            "else as of the newest data.",
            _by_area,
            complete="area",
            metavar="AREA",
        ),
        Filter(
            "category",
            "--category",
            "Only provisions of this category: tax, fund, labour, procedure, training or other.",
            _by_category,
            metavar="CATEGORY",
        ),
        Filter(
            "include_undated",
            "--include-undated",
            "With --since or --until: keep the records no date is known "
            "for (they are left out otherwise, and counted on stderr).",
            _include_undated,
            type="flag",
        ),
        Filter(
            "since",
            "--since",
            f"Only records dated in or after DATE ({dates.FORMS}).",
            _since,
            type="date",
            metavar="DATE",
        ),
        Filter(
            "until",
            "--until",
            f"Only records dated in or before DATE ({dates.FORMS}).",
            _until,
            type="date",
            metavar="DATE",
        ),
    )
}


def select(base: FactBase, kind: str, values: dict[str, Any]) -> list[Record]:
    """The records of ``kind`` that every given filter (``values``: filter name -> value) keeps."""
    declared = kinds.get(kind)
    items = list(base.of(declared.name))
    for name in declared.filters:
        value = values.get(name)
        spec = FILTERS[name]
        if value is None or (value is False and spec.type == "flag"):
            continue
        if spec.type == "date":
            check_date(spec.option, value)
        items = spec.apply(base, declared.name, items, value, values)
    return items
