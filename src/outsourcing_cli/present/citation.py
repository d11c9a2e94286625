"""Citations in the formats researchers use: text, classic BibTeX, biblatex, CSL-JSON and RIS.

What is cited:

- a document (a policy or a source, ``query.CITABLE``) is cited as itself: ``reference``;
- any other record (a city, an area, an agency, a term, and any kind added to the registry) is
  cited by what supports it: each source it cites is a full reference, with a note saying which
  of the record's claims (fields and parts) that source supports: ``supporting``;
- one claim (``--claim targets[3]``) is cited by its own sources, with the evidence excerpts:
  ``footnote`` (text; ``views.claim_dict`` is its JSON), or as references with a note.

``Reference`` is neutral (pure, from the model); one small formatter per format turns it into
text. Unknown values are left out, never guessed.

BibTeX is *classic* BibTeX, as bibtex(1) with plain.bst reads it: standard entry types and
fields only, ``month = mar`` as a macro, titles and institutional authors in braces so that the
style keeps their case, the URL in ``howpublished = {\\url{...}}`` (or in ``note`` for types
that print no ``howpublished``) and the access date in ``note``. biblatex is the richer dialect
that biber reads: ``@online``, ``@report``, ``date``, ``urldate``, ``langid``. In both, an entry
type is used only when the record has the fields the type requires; else the next candidate
(see ``_CLASSIC`` and ``_BIBLATEX``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ..domain import dates, kinds, query
from ..domain.index import index
from ..domain.model import FactBase, Record

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")

# record type -> (CSL type, RIS type)
_DEFAULT_TYPES = ("document", "GEN")
_TYPES = {
    "article": ("webpage", "ELEC"),
    "web-page": ("webpage", "ELEC"),
    "news": ("article-newspaper", "NEWS"),
    "legal-text": ("legislation", "GOVDOC"),
    "report": ("report", "RPRT"),
    "dataset": ("dataset", "DATA"),
    "general-reference": ("document", "GEN"),
    "plan": ("legislation", "GOVDOC"),
    "circular": ("legislation", "GOVDOC"),
    "notice": ("legislation", "GOVDOC"),
    "project": ("document", "GOVDOC"),
    "speech": ("speech", "GEN"),
}

# ISO 639-1 -> the language names biblatex's langid takes (babel/polyglossia)
LANGIDS = {"en": "english", "zh": "chinese", "ja": "japanese", "ko": "korean", "fr": "french",
           "de": "german", "es": "spanish", "ru": "russian", "pt": "portuguese", "it": "italian"}


@dataclass(frozen=True)
class Reference:
    id: str
    kind: str  # the record's type: article, news, plan, speech...
    title: str | None
    authors: tuple[str, ...] = ()  # persons or institutions, as written
    date: str | None = None  # ISO 8601, partial allowed
    publisher: str | None = None
    url: str | None = None
    accessed: str | None = None
    number: str | None = None
    language: str | None = None  # ISO 639-1: the language of the work
    wording: str | None = None  # ISO 639-1: the language the entry's own text (title, notes) is in
    event: str | None = None
    institution: tuple[str, ...] = ()  # who issued it (a policy's issuing agencies)
    notes: tuple[str, ...] = field(default_factory=tuple)
    outlet: str | None = None  # the newspaper or website that carries it (CSL container-title)
    original: str | None = None  # the outlet a reposted page reprints (CSL original-publisher)
    # a policy has no address of its own: the address of the source that quotes or describes it
    # (the first in its notes), for the formats that print no notes (CSL)
    via_url: str | None = None
    version: str | None = None  # a dataset's version (the fact base's own)


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
            id=record.id, kind=record.type or "general-reference", title=record.title,
            authors=(record.author,) if record.author else (), date=record.date, publisher=record.publisher,
            url=record.url, accessed=record.accessed, language=record.language, wording=record.language,
            outlet=outlet, original=getattr(record, "reposted_from", None),
        )
    agencies = {a.id: a.name for a in base.of("agency")}
    issuers = [d for d in getattr(record, "designations", ()) if d.role.startswith(("issue", "lead"))]
    institution = tuple(dict.fromkeys(agencies.get(a, a) for d in issuers for a in d.agencies))
    speaker = getattr(record, "speaker", None)
    authors = (speaker,) if speaker else institution
    sources = query.sources_of(base, record)
    verb = "Quoted in" if getattr(record, "quotes", ()) else "As described in"
    notes = tuple(f"{verb}: {_source_text(s)}" if i == 0 else f"Also: {_source_text(s)}"
                  for i, s in enumerate(sources))
    # no url: the policy has none of its own; the notes carry the URLs of the sources that print it
    return Reference(
        id=record.id, kind=getattr(record, "type", None) or "document", title=getattr(record, "title", None),
        authors=authors, date=getattr(record, "date", None), number=getattr(record, "document_number", None),
        event=getattr(record, "occasion", None), institution=institution, wording="en", notes=notes,
        via_url=next((s.url for s in sources if s.url), None),
    )


DATASET_ID = "oscli-data"
DATASET_TITLE = ("oscli: a fact base on China's state policy on offshore service outsourcing "
                 "(the 1,000-100-10 Project)")
DATASET_AUTHOR = "oscli contributors"


def dataset_reference(base: FactBase, version: str) -> Reference:
    """The fact base itself, as a dataset: oscli's version and the date of its newest fact (the
    data's date, as `oscli --version` gives it: ``currency.data_date``)."""
    from ..domain.currency import data_date

    newest = data_date(base)
    return Reference(
        id=DATASET_ID, kind="dataset", title=DATASET_TITLE, authors=(DATASET_AUTHOR,), date=newest,
        version=version, language="en", wording="en",
        notes=(f"Data as of {newest}: the date of the newest dated fact in its data files."
               if newest else "No dated fact in its data files.",),
    )


