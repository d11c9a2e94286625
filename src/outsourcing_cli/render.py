"""Drawing results as data (JSON, NDJSON, YAML, CSV) or as plain text. Rich drawing lives in
rich_render (imported lazily, so that data formats and piped output never pay for Rich).

Flat formats (CSV) write each value as documented in the README:
null is an empty cell; booleans are ``true``/``false``; a list of ids is joined with ``; ``;
a list of objects (quotes, statements, ...) is compact JSON.
"""

from __future__ import annotations

import json
import sys
from typing import IO

from .views import Document

LIST_SEPARATOR = "; "


def write_json(value, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_ndjson(values: list, out: IO[str] | None = None) -> None:
    """One compact JSON object per line."""
    out = out or sys.stdout
    for value in values:
        out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def write_yaml(value, out: IO[str] | None = None) -> None:
    import yaml  # only this format needs it

    out = out or sys.stdout
    out.write(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return LIST_SEPARATOR.join(value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def write_csv(fields: list[str], values: list[dict], out: IO[str] | None = None) -> None:
    """RFC 4180 CSV with a header of field names, starting with a UTF-8 byte-order mark so that
    spreadsheets (Excel) read the Chinese names as UTF-8."""
    import csv

    out = out or sys.stdout
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for value in values:
        writer.writerow([csv_cell(value[f]) for f in fields])


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
