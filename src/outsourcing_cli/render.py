"""Drawing results as JSON or as plain text. Rich drawing lives in rich_render (imported lazily,
so that `--json` and piped output never pay for importing Rich)."""

from __future__ import annotations

import json
import sys
from typing import IO

from .views import Document


def write_json(value, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _clean(text: str) -> str:
    return " ".join(text.split())


def plain_table(headers: list[str], rows: list[list[str]], out: IO[str] | None = None) -> None:
    """Tab-separated, one header line: for cut, awk, sort and spreadsheets."""
    out = out or sys.stdout
    for row in [headers, *rows]:
        out.write("\t".join(_clean(c) for c in row) + "\n")


def plain_document(doc: Document, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    lines = [f"{doc.kind} {doc.id}: {doc.title}"]
    width = max((len(k) for k, _ in doc.fields), default=0)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in doc.fields]
    for section in doc.sections:
        lines += ["", f"{section.heading}:"]
        for item in section.items:
            text = f"\u201c{item.text}\u201d" if item.quote else item.text
            lines.append(f"  - {text}")
            if item.meta:
                lines.append(f"    {'— ' if item.quote else ''}{item.meta}")
    out.write("\n".join(lines) + "\n")
