"""``Reference``: a work to cite, neutral (pure, from the model; unknown values left out, never
guessed), and what every format shares: the record types as CSL and RIS name them, a date's
parts, text on one line."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _date_parts(date: str | None) -> list[int]:
    return [int(p) for p in date.split("-")] if date else []


# control characters and everything str.splitlines() breaks a line at: never written as they are
_BREAKS = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029))
_AS_BREAK = str.maketrans(dict.fromkeys(_BREAKS, "\n"))


def one_line(text: str) -> str:
    """``text`` on one line: each control character or line break, with the whitespace around
    it, becomes one space (other runs of spaces stay as they are). Linear in the text: a regex
    such as ``\\s*\\n\\s*`` backtracks over a long run of spaces at every position in it."""
    if text.isprintable() and "\n" not in text:  # the common case: nothing to fold
        return text
    parts = text.translate(_AS_BREAK).split("\n")
    last = len(parts) - 1
    kept = [part.rstrip() if i == 0 else part.lstrip() if i == last else part.strip() for i, part in enumerate(parts)]
    return " ".join(part for i, part in enumerate(kept) if part or i in (0, last))
