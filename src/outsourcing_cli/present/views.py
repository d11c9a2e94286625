"""What each record looks like to the outside, derived from the registry of kinds and
independent of how it is drawn.

- ``to_dict``: the JSON contract (documented in the README). Keys never silently change: they
  are the kind's fields, in declaration order.
- ``rows``: a list as table headers and cells (the kind's default columns, or ``--fields``).
- ``document``: a show page as a neutral Document (title, label/value rows, sections) that the
  plain and Rich renderers both draw. It shows what the record has, in words a reader knows.
- ``search_dict``: the shape of one search hit.
"""

from __future__ import annotations

from typing import Any, Callable

from ..domain import dates, history, kinds, provisions, query
from ..domain.index import index
from ..domain.frozen import Frozen
from ..domain.model import FactBase, Part, Record

MISSING = "—"


class Marked(str):
    """Text with marked spans (a search match), which a terminal highlights; plain text elsewhere."""

    marks: tuple[tuple[int, int], ...] = ()

    def __new__(cls, text: str, marks) -> "Marked":
        value = super().__new__(cls, text)
        value.marks = tuple(marks)
        return value


# -- the JSON contract ----------------------------------------------------------------------------


def part_dict(part: Part) -> dict:
    state = part.__dict__
    return {name: (list(state[name]) if many else state[name]) for name, many in _PART_PLANS[part.part]}


_PART_PLANS = {name: tuple((f.name, f.is_list) for f in spec.fields) for name, spec in kinds.PARTS.items()}


def source_dict(source: Record) -> dict:
    """A source in full, as `source_records` holds it: its own (not derived, not nested) fields."""
    state = source.__dict__
    return {name: state[name] for name in _SOURCE_FIELDS}


_SOURCE_FIELDS = tuple(f.name for f in kinds.KINDS["source"].data_fields if not f.nested and not f.is_list)


def _derived(base: FactBase, record: Record, spec: kinds.Field, as_of: str | None = None) -> Any:
    how = spec.derived
    if how.startswith("reverse:"):
        return [r.id for r in query.reverse(base, how[8:], record)]
    return DERIVED[how](base, record, as_of)


def _titles(base: FactBase, record: Record, as_of: str | None) -> list[dict]:
    return [h.as_dict() for h in history.titles_at(base, record, as_of)]


def _designations(base: FactBase, record: Record, as_of: str | None) -> list[str]:
    return [d.id for d in history.designations_of(base, record.kind, record.id)]


def _when(base: FactBase, record: Record, as_of: str | None) -> str | None:
    if record.kind == "policy":
        year = dates.year_from_number(record)
        return record.date or (f"{year} (from its document number)" if year else None)
    return dates.when(record)


# -- provisions (issue 18) --


def _provision_status(base: FactBase, record: Record, as_of: str | None) -> str | None:
    return provisions.in_force(record, history.point_of(as_of), base)


def _provision_chain(base: FactBase, record: Record, as_of: str | None) -> list[str]:
    return [p.id for p in provisions.chain(base, record)]


def _provisions_in_force(base: FactBase, record: Record, as_of: str | None) -> list[dict]:
    return [reach.as_dict(p) for p, reach in provisions.in_force_for(base, record, as_of)]


def in_context(base: FactBase, kind: str, items: list, dicts: list[dict], values: dict) -> list[dict]:
    """A list's dicts with what its filters add: for provisions selected by --city or --area, the
    status for that place (a title only possibly held makes it possibly held) and how it reaches it."""
    wanted = values.get("city") or values.get("area")
    if kind != "provision" or not wanted:
        return dicts
    subject = query.resolve(base, "city" if values.get("city") else "area", wanted)
    point = history.point_of(values.get("as_of"))
    for record, data in zip(items, dicts):
        got = provisions.reach(base, record, subject, point) if subject is not None else None
        if got is not None:
            data["status"] = got.status
    return dicts


