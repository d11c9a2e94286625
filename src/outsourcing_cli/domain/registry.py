"""The machinery of the registry of kinds: what a field, a part and a kind are, how they are
declared, and the lookups, layouts and reference walks every layer reads.

The declarations themselves (each part and each kind, once) are in ``kinds``, which re-exports
these names: read ``kinds.KINDS``, ``kinds.get``... and import ``kinds``, not this module, so that
the declarations are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, overload

from . import model
from .frozen import Frozen

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .model import Part, Record

    # a step of a kind's reference walk: (field, ref, many, part refs), part refs being
    # (part field, ref, many) for the fields of a part that name records; see _plan
    _Step = tuple[str, str | None, bool, tuple[tuple[str, str, bool], ...] | None]


class Field(Frozen):
    """One field of a kind or of a part.

    type: ``text``, ``id`` (one id), ``ids`` (a list of ids), ``texts`` (a list of text), ``bool``,
    ``int``, ``float``, ``number`` (a whole or decimal number, kept as written),
    ``date`` (YYYY[-MM[-DD]]), ``url``, ``choice`` (one of ``choices``), ``list:PART`` (a list
    of parts) or ``part:PART`` (one part: a nested mapping, such as a provision's scope). A
    ``derived`` field is not written in the data: it is computed (see ``views``).
    """

    name: str
    type: str
    required: bool = False
    description: str = ""
    label: str | None = None  # words for a reader: show pages, table headers
    header: str | None = None  # a shorter table header, where the label is long
    column: int = 0  # its place among the columns a table shows by default (0: not shown)
    weight: float = 0.0  # search weight; 0 means not searched
    ref: str | None = None  # the kind an id names; "@FIELD": the kind named by that field's value
    choices: Sequence[str] = ()  # a tuple, or KIND_NAMES
    pattern: str | None = None  # a regular expression the whole text must match
    # the range of an int or float (rule OSC110); an int defaults to 0..MAX_INT, what every consumer
    # of the JSON and the SQLite export reads exactly
    minimum: float | None = None
    maximum: float | None = None
    derived: str | None = None  # "reverse:KIND.FIELD", or the name of a computed view
    section: bool = False  # long text: its own section on a show page, not a row
    flat: bool = False  # a list of objects that flat formats (CSV, TSV) still write, as ids (titles)
    if TYPE_CHECKING:  # worked out in __init__ from ``type``
        is_list: bool
        part: str | None
        one: str | None
        nested: bool
    # -- how a show page shows it (present/pages.py): declared here, drawn there --
    on_page: bool = True  # False: not a row of the show page (a value another field shows: a policy's date)
    shown: str | None = None  # the name of the show page's hook that draws it (pages.SHOWN), else a row

    def __init__(self, *args: Any, **options: Any) -> None:
        """Its shape is worked out once from ``type``, as it is read for every value of every
        record: ``is_list`` (a list in JSON: ids or parts), ``part`` (the part's name, for
        ``list:PART``), ``one`` (the part's name, for ``part:PART``) and ``nested`` (objects in
        JSON: parts, one part, or derived objects)."""
        super().__init__(*args, **options)
        state, kind = self.__dict__, self.type
        part = kind[5:] if kind.startswith("list:") else None
        one = kind[5:] if kind.startswith("part:") else None
        state["is_list"] = kind in ("ids", "texts") or part is not None
        state["part"] = part
        state["one"] = one
        state["nested"] = part is not None or one is not None or kind == "objects"

    @property
    def sortable(self) -> bool:
        return not self.is_list and not self.nested and self.type != "objects"

    @property
    def shown_as(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def table_header(self) -> str:
        return self.header or self.shown_as


MAX_INT = 2**53 - 1  # the largest whole number a JSON reader (JavaScript's Number) holds exactly


def field(name: str, type: str = "text", **options: Any) -> Field:
    return Field(name, type, **options)


class KindNames(Sequence[str]):
    """The singular names of the kinds, read when asked: the ``choices`` of a field whose value
    names a kind (a conflict's ``concerns.type``), so that every kind, one declared after the
    field among them, is a value it may take. One instance, ``KIND_NAMES``."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return list(KINDS)[index]

    def __len__(self) -> int:
        return len(KINDS)

    def __contains__(self, value: object) -> bool:
        return value in KINDS

    def __iter__(self) -> Iterator[str]:
        return iter(list(KINDS))

    def __repr__(self) -> str:
        return "KIND_NAMES"


KIND_NAMES = KindNames()


class PartSpec(Frozen):
    """A kind of value inside records (a quotation, a statement...): its fields and class."""

    name: str
    fields: tuple[Field, ...]
    text: str  # the field that is searched and shown as its text
    model: type[Part]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class Kind(Frozen):
    name: str  # singular: JSON "type", messages, --type
    plural: str  # the YAML section
    command: str  # the command that lists and shows it
    file: str  # the data file that holds its section
    fields: tuple[Field, ...]
    model: type[Record]
    help: str = ""
    title: str = ""  # the title of its list table
    example: str = ""  # an id, for help examples
    examples: tuple[str, ...] = ()  # `list` examples
    filters: tuple[str, ...] = ()  # names of filters.FILTERS
    label: tuple[str, ...] = ("name", "title", "term")  # the field that names a record, first present
    describe: Callable[[Record], str] | None = None  # a function naming a record that has no name field (an event)
    # -- how the present layer shows it: callables of the domain, or names the present layer resolves --
    # (record, name) -> its title on a show page, where name(kind, id) names a record it refers to
    # (a designation: 'Dalian: Base city, granted 2006-08-04'); else label_of
    heading: Callable[[Record, Callable[[str, str], str]], str] | None = None
    footer: str | None = None  # the note under a list of it (views.FOOTERS): what the data cannot name
    context: str | None = None  # what a list's filters add to each row (views.CONTEXTS)
    # The defaults are the safe ones for a new kind: a data directory without its file (or section)
    # is still valid, and a reference to an unknown record of it is the generic OSC209.
    missing: str = "OSC209"  # the rule code for a reference to an unknown record of this kind
    required_file: bool = False  # a data directory must hold this kind's file (and its section)
    file_rank: int | None = None  # its file's place among the data files (see ``files``)
    vocabulary: bool = False  # a small fixed set: `oscli schema` lists its ids as the values a reference may take
    if TYPE_CHECKING:  # worked out in __init__
        data_fields: tuple[Field, ...]

    def __init__(self, *args: Any, **options: Any) -> None:
        """``data_fields``, the fields written in the data files (not derived), is worked out once."""
        super().__init__(*args, **options)
        self.__dict__["data_fields"] = tuple(f for f in self.fields if f.derived is None)

    def field(self, name: str) -> Field | None:
        return _FIELD_INDEX[self.name].get(name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in sorted((f for f in self.fields if f.column), key=lambda f: f.column)]

    @property
    def sortable(self) -> list[str]:
        return [f.name for f in self.fields if f.sortable and f.name not in ("note",)]

    @property
    def flat_fields(self) -> list[str]:
        """The fields a flat format (CSV, TSV) shows by default: all but lists of objects (save
        those written as ids: titles)."""
        return [f.name for f in self.fields if not f.nested or f.flat]


# -- parts --------------------------------------------------------------------------------------

PARTS: dict[str, PartSpec] = {}


def part(name: str, class_name: str, text: str, *fields: Field) -> PartSpec:
    """Declare a part (``parts.py``): its name, its class's name, the field that is its text, its fields."""
    cls = model.make_class(model.Part, class_name, [(f.name, () if f.is_list else None) for f in fields], part=name)
    spec = PartSpec(name, tuple(fields), text, cls)
    PARTS[name] = spec
    return spec


# -- kinds --------------------------------------------------------------------------------------

KINDS: dict[str, Kind] = {}  # singular name -> kind, in the order lists, search and docs use


def kind(name: str, plural: str, file: str, *fields: Field, command: str | None = None, **options: Any) -> Kind:
    """Declare a kind (``kinds.py``): its singular and plural names, its data file, its fields and the
    options of ``Kind``; the command is the plural unless given. Its record class is made here, and
    every lookup (``get``, ``Kind.field``, ``files``, ``KIND_NAMES``) knows it from then on."""
    defaults = [
        (f.name, () if f.is_list else None)
        for f in fields
        if f.derived is None and f.name not in model.Record.attributes()
    ]
    cls = model.make_class(model.Record, name.title().replace("-", ""), defaults, kind=name)
    declared = Kind(name, plural, command or plural, file, tuple(fields), cls, **options)
    KINDS[name] = declared
    _FIELD_INDEX[name] = {f.name: f for f in declared.fields}
    for any_name in (declared.command, declared.plural, declared.name):
        _BY_ANY_NAME.setdefault(any_name, declared)
    _PLANS.pop(name, None)
    return declared


_FIELD_INDEX: dict[str, dict[str, Field]] = {}  # kind -> field name -> field, filled as kinds are declared


# -- lookups --------------------------------------------------------------------------------------


def get(name: str) -> Kind:
    """A kind by its singular name, its plural or its command (``city``, ``cities``, ``policies``)."""
    found = _BY_ANY_NAME.get(name.strip().lower())
    if found is None:
        raise KeyError(name)
    return found


_BY_ANY_NAME: dict[str, Kind] = {}  # filled as kinds are declared


def names() -> list[str]:
    """The singular names: the vocabulary of JSON ``type`` and of ``--type``."""
    return list(KINDS)


def aliases() -> list[str]:
    """Every name ``--type`` accepts: the singular names, then the command names."""
    return list(dict.fromkeys([*KINDS, *(k.command for k in KINDS.values())]))


def files() -> dict[str, dict[str, Kind]]:
    """The layout of a data directory: file name -> YAML section -> kind, in file order: by the
    lowest ``file_rank`` its kinds declare, then (a file none of whose kinds declares one: after
    those) by the declaration of its first kind. Within a file, its kinds in declaration order."""
    order: dict[str, tuple[bool, int, int]] = {}
    for position, declared in enumerate(KINDS.values()):
        rank = declared.file_rank
        key = (rank is None, rank or 0, position)
        if declared.file not in order or key < order[declared.file]:
            order[declared.file] = key
    layout: dict[str, dict[str, Kind]] = {}
    for declared in sorted(KINDS.values(), key=lambda k: order[k.file]):
        layout.setdefault(declared.file, {})[declared.plural] = declared
    return layout


def required_files() -> list[str]:
    return [name for name, sections in files().items() if any(k.required_file for k in sections.values())]


def label_of(record: model.Record) -> str:
    """What names a record for a reader: its name, title or term, a description, else its id."""
    declared = KINDS[record.kind]
    if declared.describe is not None:
        return declared.describe(record)
    for attr in declared.label:
        value: str | None = getattr(record, attr, None)
        if value:
            return value
    ident: str = record.id
    return ident


# Per kind, computed once: the fields that name records, as (field, ref, many, part refs) where part
# refs are (part field, ref, many) for a list of parts. References are walked for every record on
# every run (the index, the rules), so the walk must not re-derive this each time.
_PLANS: dict[str, list[_Step]] = {}


def _plan(kind: str) -> list[_Step]:
    plan = _PLANS.get(kind)
    if plan is None:
        plan = []
        fields = sorted(KINDS[kind].data_fields, key=lambda f: f.name != "sources")  # own sources first
        for f in fields:
            if f.ref is not None:
                plan.append((f.name, f.ref, f.type == "ids", None))
            elif (part_name := f.part or f.one) is not None:
                refs = tuple((pf.name, pf.ref, pf.type == "ids") for pf in PARTS[part_name].fields if pf.ref)
                if refs:
                    plan.append((f.name, None, f.one is None, refs))
        _PLANS[kind] = plan
    return plan


def references(record: model.Record) -> Iterator[tuple[str, str, str]]:
    """(path, kind name, id) for every id a record names, in itself and its parts, sources included;
    the record's own `sources` first."""
    for name, ref, many, part_refs in _plan(record.kind):
        value = getattr(record, name)
        if part_refs is None:
            target = _target(record, ref) if ref is not None else None  # (a step without part refs has one)
            if target is None:
                continue
            if many:
                for index, wanted in enumerate(value):
                    yield f"{name}.{index}", target, wanted
            elif value is not None:
                yield name, target, value
            continue
        for p_index, item in enumerate(value) if many else [(None, value)] if value is not None else []:
            for p_name, p_ref, p_many in part_refs:
                target = _target(item, p_ref)
                if target is None:
                    continue
                pv = getattr(item, p_name)
                at = f"{name}.{p_name}" if p_index is None else f"{name}.{p_index}.{p_name}"
                if p_many:
                    for index, wanted in enumerate(pv):
                        yield f"{at}.{index}", target, wanted
                elif pv is not None:
                    yield at, target, pv


def citations(record: model.Record) -> Iterator[tuple[str, str]]:
    """(path, source id) for every source a record cites, in itself and in its parts, its own
    `sources` first."""
    for path, target, wanted in references(record):
        if target == "source":
            yield path, wanted


def _target(holder: model.Record | model.Part, ref: str) -> str | None:
    if ref[0] != "@":
        return ref
    value = getattr(holder, ref[1:], None)
    return value if value in KINDS else None