# -- what supports a record ---------------------------------------------------------------------


def excerpt_text(entry, source: Optional[Record]) -> str:
    """An evidence excerpt in quotation marks, with its locator; "as recorded on DATE" when the
    source's text is not stored (DATE: when the source was read)."""
    text = f"\u201c{entry.excerpt}\u201d"
    if entry.locator:
        text += f" ({entry.locator})"
    if source is not None and not query.text_stored(source):
        text += f", as recorded on {source.accessed}" if source.accessed else ", as recorded (date not recorded)"
    return text


def _record_name(record: Record) -> str:
    label = kinds.label_of(record)
    return f"{record.kind} {record.id}" + (f" ({label})" if label != record.id else "")


def _support_note(record: Record, items: list[str]) -> str:
    return f"Supports {_record_name(record)}: " + "; ".join(items)


def _claim_of(record: Record, path: str) -> Optional[str]:
    """The claim a citation path (``statements.2.sources.0``) supports: ``statements[2]``; None
    for the record as a whole."""
    head, _, rest = path.partition(".")
    if not rest or head == "sources":
        return None
    number = int(rest.partition(".")[0])
    if head == "evidence":
        return query.claim_path(record.evidence[number].claim)
    return f"{head}[{number}]"


def _claims_by_source(record: Record, known: dict) -> dict[str, dict[Optional[str], list]]:
    """Source id -> the claims of ``record`` it supports (None: the record as a whole) -> the
    evidence entries for them; the record's own sources first."""
    claims: dict[str, dict[Optional[str], list]] = {}
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
    owners: list[tuple[Record, Optional[str]]] = [(record, None)]
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
            note = _support_note(record, items) if label is None else \
                f"Supports {label} (designation {owner.id}): " + "; ".join(items)
            notes.setdefault(key, []).append(note)
    refs = []
    for key, supports in notes.items():
        ref = reference(base, known[key])
        refs.append(replace(ref, notes=(*ref.notes, *supports)))
    return refs


