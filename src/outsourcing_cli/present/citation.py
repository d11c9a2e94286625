"""Citations in the formats researchers use: text, classic BibTeX, biblatex, CSL-JSON and RIS.

What is cited:

- a document (a policy or a source, ``claims.CITABLE``) is cited as itself: ``reference``;
- any other record (a city, an area, an agency, a term, and any kind added to the registry) is
  cited by what supports it: each source it cites is a full reference, with a note saying which
  of the record's claims (fields and parts) that source supports: ``supporting``;
- one claim (``--claim targets[3]``) is cited by its own sources, with the evidence excerpts:
  ``footnote`` (text; ``claims.claim_dict`` is its JSON), or as references with a note.

``Reference`` is neutral (pure, from the model); one small formatter per format turns it into
text. Unknown values are left out, never guessed.

The formats, one module each: ``cite_text``, ``cite_bibtex`` (classic BibTeX and biblatex),
``cite_csl`` (CSL-JSON) and ``cite_ris``; ``cite_model`` holds ``Reference`` and what they share.
``render`` picks one.
"""

from __future__ import annotations

from dataclasses import replace

from ..domain import dates, kinds, query
from ..domain.claims import CITABLE, Claim, claim_path, claim_sources, text_stored
from ..domain.index import index
from ..domain.model import FactBase, Part, Record
from .cite_bibtex import to_biblatex, to_bibtex
from .cite_csl import to_csl_json
from .cite_model import Reference, one_line
from .cite_ris import to_ris
from .cite_text import to_text


def _source_text(source: Record) -> str:
    """A source in one line, for a note or a footnote: author, title, publisher, date, URL."""
    parts = [source.author, source.title or "[untitled]", source.publisher, source.date or "n.d."]
    text = ", ".join(p for p in parts if p)
    return text + (f", {source.url}" if source.url else "")


# the source types whose `publisher` is the outlet that carries them: a newspaper or a website
_OUTLET_TYPES = ("news", "article", "web-page")


def reference(base: FactBase, record: Record) -> Reference:
    """A document (a policy or a source) as a reference to itself."""
    if record.kind == "source":
        outlet = record.publisher if record.type in _OUTLET_TYPES else None
        return Reference(
            id=record.id,
            kind=record.type or "general-reference",
            title=record.title,
            authors=(record.author,) if record.author else (),
            date=record.date,
            publisher=record.publisher,
            url=record.url,
            accessed=record.accessed,
            language=record.language,
            wording=record.language,
            outlet=outlet,
            original=getattr(record, "reposted_from", None),
        )
    agencies = {a.id: a.name for a in base.of("agency")}
    issuers = [d for d in getattr(record, "designations", ()) if d.role.startswith(("issue", "lead"))]
    institution = tuple(dict.fromkeys(agencies.get(a, a) for d in issuers for a in d.agencies))
    speaker = getattr(record, "speaker", None)
    authors = (speaker,) if speaker else institution
    sources = query.sources_of(base, record)
    verb = "Quoted in" if getattr(record, "quotes", ()) else "As described in"
    notes = tuple(f"{verb}: {_source_text(s)}" if i == 0 else f"Also: {_source_text(s)}" for i, s in enumerate(sources))
    # no url: the policy has none of its own; the notes carry the URLs of the sources that print it
    return Reference(
        id=record.id,
        kind=getattr(record, "type", None) or "document",
        title=getattr(record, "title", None),
        authors=authors,
        date=getattr(record, "date", None),
        number=getattr(record, "document_number", None),
        event=getattr(record, "occasion", None),
        institution=institution,
        wording="en",
        notes=notes,
        via_url=next((s.url for s in sources if s.url), None),
    )


DATASET_ID = "oscli-data"
DATASET_TITLE = "oscli: a fact base on China's state policy on offshore service outsourcing (the 1,000-100-10 Project)"
DATASET_AUTHOR = "oscli contributors"


def dataset_reference(base: FactBase, version: str) -> Reference:
    """The fact base itself, as a dataset: oscli's version and the date of its newest fact (the
    data's date, as `oscli --version` gives it: ``currency.data_date``)."""
    from ..domain.currency import data_date

    newest = data_date(base)
    return Reference(
        id=DATASET_ID,
        kind="dataset",
        title=DATASET_TITLE,
        authors=(DATASET_AUTHOR,),
        date=newest,
        version=version,
        language="en",
        wording="en",
        notes=(
            f"Data as of {newest}: the date of the newest dated fact in its data files."
            if newest
            else "No dated fact in its data files.",
        ),
    )


# -- what supports a record ---------------------------------------------------------------------


def excerpt_text(entry: Part, source: Record | None) -> str:
    """An evidence excerpt in quotation marks, with its locator; "as recorded on DATE" when the
    source's text is not stored (DATE: when the source was read)."""
    text = f"\u201c{entry.excerpt}\u201d"
    if entry.locator:
        text += f" ({entry.locator})"
    if source is not None and not text_stored(source):
        text += f", as recorded on {source.accessed}" if source.accessed else ", as recorded (date not recorded)"
    return text


def _record_name(record: Record) -> str:
    label = kinds.label_of(record)
    return f"{record.kind} {record.id}" + (f" ({label})" if label != record.id else "")


def _support_note(record: Record, items: list[str]) -> str:
    return f"Supports {_record_name(record)}: " + "; ".join(items)


