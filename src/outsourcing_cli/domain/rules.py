"""The domain rules: one pure function per rule code, over the model, returning findings.

``run`` applies them all, then the records' acknowledgements: a finding that a record
acknowledges (same rule, same record) with a reason and a source is kept apart, not counted as
an error; an acknowledgement that matches nothing, has no reason or names an unknown rule is
itself reported.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from . import dates, history, kinds
from .findings import RULES, Finding, finding
from .kinds import citations
from .model import FactBase, Origin, Record
from .names import did_you_mean

RuleFn = Callable[[FactBase], Iterable[Finding]]
_RULES: list[RuleFn] = []


def rule(fn: RuleFn) -> RuleFn:
    _RULES.append(fn)
    return fn


def _at(record: Record, path: str, code: str, message: str) -> Finding:
    where: Origin = record.at(path)
    return finding(code, message, where.file, where.line, where.column, record.id)


def _ids(records: Iterable[Record]) -> dict[str, Record]:
    index: dict[str, Record] = {}
    for record in records:
        if record.id is not None:
            index.setdefault(record.id.lower(), record)
    return index


@rule
def duplicate_ids(base: FactBase) -> Iterator[Finding]:
    """OSC201: ids are unique within each kind of record, compared case-insensitively."""
    for name in base.kinds():
        seen: dict[str, Record] = {}
        for record in base.of(name):
            if record.id is None:
                continue
            key = record.id.lower()
            if key in seen:
                first = seen[key]
                yield _at(record, "id", "OSC201",
                          f"{record.kind} id '{record.id}' is already used at {first.at('id')}")
            else:
                seen[key] = record


# Did-you-mean compares a name with every id of its kind, so suggesting for every unknown reference
# is quadratic: the 100x base (bench/generate.py) with its sources renamed, 7,900 unknown
# references, took 37 s for `check`. Suggestions stop once this many ids have been compared in a
# run: thousands of suggestions on data of the shipped size, 83 at 100x, 8 at 1000x. (A fixed
# count of 100 still cost 5 s at 1000x: 50 ms a suggestion among 6,000 similar ids.)
COMPARED = 50_000


@rule
def references(base: FactBase, unknown: dict[str, int] | None = None) -> Iterator[Finding]:
    """One rule for every field that names a record (declared with ``ref`` in the registry): the
    id resolves to a record of that kind. The code is the referenced kind's (OSC202 city, OSC203
    agency, OSC204 source, ...), so that codes stay stable as kinds are added.

    ``unknown``: kinds whose file could not be read; references to them are not checked, only
    counted there (``run`` says so in one finding)."""
    known = {name: _ids(base.of(name)) for name in kinds.KINDS}
    compared = 0
    for record in base.records():
        for path, target, wanted in kinds.references(record):
            if unknown is not None and target in unknown:
                unknown[target] += 1
                continue
            if wanted.lower() not in known[target]:
                hint = ""
                if compared + len(known[target]) <= COMPARED:
                    compared += len(known[target])
                    hint = did_you_mean(wanted, known[target])
                yield _at(record, path, kinds.KINDS[target].missing,
                          f"{record.kind} '{record.id}' names unknown {target} '{wanted}'{hint}")


@rule
def provenance(base: FactBase) -> Iterator[Finding]:
    """OSC301, OSC302: every record and every quotation names its source."""
    for record in base.records():
        if record.kind != "source" and not record.sources:
            yield _at(record, "sources", "OSC301", f"{record.kind} '{record.id}' cites no source")
        for index, quote in enumerate(getattr(record, "quotes", ())):
            if not quote.source:
                yield _at(record, f"quotes.{index}", "OSC302",
                          f"quotation {index + 1} of {record.kind} '{record.id}' names no source")


@rule
def unused_sources(base: FactBase) -> Iterator[Finding]:
    """OSC303: a source nobody cites is probably a lost reference."""
    cited = {source.lower() for record in base.records() for _, source in citations(record)}
    for source in base.of("source"):
        if source.id is not None and source.id.lower() not in cited:
            yield _at(source, "id", "OSC303", f"source '{source.id}' is cited by no record")


_BARE_IP = re.compile(r"https?://\[?[0-9a-fA-F:.]+\]?(?::\d+)?(?:/|$)")


@rule
def complete_sources(base: FactBase) -> Iterator[Finding]:
    """OSC304: a reader can find every source: a title (not a placeholder), a publisher, and a URL or,
    for a document, its number; a bare-IP URL only with an archived copy."""
    for source in base.of("source"):
        missing = [what for what, present in (
            ("a publisher", source.publisher or source.author),
            ("a URL or a document number", source.url or source.document_number)) if not present]
        if source.title and source.title.strip().lower() in ("[untitled]", "untitled"):
            missing.insert(0, "a title (not a placeholder)")
        if missing:
            yield _at(source, "id", "OSC304", f"source '{source.id}' lacks {' and '.join(missing)}")
        if source.url and _BARE_IP.match(source.url) and not source.archive_url:
            yield _at(source, "url", "OSC304", f"source '{source.id}' has only a bare IP address as URL; record "
                                                "an archived copy (archive_url) or cite the document by its number")


_PART_PATH = re.compile(r"([a-z_]+)\[(\d+)\]")
# The CJK ideographs U+3400-U+9FFF and U+F900-U+FAFF (fold.is_cjk) in UTF-8. (A str class of them
# took 2-3 ms to compile, a fifth of a cold run; a Python test per character took 0.9 s of a cold
# `check` on the 100x base. A test compares this with fold.is_cjk on every code point.)
CJK_UTF8 = re.compile(rb"\xe3[\x90-\xbf][\x80-\xbf]|[\xe4-\xe9][\x80-\xbf][\x80-\xbf]|\xef[\xa4-\xab][\x80-\xbf]")


def _length(text: str) -> tuple[int, int]:
    """(words, CJK characters) of a text: a word is a run of characters that are neither spaces
    nor CJK; each CJK character counts alone."""
    encoded = text.encode("utf-8", "surrogatepass")
    cjk = len(CJK_UTF8.findall(encoded))
    return len(CJK_UTF8.sub(b" ", encoded).decode("utf-8", "surrogatepass").split()), cjk


@rule
def evidence(base: FactBase) -> Iterator[Finding]:
    """OSC305, OSC306: an excerpt comes from a source its record cites, for a claim the record has,
    and is short."""
    for record in base.records():
        declared = kinds.KINDS[record.kind]
        cited = {source.lower() for _, source in citations(record) if not _.startswith("evidence.")}
        if record.kind == "source" and record.id:
            cited.add(record.id.lower())
        for index, item in enumerate(record.evidence):
            path = f"evidence.{index}"
            if item.source and item.source.lower() not in cited:
                yield _at(record, f"{path}.source", "OSC305",
                          f"excerpt {index + 1} of {record.kind} '{record.id}' is from '{item.source}', which the "
                          "record does not cite; add it to the record's (or the claim's) sources")
            if item.claim and not _has_claim(record, declared, item.claim):
                yield _at(record, f"{path}.claim", "OSC305",
                          f"excerpt {index + 1} of {record.kind} '{record.id}' supports '{item.claim}', which the "
                          f"record does not have{did_you_mean(item.claim, declared.field_names)}")
            if item.excerpt:
                words, cjk = _length(item.excerpt)
                if cjk > 120 or words > 50:
                    yield _at(record, f"{path}.excerpt", "OSC306",
                              f"excerpt {index + 1} of {record.kind} '{record.id}' is {words} words and {cjk} Chinese "
                              "characters long; an excerpt is at most 50 words or 120 characters")


def _has_claim(record: Record, declared, claim: str) -> bool:
    part = _PART_PATH.fullmatch(claim)
    if part:
        spec = declared.field(part.group(1))
        return spec is not None and (spec.part is not None or spec.type == "texts") \
            and int(part.group(2)) < len(getattr(record, spec.name))  # a part, or one text of a list (a condition)
    spec = declared.field(claim)
    return spec is not None and spec.derived is None


@rule
def areas_in_designated_cities(base: FactBase) -> Iterator[Finding]:
    """OSC401: a showcase area (or base) lies in a city that held a title when the area got its own:
    at the area's designation date; for an area without designations, as of the newest data (or,
    in data without designations, the city's primary_outsourcing_city flag)."""
    cities = _ids(base.of("city"))
    has_designations = bool(base.of("designation"))
    for area in base.of("area"):
        city = cities.get((area.city or "").lower())
        if city is None or area.id is None:
            continue
        grants = [d for d in history.designations_of(base, "area", area.id) if d.event == "granted"]
        if not grants:
            held = (history.titles_at(base, city, None) if has_designations
                    else [True] if city.primary_outsourcing_city else [])
            if not held:
                yield _at(area, "city", "OSC401",
                          f"showcase area '{area.id}' is in '{city.id}', which holds no title"
                          + ("" if has_designations else " and is not a primary outsourcing city"))
            continue
        for grant in grants:
            point = history.period(grant).last or history.period(grant).first
            if point is None or history.holdings(history.designations_of(base, "city", city.id), point):
                continue
            later = history.first_title_after(base, city, point)
            yield _at(area, "city", "OSC401",
                      f"showcase area '{area.id}' became {grant.title} ({dates.when(grant)}) while its city "
                      f"'{city.id}' held no title" + (f"; the city's first title came later: {later.title} "
                                                     f"({dates.when(later)})" if later else ""))