def references(base: FactBase, record: Record) -> list[Reference]:
    """What cites a record: a document (a policy, a source) as itself, any other record by the
    sources that support it."""
    return [reference(base, record)] if record.kind in query.CITABLE else supporting(base, record)


def claim_references(base: FactBase, record: Record, claim: query.Claim) -> list[Reference]:
    """The sources of one claim, as references with a note giving the claim and its excerpts."""
    refs = []
    for source, evidence in query.claim_sources(base, claim):
        excerpts = [excerpt_text(e, source) for e in evidence]
        ref = reference(base, source)
        note = _support_note(record, [claim.path + "".join(f" {x}" for x in excerpts)])
        refs.append(replace(ref, notes=(*ref.notes, note)))
    return refs


def heading(record: Record, count: int) -> str:
    """The line above the citations of a record that is not a document."""
    sources = f"{count} source" + ("" if count == 1 else "s")
    return one_line(f"{kinds.label_of(record)} ({record.kind} {record.id}), supported by {sources}:") + "\n\n"


def footnote(base: FactBase, record: Record, claim: query.Claim) -> str:
    """The claim and its sources in one line, ready to paste as a footnote:
    TEXT — SOURCE (accessed DATE): “EXCERPT” (LOCATOR); SOURCE ..."""
    from .views import claim_text

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


# -- dates ----------------------------------------------------------------------------------------


def _date_parts(date: str | None) -> list[int]:
    return [int(p) for p in date.split("-")] if date else []


def _human_date(date: str | None) -> str:
    parts = _date_parts(date)
    if not parts:
        return "n.d."
    text = str(parts[0])
    if len(parts) > 1:
        text = f"{_MONTH_NAMES[parts[1] - 1]} {text}"
    if len(parts) > 2:
        text = f"{parts[2]} {text}"
    return text


# -- text ---------------------------------------------------------------------------------------

def to_text(ref: Reference) -> str:
    head = "; ".join(ref.authors)
    version = f"Version {ref.version}" if ref.version else None
    pieces = [head, ref.title or "[untitled]", version, ref.number, ref.event, ref.publisher, _human_date(ref.date)]
    # each piece on one line, without the spaces around it: an entry starts at the start of a line,
    # each of its notes is one line two spaces in
    pieces = [one_line(p).strip().rstrip(".") for p in pieces if p and not p.isspace()]
    text = ". ".join(p for p in pieces if p) + "."
    if ref.url:
        text += f" {one_line(ref.url).strip()}"
    if ref.accessed:
        text += f" (accessed {one_line(ref.accessed).strip()})"
    for note in ref.notes:
        text += f"\n  {one_line(note).strip()}"
    return text + "\n"


# -- BibTeX and biblatex ----------------------------------------------------------------------

# Every special character as a group or a control word, so that a value's braces always balance
# whatever its text holds: a brace is {\textbraceleft} or {\textbraceright}, never \{ or \} (which
# bibtex, biber and bibtexparser all still count as a brace, so that a value could close its entry
# and open a forged one), and a backslash is {\textbackslash}, never one that could escape what
# follows it.
_BIB_SPECIAL = {"\\": r"{\textbackslash}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"{\textbraceleft}", "}": r"{\textbraceright}", "~": r"{\textasciitilde}",
                "^": r"{\textasciicircum}"}
_URL_SPECIAL = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
# control characters and everything str.splitlines() breaks a line at: never written as they are
_BREAKS = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029))
_AS_BREAK = str.maketrans({ch: "\n" for ch in _BREAKS})


def one_line(text: str) -> str:
    """``text`` on one line: each control character or line break, with the whitespace around
    it, becomes one space (other runs of spaces stay as they are). Linear in the text: a regex
    such as ``\\s*\\n\\s*`` backtracks over a long run of spaces at every position in it."""
    if text.isprintable() and "\n" not in text:  # the common case: nothing to fold
        return text
    parts = text.translate(_AS_BREAK).split("\n")
    last = len(parts) - 1
    kept = [part.rstrip() if i == 0 else part.lstrip() if i == last else part.strip()
            for i, part in enumerate(parts)]
    return " ".join(part for i, part in enumerate(kept) if part or i in (0, last))