DERIVED: dict[str, Callable[[FactBase, Record, str | None], Any]] = {
    "provision_status": _provision_status,
    "provision_chain": _provision_chain,
    "provisions": _provisions_in_force,
    "when": _when,
    "year_from_number": lambda base, record, as_of: dates.year_from_number(record),
    "source_records": lambda base, record, as_of: [source_dict(s) for s in query.sources_of(base, record)],
    "cited_by": lambda base, record, as_of: [{"type": c.kind, "id": c.id} for c in query.cited_by(base, record.id)],
    "titles": _titles,
    "designations": _designations,
}


def to_dict(base: FactBase, record: Record, as_of: str | None = None) -> dict:
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
_PLANS: dict[str, tuple] = {}


def _plan(kind: str) -> tuple:
    """How to_dict fills each field of a kind, in declaration order: worked out once per kind."""
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = tuple(
            (f.name, _DERIVED if f.derived is not None else _PARTS if f.part is not None
             else _ONE if f.one is not None else _LIST if f.is_list else _PLAIN, f) for f in kinds.KINDS[kind].fields)
    return plan


def search_dict(hit, snippet: Marked) -> dict:
    """One search hit as JSON: what kind of record, which, where and how it matched, how well."""
    return {"type": hit.kind, "id": hit.id, "field": hit.field, "snippet": snippet, "score": hit.score,
            "match": hit.match}


class View(Frozen):
    """The shape of rows that are not records of one kind (search hits, timeline events): their
    fields with what each holds, the default columns and the headers."""

    fields: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    headers: dict

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.fields]


VIEWS: dict[str, View] = {
    "search": View((
        ("type", "the kind of record, as in JSON (city, area, designation, policy, source...)"),
        ("id", "the record's id; `oscli <command> show ID` shows it"),
        ("field", "the field that matched, as in the JSON (e.g. statements[4].text)"),
        ("snippet", "the matching text, shortened around the match"),
        ("score", "how well it matched, 0-100 (higher is better)"),
        ("match", "how: exact (the words as typed), prefix (the start of a word), word (every word, any "
                  "order) or fuzzy (a close spelling, only when nothing else matched)"),
    ), ("type", "id", "field", "match", "snippet"), {"type": "Type", "id": "ID", "field": "Field",
                                                     "snippet": "Snippet", "score": "Score", "match": "Match"}),
    "timeline": View((
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
    ), ("when", "subject_name", "title_name", "event", "document"),
        {"when": "When", "subject_name": "City or area", "title_name": "Title", "event": "Event",
         "document": "Document"}),
    # issue 18: `timeline --provision ID`, a provision's chain and how far each link reached
    "spread": View((
        ("when", "from when to when it was in force: its effective_from and effective_until ('…' where none is stated)"),
        ("id", "the provision's id; `oscli provisions show ID` shows it"),
        ("document", "the number of the document that grants it (else the policy's id)"),
        ("scope", "where it reaches: nationwide, the titles it names, the places it names"),
        ("cities", "how many cities it reached on its last day in force (else as of the newest data); null for "
                   "nationwide"),
        ("possibly", "how many more it only possibly reached then (a title only possibly held)"),
        ("reached", "ids of the cities it reached then (null for nationwide)"),
        ("effective_from", "the first day in force, as precise as a source states it, or null"),
        ("effective_until", "the last day in force, or null"),
        ("benefit", "what it gives"),
    ), ("when", "id", "document", "scope", "cities"),
        {"when": "In force", "id": "Provision", "document": "Document", "scope": "Scope", "cities": "Cities"}),
}
SEARCH_FIELDS = VIEWS["search"].names


def spread_dicts(base: FactBase, record: Record) -> list[dict]:
    """The chain a provision belongs to, link by link in date order: when, where and how many cities."""
    rows = []
    for member in provisions.chain(base, record):
        reached = provisions.reached_cities(base, member, provisions.last_point(member))
        rows.append({
            "when": f"{member.effective_from or '…'} – {member.effective_until or '…'}", "id": member.id,
            "document": _document_of(base, member), "scope": provisions.scope_text(member.scope),
            "cities": None if reached is None else sum(1 for s in reached.values() if s == "held"),
            "possibly": None if reached is None else sum(1 for s in reached.values() if s != "held"),
            "reached": None if reached is None else sorted(reached),
            "effective_from": member.effective_from, "effective_until": member.effective_until,
            "benefit": member.benefit,
        })
    return rows