@rule
def primary_flag(base: FactBase) -> Iterator[Finding]:
    """OSC402: primary_outsourcing_city is true exactly for the members of the total marked as the
    article's list (primary_list)."""
    lists = [t for t in base.of("total") if t.primary_list]
    for extra in lists[1:]:
        yield _at(extra, "primary_list", "OSC402",
                  f"total '{extra.id}' is a second primary_list; only one total can define the flag "
                  f"(the first is '{lists[0].id}')")
    if not lists:
        return
    members = {m.lower() for m in lists[0].members}
    for city in base.of("city"):
        flagged = city.primary_outsourcing_city is True
        if city.id and flagged != (city.id.lower() in members):
            yield _at(city, "primary_outsourcing_city", "OSC402",
                      f"city '{city.id}' has primary_outsourcing_city {str(flagged).lower()}, but it is "
                      f"{'not ' if flagged else ''}a member of total '{lists[0].id}'")


_BOUND_SOURCES = (("not_before", "not_before_source"), ("not_after", "not_after_source"))


@rule
def date_bounds(base: FactBase) -> Iterator[Finding]:
    """OSC403: bounds are in order, a date lies within its bounds, and each bound has its source."""
    for record in (*base.of("designation"), *base.of("total")):
        for bound, source in _BOUND_SOURCES:
            value, cited = getattr(record, bound), getattr(record, source)
            if value and not cited:
                yield _at(record, bound, "OSC403", f"{record.kind} '{record.id}' gives {bound} {value} "
                                                   f"without {source}: say which source sets it")
            elif cited and not value:
                yield _at(record, source, "OSC403", f"{record.kind} '{record.id}' gives {source} without {bound}")
        lo, hi, date = record.not_before, record.not_after, record.date
        if lo and hi and dates.first_day(lo) > dates.last_day(hi):
            yield _at(record, "not_after", "OSC403", f"{record.kind} '{record.id}': not_after {hi} is before "
                                                     f"not_before {lo}")
        if date and lo and dates.last_day(date) < dates.first_day(lo):
            yield _at(record, "date", "OSC403", f"{record.kind} '{record.id}': date {date} is before not_before {lo}")
        if date and hi and dates.first_day(date) > dates.last_day(hi):
            yield _at(record, "date", "OSC403", f"{record.kind} '{record.id}': date {date} is after not_after {hi}")


