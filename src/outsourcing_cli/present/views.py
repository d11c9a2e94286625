"""What each record looks like to the outside, derived from the registry of kinds and
independent of how it is drawn.

- ``to_dict``: the JSON contract (documented in the README). Keys never silently change: they
  are the kind's fields, in declaration order.
- ``rows``: a list as table headers and cells (the kind's default columns, or ``--fields``).
- ``label``: what names a record for a reader (a kind's ``heading`` where it declares one).
- ``in_context``, ``undated_note``, ``list_footer``: what a list's filters add, and the notes
  under it (a kind's ``context`` and ``footer`` name them in CONTEXTS and FOOTERS).
- ``search_dict``: the shape of one search hit.

Loaded when asked for (``views.NAME`` still finds them): ``document``, a show page as a neutral
Document (pages.py); the timeline's rows (timeline.py); one claim for `cite --claim` (claims.py).
No per-kind condition here: what differs between kinds is declared with the kind in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..domain import dates, filters, history, kinds, provisions, query
from ..domain.frozen import Frozen
from ..domain.index import index
from ..domain.model import FactBase, Part, Record

if TYPE_CHECKING:
    from ..domain.search import Hit

MISSING = "—"


class Marked(str):
    """Text with marked spans (a search match), which a terminal highlights; plain text elsewhere."""

    marks: tuple[tuple[int, int], ...] = ()

    def __new__(cls, text: str, marks: Iterable[tuple[int, int]]) -> Marked:
        value = super().__new__(cls, text)
        value.marks = tuple(marks)
        return value


# -- the JSON contract ----------------------------------------------------------------------------


def part_dict(part: Part) -> dict[str, Any]:
    state = part.__dict__
    return {name: (list(state[name]) if many else state[name]) for name, many in _PART_PLANS[part.part]}


_PART_PLANS = {name: tuple((f.name, f.is_list) for f in spec.fields) for name, spec in kinds.PARTS.items()}


def source_dict(source: Record) -> dict[str, Any]:
    """A source in full, as `source_records` holds it: its own (not derived, not nested) fields."""
    state = source.__dict__
    return {name: state[name] for name in _SOURCE_FIELDS}


_SOURCE_FIELDS = tuple(f.name for f in kinds.KINDS["source"].data_fields if not f.nested and not f.is_list)


def _derived(base: FactBase, record: Record, spec: kinds.Field, as_of: str | None = None) -> Any:
    how = spec.derived
    if how is None:  # _plan sends only derived fields here
        raise ValueError(f"{spec.name} is not derived")
    if how.startswith("reverse:"):
        return [r.id for r in query.reverse(base, how[8:], record)]
    return DERIVED[how](base, record, as_of)


def _titles(base: FactBase, record: Record, as_of: str | None) -> list[dict[str, Any]]:
    return [h.as_dict() for h in history.titles_at(base, record, as_of)]


def _designations(base: FactBase, record: Record, as_of: str | None) -> list[str]:
    return [d.id for d in history.designations_of(base, record.kind, record.id)]


# -- provisions (issue 18) --


def _provision_status(base: FactBase, record: Record, as_of: str | None) -> str | None:
    return provisions.in_force(record, history.point_of(as_of), base)


def _provision_chain(base: FactBase, record: Record, as_of: str | None) -> list[str]:
    return [p.id for p in provisions.chain(base, record)]


def _provisions_in_force(base: FactBase, record: Record, as_of: str | None) -> list[dict[str, Any]]:
    return [reach.as_dict(p) for p, reach in provisions.in_force_for(base, record, as_of)]


def in_context(
    base: FactBase, kind: str, items: list[Record], dicts: list[dict[str, Any]], values: dict[str, Any]
) -> list[dict[str, Any]]:
    """A list's dicts with what its filters add, as the kind's ``context`` says (CONTEXTS)."""
    add = CONTEXTS.get(kinds.get(kind).context or "")
    return dicts if add is None else add(base, items, dicts, values)


def _reach(
    base: FactBase, items: list[Record], dicts: list[dict[str, Any]], values: dict[str, Any]
) -> list[dict[str, Any]]:
    """Provisions selected by --city or --area: the status for that place (a title only possibly
    held makes it possibly held)."""
    wanted = values.get("city") or values.get("area")
    if not wanted:
        return dicts
    subject = query.resolve(base, "city" if values.get("city") else "area", wanted)
    point = history.point_of(values.get("as_of"))
    for record, data in zip(items, dicts, strict=True):
        got = provisions.reach(base, record, subject, point) if subject is not None else None
        if got is not None:
            data["status"] = got.status
    return dicts


_Context = Callable[[FactBase, list[Record], list[dict[str, Any]], dict[str, Any]], list[dict[str, Any]]]
CONTEXTS: dict[str, _Context] = {"reach": _reach}

DERIVED: dict[str, Callable[[FactBase, Record, str | None], Any]] = {
    "provision_status": _provision_status,
    "provision_chain": _provision_chain,
    "provisions": _provisions_in_force,
    "when": lambda base, record, as_of: dates.when(record),
    "when_or_number": lambda base, record, as_of: dates.when_or_number(record),
    "year_from_number": lambda base, record, as_of: dates.year_from_number(record),
    "source_records": lambda base, record, as_of: [source_dict(s) for s in query.sources_of(base, record)],
    "cited_by": lambda base, record, as_of: [{"type": c.kind, "id": c.id} for c in query.cited_by(base, record.id)],
    "titles": _titles,
    "designations": _designations,
}


def to_dict(base: FactBase, record: Record, as_of: str | None = None) -> dict[str, Any]:
    """The record as its JSON contract; ``as_of`` dates the derived ``titles``."""
    data: dict[str, Any] = {}
    state = record.__dict__
    for name, how, spec in _plan(record.kind):
        if how is _PLAIN:
            data[name] = state[name]
        elif how is _LIST:
            data[name] = list(state[name])
        elif how is _PARTS:
            data[name] = [part_dict(p) for p in state[name]]
        elif how is _ONE:
            data[name] = None if state[name] is None else part_dict(state[name])
        else:
            data[name] = _derived(base, record, spec, as_of)
    return data


_PLAIN, _LIST, _PARTS, _ONE, _DERIVED = "plain", "list", "parts", "one", "derived"
_Plan = tuple[tuple[str, str, kinds.Field], ...]  # (field name, how to_dict fills it, the field)
_PLANS: dict[str, _Plan] = {}


def _plan(kind: str) -> _Plan:
    """How to_dict fills each field of a kind, in declaration order: worked out once per kind."""
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = tuple(
            (
                f.name,
                _DERIVED
                if f.derived is not None
                else _PARTS
                if f.part is not None
                else _ONE
                if f.one is not None
                else _LIST
                if f.is_list
                else _PLAIN,
                f,
            )
            for f in kinds.KINDS[kind].fields
        )
    return plan


def search_dict(hit: Hit, snippet: str) -> dict[str, Any]:
    # (a Marked snippet, which a terminal highlights, from the CLI; plain text from the MCP server)
    """One search hit as JSON: what kind of record, which, where and how it matched, how well."""
    return {
        "type": hit.kind,
        "id": hit.id,
        "field": hit.field,
        "snippet": snippet,
        "score": hit.score,
        "match": hit.match,
    }


class View(Frozen):
    """The shape of rows that are not records of one kind (search hits, timeline events): their
    fields with what each holds, the default columns and the headers."""

    fields: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    headers: dict[str, str]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.fields]


VIEWS: dict[str, View] = {
    "search": View(
        (
            ("type", "the kind of record, as in JSON (city, area, designation, policy, source...)"),
            ("id", "the record's id; `oscli <command> show ID` shows it"),
            ("field", "the field that matched, as in the JSON (e.g. statements[4].text)"),
            ("snippet", "the matching text, shortened around the match"),
            ("score", "how well it matched, 0-100 (higher is better)"),
            (
                "match",
                "how: exact (the words as typed), prefix (the start of a word), word (every word, any "
                "order) or fuzzy (a close spelling, only when nothing else matched)",
            ),
        ),
        ("type", "id", "field", "match", "snippet"),
        {"type": "Type", "id": "ID", "field": "Field", "snippet": "Snippet", "score": "Score", "match": "Match"},
    ),
    "timeline": View(
        (
            ("when", "the date in words: the date, or its bounds ('between 2007-01-09 and 2008-01-11')"),
            ("uncertain", "true when the day is not known (a partial date, or bounds)"),
            ("subject_type", "city or area"),
            ("subject", "the id of the city or area"),
            ("subject_name", "its name"),
            ("title", "the id of the title"),
            ("title_name", "the title's name"),
            ("event", "granted or revoked"),
            ("document", "the document number, where a source states it"),
            ("id", "the designation's id; `oscli designations show ID` shows it"),
            ("date", "the date as precise as a source states it, or null"),
            ("not_before", "the lower bound of an uncertain date, or null"),
            ("not_after", "the upper bound of an uncertain date, or null"),
            ("sources", "ids of the sources"),
        ),
        ("when", "subject_name", "title_name", "event", "document"),
        {
            "when": "When",
            "subject_name": "City or area",
            "title_name": "Title",
            "event": "Event",
            "document": "Document",
        },
    ),
    # issue 18: `timeline --provision ID`, a provision's chain and how far each link reached
    "spread": View(
        (
            (
                "when",
                "from when to when it was in force: its effective_from and effective_until ('…' where none is stated)",
            ),
            ("id", "the provision's id; `oscli provisions show ID` shows it"),
            ("document", "the number of the document that grants it (else the policy's id)"),
            ("scope", "where it reaches: nationwide, the titles it names, the places it names"),
            (
                "cities",
                "how many cities it reached on its last day in force (else as of the newest data); null for nationwide",
            ),
            ("possibly", "how many more it only possibly reached then (a title only possibly held)"),
            ("reached", "ids of the cities it reached then (null for nationwide)"),
            ("effective_from", "the first day in force, as precise as a source states it, or null"),
            ("effective_until", "the last day in force, or null"),
            ("benefit", "what it gives"),
        ),
        ("when", "id", "document", "scope", "cities"),
        {"when": "In force", "id": "Provision", "document": "Document", "scope": "Scope", "cities": "Cities"},
    ),
}
SEARCH_FIELDS = VIEWS["search"].names


def field_help(kind: str) -> list[tuple[str, str]]:
    """(field, what it holds) for `--fields help`."""
    if kind in VIEWS:
        return list(VIEWS[kind].fields)
    return [(f.name, f.description) for f in kinds.get(kind).fields]


def value_at(data: dict[str, Any], path: str) -> Any:
    """A field's value, or with a dotted path (``titles.title``) the value inside its objects: a
    list of objects gives the list of their values, as jq's ``.titles[].title`` does."""
    head, _, rest = path.partition(".")
    value = data[head]
    if not rest:
        return value
    if isinstance(value, list):
        return [value_at(v, rest) if isinstance(v, dict) else None for v in value]
    return value_at(value, rest) if isinstance(value, dict) else None


