"""Citations as plain text: one line an entry, each note on a line of its own."""

from __future__ import annotations

from .cite_model import Reference, _date_parts, one_line

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


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