@rule
def duplicate_events(base: FactBase) -> Iterator[Finding]:
    """OSC404: no event is recorded twice."""
    seen: dict[tuple, Record] = {}
    for event in base.of("designation"):
        key = (event.subject_type, (event.subject or "").lower(), event.title, event.event, event.date,
               event.not_before, event.not_after)
        if key in seen:
            yield _at(event, "id", "OSC404", f"designation '{event.id}' records the same event as "
                                             f"'{seen[key].id}' (at {seen[key].at('id')})")
        else:
            seen[key] = event


@rule
def revoked_after_held(base: FactBase) -> Iterator[Finding]:
    """OSC405: a title is revoked only from a subject that could have held it before."""
    for event in base.of("designation"):
        if event.event != "revoked":
            continue
        end = history.period(event).last
        grants = [g for g in base.of("designation") if g.event == "granted" and g.title == event.title
                  and g.subject_type == event.subject_type and (g.subject or "").lower() == (event.subject or "").lower()]
        if not any(end is None or (history.period(g).first or 0) <= end for g in grants):
            yield _at(event, "event", "OSC405", f"designation '{event.id}' revokes {event.title} from "
                                                f"'{event.subject}', which no designation granted it before")


@rule
def titles_for_their_subjects(base: FactBase) -> Iterator[Finding]:
    """OSC406: a city title goes to a city, an area title to an area."""
    titles = _ids(base.of("title"))
    for event in base.of("designation"):
        title = titles.get((event.title or "").lower())
        if title is not None and event.subject_type and title.subject_type != event.subject_type:
            yield _at(event, "subject_type", "OSC406",
                      f"designation '{event.id}' grants {title.id}, a title for {_a(title.subject_type)}, to "
                      f"{_a(event.subject_type)}")


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