def bib_escape(text: str) -> str:
    """Text for a BibTeX or biblatex value: on one line, each special character escaped so that the
    value's braces balance whatever it holds."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in one_line(text))


def _bib_url(url: str) -> str:
    """A URL inside ``\\url{}`` or ``url = {}``: braces, backslashes, spaces and control characters
    percent-encoded (they would end the field or the URL); ``%``, ``#`` and ``&`` stay as they
    are, which ``\\url`` reads verbatim where plain.bst puts it (not inside another command's
    argument) and biber keeps verbatim in ``url``."""
    return "".join(_URL_SPECIAL.get(ch) or (f"%{ord(ch):02X}" if ch in _BREAKS else ch) for ch in url)


def _protected(text: str) -> str:
    """In braces, so that a style never changes its case (``MOC and MII``, not ``Moc and mii``)."""
    return "{" + bib_escape(text) + "}"


def _names(names) -> str:
    """Persons and institutions as written, each one name: ``{Dextrys Co., Ltd.} and {...}``."""
    return " and ".join(_protected(n) for n in names)


def _sentence(*parts: Optional[str]) -> str:
    """Parts joined as sentences: a period between them unless one ends a part already (n.d.)."""
    text = ""
    for part in parts:
        if part:
            text += ("" if not text else " " if text.endswith((".", "!", "?")) else ". ") + part
    return text


_URL = re.compile(r"https?://[^\s]+?(?=[.,;:)]?(?:\s|$))")


def _bib_text(text: str) -> str:
    """Free text (a note) for a .bib file: specials escaped, each URL in ``\\url{}``."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out += [bib_escape(text[last:match.start()]), f"\\url{{{_bib_url(match.group())}}}"]
        last = match.end()
    return "".join(out) + bib_escape(text[last:])


def _entry(kind: str, key: str, fields: list[tuple[str, Optional[str]]]) -> str:
    """One entry; a value is written in braces, except a month macro (``mar``)."""
    lines = []
    for name, value in fields:
        if value is None or value == "":
            continue
        bare = name == "month" and value in _MONTHS
        if not _balanced(value):  # a value no escaping function wrote: escaped whole, never trusted
            value = bib_escape(value)
        lines.append(f"  {name} = {value if bare else '{' + value + '}'}")
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}\n"


def _balanced(value: str) -> bool:
    """Whether a value's braces balance and it stays on one line (what every escaped value does)."""
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and one_line(value) == value


def _choose(candidates: tuple[str, ...], required: dict[str, tuple[str, ...]], has: dict[str, bool]) -> str:
    """The first candidate type whose required fields the reference has; else the one missing the
    fewest (the earlier one on a tie). A requirement ``a|b`` is met by either field."""
    def missing(kind: str) -> int:
        return sum(not any(has.get(f) for f in need.split("|")) for need in required.get(kind, ()))

    return min(candidates, key=lambda kind: (missing(kind), candidates.index(kind)))


def _has(ref: Reference) -> dict[str, bool]:
    return {"author": bool(ref.authors), "title": bool(ref.title), "date": bool(ref.date), "url": bool(ref.url),
            "publisher": bool(ref.publisher), "institution": bool(ref.institution or ref.publisher),
            "issuer": bool(ref.institution), "type": True}


# classic BibTeX: candidate entry types per record type, and the fields plain.bst requires of each
_CLASSIC = {
    "news": ("article", "misc"),
    "report": ("techreport", "misc"),
    "circular": ("techreport", "misc"),
    "notice": ("techreport", "misc"),
}
_CLASSIC_REQUIRED = {
    "article": ("author", "title", "publisher", "date"),  # journal = the newspaper
    "techreport": ("author", "title", "institution", "date"),
    "misc": (),
}