def _claim_of(record: Record, path: str) -> str | None:
    """The claim a citation path (``statements.2.sources.0``) supports: ``statements[2]``; None
    for the record as a whole."""
    head, _, rest = path.partition(".")
    if not rest or head == "sources":
        return None
    number = int(rest.partition(".")[0])
    if head == "evidence":
        return claim_path(record.evidence[number].claim)
    return f"{head}[{number}]"


def _claims_by_source(record: Record, known: dict[str, Record]) -> dict[str, dict[str | None, list[Part]]]:
    """Source id -> the claims of ``record`` it supports (None: the record as a whole) -> the
    evidence entries for them; the record's own sources first."""
    claims: dict[str, dict[str | None, list[Part]]] = {}
    for path, source_id in kinds.citations(record):
        key = source_id.lower()
        if key not in known:
            continue
        evidence = record.evidence[int(path.split(".")[1])] if path.startswith("evidence.") else None
        bucket = claims.setdefault(key, {}).setdefault(_claim_of(record, path), [])
        if evidence is not None:
            bucket.append(evidence)
    own = [s.lower() for s in record.sources if s.lower() in claims]  # the record's own order first
    return {key: claims[key] for key in dict.fromkeys([*own, *claims])}


def designation_label(base: FactBase, designation: Record) -> str:
    """What a designation says of its subject, in a few words: "model city, 2009", "base city
    revoked, 2020", "showcase area, between 2006-10-12 and 2007-05-13"."""
    from ..domain.history import period

    titles = index(base).by_id["title"]
    title = titles.get((designation.title or "").lower())
    name = (title.name if title is not None and title.name else designation.title or "title").lower()
    if designation.event == "revoked":
        name += " revoked"
    span = period(designation)
    first = dates.from_ordinal(span.first)[:4] if span.first is not None else None
    last = dates.from_ordinal(span.last)[:4] if span.last is not None else None
    return f"{name}, {first if first is not None and first == last else dates.when(designation)}"


def supporting(base: FactBase, record: Record) -> list[Reference]:
    """Each source a record cites, as a reference with a note naming the claims it supports (the
    record as a whole, a field, a part) and the evidence excerpts for them. A city or an area is
    also supported by the sources of its designations (the titles it holds): each such source has
    a note labelled with what the designation says ("model city, 2009")."""
    from ..domain.history import designations_of

    known = index(base).by_id["source"]
    owners: list[tuple[Record, str | None]] = [(record, None)]
    if record.kind in ("city", "area"):
        owners += [(d, designation_label(base, d)) for d in designations_of(base, record.kind, record.id)]
    notes: dict[str, list[str]] = {}  # source id -> notes, in the order the sources are first cited
    for owner, label in owners:
        for key, by_claim in _claims_by_source(owner, known).items():
            source = known[key]
            items = []
            for path, evidence in sorted(by_claim.items(), key=lambda item: item[0] is not None):
                name = path or ("the record" if label is None else "the designation")
                items.append(name + "".join(f" {excerpt_text(e, source)}" for e in evidence))
            note = (
                _support_note(record, items)
                if label is None
                else f"Supports {label} (designation {owner.id}): " + "; ".join(items)
            )
            notes.setdefault(key, []).append(note)
    refs = []
    for key, supports in notes.items():
        ref = reference(base, known[key])
        refs.append(replace(ref, notes=(*ref.notes, *supports)))
    return refs


def references(base: FactBase, record: Record) -> list[Reference]:
    """What cites a record: a document (a policy, a source) as itself, any other record by the
    sources that support it."""
    return [reference(base, record)] if record.kind in CITABLE else supporting(base, record)


def claim_references(base: FactBase, record: Record, claim: Claim) -> list[Reference]:
    """The sources of one claim, as references with a note giving the claim and its excerpts."""
    refs = []
    for source, evidence in claim_sources(base, claim):
        excerpts = [excerpt_text(e, source) for e in evidence]
        ref = reference(base, source)
        note = _support_note(record, [claim.path + "".join(f" {x}" for x in excerpts)])
        refs.append(replace(ref, notes=(*ref.notes, note)))
    return refs


def heading(record: Record, count: int) -> str:
    """The line above the citations of a record that is not a document."""
    sources = f"{count} source" + ("" if count == 1 else "s")
    return one_line(f"{kinds.label_of(record)} ({record.kind} {record.id}), supported by {sources}:") + "\n\n"


def footnote(base: FactBase, record: Record, claim: Claim) -> str:
    """The claim and its sources in one line, ready to paste as a footnote:
    TEXT — SOURCE (accessed DATE): “EXCERPT” (LOCATOR); SOURCE ..."""
    from .claims import claim_text

    known = index(base).by_id["source"]
    pieces = []
    for source_id in claim.sources:
        source = known.get(source_id.lower())
        if source is None:
            continue
        text = _source_text(source) + (f" (accessed {source.accessed})" if source.accessed else "")
        excerpts = [excerpt_text(e, source) for e in claim.evidence if e.source.lower() == source_id.lower()]
        if excerpts:
            text += ": " + ", ".join(excerpts)
        pieces.append(text)
    return one_line(f"{claim_text(base, record, claim)} \u2014 " + ("; ".join(pieces) or "[no source]")) + "\n"


def render(refs: list[Reference], fmt: str) -> str:
    """The references in a citation format: text, bibtex, biblatex, csl-json (also json) or ris."""
    if fmt in ("csl-json", "json"):
        return to_csl_json(refs)
    one = {"text": to_text, "bibtex": to_bibtex, "biblatex": to_biblatex, "ris": to_ris}[fmt]
    return "\n".join(one(r) for r in refs)