@rule
def totals_agree(base: FactBase) -> Iterator[Finding]:
    """OSC407: a source's count (and named members) of a title's holders agrees with the designations
    at its date: at least those that certainly held it, at most those that possibly did."""
    for total in base.of("total"):
        if total.title is None or total.count is None:
            continue
        point = history.total_point(total)
        if point is None:
            yield _at(total, "count", "OSC407", f"total '{total.id}' has no date or bound to check it at")
            continue
        holding = history.holders(base, total.title, point)
        held = {s for s, status in holding.items() if status == history.HELD}
        named = total.count - (total.unnamed or 0)
        when = dates.from_ordinal(point)
        if not len(held) <= named <= len(holding):
            yield _at(total, "count", "OSC407",
                      f"total '{total.id}' counts {total.count} {total.title} holders"
                      + (f" ({total.unnamed} not named)" if total.unnamed else "")
                      + f" at {when}, but the designations give {len(held)} held"
                      + (f" and {len(holding) - len(held)} possibly held" if len(holding) > len(held) else ""))
        if total.members:
            members = {m.lower() for m in total.members}
            missing = sorted(held - members)
            stray = sorted(members - set(holding))
            if missing or stray:
                yield _at(total, "members", "OSC407",
                          f"total '{total.id}' names members that disagree with the designations at {when}: "
                          + "; ".join(part for part in (
                              f"held but not named: {', '.join(missing)}" if missing else "",
                              f"named but not holding it: {', '.join(stray)}" if stray else "") if part))


@rule
def conflicts_well_formed(base: FactBase) -> Iterator[Finding]:
    """OSC408: a disagreement has two claims or more, and follows one of them (or none)."""
    for conflict in base.of("conflict"):
        if len(conflict.claims) < 2:
            yield _at(conflict, "claims", "OSC408", f"conflict '{conflict.id}' has {len(conflict.claims)} claim(s); "
                                                    "a disagreement needs two or more")
        if conflict.follows is not None and not 1 <= conflict.follows <= len(conflict.claims):
            yield _at(conflict, "follows", "OSC408", f"conflict '{conflict.id}' follows claim {conflict.follows}, "
                                                     f"but it has {len(conflict.claims)}")


# -- provisions (issue 18) --


@rule
def provision_scopes(base: FactBase, unknown: dict[str, int] | None = None) -> Iterator[Finding]:
    """OSC409: a provision's scope names known titles, and places that are cities or areas.

    ``unknown``: as for ``references``, kinds whose file could not be read; a title or place that
    would have been there is counted, not reported (a title under "title", a place under "city")."""
    titles = _ids(base.of("title"))
    places = {**_ids(base.of("city")), **_ids(base.of("area"))}
    unknown = {} if unknown is None else unknown
    unread_places = "city" in unknown or "area" in unknown
    for provision in base.of("provision"):
        scope = provision.scope
        if scope is None:
            continue
        for index, title in enumerate(scope.titles):
            if "title" in unknown and title.lower() not in titles:
                unknown["title"] += 1
            elif title.lower() not in titles:
                yield _at(provision, f"scope.titles.{index}", "OSC409",
                          f"provision '{provision.id}' reaches unknown title '{title}'{did_you_mean(title, titles)}")
        for index, place in enumerate(scope.places):
            if unread_places and place.lower() not in places:
                unknown["city" if "city" in unknown else "area"] += 1
            elif place.lower() not in places:
                yield _at(provision, f"scope.places.{index}", "OSC409",
                          f"provision '{provision.id}' reaches unknown place '{place}' (neither a city nor an "
                          f"area){did_you_mean(place, places)}")