def to_bibtex(ref: Reference) -> str:
    """Classic BibTeX: standard types and fields only, for bibtex(1) and plain.bst."""
    kind = _choose(_CLASSIC.get(ref.kind, ("misc",)), _CLASSIC_REQUIRED, _has(ref))
    parts = _date_parts(ref.date)
    url = f"\\url{{{_bib_url(ref.url)}}}" if ref.url else None
    accessed = f"Accessed {ref.accessed}" if ref.accessed else None
    notes = [_bib_text(n) for n in ref.notes]
    fields: list[tuple[str, Optional[str]]] = [
        ("author", _names(ref.authors) if ref.authors else None),
        ("title", _protected(ref.title) if ref.title else None),
    ]
    if kind == "article":
        fields += [("journal", bib_escape(ref.publisher)), ("number", _esc(ref.number))]
        note = _sentence(_esc(ref.event), url, accessed, *notes)
    elif kind == "techreport":
        institution = ref.institution or (ref.publisher,)
        fields += [("type", ref.kind.capitalize()), ("number", _esc(ref.number)),
                   ("institution", " and ".join(bib_escape(i) for i in institution))]
        publisher = ref.publisher if ref.institution else None
        note = _sentence(_esc(ref.event), _esc(publisher), url, accessed, *notes)
    else:  # misc: howpublished says how, note says the rest
        fields += [("howpublished", ", ".join(p for p in (_esc(ref.number), _esc(ref.event), url) if p)),
                   ("publisher", _esc(ref.publisher))]
        note = _sentence(f"Version {_esc(ref.version)}" if ref.version else None, _esc(ref.publisher), accessed,
                         *notes)
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
    fields.append(("note", note))
    if not ref.authors:  # plain.bst sorts by author, else by key: without either it warns
        fields.append(("key", bib_escape(ref.title or ref.publisher or ref.id)))
    return _entry(kind, ref.id, fields)


def _esc(text: Optional[str]) -> Optional[str]:
    return bib_escape(text) if text else None


# biblatex: candidate types per record type, and the fields biblatex's data model requires of
# each (biber --tool --validate-datamodel). @legislation is not used: the standard data model
# declares it without fields, so that even its title is "invalid".
_BIBLATEX = {
    "article": ("online", "article", "misc"),
    "web-page": ("online", "misc"),
    "news": ("article", "online", "misc"),
    "legal-text": ("online", "misc"),
    "report": ("report", "online", "misc"),
    "dataset": ("dataset", "online", "misc"),
    "plan": ("report", "misc"),
    "circular": ("report", "misc"),
    "notice": ("report", "misc"),
    "speech": ("unpublished", "misc"),
}
_BIBLATEX_REQUIRED = {
    "online": ("title", "url", "date"),
    "article": ("author", "title", "publisher", "date"),  # journaltitle = the newspaper
    "report": ("author", "title", "type", "institution", "date"),
    "unpublished": ("author", "title", "date"),
    "dataset": ("title",),
    "misc": ("title", "date"),
}