def field_help(kind: str) -> list[tuple[str, str]]:
    """(field, what it holds) for `--fields help`."""
    if kind in VIEWS:
        return list(VIEWS[kind].fields)
    return [(f.name, f.description) for f in kinds.get(kind).fields]


def value_at(data: dict, path: str):
    """A field's value, or with a dotted path (``titles.title``) the value inside its objects: a
    list of objects gives the list of their values, as jq's ``.titles[].title`` does."""
    head, _, rest = path.partition(".")
    value = data[head]
    if not rest:
        return value
    if isinstance(value, list):
        return [value_at(v, rest) if isinstance(v, dict) else None for v in value]
    return value_at(value, rest) if isinstance(value, dict) else None


def project(data: dict, fields: list[str] | None) -> dict:
    return data if fields is None else {f: value_at(data, f) for f in fields}


# -- tables -------------------------------------------------------------------------------------


def cell(value) -> str:
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
            return value["provision"] + (" (possibly)" if value["status"] != "held" else "")
        if "status" in value and "title" in value:
            return value["title"] + (" (possibly)" if value["status"] != "held" else "")
        return next((str(value[k]) for k in ("text", "role", "excerpt", "id", "rule") if value.get(k)), MISSING)
    return value if isinstance(value, str) else str(value)  # a str subclass keeps its highlights


def headers_for(kind: str, columns: list[str]) -> list[str]:
    if kind == "count":
        return [c.replace("_", " ").capitalize() for c in columns]
    if kind in VIEWS:
        return [VIEWS[kind].headers.get(c, c) for c in columns]
    declared = kinds.get(kind)
    return [declared.field(c).table_header if declared.field(c) else c for c in columns]


def default_columns(kind: str, dicts: list[dict] | None = None) -> list[str]:
    if kind == "count":
        return list(dicts[0]) if dicts else ["count"]
    return list(VIEWS[kind].columns) if kind in VIEWS else kinds.get(kind).columns