@rule
def provision_dates(base: FactBase) -> Iterator[Finding]:
    """OSC410: a provision ends on or after the day it starts."""
    for provision in base.of("provision"):
        start, end = provision.effective_from, provision.effective_until
        if start and end and dates.last_day(end) < dates.first_day(start):
            yield _at(provision, "effective_until", "OSC410",
                      f"provision '{provision.id}' ends ({end}) before it starts ({start})")


@rule
def provision_chains(base: FactBase) -> Iterator[Finding]:
    """OSC411: extends and supersedes links never lead back to where they start."""
    from .provisions import cycles

    for provision, loop in cycles(base):
        yield _at(provision, "extends" if provision.extends else "supersedes", "OSC411",
                  f"provision '{provision.id}' is part of a loop of links: {' -> '.join(loop)}")


def run(base: FactBase, load_findings: Iterable[Finding] = (), broken: Iterable[tuple[str, Finding, str]] = ()
        ) -> list[Finding]:
    """All findings, sorted; acknowledged ones carry their reason in ``acknowledged``.

    ``broken``: the data files that could not be read or parsed (``load.Loaded.broken``). The
    finding that says why comes first, at the line where the problem starts; what only follows from
    it is summarised in one finding each (OSC109), not listed: references to the records that file
    would have defined, and sources that look unused because the records citing them are unknown."""
    broken = list(broken)
    raw = list(load_findings)
    if not broken:
        for fn in _RULES:
            raw.extend(fn(base))
        return sorted(_apply_acknowledgements(base, raw), key=Finding.sort_key)
    layout = kinds.files()
    unknown = {k.name: 0 for name, _, _ in broken for k in layout[name].values()}
    unused = 0
    for fn in _RULES:
        for found in (fn(base, unknown) if fn in (references, provision_scopes) else fn(base)):
            if found.code == "OSC303":  # a citation may be in the file that was not read
                unused += 1
                continue
            raw.append(found)
    first: dict[Finding, tuple] = {}
    for index, (name, cause, how) in enumerate(broken):
        first[cause] = (0, index)
        count = sum(unknown[k.name] for k in layout[name].values())
        summaries = []
        if count:
            summaries.append(f"{count:,} reference{'s' if count != 1 else ''} into {name} not checked: "
                             f"it could not be {how}")
        if unused and index == 0:
            summaries.append(f"{unused:,} source{'s' if unused != 1 else ''} not checked for being cited "
                             f"(OSC303): {name} could not be {how}")
        for text in summaries:
            note = finding("OSC109", text, cause.file, cause.line, cause.column)
            raw.append(note)
            first[note] = (0, index)
    result = _apply_acknowledgements(base, raw)
    return sorted(result, key=lambda f: (*first.get(f, (1, 0)), f.sort_key()))


def _apply_acknowledgements(base: FactBase, findings: list[Finding]) -> list[Finding]:
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for index, item in enumerate(findings):
        if item.record is not None:
            by_key.setdefault((item.file, item.record, item.code), []).append(index)
    result = list(findings)
    for record in base.records():
        for index, ack in enumerate(record.acknowledgements):
            path = f"acknowledgements.{index}"
            if ack.rule is None:  # missing or not text: already reported by the schema
                continue
            if ack.rule not in RULES:
                result.append(_at(record, f"{path}.rule", "OSC503",
                                  f"acknowledgement names unknown rule '{ack.rule}'{did_you_mean(ack.rule, RULES)}"))
                continue
            if not ack.reason or not ack.sources:
                missing = "a reason" if not ack.reason else "a source for its reason"
                result.append(_at(record, path, "OSC501",
                                  f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' needs {missing}"))
                continue
            matches = by_key.get((record.origin.file, record.id, ack.rule), [])
            if not matches:
                result.append(_at(record, path, "OSC502",
                                  f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' matches no finding; remove it"))
            for match in matches:
                result[match] = result[match].replace(acknowledged=ack.reason)
    return result
