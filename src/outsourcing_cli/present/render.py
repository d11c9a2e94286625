"""Writers, one per format, behind one interface (as pip-audit's formats are): ``write(format,
payload)`` looks the writer up in ``WRITERS``. Rich drawing lives in rich_render (imported only
when a table is drawn, so that data formats and piped output never pay for Rich).

Flat formats (CSV) write each value as documented in the README: null is an empty cell;
booleans are ``true``/``false``; a list of ids is joined with ``; ``; a list of objects (quotes,
statements, ...) is compact JSON. A cell that a spreadsheet would read as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'`` (OWASP).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..domain.textsafe import json_safe, visible
from . import views
from .output import Format, color, terminal

if TYPE_CHECKING:
    from .pages import Document
    from .rich_render import Chart

LIST_SEPARATOR = "; "


class Payload:
    """What a command shows: records (as JSON-contract dicts) of one kind, or one record's page."""

    def __init__(
        self,
        kind: str,
        title: str,
        dicts: list[dict[str, Any]],
        fields: list[str] | None = None,
        single: bool = False,
        page: Callable[[], Document] | None = None,
        flat_fields: list[str] | None = None,
        footer: str | None = None,
        chart: Chart | None = None,
    ) -> None:
        self.kind, self.title, self.dicts, self.fields = kind, title, dicts, fields
        self.single, self.page, self.flat_fields, self.footer = single, page, flat_fields, footer
        self.chart = chart  # (title name, [(year, held, possibly held)]) for a bar chart under a table

    def data(self, keys: list[str] | None) -> dict[str, Any] | list[dict[str, Any]]:
        projected = [views.project(d, keys) for d in self.dicts]
        return projected[0] if self.single else projected


def json_text(value: Any, indent: int | None = 2) -> str:
    separators = None if indent else (",", ":")
    return json_safe(json.dumps(value, ensure_ascii=False, indent=indent, separators=separators))


def _json(payload: Payload) -> None:
    sys.stdout.write(json_text(payload.data(payload.fields)) + "\n")


def _ndjson(payload: Payload) -> None:
    """One compact JSON object per line."""
    for value in [views.project(d, payload.fields) for d in payload.dicts]:
        sys.stdout.write(json_text(value, indent=None) + "\n")


def _yaml(payload: Payload) -> None:
    import yaml  # only this format needs it

    value = _plain_data(payload.data(payload.fields))
    from .output import unicode_stdout

    sys.stdout.write(
        yaml.safe_dump(value, allow_unicode=unicode_stdout(), sort_keys=False, width=100, default_flow_style=False)
    )


def _plain_data(value: Any) -> Any:
    """The value with plain str, list and dict only (a str subclass such as Marked is not YAML)."""
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _held(value: Any) -> bool:
    """A title held (``titles``): an object with title and status."""
    return isinstance(value, dict) and "title" in value and "status" in value


def csv_cell(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list) and all(isinstance(v, str) or v is None for v in value):
        text = LIST_SEPARATOR.join(v or "" for v in value)
    elif isinstance(value, list) and value and all(_held(v) for v in value):  # titles: ids, marked if uncertain
        text = LIST_SEPARATOR.join(views.cell(v) for v in value)
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _flat_keys(payload: Payload) -> list[str]:
    """The columns of a flat format: the fields asked for, else the kind's flat fields (every
    payload written as CSV or TSV names them)."""
    keys = payload.fields or payload.flat_fields
    assert keys is not None, f"a {payload.kind} payload without flat_fields"
    return keys


def _csv(payload: Payload) -> None:
    """RFC 4180 CSV with a header of field names, starting with a UTF-8 byte-order mark so that
    spreadsheets (Excel) read the Chinese names as UTF-8."""
    import csv

    keys = _flat_keys(payload)
    from .output import unicode_stdout

    if unicode_stdout():  # a narrower encoding (ascii) has no byte-order mark
        sys.stdout.write("\ufeff")
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(keys)
    for value in payload.dicts:
        writer.writerow([csv_cell(views.value_at(value, k)) for k in keys])


def _tsv(payload: Payload) -> None:
    """Tab-separated values for scripts: a header of field names, then each value as CSV writes
    it (lists of ids joined with '; ', titles as ids); a tab or line break inside a value becomes
    a space, so that every record is one line."""
    keys = _flat_keys(payload)
    sys.stdout.write("\t".join(keys) + "\n")
    for value in payload.dicts:
        cells = [" ".join(csv_cell(views.value_at(value, k)).split("\t")) for k in keys]
        sys.stdout.write("\t".join(" ".join(c.splitlines()) if "\n" in c or "\r" in c else c for c in cells) + "\n")


def _clean(text: str) -> str:
    return visible(" ".join(text.split()), keep_newlines=False)


def plain_table(headers: list[str], rows: list[list[str]]) -> None:
    """Tab-separated, one header line: for cut, awk, sort and spreadsheets."""
    for row in [headers, *rows]:
        sys.stdout.write("\t".join(_clean(c) for c in row) + "\n")


def plain_document(doc: Document) -> None:
    lines = [visible(f"{doc.kind} {doc.id}: {doc.title}", keep_newlines=False)]
    width = max((len(k) for k, _ in doc.fields), default=0)
    lines += [f"  {k.ljust(width)}  {_clean(v)}" for k, v in doc.fields]
    for section in doc.sections:
        lines += ["", f"{section.heading}:"]
        for item in section.items:
            text = _clean(item.text)
            lines.append(f"  - {chr(0x201C) + text + chr(0x201D) if item.quote else text}")
            if item.original:
                lines.append(f"    \u300c{_clean(item.original)}\u300d")
            if item.meta:
                lines.append(f"    {'— ' if item.quote else ''}{_clean(item.meta)}")
    sys.stdout.write("\n".join(lines) + "\n")


def _plain(payload: Payload) -> None:
    if payload.single and payload.page is not None:
        plain_document(payload.page())
    else:
        plain_table(*views.rows(payload.kind, payload.dicts, payload.fields))
    if payload.footer:
        sys.stdout.write(_clean(payload.footer) + "\n")


def _table(payload: Payload) -> None:
    from . import rich_render

    console = rich_render.console(color(), terminal=terminal())
    if payload.single and payload.page is not None:
        rich_render.document(console, payload.page())
        return
    headers, cells = views.rows(payload.kind, payload.dicts, payload.fields)
    if not rich_render.table(console, payload.title, headers, cells, footer=payload.footer):
        # too narrow for a table that keeps ids and words whole: one field a line instead
        rich_render.records(console, payload.title, headers, cells, footer=payload.footer)
        return
    if payload.chart:
        rich_render.chart(console, payload.chart)


WRITERS: dict[Format, Callable[[Payload], None]] = {
    Format.table: _table,
    Format.plain: _plain,
    Format.json: _json,
    Format.ndjson: _ndjson,
    Format.csv: _csv,
    Format.tsv: _tsv,
    Format.yaml: _yaml,
}


def write(fmt: Format, payload: Payload) -> None:
    WRITERS[fmt](payload)