def project(data: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    return data if fields is None else {f: value_at(data, f) for f in fields}


# -- tables -------------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """One value as table text: null as a dash, booleans as yes/no, lists joined by ', '."""
    if value is None or value == []:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):  # a nested object: a title held, or its text, role or id
        if "nationwide" in value:  # a provision's scope
            from ..domain.provisions import scope_text

            return scope_text(kinds.PARTS["scope"].model(**value))
        if "provision" in value and "status" in value:  # a provision in force
            return str(value["provision"]) + (" (possibly)" if value["status"] != "held" else "")
        if "status" in value and "title" in value:
            return str(value["title"]) + (" (possibly)" if value["status"] != "held" else "")
        return next((str(value[k]) for k in ("text", "role", "excerpt", "id", "rule") if value.get(k)), MISSING)
    return value if isinstance(value, str) else str(value)  # a str subclass keeps its highlights


def headers_for(kind: str, columns: list[str]) -> list[str]:
    if kind == "count":
        return [c.replace("_", " ").capitalize() for c in columns]
    if kind in VIEWS:
        return [VIEWS[kind].headers.get(c, c) for c in columns]
    declared = kinds.get(kind)
    return [f.table_header if (f := declared.field(c)) else c for c in columns]


def default_columns(kind: str, dicts: list[dict[str, Any]] | None = None) -> list[str]:
    if kind == "count":
        return list(dicts[0]) if dicts else ["count"]
    return list(VIEWS[kind].columns) if kind in VIEWS else kinds.get(kind).columns


