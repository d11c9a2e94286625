"""The schema of the data files, and the conversion of parsed YAML nodes into model records.

One table (``SCHEMAS``) says, for each kind of record, which fields exist, which are required
and what type each holds. ``build`` walks a parsed node against it and returns the record plus
located findings: missing and unknown fields (with the closest known name), wrong types,
malformed dates, empty text and malformed ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from . import model
from .findings import Finding, finding
from .names import did_you_mean
from .yamltree import Map, Node, Scalar, Seq, is_iso_date

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # id, text, bool, date, url, ids, or "list:<schema>"
    required: bool = False


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]
    make: Callable

    def field(self, name: str) -> Field | None:
        by_name = self.__dict__.get("_by_name")
        if by_name is None:  # built on first use: one dict lookup per field from then on
            by_name = {f.name: f for f in self.fields}
            object.__setattr__(self, "_by_name", by_name)
        return by_name.get(name)


def _schema(name: str, make: Callable, *fields: Field) -> Schema:
    return Schema(name, fields, make)


_COMMON = (
    Field("sources", "ids", required=True),
    Field("note", "text"),
    Field("acknowledgements", "list:acknowledgement"),
)

SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        _schema("acknowledgement", model.Acknowledgement,
                Field("rule", "text", True), Field("reason", "text"), Field("sources", "ids")),
        _schema("quote", model.Quote,
                Field("text", "text", True), Field("source", "id"), Field("speaker", "text")),
        _schema("statement", model.Statement,
                Field("text", "text", True), Field("sources", "ids", True), Field("topic", "text")),
        _schema("designation", model.Designation,
                Field("role", "text", True), Field("agencies", "ids", True), Field("sources", "ids", True)),
        _schema("source", model.Source, Field("id", "id", True), Field("title", "text"),
                Field("type", "text", True), Field("author", "text"), Field("publisher", "text"),
                Field("date", "date"), Field("url", "url"), Field("accessed", "date"),
                Field("language", "text"), Field("note", "text"),
                Field("acknowledgements", "list:acknowledgement")),
        _schema("agency", model.Agency, Field("id", "id", True), Field("abbr", "text", True),
                Field("name", "text", True), Field("name_zh", "text"), *_COMMON),
        _schema("city", model.City, Field("id", "id", True), Field("name", "text", True),
                Field("name_zh", "text"), Field("province", "text"), Field("province_type", "text"),
                Field("primary_outsourcing_city", "bool", True), *_COMMON),
        _schema("area", model.ShowcaseArea, Field("id", "id", True), Field("name", "text", True),
                Field("name_zh", "text"), Field("city", "id", True), Field("level", "text"),
                Field("established", "date"), *_COMMON),
        _schema("policy", model.Policy, Field("id", "id", True), Field("title", "text", True),
                Field("title_zh", "text"), Field("type", "text", True), Field("date", "date"),
                Field("document_number", "text"), Field("speaker", "text"), Field("occasion", "text"),
                Field("designations", "list:designation"), Field("quotes", "list:quote"),
                Field("statements", "list:statement"), Field("targets", "list:statement"), *_COMMON),
        _schema("term", model.Term, Field("id", "id", True), Field("term", "text", True),
                Field("definition", "text", True), *_COMMON),
    )
}

# file name -> collection key -> record schema. The layout of a data directory.
FILES: dict[str, dict[str, str]] = {
    "sources.yaml": {"sources": "source"},
    "cities.yaml": {"cities": "city", "areas": "area"},
    "policies.yaml": {"policies": "policy", "agencies": "agency", "terms": "term"},
}

_KIND_WORDS = {
    "str": "text", "int": "a number", "float": "a number", "bool": "a boolean",
    "null": "null", "timestamp": "a date", "alias": "an alias",
}


def describe(node: Node) -> str:
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Map):
        return "a mapping"
    return _KIND_WORDS.get(node.kind, node.kind)


class Builder:
    """Converts nodes of one file into records, collecting findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def report(self, code: str, message: str, node: Node | Scalar, record: str | None) -> None:
        self.findings.append(finding(code, message, self.file, node.line, node.column, record))

    def record(self, node: Node, schema_name: str) -> model.Record | None:
        """A top-level record, or None when the node is not a mapping."""
        schema = SCHEMAS[schema_name]
        if not isinstance(node, Map):
            self.report("OSC103", f"a {schema_name} record must be a mapping, not {describe(node)}", node, None)
            return None
        record_id = None
        id_entry = node.entries.get("id")
        if id_entry and isinstance(id_entry[1], Scalar) and isinstance(id_entry[1].value, str):
            record_id = id_entry[1].value
        spans: dict[str, tuple[int, int]] = {}
        values = self._fields(node, schema, "", spans, record_id)
        return schema.make(
            **values, origin=model.Origin(self.file, node.line, node.column), spans=spans
        )

    def _fields(self, node: Map, schema: Schema, prefix: str, spans: dict, record_id: str | None) -> dict:
        values: dict[str, object] = {}
        known = [f.name for f in schema.fields]
        for name, (key, value) in node.entries.items():
            spec = schema.field(name)
            if spec is None:
                self.report(
                    "OSC102",
                    f"unknown field '{name}' in {schema.name}{did_you_mean(name, known)}",
                    key,
                    record_id,
                )
                continue
            path = prefix + name
            spans[path] = (value.line, value.column)
            values[name] = self._value(value, spec, schema, path, spans, record_id)
        for spec in schema.fields:
            if spec.name not in node.entries:
                if spec.required:
                    self.report("OSC101", f"{schema.name} is missing required field '{spec.name}'", node, record_id)
                values[spec.name] = () if spec.type == "ids" or spec.type.startswith("list:") else None
        return values

    def _value(self, node: Node, spec: Field, schema: Schema, path: str, spans: dict, record_id):
        kind = spec.type
        where = f"'{spec.name}' of {schema.name}"
        if kind.startswith("list:") or kind == "ids":
            if isinstance(node, Scalar) and node.kind == "null":
                if spec.required:
                    self.report("OSC101", f"{where} is required but null", node, record_id)
                return ()
            if not isinstance(node, Seq):
                self.report("OSC103", f"{where} must be a list, not {describe(node)}", node, record_id)
                return ()
            items = []
            for index, item in enumerate(node.items):
                item_path = f"{path}.{index}"
                spans[item_path] = (item.line, item.column)
                if kind == "ids":
                    value = self._scalar(item, "id", f"item {index + 1} of {where}", record_id)
                else:
                    sub = SCHEMAS[kind[5:]]
                    if not isinstance(item, Map):
                        self.report("OSC103", f"item {index + 1} of {where} must be a mapping, not {describe(item)}",
                                    item, record_id)
                        continue
                    value = sub.make(**self._fields(item, sub, item_path + ".", spans, record_id))
                if value is not None:
                    items.append(value)
            return tuple(items)
        if not isinstance(node, Scalar):
            self.report("OSC103", f"{where} must be {_TYPE_WORDS[kind]}, not {describe(node)}", node, record_id)
            return None
        if node.kind == "null":
            if spec.required:
                self.report("OSC101", f"{where} is required but null", node, record_id)
            return None
        return self._scalar(node, kind, where, record_id)

    def _scalar(self, node: Node, kind: str, where: str, record_id):
        if not isinstance(node, Scalar):
            self.report("OSC103", f"{where} must be {_TYPE_WORDS[kind]}, not {describe(node)}", node, record_id)
            return None
        if kind == "bool":
            if node.kind != "bool":
                self.report("OSC103", f"{where} must be true or false, not {describe(node)} ({node.raw!r})",
                            node, record_id)
                return None
            return node.value
        if kind == "date":
            text = str(node.value) if node.kind in ("str", "timestamp", "int") else None
            if text is None or not is_iso_date(text):
                self.report("OSC104", f"{where} must be an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), not {node.raw!r}",
                            node, record_id)
                return None
            return text
        if node.kind != "str":
            self.report("OSC103", f"{where} must be text, not {describe(node)} ({node.raw!r}); put it in quotes",
                        node, record_id)
            return None
        text = node.value
        if not text.strip():
            self.report("OSC105", f"{where} is empty", node, record_id)
            return None
        if kind == "id" and not ID_PATTERN.match(text):
            hint = text.strip().lower().replace(" ", "-")
            self.report("OSC106", f"{where} {text!r} must be lower-case letters, digits and hyphens"
                        + (f"; try '{hint}'" if ID_PATTERN.match(hint) else ""), node, record_id)
            return None
        if kind == "url" and not text.startswith(("http://", "https://")):
            self.report("OSC103", f"{where} must be an http(s) URL, not {text!r}", node, record_id)
            return None
        return text


_TYPE_WORDS = {"id": "an id", "text": "text", "bool": "true or false", "date": "a date", "url": "a URL"}
