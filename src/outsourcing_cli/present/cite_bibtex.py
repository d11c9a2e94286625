"""BibTeX is *classic* BibTeX, as bibtex(1) with plain.bst reads it: standard entry types and
fields only, ``month = mar`` as a macro, titles and institutional authors in braces so that the
style keeps their case, the URL in ``howpublished = {\\url{...}}`` (or in ``note`` for types
that print no ``howpublished``) and the access date in ``note``. biblatex is the richer dialect
that biber reads: ``@online``, ``@report``, ``date``, ``urldate``, ``langid``. In both, an entry
type is used only when the record has the fields the type requires; else the next candidate
(see ``_CLASSIC`` and ``_BIBLATEX``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cite_model import _BREAKS, Reference, _date_parts, one_line

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# ISO 639-1 -> the language names biblatex's langid takes (babel/polyglossia)
LANGIDS = {
    "en": "english",
    "zh": "chinese",
    "ja": "japanese",
    "ko": "korean",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
    "pt": "portuguese",
    "it": "italian",
}

# Every special character as a group or a control word, so that a value's braces always balance
# whatever its text holds: a brace is {\textbraceleft} or {\textbraceright}, never \{ or \} (which
# bibtex, biber and bibtexparser all still count as a brace, so that a value could close its entry
# and open a forged one), and a backslash is {\textbackslash}, never one that could escape what
# follows it.
_BIB_SPECIAL = {
    "\\": r"{\textbackslash}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
_URL_SPECIAL = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


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


def _names(names: Iterable[str]) -> str:
    """Persons and institutions as written, each one name: ``{Dextrys Co., Ltd.} and {...}``."""
    return " and ".join(_protected(n) for n in names)


def _sentence(*parts: str | None) -> str:
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
        out += [bib_escape(text[last : match.start()]), f"\\url{{{_bib_url(match.group())}}}"]
        last = match.end()
    return "".join(out) + bib_escape(text[last:])


def _entry(kind: str, key: str, fields: list[tuple[str, str | None]]) -> str:
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
    return {
        "author": bool(ref.authors),
        "title": bool(ref.title),
        "date": bool(ref.date),
        "url": bool(ref.url),
        "publisher": bool(ref.publisher),
        "institution": bool(ref.institution or ref.publisher),
        "issuer": bool(ref.institution),
        "type": True,
    }


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
    fields: list[tuple[str, str | None]] = [
        ("author", _names(ref.authors) if ref.authors else None),
        ("title", _protected(ref.title) if ref.title else None),
    ]
    if kind == "article":
        # chosen only when it has a publisher (_CLASSIC_REQUIRED): _esc never gives None here
        fields += [("journal", _esc(ref.publisher)), ("number", _esc(ref.number))]
        note = _sentence(_esc(ref.event), url, accessed, *notes)
    elif kind == "techreport":
        # chosen only when it has an issuer or a publisher (_has: "institution")
        institution = ref.institution or tuple(filter(None, (ref.publisher,)))
        fields += [
            ("type", ref.kind.capitalize()),
            ("number", _esc(ref.number)),
            ("institution", " and ".join(bib_escape(i) for i in institution)),
        ]
        publisher = ref.publisher if ref.institution else None
        note = _sentence(_esc(ref.event), _esc(publisher), url, accessed, *notes)
    else:  # misc: howpublished says how, note says the rest
        fields += [
            ("howpublished", ", ".join(p for p in (_esc(ref.number), _esc(ref.event), url) if p)),
            ("publisher", _esc(ref.publisher)),
        ]
        note = _sentence(f"Version {_esc(ref.version)}" if ref.version else None, _esc(ref.publisher), accessed, *notes)
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
    fields.append(("note", note))
    if not ref.authors:  # plain.bst sorts by author, else by key: without either it warns
        fields.append(("key", bib_escape(ref.title or ref.publisher or ref.id)))
    return _entry(kind, ref.id, fields)


def _esc(text: str | None) -> str | None:
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
    fields: list[tuple[str, str | None]] = [
        ("author", _names(ref.authors) if ref.authors else None),
        ("title", _protected(ref.title) if ref.title else None),
    ]
    extra: list[str | None] = []  # what the type has no field for goes to the note
    if kind == "article":
        fields += [("journaltitle", publisher), ("number", _esc(ref.number))]
        extra.append(_esc(ref.event))
    elif kind == "report":
        # chosen only when it has an issuer or a publisher (_has: "institution")
        institution = ref.institution or tuple(filter(None, (ref.publisher,)))
        fields += [("type", ref.kind.capitalize()), ("number", _esc(ref.number)), ("institution", _names(institution))]
        extra += [_esc(ref.event), publisher if ref.institution else None]
    elif kind == "dataset":
        fields += [("number", _esc(ref.number)), ("version", _esc(ref.version)), ("publisher", publisher)]
        extra.append(_esc(ref.event))
    elif kind == "unpublished":
        fields += [
            ("eventtitle", _esc(ref.event)),
            ("howpublished", ", ".join(p for p in (_esc(ref.number), publisher) if p)),
        ]
    elif kind == "misc":
        fields += [
            ("howpublished", ", ".join(p for p in (_esc(ref.number), _esc(ref.event)) if p)),
            ("organization", publisher),
        ]
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
