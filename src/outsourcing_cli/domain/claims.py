"""Claims: what a record says that a source can support, and the sources of each (``show --claim``,
``cite --claim``, the check's evidence). Pure. Imported only by the commands that name claims.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import kinds
from .frozen import Frozen
from .index import index
from .model import FactBase, Record
from .names import BadOption, did_you_mean

if TYPE_CHECKING:
    from .model import Part


# -- claims: what a record says, and the sources of each ------------------------------------------


class Claim(Frozen):
    """One thing a record says that a source can support: a field (``name_zh``) or one part of a
    list (``targets[3]``), with the ids of its sources and the evidence entries for it."""

    path: str
    field: str
    index: int | None
    value: Any  # the field's value, or the part
    sources: tuple[str, ...]
    evidence: tuple[Part, ...] = ()  # the record's evidence entries for it


# fields that are not claims: the id, the citations themselves and the check's bookkeeping
_NOT_CLAIMS = ("id", "sources", "evidence", "acknowledgements")
_PATH = r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*(\d+)\s*\]|\.(\d+))?\s*$"  # compiled on first use


def claim_path(text: str | None) -> str | None:
    """A claim as written in evidence or typed after --claim, in one form: ``targets.3`` and
    ``targets[ 3 ]`` are ``targets[3]``; ``name_zh`` stays ``name_zh``. None for no claim."""
    if text is None:
        return None
    match = re.match(_PATH, text)
    if match is None:
        return text.strip()
    name, index = match.group(1), match.group(2) or match.group(3)
    return f"{name}[{int(index)}]" if index is not None else name


def part_sources(part: Part) -> list[str]:
    """The ids of the sources a part names itself (its ``sources`` or ``source``)."""
    found: list[str] = []
    for spec in kinds.PARTS[part.part].fields:
        if spec.ref != "source":
            continue
        value = getattr(part, spec.name)
        found.extend(value if spec.type == "ids" else [value] if value else [])
    return found


def claims(record: Record) -> dict[str, Claim]:
    """Every claim of a record, by path, in field order. A part is supported by its own sources
    (and any evidence for it); a field by the evidence for it if there is some, else by the
    record's sources. Fields without a value claim nothing."""
    by_claim: dict[str | None, list[Part]] = {}
    for entry in getattr(record, "evidence", ()):
        by_claim.setdefault(claim_path(entry.claim), []).append(entry)
    found: dict[str, Claim] = {}
    for spec in kinds.KINDS[record.kind].data_fields:
        if spec.name in _NOT_CLAIMS:
            continue
        value = getattr(record, spec.name)
        if spec.part is not None:
            for number, part in enumerate(value):
                path = f"{spec.name}[{number}]"
                evidence = tuple(by_claim.get(path, ()))
                ids = tuple(dict.fromkeys([*part_sources(part), *(e.source for e in evidence)]))
                found[path] = Claim(path, spec.name, number, part, ids, evidence)
        elif spec.type == "texts":  # each text of the list is a claim (a provision's conditions[0])
            for number, text in enumerate(value):
                path = f"{spec.name}[{number}]"
                evidence = tuple(by_claim.get(path, ()))
                ids = tuple(dict.fromkeys(e.source for e in evidence)) if evidence else tuple(record.sources)
                found[path] = Claim(path, spec.name, None, text, ids, evidence)
        elif value is not None and value != () and value != "":
            evidence = tuple(by_claim.get(spec.name, ()))
            if evidence:
                ids = tuple(dict.fromkeys(e.source for e in evidence))
            else:  # the record's sources, with what they say of the record as a whole
                ids = tuple(record.sources)
                evidence = tuple(e for e in by_claim.get(None, ()) if e.source in ids)
            found[spec.name] = Claim(spec.name, spec.name, None, value, ids, evidence)
    return found


# A source whose text oscli keeps has one of these fields set: an excerpt can be checked against
# the copy. Other excerpts are shown "as recorded on" the date the source was read.
def text_stored(source: Record) -> bool:
    """Whether a copy of the source's text is kept with oscli (``stored_copy``), against which the
    tests check every excerpt character for character."""
    return bool(getattr(source, "stored_copy", None))


def claim_sources(base: FactBase, claim: Claim) -> list[tuple[Record, list[Part]]]:
    """The sources of one claim that the base holds, in its order, each with the claim's evidence
    entries taken from it."""
    known = index(base).by_id["source"]
    found = []
    for source_id in claim.sources:
        source = known.get(source_id.lower())
        if source is not None:
            found.append((source, [e for e in claim.evidence if e.source.lower() == source_id.lower()]))
    return found


def claim(record: Record, wanted: str) -> Claim:
    """The claim ``wanted`` names; BadOption (a usage error) naming the valid ones."""
    known = claims(record)
    path = claim_path(wanted)
    if path in known:
        return known[path]
    valid = list(known)
    raise BadOption(
        "--claim",
        f"no claim '{wanted}' in {record.kind} {record.id}{did_you_mean(wanted, valid) or '.'} "
        f"Valid claims: {', '.join(valid) or 'none'}.",
    )


CITABLE = ("policy", "source")  # the kinds that are documents: `cite --all` lists them


def citable(base: FactBase) -> list[Record]:
    """What `cite --all` cites: every policy and every source."""
    return [r for kind in CITABLE for r in base.of(kind)]
