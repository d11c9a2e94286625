"""Lookups over a FactBase: records by id or name, relations, filters, sorting and field choice.
Pure: no I/O, no rendering. Problems are typed errors that the CLI turns into exit codes:

- ``NotFound``, ``Ambiguous``, ``UnknownValue``: nothing (or too much) answers; exit 1;
- ``BadOption``: a value the option cannot take (an unknown field, sort key, kind or date); exit 2.

Every relation (a city's areas, a record's sources, a source's citing records) is read from one
``Index`` built in a single pass over the base, so that listing N records costs O(N), not O(N²).
Relations come from the registry: a field declared ``derived="reverse:area.city"`` lists the
areas whose ``city`` names the record.

This module holds what a `list` or `show` run needs (lookups, filters, fields, sorting), and so is
not split further (about 440 lines): filters or sorting in a module of their own would be one more
import on every start-up. The rest has its own module, which its callers import where they use
it: claims.py (a record's claims and their sources, the citable documents) and facets.py
(``--count-by``). The errors live in names.py, beside the suggestions they carry, so that those
modules need not import this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import dates, kinds
from .fold import has_cjk, name_key, sort_text
from .frozen import Frozen
from .index import Citing, index
from .kinds import citations
from .model import FactBase, Record
from .names import Ambiguous, BadOption, NotFound, UnknownValue, closest, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Sequence


def records(base: FactBase, kind: str) -> tuple[Record, ...]:
    return base.of(kinds.get(kind).name)


def listing(kind: str) -> str:
    return f"`oscli {kinds.get(kind).command} list`"


def get(base: FactBase, kind: str, wanted: str) -> Record:
    """The record of ``kind`` that ``wanted`` names: its id (any case), else its name or an alias in
    English (with or without apostrophes, hyphens and tone marks) or in Chinese (with or without
    市/省, in simplified or traditional characters)."""
    declared = kinds.get(kind)
    found = resolve(base, declared.name, wanted)
    if found is None:
        raise NotFound(
            declared.name, wanted, closest(wanted.strip(), _candidates(base, declared.name)), listing(declared.name)
        )
    return found


def resolve(base: FactBase, kind: str, wanted: str) -> Record | None:
    """Like ``get``, but None when nothing answers; Ambiguous when a name fits several records."""
    idx = index(base)
    needle = wanted.strip()
    found = idx.by_id[kind].get(needle.lower())
    if found is not None:
        return found
    han = has_cjk(needle)
    key = name_key(needle, han)
    if not key:
        return None
    named = idx.by_name(kind, han).get(key, [])
    if len(named) > 1:
        raise Ambiguous(kind, wanted, named)
    if named:
        return named[0]
    by_id = idx.by_id[kind].get(key)  # 'xi-an' for 'xian': an id typed with punctuation
    return by_id


def _candidates(base: FactBase, kind: str) -> list[str]:
    return [record.id for record in base.of(kind) if record.id]


def reverse(base: FactBase, spec: str, record: Record) -> list[Record]:
    """The records of KIND whose FIELD (or a part in it) names ``record``: ``spec`` is 'KIND.FIELD'."""
    kind, _, field_name = spec.partition(".")
    return index(base).reverse.get((kind, field_name), {}).get(f"{record.kind}:{record.id.lower()}", [])


def sources_of(base: FactBase, record: Record) -> list[Record]:
    """Every source a record cites, in itself or in its parts, each once, in order of first citation."""
    known = index(base).by_id["source"]
    seen: dict[str, Record] = {}
    for _, source_id in citations(record):
        key = source_id.lower()
        if key in known and key not in seen:
            seen[key] = known[key]
    return list(seen.values())


def cited_by(base: FactBase, source_id: str) -> list[Citing]:
    """The records that rely on a source, directly or through their quotes, statements, targets."""
    return index(base).citing.get(source_id.lower(), [])


# -- filters ----------------------------------------------------------------------------------------


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
    from . import history

    title = _title_of(base, wanted)
    if kind in ("designation", "total"):
        return [r for r in items if (r.title or "").lower() == title.id.lower()]
    holding = history.holders(base, title.id, history.point_of(values.get("as_of")), kind)
    return [r for r in items if r.id.lower() in holding]


def _as_of(base: FactBase, kind: str, items: list[Record], as_of: str, values: dict[str, Any]) -> list[Record]:
    """Cities or areas that held a title at the end of DATE, or possibly did; provisions in force then."""
    from . import history

    if kind == "provision":
        from .provisions import in_force

        point = history.point_of(as_of)
        return [r for r in items if in_force(r, point, base)]

    return [r for r in items if history.titles_at(base, r, as_of)]


# -- provisions (issue 18) --


def _reaching(base: FactBase, items: list[Record], subject: Record, values: dict[str, Any]) -> list[Record]:
    """Provisions that reach a company in ``subject`` (a city or area) at --as-of, else as of the newest
    data: nationwide, naming it (or, for a city, an area in it) or a title it holds then."""
    from . import history
    from .provisions import reach

    point = history.point_of(values.get("as_of"))
    as_of = values.get("as_of")  # without it: every provision that reaches the place, ended or not
    return [r for r in items if reach(base, r if as_of else r.replace(effective_until=None), subject, point)]


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
        if ((span := dated(r)) is None and values.get("include_undated")) or (span is not None and span[0] >= start)
    ]


def _until(base: FactBase, kind: str, items: list[Record], until: str, values: dict[str, Any]) -> list[Record]:
    end = dates.last_day(until)
    return [
        r
        for r in items
        if ((span := dated(r)) is None and values.get("include_undated")) or (span is not None and span[1] <= end)
    ]


def _include_undated(
    base: FactBase, kind: str, items: list[Record], include: bool, values: dict[str, Any]
) -> list[Record]:
    return items  # read by --since and --until


def dated(record: Record) -> tuple[int, int] | None:
    """The first and last day a record's date can be, from its date and any bounds, else from the
    year in its document number; None when either end is unknown."""
    if hasattr(record, "not_before"):
        from . import history

        span = history.period(record)
        if span.first is not None and span.last is not None:
            return span.first, span.last
    date = getattr(record, "date", None) or dates.year_from_number(record)
    return (dates.first_day(date), dates.last_day(date)) if date else None


def undated_left_out(base: FactBase, kind: str, values: dict[str, Any]) -> list[Record]:
    """The records a --since or --until left out only because no date for them is known."""
    if not (values.get("since") or values.get("until")) or values.get("include_undated"):
        return []
    others = select(base, kind, {**values, "since": None, "until": None})  # the other filters still apply
    return [r for r in others if dated(r) is None]


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


def check_date(option: str, value: str | None) -> str | None:
    """``value`` if it is a date of an accepted form; else BadOption naming the forms."""
    if value is None:
        return None
    try:
        return dates.parse(value)
    except dates.DateError as err:
        raise BadOption(option, str(err)) from None


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


# -- fields and sorting ---------------------------------------------------------------------------


def choose_fields(kind: str, text: str | None, valid: list[str] | None = None) -> list[str] | None:
    """The fields named by ``--fields a,b``; BadOption for an unknown one. None: every field."""
    if text is None:
        return None
    valid = valid if valid is not None else kinds.get(kind).field_names
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    if not chosen:
        raise BadOption("--fields", f"name at least one field. Valid fields: {', '.join(valid)}.")
    for name in chosen:
        head, dot, rest = name.partition(".")
        if head not in valid:
            raise BadOption(
                "--fields", f"no field '{name}' in {kind}{did_you_mean(head, valid)} Valid fields: {', '.join(valid)}."
            )
        inner = subfields(kind, head) if dot else []
        if dot and rest not in inner:
            raise BadOption(
                "--fields",
                f"no field '{rest}' inside '{head}'{(did_you_mean(rest, inner) or '.') if inner else '.'} "
                + (f"Fields of {head}: {', '.join(inner)}." if inner else f"'{head}' holds no objects."),
            )
    return chosen


def subfields(kind: str, name: str) -> list[str]:
    """The keys of the objects a field holds, for a dotted ``--fields`` path (``titles.title``)."""
    try:
        spec = kinds.get(kind).field(name)
    except KeyError:
        return []
    if spec is None:
        return []
    if spec.part is not None:
        return [f.name for f in kinds.PARTS[spec.part].fields]
    return list(OBJECT_KEYS.get(spec.derived or "", ()))


# the keys of the derived objects (views.DERIVED) a dotted --fields path may name
OBJECT_KEYS = {
    "titles": ("title", "status", "since", "designation"),
    "cited_by": ("type", "id"),
    "source_records": tuple(f.name for f in kinds.KINDS["source"].data_fields if not f.nested and not f.is_list),
}


def sort_records(kind: str, items: Sequence[Record], field: str | None, reverse: bool = False) -> list[Record]:
    """Sorted by ``field``, case-insensitively for text; records without a value always come last.
    Without a field, the records keep the data's order (reversed if asked). BadOption for a
    field that cannot be sorted by."""
    if field is None:
        if kinds.get(kind).field("not_before") is not None:  # events: in date order
            from . import history

            items = sorted(items, key=history.sort_key)
        return list(reversed(items)) if reverse else list(items)
    valid = kinds.get(kind).sortable
    if field not in valid:
        raise BadOption(
            "--sort",
            f"cannot sort {kinds.get(kind).plural} by '{field}'{did_you_mean(field, valid)} "
            f"Sortable fields: {', '.join(valid)}.",
        )
    if field in ("date", "when"):  # a date, else the year of its document number, else bounds; undated last
        keys: dict[int, Any] = {id(r): dated(r) for r in items}  # each field's own comparable type
    elif field.endswith("_zh"):  # Chinese: by pinyin (a dictionary loaded for this sort only)
        from .chinese_order import pinyin_key

        keys = {id(r): pinyin_key(v) if (v := getattr(r, field, None)) else None for r in items}
    else:
        keys = {id(r): (sort_text(v) if isinstance(v := getattr(r, field, None), str) else v) for r in items}
    present = [r for r in items if keys[id(r)] is not None]
    absent = [r for r in items if keys[id(r)] is None]
    return sorted(present, key=lambda r: keys[id(r)], reverse=reverse) + absent


def kinds_for_types(types: list[str] | None) -> set[str] | None:
    """The kinds ``--type`` names (singular names as in JSON, or command names); BadOption else."""
    if not types:
        return None
    chosen = set()
    for typed in types:
        try:
            chosen.add(kinds.get(typed).name)
        except KeyError:
            raise BadOption(
                "--type", f"no kind '{typed}'{did_you_mean(typed, kinds.names())} Kinds: {', '.join(kinds.names())}."
            ) from None
    return chosen


def find_any(base: FactBase, wanted: str, kind: str | None = None) -> Record:
    """The record ``wanted`` names, of any kind in the registry (or of ``kind`` only): an id first,
    then a name. Ambiguous when it names records of several kinds (or several of one kind);
    NotFound with the closest ids of every kind."""
    if kind is not None:
        return get(base, kind, wanted)
    idx = index(base)
    key = wanted.strip().lower()
    by_id = [idx.by_id[name][key] for name in kinds.KINDS if key in idx.by_id[name]]
    if len(by_id) > 1:
        raise Ambiguous("record", wanted, by_id)
    if by_id:
        return by_id[0]
    found: dict[int, Record] = {}
    for name in kinds.KINDS:
        try:
            record = resolve(base, name, wanted)
        except Ambiguous as many:
            found.update((id(r), r) for r in many.candidates)
            continue
        if record is not None:
            found[id(record)] = record
    if len(found) > 1:
        raise Ambiguous("record", wanted, list(found.values()))
    if found:
        return next(iter(found.values()))
    ids = [r.id for name in kinds.KINDS for r in base.of(name) if r.id]
    raise NotFound(
        "record",
        wanted,
        closest(wanted.strip(), ids),
        "`oscli KIND list` (KIND: " + ", ".join(k.command for k in kinds.KINDS.values()) + ")",
    )
