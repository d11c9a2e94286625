"""Lookups over a FactBase: records by id or name, relations, sorting and field choice.
Pure: no I/O, no rendering. Problems are typed errors that the CLI turns into exit codes:

- ``NotFound``, ``Ambiguous``, ``UnknownValue``: nothing (or too much) answers; exit 1;
- ``BadOption``: a value the option cannot take (an unknown field, sort key, kind or date); exit 2.

Every relation (a city's areas, a record's sources, a source's citing records) is read from one
``Index`` built in a single pass over the base, so that listing N records costs O(N), not O(N²).
Relations come from the registry: a field declared ``derived="reverse:area.city"`` lists the
areas whose ``city`` names the record.

The filters of `list` and ``select`` are in filters.py; the rest has its own module, which its
callers import where they use it: claims.py (a record's claims and their sources, the citable
documents) and facets.py (``--count-by``). The errors live in names.py, beside the suggestions
they carry, so that those modules need not import this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import dates, history, kinds
from .fold import has_cjk, name_key, sort_text
from .index import Citing, index
from .kinds import citations
from .model import FactBase, Record
from .names import Ambiguous, BadOption, NotFound, closest, did_you_mean

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


def check_date(option: str, value: str | None) -> str | None:
    """``value`` if it is a date of an accepted form; else BadOption naming the forms."""
    if value is None:
        return None
    try:
        return dates.parse(value)
    except dates.DateError as err:
        raise BadOption(option, str(err)) from None


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
        keys: dict[int, Any] = {id(r): history.dated(r) for r in items}  # each field's own comparable type
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
