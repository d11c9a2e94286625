"""The domain rules: one pure function per rule code, over the model, returning findings, in
families (as yamllint's rules/): the records' ids, references and sources here; excerpts.py;
titles.py (titles, places, events, totals, conflicts); provisions.py. ``_RULES`` lists every rule
in the order they run; a rule's codes and their table are in findings.py (``findings.RULES``).

``run`` applies them all, then the records' acknowledgements: a finding that a record
acknowledges (same rule, same record) with a reason and a source is kept apart, not counted as
an error; an acknowledgement that matches nothing, has no reason or names an unknown rule is
itself reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .. import kinds
from ..findings import RULES, Finding, finding
from ..kinds import citations
from ..model import FactBase, Record
from ..names import did_you_mean
from .common import RuleFn, _at, _ids
from .excerpts import evidence
from .provisions import provision_chains, provision_dates, provision_scopes
from .titles import (
    areas_in_designated_cities,
    conflicts_well_formed,
    date_bounds,
    duplicate_events,
    primary_flag,
    revoked_after_held,
    titles_for_their_subjects,
    totals_agree,
)


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
                yield _at(record, "id", "OSC201", f"{record.kind} id '{record.id}' is already used at {first.at('id')}")
            else:
                seen[key] = record


# Did-you-mean compares a name with every id of its kind, so suggesting for every unknown reference
# is quadratic: the 100x base (bench/generate.py) with its sources renamed, 7,900 unknown
# references, took 37 s for `check`. Suggestions stop once this many ids have been compared in a
# run: thousands of suggestions on data of the shipped size, 83 at 100x, 8 at 1000x. (A fixed
# count of 100 still cost 5 s at 1000x: 50 ms a suggestion among 6,000 similar ids.)
COMPARED = 50_000


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
                yield _at(
                    record,
                    path,
                    kinds.KINDS[target].missing,
                    f"{record.kind} '{record.id}' names unknown {target} '{wanted}'{hint}",
                )


def provenance(base: FactBase) -> Iterator[Finding]:
    """OSC301, OSC302: every record and every quotation names its source."""
    for record in base.records():
        if record.kind != "source" and not record.sources:
            yield _at(record, "sources", "OSC301", f"{record.kind} '{record.id}' cites no source")
        for index, quote in enumerate(getattr(record, "quotes", ())):
            if not quote.source:
                yield _at(
                    record,
                    f"quotes.{index}",
                    "OSC302",
                    f"quotation {index + 1} of {record.kind} '{record.id}' names no source",
                )


def unused_sources(base: FactBase) -> Iterator[Finding]:
    """OSC303: a source nobody cites is probably a lost reference."""
    cited = {source.lower() for record in base.records() for _, source in citations(record)}
    for source in base.of("source"):
        if source.id is not None and source.id.lower() not in cited:
            yield _at(source, "id", "OSC303", f"source '{source.id}' is cited by no record")


_BARE_IP = re.compile(r"https?://\[?[0-9a-fA-F:.]+\]?(?::\d+)?(?:/|$)")


def complete_sources(base: FactBase) -> Iterator[Finding]:
    """OSC304: a reader can find every source: a title (not a placeholder), a publisher, and a URL or,
    for a document, its number; a bare-IP URL only with an archived copy."""
    for source in base.of("source"):
        missing = [
            what
            for what, present in (
                ("a publisher", source.publisher or source.author),
                ("a URL or a document number", source.url or source.document_number),
            )
            if not present
        ]
        if source.title and source.title.strip().lower() in ("[untitled]", "untitled"):
            missing.insert(0, "a title (not a placeholder)")
        if missing:
            yield _at(source, "id", "OSC304", f"source '{source.id}' lacks {' and '.join(missing)}")
        if source.url and _BARE_IP.match(source.url) and not source.archive_url:
            yield _at(
                source,
                "url",
                "OSC304",
                f"source '{source.id}' has only a bare IP address as URL; record "
                "an archived copy (archive_url) or cite the document by its number",
            )


# every rule, in the order they run (a finding's order among those at the same place follows it)
_RULES: tuple[RuleFn, ...] = (
    duplicate_ids,
    references,
    provenance,
    unused_sources,
    complete_sources,  # here
    evidence,  # excerpts.py
    areas_in_designated_cities,
    primary_flag,
    date_bounds,
    duplicate_events,
    revoked_after_held,  # titles.py
    titles_for_their_subjects,
    totals_agree,
    conflicts_well_formed,
    provision_scopes,
    provision_dates,
    provision_chains,  # provisions.py
)


def run(
    base: FactBase, load_findings: Iterable[Finding] = (), broken: Iterable[tuple[str, Finding, str]] = ()
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
        for found in fn(base, unknown) if fn in (references, provision_scopes) else fn(base):
            if found.code == "OSC303":  # a citation may be in the file that was not read
                unused += 1
                continue
            raw.append(found)
    first: dict[Finding, tuple[int, int]] = {}
    for index, (name, cause, how) in enumerate(broken):
        first[cause] = (0, index)
        count = sum(unknown[k.name] for k in layout[name].values())
        summaries = []
        if count:
            summaries.append(
                f"{count:,} reference{'s' if count != 1 else ''} into {name} not checked: it could not be {how}"
            )
        if unused and index == 0:
            summaries.append(
                f"{unused:,} source{'s' if unused != 1 else ''} not checked for being cited "
                f"(OSC303): {name} could not be {how}"
            )
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
                result.append(
                    _at(
                        record,
                        f"{path}.rule",
                        "OSC503",
                        f"acknowledgement names unknown rule '{ack.rule}'{did_you_mean(ack.rule, RULES)}",
                    )
                )
                continue
            if not ack.reason or not ack.sources:
                missing = "a reason" if not ack.reason else "a source for its reason"
                result.append(
                    _at(
                        record,
                        path,
                        "OSC501",
                        f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' needs {missing}",
                    )
                )
                continue
            matches = by_key.get((record.origin.file, record.id, ack.rule), [])
            if not matches:
                result.append(
                    _at(
                        record,
                        path,
                        "OSC502",
                        f"acknowledgement of {ack.rule} on {record.kind} '{record.id}' matches no finding; remove it",
                    )
                )
            for match in matches:
                result[match] = result[match].replace(acknowledged=ack.reason)
    return result
