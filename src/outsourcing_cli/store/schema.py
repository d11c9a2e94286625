"""The schema checks, derived from the registry of kinds: parsed YAML nodes into model records.

``Builder.record`` walks a node against its kind's fields (``kinds``) and returns the record
plus located findings: missing and unknown fields (with the closest known name), wrong types,
malformed dates, empty text, malformed ids, values outside a vocabulary and control characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..domain import dates, kinds, model
from ..domain.findings import Capped, Finding, finding
from ..domain.names import did_you_mean
from ..domain.textsafe import unsafe_character
from .yamltree import Map, Node, Scalar, Seq

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_KIND_WORDS = {
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "a boolean",
    "null": "null",
    "timestamp": "a date",
    "alias": "an alias",
}
_TYPE_WORDS = {
    "id": "an id",
    "text": "text",
    "bool": "true or false",
    "date": "a date",
    "url": "a URL",
    "int": "a whole number",
    "float": "a number",
    "number": "a number",
    "choice": "one of the listed values",
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
        self.findings: list[Finding] = Capped()  # TooMany past MAX_PER_FILE: the caller reports it

    def report(self, code: str, message: str, node: Node | Scalar, record: str | None) -> None:
        self.findings.append(finding(code, message, self.file, node.line, node.column, record))

    def record(self, node: Node, kind: kinds.Kind) -> model.Record | None:
        """A top-level record, or None when the node is not a mapping."""
        if not isinstance(node, Map):
            self.report("OSC103", f"a {kind.name} record must be a mapping, not {describe(node)}", node, None)
            return None
        record_id = None
        id_entry = node.entries.get("id")
        if id_entry and isinstance(id_entry[1], Scalar) and isinstance(id_entry[1].value, str):
            record_id = id_entry[1].value
        spans: dict[str, tuple[int, int]] = {}
        values = self._fields(node, kind.name, kind.data_fields, kind.field, "", spans, record_id)
        record: model.Record = kind.model(**values, origin=model.Origin(self.file, node.line, node.column), spans=spans)
        return record

    def _fields(
        self,
        node: Map,
        owner: str,
        fields: tuple[kinds.Field, ...],
        lookup: Callable[[str], kinds.Field | None],
        prefix: str,
        spans: dict[str, tuple[int, int]],
        record_id: str | None,
    ) -> dict[str, object]:
        values: dict[str, object] = {}
        for name, (key, value) in node.entries.items():
            spec = lookup(name)
            if spec is None or spec.derived is not None:
                self.report(
                    "OSC102",
                    f"unknown field '{name}' in {owner}{did_you_mean(name, [f.name for f in fields])}",
                    key,
                    record_id,
                )
                continue
            path = prefix + name
            spans[path] = (value.line, value.column)
            values[name] = self._value(value, spec, owner, path, spans, record_id)
        for spec in fields:
            if spec.name not in node.entries:
                if spec.required:
                    self.report("OSC101", f"{owner} is missing required field '{spec.name}'", node, record_id)
                values[spec.name] = () if spec.is_list else None
        return values

    def _value(
        self,
        node: Node,
        spec: kinds.Field,
        owner: str,
        path: str,
        spans: dict[str, tuple[int, int]],
        record_id: str | None,
    ) -> object:
        where = f"'{spec.name}' of {owner}"
        if spec.is_list:
            if isinstance(node, Scalar) and node.kind == "null":
                if spec.required:
                    self.report("OSC101", f"{where} is required but null", node, record_id)
                return ()
            if not isinstance(node, Seq):
                self.report("OSC103", f"{where} must be a list, not {describe(node)}", node, record_id)
                return ()
            items: list[object] = []
            part = kinds.PARTS[spec.part] if spec.part else None
            for index, item in enumerate(node.items):
                item_path = f"{path}.{index}"
                spans[item_path] = (item.line, item.column)
                if part is None:
                    value = self._scalar(
                        item, "text" if spec.type == "texts" else "id", None, f"item {index + 1} of {where}", record_id
                    )
                else:
                    if not isinstance(item, Map):
                        self.report(
                            "OSC103",
                            f"item {index + 1} of {where} must be a mapping, not {describe(item)}",
                            item,
                            record_id,
                        )
                        continue
                    value = part.model(
                        **self._fields(item, part.name, part.fields, part.field, item_path + ".", spans, record_id)
                    )
                if value is not None:
                    items.append(value)
            return tuple(items)
        if spec.one is not None:  # one part: a nested mapping (a provision's scope)
            if isinstance(node, Scalar) and node.kind == "null":
                if spec.required:
                    self.report("OSC101", f"{where} is required but null", node, record_id)
                return None
            if not isinstance(node, Map):
                self.report("OSC103", f"{where} must be a mapping, not {describe(node)}", node, record_id)
                return None
            part = kinds.PARTS[spec.one]
            return part.model(**self._fields(node, part.name, part.fields, part.field, path + ".", spans, record_id))
        if not isinstance(node, Scalar):
            self.report("OSC103", f"{where} must be {_TYPE_WORDS[spec.type]}, not {describe(node)}", node, record_id)
            return None
        if node.kind == "null":
            if spec.required:
                self.report("OSC101", f"{where} is required but null", node, record_id)
            return None
        return self._scalar(node, spec.type, spec, where, record_id)

    def _scalar(self, node: Node, type_: str, spec: kinds.Field | None, where: str, record_id: str | None) -> object:
        if not isinstance(node, Scalar):
            self.report("OSC103", f"{where} must be {_TYPE_WORDS[type_]}, not {describe(node)}", node, record_id)
            return None
        if type_ == "bool":
            if node.kind != "bool":
                self.report(
                    "OSC103", f"{where} must be true or false, not {describe(node)} ({node.raw!r})", node, record_id
                )
                return None
            if node.raw.lower() in _YAML11_BOOLEANS:
                self.report(
                    "OSC113",
                    f"{where} is {node.raw!r}, a YAML 1.1 boolean that YAML 1.2 editors read as "
                    f"text; write {str(node.value).lower()}",
                    node,
                    record_id,
                )
                return None
            return node.value
        if type_ in ("int", "float", "number"):
            numeric = node.kind == "int" or (type_ != "int" and node.kind == "float")
            if (
                node.kind == "str"
                and node.style is None
                and (_OTHER_BASE.fullmatch(node.raw) or _YAML12_FLOAT.fullmatch(node.raw))
            ):
                self.report(
                    "OSC113",
                    f"{where} {node.raw!r} is text to YAML 1.1 (oscli) but a number to YAML 1.2 "
                    "editors; write it in decimal digits",
                    node,
                    record_id,
                )
                return None
            if not numeric or isinstance(node.value, bool):
                self.report(
                    "OSC103",
                    f"{where} must be {_TYPE_WORDS[type_]}, not {describe(node)} ({node.raw!r})",
                    node,
                    record_id,
                )
                return None
            return self._number(node, type_, spec, where, record_id)
        if type_ == "date":
            text = str(node.value) if node.kind in ("str", "timestamp", "int") else None
            if (
                node.style is None
                and (
                    (node.kind == "int" and node.raw != text)  # 0x7D9, 03731, 2_009
                    or (node.kind == "str" and node.raw[:2] in ("0o", "0O"))
                )
            ):
                value = f" (YAML 1.1 reads it as {node.value})" if node.kind == "int" else ""
                self.report(
                    "OSC113",
                    f"{where} {node.raw!r} is a number in another base{value}, which editors "
                    f"read differently; write the year in decimal digits ({dates.FORMS})",
                    node,
                    record_id,
                )
                return None
            if text is None or not dates.is_date(text):
                self.report(
                    "OSC104", f"{where} must be an ISO 8601 date ({dates.FORMS}), not {node.raw!r}", node, record_id
                )
                return None
            if text[0] == "0":  # years 0001-0999: a typo, and what a four-digit year cannot sort with
                self.report("OSC112", f"{where} {text!r} has a year before 1000; years are 1000-9999", node, record_id)
                return None
            return text
        if node.kind != "str":
            self.report(
                "OSC103",
                f"{where} must be text, not {describe(node)} ({node.raw!r}); put it in quotes",
                node,
                record_id,
            )
            return None
        text = node.value
        if not text.strip():
            self.report("OSC105", f"{where} is empty", node, record_id)
            return None
        bad = unsafe_character(text)
        if bad is not None:
            index, char = bad
            line, column = _position_in(node, index)
            self.findings.append(
                finding(
                    "OSC107",
                    f"{where} holds the control or bidirectional character U+{ord(char):04X}; remove it",
                    self.file,
                    line,
                    column,
                    record_id,
                )
            )
            return None
        if type_ == "id" and not ID_PATTERN.fullmatch(text):
            from .lookalike import first_problem, suggestion

            odd = first_problem(text)
            if odd is not None:
                index, what, _ = odd
                line, column = _position_in(node, index)
                fixed = suggestion(text)
                self.findings.append(
                    finding(
                        "OSC114",
                        f"{where} {text!r} holds {what}; ids are plain ASCII"
                        + (f": type '{fixed}'" if ID_PATTERN.fullmatch(fixed) else ""),
                        self.file,
                        line,
                        column,
                        record_id,
                    )
                )
                return None
            hint = text.strip().lower().replace(" ", "-")
            self.report(
                "OSC106",
                f"{where} {text!r} must be lower-case letters, digits and hyphens"
                + (f"; try '{hint}'" if ID_PATTERN.fullmatch(hint) else ""),
                node,
                record_id,
            )
            return None
        if type_ == "url" and not text.startswith(("http://", "https://")):
            self.report("OSC103", f"{where} must be an http(s) URL, not {text!r}", node, record_id)
            return None
        if type_ == "choice" and spec is not None and text not in spec.choices:
            self.report(
                "OSC108",
                f"{where} is {text!r}, not one of: {', '.join(spec.choices)}{did_you_mean(text, spec.choices)}",
                node,
                record_id,
            )
            return None
        if spec is not None and spec.pattern is not None and not re.fullmatch(spec.pattern, text):
            self.report("OSC103", f"{where} {text!r} does not have the expected form", node, record_id)
            return None
        return text

    def _number(
        self, node: Scalar, type_: str, spec: kinds.Field | None, where: str, record_id: str | None
    ) -> int | float | None:
        """An int or a float within its field's range (OSC110), finite (OSC111), written in decimal (OSC113)."""
        value: int | float = node.value
        if (
            node.style is None
            and (node.kind != "int" or node.raw != str(value))  # most numbers: plain digits
            and not _DECIMAL.fullmatch(node.raw)
            and not _NOT_FINITE.fullmatch(node.raw)
        ):
            self.report(
                "OSC113",
                f"{where} {node.raw!r} is written in a YAML 1.1 form (another base, '_' or ':'), "
                f"which editors read differently; write it in decimal digits ({value})",
                node,
                record_id,
            )
            return None
        if type_ == "float" or (type_ == "number" and isinstance(value, float)):  # "number" keeps 15 as 15
            value = float(value)
            if value != value or value in (float("inf"), float("-inf")):
                self.report("OSC111", f"{where} is {node.raw!r}; a number must be finite", node, record_id)
                return None
        low = spec.minimum if spec is not None and spec.minimum is not None else (0 if type_ == "int" else None)
        high = (
            spec.maximum
            if spec is not None and spec.maximum is not None
            else (kinds.MAX_INT if type_ != "float" else None)
        )
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (
                f"{_plain(low)} to {_plain(high)}"
                if low is not None and high is not None
                else f"at least {_plain(low)}"
                if low is not None
                else f"at most {_plain(high)}"
                if high is not None
                else ""
            )  # one is set: see above
            self.report("OSC110", f"{where} is {node.raw}, out of its range ({bounds})", node, record_id)
            return None
        return value


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# an integer as YAML 1.1 reads it but no YAML 1.2 editor does: another base, '_' separators, base 60
_OTHER_BASE = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]+|[0-9][0-9_]*_[0-9_]*"
    r"|[1-9][0-9_]*(?::[0-5]?[0-9])+)"
)
_YAML12_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+")
_YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _position_in(node: Scalar, index: int) -> tuple[int, int]:
    """The line and column of character ``index`` of a scalar's value, where it can be told: exact
    for plain and single-line text, else the scalar's own position."""
    if "\n" in node.value:
        return node.line, node.column
    if node.style is None:  # plain: the value starts at the scalar
        return node.line, node.column + index
    if node.style == "'" and "'" not in node.value:  # single-quoted without doubled quotes
        return node.line, node.column + 1 + index
    return node.line, node.column