def rows(kind: str, dicts: list[dict], fields: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    columns = fields or default_columns(kind, dicts)
    return headers_for(kind, columns), [[cell(value_at(d, c)) for c in columns] for d in dicts]


# -- show pages --------------------------------------------------------------------------------


class Item(Frozen):
    text: str
    quote: bool = False  # an official statement, quoted word for word
    meta: str | None = None  # attribution or citation ids, shown after the text
    original: str | None = None  # a quotation's words in the language it was said in (Chinese), beside the text


class Section(Frozen):
    heading: str
    items: list


class Document:
    """A show page: a title, label/value rows, then sections of items."""

    def __init__(self, kind: str, id: str, title: str, fields: list[tuple[str, str]] | None = None) -> None:
        self.kind, self.id, self.title = kind, id, title
        self.fields: list[tuple[str, str]] = fields or []
        self.sections: list[Section] = []


def source_line(source: Record) -> str:
    """A source in one line: title, author, publisher, date, then the URL (no period after it)."""
    parts = [source.title or "[untitled]", source.author, source.publisher, source.date or "n.d."]
    text = ". ".join(p.rstrip(".") for p in parts if p) + "."
    return f"{text} {source.url}" if source.url else text


def _cites(ids) -> str:
    return "[" + ", ".join(ids) + "]" if ids else "[no source]"


def _rule_name(code: str) -> str:
    from ..domain.findings import RULES

    rule = RULES.get(code)
    return rule.checks if rule else "unknown rule"


def _agency_names(base: FactBase) -> dict[str, str]:
    return {a.id: a.abbr or a.id for a in base.of("agency")}


# How each kind of part reads on a show page: an Item per part.
PART_ITEMS: dict[str, Callable[[FactBase, Record, Part], Item]] = {
    "quote": lambda base, record, q: Item(
        q.text, quote=True, meta=(f"{q.speaker}, " if q.speaker else "") + f"as quoted in [{q.source}]"
        + (f"; the Chinese as printed in [{q.text_zh_source}]" if q.text_zh and q.text_zh_source
           and q.text_zh_source != q.source else ""),
        original=q.text_zh),
    "statement": lambda base, record, s: Item((f"{s.topic}: " if s.topic else "") + s.text, meta=_cites(s.sources)),
    "role": lambda base, record, d: Item(
        f"{', '.join(_agency_names(base).get(a, a) for a in d.agencies)}: {d.role}", meta=_cites(d.sources)),
    "acknowledgement": lambda base, record, a: Item(
        f"A known exception to rule {a.rule} ({_rule_name(a.rule)}): {a.reason or MISSING}", meta=_cites(a.sources)),
    "claim": lambda base, record, c: Item(
        c.claim + (" (the data follows this claim)" if getattr(record, "follows", None)
                   and record.claims.index(c) + 1 == record.follows else ""), meta=_cites(c.sources)),
    "concern": lambda base, record, c: Item(f"{c.type} {c.id}: {_label_of(base, c.type, c.id)}"),
    "alias": lambda base, record, a: Item(a.name, meta=_cites(a.sources)),
    "evidence": lambda base, record, e: Item(
        e.excerpt, quote=True,
        meta=", ".join(p for p in (f"[{e.source}]", e.locator, f"for {e.claim}" if e.claim else None) if p)),
}


def _label_of(base: FactBase, kind: str, record_id: str) -> str:
    found = index(base).by_id.get(kind, {}).get(record_id.lower())
    return label(base, found) if found is not None else record_id


def label(base: FactBase, record: Record) -> str:
    """What names a record for a reader, with its references resolved: 'Dalian: base city, granted
    2006-08-04' for a designation."""
    if record.kind in ("designation", "total"):
        title = _label_of(base, "title", record.title or "?")
        if record.kind == "total":
            return f"{record.count} × {title} ({dates.when(record)})"
        subject = _label_of(base, record.subject_type or "city", record.subject or "?")
        return f"{subject}: {title}, {record.event} {dates.when(record)}"
    return kinds.label_of(record)


def _titles_text(base: FactBase, holdings: list[dict]) -> str:
    parts = []
    for h in holdings:
        name = _label_of(base, "title", h["title"])
        grant = index(base).by_id["designation"].get(h["designation"].lower())
        since = f"since {h['since']}" if h["since"] else f"granted {dates.when(grant)}" if grant else ""
        parts.append(f"{name} ({h['status']}{', ' + since if since else ''})")
    return "; ".join(parts) if parts else "none"


def _history(base: FactBase, record: Record) -> list[Item]:
    items = []
    for event in history.designations_of(base, record.kind, record.id):
        details = [f"granted by {', '.join(_label_of(base, 'agency', a) for a in event.granted_by)}"
                   if event.granted_by else None, event.ordinal, event.document]
        text = (f"{dates.when(event)}: {_label_of(base, 'title', event.title)} {event.event}"
                + "".join(f"; {d}" for d in details if d))
        items.append(Item(text, meta=f"[{event.id}] " + _cites(event.sources)))
    return items


def _provision_items(base: FactBase, record: Record, as_of: str | None) -> list[Item]:
    """A city's or area's provisions in force: what, for whom, from when, how it reaches the place."""
    items = []
    for provision, reach in provisions.in_force_for(base, record, as_of):
        how = ("nationwide" if reach.via == "nationwide" else
               f"as {_label_of(base, 'title', reach.title).lower()}" if reach.via == "title" else
               f"named, as {_label_of(base, 'title', reach.title).lower()}" if reach.title else "named")
        if reach.area:
            how += f", through {_label_of(base, 'area', reach.area)}"
        elif record.kind == "area" and reach.via != "nationwide" and not _names_area(provision, record, reach):
            how = f"through its city {_label_of(base, 'city', record.city or '?')}: {how}"
        span = f"{provision.effective_from or 'start unknown'} to {provision.effective_until or 'no end stated'}"
        status = "" if reach.status == "held" else "possibly in force; "
        items.append(Item(f"{provision.benefit} ({status}{span}; {how})",
                          meta=f"[{provision.id}] {_document_of(base, provision)}"))
    return items


def _names_area(provision: Record, area: Record, reach) -> bool:
    """Whether a provision reaches an area by itself (named, or through a title the area holds)
    rather than through the area's city."""
    scope = provision.scope
    named = (area.id or "").lower() in {p.lower() for p in scope.places}
    area_title = reach.title is not None and reach.title.lower() in {"showcase-area", "showcase-base"}
    return named if scope.places else area_title


def _document_of(base: FactBase, provision: Record) -> str:
    policy = index(base).by_id["policy"].get((provision.policy or "").lower())
    return (policy.document_number or policy.id) if policy is not None else (provision.policy or "")


def _chain_items(base: FactBase, record: Record) -> list[Item]:
    """The provisions a provision's chain joins, in date order, with what links each to another."""
    items = []
    for member in provisions.chain(base, record):
        linked = "; ".join(f"{word} {', '.join(ids)}" for word, ids in (("extends", member.extends),
                                                                        ("supersedes", member.supersedes)) if ids)
        here = " (this provision)" if member.id == record.id else ""
        items.append(Item(f"{member.effective_from or 'start unknown'}: {member.id}{here}, "
                          f"{_document_of(base, member)}, {provisions.scope_text(member.scope)}"
                          + (f"; {linked}" if linked else "")))
    return items


def _disagreements(base: FactBase, record: Record) -> list[Item]:
    items = []
    for conflict in query.reverse(base, "conflict.concerns", record):
        followed = conflict.claims[conflict.follows - 1].claim if conflict.follows else "none of the claims"
        items.append(Item(f"Sources disagree: {conflict.question} The data follows: {followed}",
                          meta=f"[{conflict.id}] `oscli conflicts show {conflict.id}`"))
    return items


def _resolution(base: FactBase, record: Record, rule: str) -> str | None:
    """For a known exception, when it stopped being one, in plain words (OSC401: the city's title)."""
    if rule != "OSC401" or record.kind != "area":
        return None
    city = index(base).by_id["city"].get((record.city or "").lower())
    grants = [d for d in history.designations_of(base, "area", record.id) if d.event == "granted"]
    if city is None or not grants:
        return None
    later = history.first_title_after(base, city, history.period(grants[0]).last or 0)
    if later is None:
        return None
    return (f"Resolved when {kinds.label_of(city)} became a {_label_of(base, 'title', later.title).lower()} "
            f"({dates.when(later)}).")


def document(base: FactBase, record: Record, as_of: str | None = None) -> Document:
    declared = kinds.KINDS[record.kind]
    title = label(base, record)
    title_field = next((a for a in declared.label if getattr(record, a, None)), None)
    rows_: list[tuple[str, str]] = []
    sections: list[Section] = []
    for spec in declared.fields:
        if spec.name in ("id", "sources", title_field) or spec.derived in ("source_records", "cited_by") or \
                (spec.derived == "when" and record.kind != "policy") or (spec.name == "date" and record.kind == "policy") \
                or spec.derived == "year_from_number":
            continue
        if spec.derived == "designations":
            if _history(base, record):
                sections.append(Section("History", _history(base, record)))
            continue
        if spec.derived == "titles":
            rows_.append((f"Titles ({'as of ' + as_of if as_of else 'as of the newest data'})",
                          _titles_text(base, _derived(base, record, spec, as_of))))
            continue
        if spec.derived == "provisions":
            sections.append(Section(f"Provisions in force ({'as of ' + as_of if as_of else 'as of the newest data'})",
                                    _provision_items(base, record, as_of) or [Item("none in the data")]))
            continue
        if spec.one is not None:
            value = getattr(record, spec.name)
            if value is not None:
                rows_.append((spec.shown_as, cell(part_dict(value))))
            continue
        if spec.type == "texts":  # a list of text (conditions): one item each, as commas may be in them
            if getattr(record, spec.name):
                sections.append(Section(spec.shown_as, [Item(t) for t in getattr(record, spec.name)]))
            continue
        if spec.derived == "provision_chain":
            if len(_derived(base, record, spec, as_of)) > 1:
                sections.append(Section("Chain", _chain_items(base, record)))
            continue
        if spec.name == "conflicts":
            if _disagreements(base, record):
                sections.append(Section("Sources disagree", _disagreements(base, record)))
            continue
        if spec.part is not None:
            items = getattr(record, spec.name)
            if items:
                render = PART_ITEMS[spec.part]
                parts = [render(base, record, p) for p in items]
                if spec.part == "acknowledgement":
                    parts = [Item(i.text + (f" {_resolution(base, record, p.rule)}" if _resolution(base, record, p.rule)
                                            else ""), meta=i.meta) for i, p in zip(parts, items)]
                sections.append(Section(spec.shown_as, parts))
            continue
        value = _derived(base, record, spec, as_of) if spec.derived else getattr(record, spec.name)
        if value is None or value == () or value == []:
            continue  # what the record does not have is not printed
        if spec.section:
            sections.append(Section(spec.shown_as, [Item(value, meta=_cites(record.sources)
                                                         if spec.name != "note" else None)]))
        elif spec.ref and not spec.ref.startswith("@") and spec.type == "id":
            rows_.append((spec.shown_as, f"{value} ({_label_of(base, spec.ref, value)})"))
        elif spec.ref == "@subject_type":
            rows_.append((spec.shown_as, f"{value} ({_label_of(base, record.subject_type, value)})"))
        else:
            rows_.append((spec.shown_as, cell(list(value) if isinstance(value, tuple) else value)))
    doc = Document(record.kind, record.id, title, rows_)
    doc.sections.extend(sections)
    if record.kind == "source":
        users = query.cited_by(base, record.id)
        doc.sections.append(Section("Cited by", [Item(f"{c.kind} {c.id}: {c.label}") for c in users]
                                    or [Item("no record")]))
    else:
        doc.sections.append(Section("Sources", [
            Item(source_line(s), meta=f"[{s.id}]") for s in query.sources_of(base, record)
        ]))
    return doc


def fields_document(record: Record, data: dict, fields: list[str]) -> Document:
    """A show page of only the fields asked for (`show ID --fields a,b`), without sections."""
    return Document(record.kind, record.id, kinds.label_of(record), [(f, cell(value_at(data, f))) for f in fields])


# -- designations over time -------------------------------------------------------------------------


def undated_note(base: FactBase, kind: str, values: dict, hint: bool = True) -> str | None:
    """What a --since/--until left out for want of any date (of the records the other filters keep);
    ``hint``: the command has --include-undated."""
    left_out = query.undated_left_out(base, kind, values)
    if not left_out:
        return None
    declared = kinds.get(kind)
    word = declared.name if len(left_out) == 1 else declared.plural
    ids = ", ".join(r.id for r in left_out[:5]) + (", ..." if len(left_out) > 5 else "")
    return f"{len(left_out)} undated {word} left out ({ids})" + ("; --include-undated keeps them." if hint else ".")


def list_footer(base: FactBase, kind: str, values: dict, shown: list[dict] | None = None) -> str | None:
    """Under a list of cities or areas by --title/--as-of: what the data cannot name. The latest
    total a source gives for a title of this kind at that date, when it counts more holders than
    the data names; and which of the listed records (``shown``, the filters' result) hold a title
    only possibly. It names only records the filters let through."""
    title_wanted, as_of = values.get("title"), values.get("as_of")
    if kind not in ("city", "area") or not (title_wanted or as_of):
        return None
    point = history.point_of(as_of)
    notes = []
    possibly = [(d["id"], _label_of(base, "title", t["title"]).lower()) for d in shown or []
                for t in d.get("titles") or [] if t.get("status") == history.POSSIBLY]
    if possibly:
        names = ", ".join(f"{record_id} ({title})" for record_id, title in possibly[:5])
        notes.append(f"{len(possibly)} title(s) only possibly held at {'that date' if as_of else 'the newest data'}"
                     f" (the event's date is uncertain): {names}{', ...' if len(possibly) > 5 else ''}.")
    title = query.resolve(base, "title", title_wanted) if title_wanted else None
    titles = [t.id for t in ([title] if title else base.of("title")) if t.subject_type == kind]
    for title_id in titles:
        holding = history.holders(base, title_id, point, kind)
        total = history.latest_total(base, title_id, point)
        if total is not None and total.count > len(holding):
            notes.append(f"A source counts {total.count} at {dates.when(total)} (total {total.id}); "
                         f"{total.count - len(holding)} of them are not named in the data.")
    return " ".join(notes) or None


def timeline_dict(base: FactBase, event: Record) -> dict:
    """One event of the timeline: when (in words, bounds included), whether the date is uncertain,
    what happened to whom."""
    return {
        "when": dates.when(event), "uncertain": not (event.date and len(event.date) == 10),
        "subject_type": event.subject_type, "subject": event.subject,
        "subject_name": _label_of(base, event.subject_type or "city", event.subject or "?"),
        "title": event.title, "title_name": _label_of(base, "title", event.title or "?"), "event": event.event,
        "document": event.document, "id": event.id, "date": event.date, "not_before": event.not_before,
        "not_after": event.not_after, "sources": list(event.sources),
    }


def yearly_chart(base: FactBase, titles: list[str], since: str | None = None,
                 until: str | None = None) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """(title name, [(year, held, possibly held)]) at the end of each year the data spans, within
    the years of --since and --until when given."""
    years = [y for y in history.year_span(base)
             if (since is None or y >= int(since[:4])) and (until is None or y <= int(until[:4]))]
    return [(_label_of(base, "title", t), history.yearly_counts(base, t, years)) for t in titles]


# -- one claim (`cite --claim`) ----------------------------------------------------------------------


def claim_text(base: FactBase, record: Record, claim: query.Claim) -> str:
    """What the claim says, in words: a part's text, or the record's name and the field's value."""
    if claim.index is not None:
        part = claim.value
        spec = kinds.PARTS[part.part]
        text = getattr(part, spec.text) or ""
        agencies = getattr(part, "agencies", None)
        if agencies:
            abbr = {a.id: a.abbr or a.name for a in base.of("agency")}
            text = f"{', '.join(abbr.get(a, a) for a in agencies)}: {text}"
        return text
    spec = kinds.KINDS[record.kind].field(claim.field)
    value = claim.value
    return f"{kinds.label_of(record)}, {spec.shown_as}: {cell(list(value) if isinstance(value, tuple) else value)}"


def claim_dict(base: FactBase, record: Record, claim: query.Claim) -> dict:
    """One claim as JSON: the record, the claim's path and text, and one object per source and
    excerpt (a source without an excerpt once, with ``excerpt`` null)."""
    sources = []
    for source, evidence in query.claim_sources(base, claim):
        for entry in evidence or [None]:
            sources.append({**source_dict(source),
                            "excerpt": entry.excerpt if entry else None,
                            "locator": entry.locator if entry else None,
                            "stored": query.text_stored(source)})
    value = claim.value
    return {
        "record": {"type": record.kind, "id": record.id, "label": kinds.label_of(record)},
        "claim": claim.path,
        "field": claim.field,
        "text": claim_text(base, record, claim),
        "value": part_dict(value) if claim.index is not None else (list(value) if isinstance(value, tuple) else value),
        "sources": sources,
    }
