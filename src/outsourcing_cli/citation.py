"""Citations of policies and sources in the formats researchers use: text, BibTeX, CSL-JSON, RIS.

``reference`` turns a record into a neutral Reference (pure, from the model); one small
formatter per format turns References into text. Unknown values are left out, never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import query
from .model import FactBase, Record
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")

# record type -> (CSL type, RIS type, BibTeX entry type)
_DEFAULT_TYPES = ("document", "GEN", "misc")
_TYPES = {
    "article": ("webpage", "ELEC", "online"),
    "news": ("article-newspaper", "NEWS", "online"),
    "legal-text": ("legislation", "GOVDOC", "misc"),
    "general-reference": ("document", "GEN", "misc"),
    "plan": ("legislation", "GOVDOC", "misc"),
    "circular": ("legislation", "GOVDOC", "misc"),
    "notice": ("legislation", "GOVDOC", "misc"),
    "project": ("document", "GOVDOC", "misc"),
    "speech": ("speech", "GEN", "misc"),
}


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
    language: str | None = None
    event: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _source_text(source: Record) -> str:
    parts = [source.author, source.title, source.publisher, source.date or "n.d."]
    text = ", ".join(p for p in parts if p)
    return text + (f", {source.url}" if source.url else "")


def reference(base: FactBase, record: Record) -> Reference:
    if record.kind == "source":
        return Reference(
            id=record.id, kind=record.type or "general-reference", title=record.title,
            authors=(record.author,) if record.author else (), date=record.date, publisher=record.publisher,
            url=record.url, accessed=record.accessed, language=record.language,
        )
    agencies = {a.id: a.name for a in base.of("agency")}
    authors: tuple[str, ...]
    if record.speaker:
        authors = (record.speaker,)
    else:
        issuers = [d for d in record.designations if d.role.startswith(("issue", "lead"))]
        authors = tuple(dict.fromkeys(agencies.get(a, a) for d in issuers for a in d.agencies))
    sources = query.sources_of(base, record)
    verb = "Quoted in" if record.quotes else "As described in"
    notes = tuple(f"{verb}: {_source_text(s)}" if i == 0 else f"Also: {_source_text(s)}"
                  for i, s in enumerate(sources))
    # no url: the policy has none of its own; the notes carry the URLs of the sources that print it
    return Reference(
        id=record.id, kind=record.type or "document", title=record.title, authors=authors, date=record.date,
        number=record.document_number, event=record.occasion, notes=notes,
    )


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
    pieces = [head, ref.title or "[untitled]", ref.number, ref.event, ref.publisher, _human_date(ref.date)]
    text = ". ".join(p.rstrip(".") for p in pieces if p) + "."
    if ref.url:
        text += f" {ref.url}"
    if ref.accessed:
        text += f" (accessed {ref.accessed})"
    for note in ref.notes:
        text += f"\n  {note}"
    return text + "\n"


# -- BibTeX -------------------------------------------------------------------------------------

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in text)


def to_bibtex(ref: Reference) -> str:
    fields: list[tuple[str, str]] = []
    if ref.authors:  # institutions in double braces so that BibTeX does not split them into names
        fields.append(("author", " and ".join("{" + bib_escape(a) + "}" for a in ref.authors)))
    if ref.title:
        fields.append(("title", bib_escape(ref.title)))
    parts = _date_parts(ref.date)
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
        fields.append(("date", ref.date))
    for name, value in (("number", ref.number), ("eventtitle", ref.event), ("publisher", ref.publisher),
                        ("language", ref.language)):
        if value:
            fields.append((name, bib_escape(value)))
    if ref.url:
        fields.append(("url", ref.url))
    if ref.accessed:
        fields.append(("urldate", ref.accessed))
    if ref.notes:
        fields.append(("note", bib_escape(". ".join(n.rstrip(".") for n in ref.notes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{_TYPES.get(ref.kind, _DEFAULT_TYPES)[2]}{{{ref.id},\n{body}\n}}\n"


# -- CSL-JSON -----------------------------------------------------------------------------------

def csl_item(ref: Reference) -> dict:
    item: dict = {"id": ref.id, "type": _TYPES.get(ref.kind, _DEFAULT_TYPES)[0]}
    if ref.title:
        item["title"] = ref.title
    if ref.authors:
        item["author"] = [{"literal": a} for a in ref.authors]
    if ref.date:
        item["issued"] = {"date-parts": [_date_parts(ref.date)]}
    for key, value in (("publisher", ref.publisher), ("URL", ref.url), ("number", ref.number),
                       ("event", ref.event), ("language", ref.language)):
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
    for tag, value in (("M1", ref.number), ("T2", ref.event), ("PB", ref.publisher), ("LA", ref.language),
                       ("UR", ref.url), ("Y2", ref.accessed)):
        if value:
            lines.append((tag, value))
    lines += [("N1", n) for n in ref.notes]
    lines.append(("ID", ref.id))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n"


def render(refs: list[Reference], fmt: str) -> str:
    """The references in a citation format: text, bibtex, csl-json (also json) or ris."""
    if fmt in ("csl-json", "json"):
        return to_csl_json(refs)
    one = {"text": to_text, "bibtex": to_bibtex, "ris": to_ris}[fmt]
    return "\n".join(one(r) for r in refs)
