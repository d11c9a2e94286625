"""Parse YAML text into a small tree of positioned nodes, safely.

Why not ``yaml.safe_load``: it forgets where each value came from, keeps the last of two
duplicate keys without a word, expands aliases, and recurses on deeply nested input. This module
reads the parser's event stream instead (libyaml's C parser when present) and builds the tree
itself, so that every node keeps its line and column, and so that:

- aliases and explicit tags are refused (no exponential expansion, no Python objects);
- duplicate mapping keys are reported, not silently overwritten;
- depth, size and node count are bounded before any work is done on them;
- bad bytes, tabs and syntax errors are reported at the position the parser gives.

Lines and columns are 1-based. Problems are returned as findings, never raised.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import yaml

from ..domain.findings import Capped, Finding, finding

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class _Mark(Protocol):
        line: int  # 0-based
        column: int

    class _Event(Protocol):
        """A parser event as ``parse`` reads it. The parser marks every event it emits (the stubs
        allow None for events made by hand), and ``parse`` reads anchor, tag, implicit, value and
        style only on the event types that have them: it dispatches on the exact type (fast), which
        the type checker does not follow."""

        start_mark: _Mark
        end_mark: _Mark
        anchor: str | None
        tag: str | None
        implicit: Any  # (plain, quoted) for a scalar; one bool for a collection
        value: str
        style: str | None


try:  # libyaml is much faster (4x a cold run); the pure-Python parser gives the same events
    from yaml import CSafeLoader as _Loader

    LIBYAML = True
except ImportError:  # depends on how PyYAML was built; said once a run (say_if_no_libyaml, below)
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # the other loader class, with the same interface

    LIBYAML = False

MAX_DEPTH = 32
# Nodes (parser events) in one file: this, not the size, bounds the time a file can cost. The
# 1,000x base's largest file has 510,000. A node costs 1.3-5 µs of CPU (a number costs most) and
# about 300 bytes until the file is checked: measured at 2,000,000 numbers, 9.5 s and 600 MB; at
# 1,000,000, 5 s and 310 MB (docs/measurements/cache-format.md). Real records are denser in nodes
# than text: a 16 MiB file of cities has 1,480,000, so such a file is refused by this limit.
# OSCLI_MAX_FILE_MIB, which raises the size limit for data one trusts, raises this one in proportion
# (load.py passes it in): the 1,000x base's designations file holds far more.
MAX_EVENTS = 1_000_000


@dataclass(slots=True)
class Scalar:
    value: Any  # str, int, float, bool or None, as kind says (a tagged union the type checker cannot follow)
    kind: str  # "str", "int", "float", "bool", "null", "timestamp"
    raw: str
    line: int
    column: int
    style: str | None = None  # None for plain text; a quote or block indicator otherwise


@dataclass(slots=True)
class Seq:
    items: list[Node]
    line: int
    column: int


@dataclass(slots=True)
class Map:
    # key text -> (key node, value node), in document order
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    line: int = 1
    column: int = 1


Node = Scalar | Seq | Map

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_KINDS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
}


# First characters for which the resolver has an implicit type (bool, int, null, ...); a plain
# scalar starting with any other character is text, which spares the resolver's regexes.
# (If a resolver matched any first character, every plain scalar would go to the resolver.)
_TYPED_FIRST = (
    frozenset(_resolver.yaml_implicit_resolvers)
    if None not in _resolver.yaml_implicit_resolvers
    else frozenset(chr(c) for c in range(0x110000))
)


def _scalar(event: _Event) -> Scalar:
    mark = event.start_mark
    raw = event.value
    if not event.implicit[0] or (raw and raw[0] not in _TYPED_FIRST):  # quoted, block or plain text
        return Scalar(raw, "str", raw, mark.line + 1, mark.column + 1, event.style or None)
    tag = _resolver.resolve(yaml.ScalarNode, raw, event.implicit)  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
    kind = _KINDS.get(tag, "str")
    if kind in ("str", "timestamp"):
        value: object = raw
    else:
        value = _constructor.construct_object(yaml.ScalarNode(tag, raw))
    return Scalar(value, kind, raw, mark.line + 1, mark.column + 1)


def _explicit_tag(event: _Event) -> bool:
    if event.tag is None:
        return False
    if isinstance(event, yaml.ScalarEvent):
        return not (event.implicit[0] or event.implicit[1])
    return not event.implicit


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """UTF-8 text of a data file, or a located finding. (The caller bounds the size before reading.)"""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        column = len(data[start : err.start].decode("utf-8", "replace")) + 1
        return None, [
            finding(
                "OSC002",
                f"byte 0x{data[err.start]:02x} is not valid UTF-8; save the file as UTF-8",
                file,
                line,
                column,
            )
        ]


def parse(text: str, file: str, max_events: int = MAX_EVENTS) -> tuple[Node | None, list[Finding]]:
    """The document's root node (None when there is none or parsing stopped) and the findings."""
    findings: list[Finding] = Capped()  # TooMany past MAX_PER_FILE: the caller reports it
    loader = _Loader(text)
    stack: list[list[Any]] = []  # frames: [node, pending key or None]
    root: Node | None = None
    documents = 0
    events = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent = frame[0]
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif frame[1] is None:  # this node is a key
            if not isinstance(node, Scalar):
                findings.append(finding("OSC103", "a mapping key must be plain text", file, node.line, node.column))
                frame[1] = Scalar(None, "null", "", node.line, node.column)
            else:
                frame[1] = node
        else:
            key: Scalar = frame[1]
            frame[1] = None
            name = key.raw
            if name in parent.entries:
                first = parent.entries[name][0]
                findings.append(
                    finding(
                        "OSC008",
                        f"duplicate key '{name}' (first at line {first.line}); YAML loaders would keep only the last value",
                        file,
                        key.line,
                        key.column,
                    )
                )
            else:
                parent.entries[name] = (key, node)

    def node_problems(event: _Event, line: int, column: int) -> None:
        if event.anchor is not None:
            findings.append(
                finding(
                    "OSC005",
                    f"anchor '&{event.anchor}' is not allowed; data files use no anchors or aliases",
                    file,
                    line,
                    column,
                )
            )
        if _explicit_tag(event):
            findings.append(
                finding(
                    "OSC006",
                    f"explicit tag '{event.tag}' is not allowed; remove it (values are plain text, numbers, "
                    "booleans, lists and mappings)",
                    file,
                    line,
                    column,
                )
            )

    # One loop over libyaml's events, dispatched on the exact event type, most frequent first:
    # this loop is most of the time `check` takes on a large data directory.
    get_event = cast("Callable[[], _Event | None]", loader.get_event)
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    event: _Event | None = None  # the last event read: after a syntax error, the value the parser took last
    try:
        while True:
            event = get_event()
            if event is None:
                break
            events += 1
            if events > max_events:
                mark = event.start_mark
                findings.append(
                    finding("OSC007", f"more than {max_events:,} YAML nodes", file, mark.line + 1, mark.column + 1)
                )
                return None, findings
            kind: type[object] = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None or (event.tag is not None and not any(event.implicit)):
                    mark = event.start_mark
                    node_problems(event, mark.line + 1, mark.column + 1)
                attach(_scalar(event))
            elif kind in ends:
                attach(stack.pop()[0])
            elif kind in starts:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                node_problems(event, line, column)
                if len(stack) >= MAX_DEPTH:
                    findings.append(finding("OSC007", f"nested deeper than {MAX_DEPTH} levels", file, line, column))
                    return None, findings
                node = Map(line=line, column=column) if kind is starts[0] else Seq([], line, column)
                stack.append([node, None])
            elif kind is AliasEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                findings.append(
                    finding(
                        "OSC005",
                        f"alias '*{event.anchor}' is not allowed; write the value out in full",
                        file,
                        line,
                        column,
                    )
                )
                attach(Scalar(None, "alias", "", line, column))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    findings.append(
                        finding(
                            "OSC003",
                            "a second YAML document ('---') starts here; a data file holds one document",
                            file,
                            mark.line + 1,
                            mark.column + 1,
                        )
                    )
                    return root, findings
            # stream start and end, document end: nothing to do
    except yaml.MarkedYAMLError as err:
        message = err.problem or "malformed YAML"
        if err.context:
            message = f"{message} ({err.context})"
        if "nesting depth" in message:
            stopped = err.problem_mark or err.context_mark
            line, column = (stopped.line + 1, stopped.column + 1) if stopped else (1, 1)
            findings.append(finding("OSC007", message, file, line, column))
        else:
            from .yamlerrors import explain  # only a file that does not parse needs it

            line, column, plain = explain(err, text, event)
            findings.append(
                finding("OSC003", f"{plain}; YAML says: {message}" if plain else message, file, line, column)
            )
        return None, findings
    except yaml.reader.ReaderError as err:
        line, column = _position(text, err.position)
        code = err.character if isinstance(err.character, int) else ord(err.character)
        findings.append(
            finding("OSC003", f"control character U+{code:04X} is not allowed in YAML; remove it", file, line, column)
        )
        return None, findings
    except yaml.YAMLError as err:  # any other parser complaint, unlocated
        findings.append(finding("OSC003", str(err).splitlines()[0] if str(err) else "malformed YAML", file, 1, 1))
        return None, findings
    finally:
        loader.dispose()
    return root, findings


# -- libyaml (said by the cache, after a parse) -------------------------------------------------------

_SAID_NO_LIBYAML = False


def say_if_no_libyaml() -> None:
    """Once a run, after parsing with PyYAML's pure-Python parser: say so, and how to get libyaml."""
    global _SAID_NO_LIBYAML
    if _SAID_NO_LIBYAML or LIBYAML:
        return
    _SAID_NO_LIBYAML = True
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(NO_LIBYAML + "\n")


NO_LIBYAML = (
    "oscli: note: PyYAML is installed without libyaml (its C parser): reading the data takes about 4 "
    "times longer. Install a PyYAML wheel that includes it (`pip install --force-reinstall pyyaml`), "
    "or build it against libyaml (Debian: `apt install libyaml-dev`, then `pip install "
    "--force-reinstall --no-binary pyyaml pyyaml`)."
)