def rows(kind: str, dicts: list[dict[str, Any]], fields: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    columns = fields or default_columns(kind, dicts)
    return headers_for(kind, columns), [[cell(value_at(d, c)) for c in columns] for d in dicts]


# -- how a record is named -------------------------------------------------------------------------


def _label_of(base: FactBase, kind: str, record_id: str) -> str:
    found = index(base).by_id.get(kind, {}).get(record_id.lower())
    return label(base, found) if found is not None else record_id


def label(base: FactBase, record: Record) -> str:
    """What names a record for a reader, with its references resolved: 'Dalian: base city, granted
    2006-08-04' for a designation."""
    heading = kinds.KINDS[record.kind].heading
    if heading is not None:
        named: str = heading(record, lambda kind, record_id: _label_of(base, kind, record_id))
        return named
    return kinds.label_of(record)


# -- designations over time -------------------------------------------------------------------------


def undated_note(base: FactBase, kind: str, values: dict[str, Any], hint: bool = True) -> str | None:
    """What a --since/--until left out for want of any date (of the records the other filters keep);
    ``hint``: the command has --include-undated."""
    left_out = filters.undated_left_out(base, kind, values)
    if not left_out:
        return None
    declared = kinds.get(kind)
    word = declared.name if len(left_out) == 1 else declared.plural
    ids = ", ".join(r.id for r in left_out[:5]) + (", ..." if len(left_out) > 5 else "")
    return f"{len(left_out)} undated {word} left out ({ids})" + ("; --include-undated keeps them." if hint else ".")


def list_footer(
    base: FactBase, kind: str, values: dict[str, Any], shown: list[dict[str, Any]] | None = None
) -> str | None:
    """The note under a list, as the kind's ``footer`` says (FOOTERS); ``shown``: the filters' result."""
    declared = kinds.get(kind)
    note = FOOTERS.get(declared.footer or "")
    return None if note is None else note(base, declared.name, values, shown)


def _holders(base: FactBase, kind: str, values: dict[str, Any], shown: list[dict[str, Any]] | None) -> str | None:
    """Under a list of title holders (cities, areas) by --title/--as-of: what the data cannot name.
    The latest total a source gives for a title of this kind at that date, when it counts more
    holders than the data names; and which of the listed records hold a title only possibly. It
    names only records the filters let through."""
    title_wanted, as_of = values.get("title"), values.get("as_of")
    if not (title_wanted or as_of):
        return None
    point = history.point_of(as_of)
    notes = []
    possibly = [
        (d["id"], _label_of(base, "title", t["title"]).lower())
        for d in shown or []
        for t in d.get("titles") or []
        if t.get("status") == history.POSSIBLY
    ]
    if possibly:
        names = ", ".join(f"{record_id} ({title})" for record_id, title in possibly[:5])
        notes.append(
            f"{len(possibly)} title(s) only possibly held at {'that date' if as_of else 'the newest data'}"
            f" (the event's date is uncertain): {names}{', ...' if len(possibly) > 5 else ''}."
        )
    title = query.resolve(base, "title", title_wanted) if title_wanted else None
    titles = [t.id for t in ([title] if title else base.of("title")) if t.subject_type == kind]
    for title_id in titles:
        holding = history.holders(base, title_id, point, kind)
        total = history.latest_total(base, title_id, point)
        if total is not None and total.count > len(holding):
            notes.append(
                f"A source counts {total.count} at {dates.when(total)} (total {total.id}); "
                f"{total.count - len(holding)} of them are not named in the data."
            )
    return " ".join(notes) or None


_Footer = Callable[[FactBase, str, dict[str, Any], list[dict[str, Any]] | None], str | None]
FOOTERS: dict[str, _Footer] = {"holders": _holders}