def to_biblatex(ref: Reference) -> str:
    """biblatex, for biber: each field where the data model allows it for the entry type."""
    kind = _choose(_BIBLATEX.get(ref.kind, ("misc",)), _BIBLATEX_REQUIRED, _has(ref))
    publisher = _esc(ref.publisher)
    fields: list[tuple[str, Optional[str]]] = [
        ("author", _names(ref.authors) if ref.authors else None),
        ("title", _protected(ref.title) if ref.title else None),
    ]
    extra: list[Optional[str]] = []  # what the type has no field for goes to the note
    if kind == "article":
        fields += [("journaltitle", publisher), ("number", _esc(ref.number))]
        extra.append(_esc(ref.event))
    elif kind == "report":
        institution = ref.institution or (ref.publisher,)
        fields += [("type", ref.kind.capitalize()), ("number", _esc(ref.number)),
                   ("institution", _names(institution))]
        extra += [_esc(ref.event), publisher if ref.institution else None]
    elif kind == "dataset":
        fields += [("number", _esc(ref.number)), ("version", _esc(ref.version)), ("publisher", publisher)]
        extra.append(_esc(ref.event))
    elif kind == "unpublished":
        fields += [("eventtitle", _esc(ref.event)),
                   ("howpublished", ", ".join(p for p in (_esc(ref.number), publisher) if p))]
    elif kind == "misc":
        fields += [("howpublished", ", ".join(p for p in (_esc(ref.number), _esc(ref.event)) if p)),
                   ("organization", publisher)]
    else:  # online
        fields += [("organization", publisher)]
        extra += [_esc(ref.number), _esc(ref.event)]
    fields += [
        # an undated work has no date: biblatex's author-year styles print "n.d." (given a
        # labeldate that does not fall back on urldate: see the README), never a guessed date
        ("date", ref.date),
        ("url", _bib_url(ref.url) if ref.url else None),
        ("urldate", ref.accessed),
        ("langid", LANGIDS.get((ref.wording or "").lower())),
        ("note", _sentence(*extra, *(_bib_text(n) for n in ref.notes))),
    ]
    return _entry(kind, ref.id, fields)


# -- CSL-JSON -----------------------------------------------------------------------------------

def csl_item(ref: Reference) -> dict:
    item: dict = {"id": ref.id, "type": _TYPES.get(ref.kind, _DEFAULT_TYPES)[0]}
    if ref.title:
        item["title"] = ref.title
    if ref.authors:
        item["author"] = [{"literal": a} for a in ref.authors]
    if ref.date:
        item["issued"] = {"date-parts": [_date_parts(ref.date)]}
    # an outlet (newspaper, website) is the container the styles print; publisher only where it is not one
    publisher = None if ref.outlet else ref.publisher
    for key, value in (("container-title", ref.outlet), ("publisher", publisher),
                       ("original-publisher", ref.original), ("URL", ref.url or ref.via_url),
                       ("number", ref.number), ("version", ref.version), ("event", ref.event),
                       ("language", ref.language)):
        if value:
            item[key] = value
    if ref.accessed:
        item["accessed"] = {"date-parts": [_date_parts(ref.accessed)]}
    if ref.notes:
        item["note"] = "\n".join(ref.notes)
    return item


def to_csl_json(refs: list[Reference]) -> str:
    return json.dumps([csl_item(r) for r in refs], ensure_ascii=False, indent=2) + "\n"


# -- RIS ----------------------------------------------------------------------------------------

def to_ris(ref: Reference) -> str:
    lines = [("TY", _TYPES.get(ref.kind, _DEFAULT_TYPES)[1])]
    lines += [("AU", a) for a in ref.authors]
    if ref.title:
        lines.append(("TI", ref.title))
    parts = _date_parts(ref.date)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]] + [""] * (3 - len(parts)))))
    for tag, value in (("M1", ref.number), ("ET", ref.version), ("T2", ref.event), ("PB", ref.publisher),
                       ("LA", ref.language), ("UR", ref.url), ("Y2", ref.accessed)):
        if value:
            lines.append((tag, value))
    lines += [("N1", n) for n in ref.notes]
    lines.append(("ID", ref.id))
    return "".join(f"{tag}  - {one_line(value)}\n" for tag, value in lines) + "ER  - \n"


def render(refs: list[Reference], fmt: str) -> str:
    """The references in a citation format: text, bibtex, biblatex, csl-json (also json) or ris."""
    if fmt in ("csl-json", "json"):
        return to_csl_json(refs)
    one = {"text": to_text, "bibtex": to_bibtex, "biblatex": to_biblatex, "ris": to_ris}[fmt]
    return "\n".join(one(r) for r in refs)
