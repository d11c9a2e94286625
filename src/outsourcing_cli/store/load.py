"""Read a data directory into a FactBase, collecting located findings on the way.

Nothing here raises for bad data: every problem becomes a finding, and whatever could be read
is still returned so that the rules can look at it.

Each file is read once (``read_files``), as a regular file, with at most ``MAX_BYTES`` + 1
bytes: a FIFO, a device (``/dev/zero``), a directory or a sparse multi-gigabyte file gives a
located finding in bounded time and memory, never a hang or an exhausted memory. The cache
hashes exactly the bytes that are then parsed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import kinds, model
from ..domain.findings import Finding, TooMany, finding, too_many
from ..domain.frozen import Frozen
from ..domain.names import did_you_mean
from .gcpause import paused
from .paths import display_path

if TYPE_CHECKING:
    from .schema import Builder
    from .yamltree import Map

# The largest data file oscli reads. Parsing and checking cost about 0.35 s per MiB cold (measured
# on the 100-times synthetic base, bench/generate.py), so this bounds a cold `check` to seconds, not
# minutes. Measured again for issue 11: a 16 MiB file of real records took 6.6 s of CPU, under the
# 10 s at which it would have been lowered; what bounds a hostile file is the node limit
# (yamltree.MAX_EVENTS), which refuses that file too (docs/measurements/cache-format.md).
# OSCLI_MAX_FILE_MIB raises it for a large data directory one trusts (the benchmark's 1,000-times
# base has files of 66 MiB).
MAX_BYTES = 16 * 1024 * 1024


def max_bytes() -> int:
    """MAX_BYTES, or OSCLI_MAX_FILE_MIB mebibytes when it is set to a whole number above 0."""
    try:
        mib = int(os.environ["OSCLI_MAX_FILE_MIB"])
    except (KeyError, ValueError):
        return MAX_BYTES
    return mib * 1024 * 1024 if mib > 0 else MAX_BYTES


def max_events() -> int:
    """yamltree.MAX_EVENTS, raised with the size limit in proportion (never lowered)."""
    from .yamltree import MAX_EVENTS

    return MAX_EVENTS * max(1, max_bytes() // MAX_BYTES)


_CHUNK = 1 << 20


class Read(Frozen):
    """A data file as read: its bytes, or the finding that says why it could not be read."""

    name: str
    data: bytes | None
    problem: Finding | None = None


class Loaded(Frozen):
    base: model.FactBase
    findings: tuple[Finding, ...]
    # per data file that could not be read or parsed (so none of its records are known): the file's
    # name, the finding that says why, and "read" or "parsed" (rules.run summarises what follows)
    broken: tuple[tuple[str, Finding, str], ...] = ()


def read_file(path: Path, limit: int | None = None) -> Read:
    """A data file's bytes, read once; any file that is not a regular file of at most ``limit``
    bytes is a finding. Never blocks on a FIFO and never reads more than ``limit`` + 1 bytes."""
    shown = display_path(path)
    limit = max_bytes() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        required = ", ".join(kinds.required_files())
        return Read(
            path.name, None, finding("OSC001", f"file is missing; every data directory holds {required}", shown, 1, 1)
        )
    except OSError as err:
        return Read(path.name, None, finding("OSC001", f"cannot read the file: {err.strerror or err}", shown, 1, 1))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = (
                "a directory"
                if stat.S_ISDIR(info.st_mode)
                else "a FIFO"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket"
                if stat.S_ISSOCK(info.st_mode)
                else "not a regular file"
            )
            return Read(
                path.name,
                None,
                finding("OSC001", f"is {what}, not a regular file; a data file is a plain YAML file", shown, 1, 1),
            )
        if info.st_size > limit:  # refuse before reading: the size on disk is already too much
            return Read(path.name, None, _too_large(info.st_size, limit, shown))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # st_size can lie (a file growing, a special file system): count as we go
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            return Read(path.name, None, _too_large(total, limit, shown, at_least=True))
        return Read(path.name, b"".join(chunks))
    except OSError as err:
        return Read(path.name, None, finding("OSC001", f"cannot read the file: {err.strerror or err}", shown, 1, 1))
    finally:
        os.close(fd)


def _too_large(size: int, limit: int, shown: str, at_least: bool = False) -> Finding:
    amount = f"more than {limit:,}" if at_least else f"{size:,}"
    return finding(
        "OSC007", f"file is {amount} bytes; the limit is {limit:,} ({limit // (1024 * 1024)} MiB)", shown, 1, 1
    )


def read_files(data_dir: Path) -> list[Read]:
    """Every data file of a directory, each read once. An optional file that is absent is left out."""
    reads = []
    required = set(kinds.required_files())
    for name in kinds.files():
        path = Path(data_dir) / name
        if name not in required and not os.path.lexists(path):
            continue
        reads.append(read_file(path))
    return reads


def load(data_dir: Path, reads: list[Read] | None = None) -> Loaded:
    """Every record of a data directory (from ``reads`` when the files were already read), and every
    problem found on the way (with the garbage collector paused: see gcpause)."""
    with paused():
        return _load(Path(data_dir), read_files(data_dir) if reads is None else reads)


def _load(data_dir: Path, reads: list[Read]) -> Loaded:
    collections: dict[str, list[model.Record]] = {name: [] for name in kinds.KINDS}
    findings: list[Finding] = []
    broken: list[tuple[str, Finding, str]] = []
    layout = kinds.files()
    for read in reads:
        shown = display_path(data_dir / read.name)
        if read.problem is not None:
            findings.append(read.problem)
            broken.append((read.name, read.problem, "read"))
            continue
        records, problems = _load_file(read, shown, layout[read.name])
        findings.extend(problems)
        if not records and problems and problems[-1].code in _FATAL:  # the file stopped being read there
            broken.append((read.name, problems[-1], "parsed"))
        for name, items in records.items():
            collections[name].extend(items)
    base = model.FactBase({name: tuple(items) for name, items in collections.items()})
    return Loaded(base, tuple(findings), tuple(broken))


# The codes of the findings after which a file is not read further (none of its records are known).
_FATAL = frozenset({"OSC002", "OSC003", "OSC007"})


def _load_file(
    read: Read, shown: str, layout: dict[str, kinds.Kind]
) -> tuple[dict[str, list[model.Record]], list[Finding]]:
    from .schema import Builder, describe
    from .yamltree import Map, decode, parse

    assert read.data is not None  # a file read without a problem: _load looks at read.problem first
    text, problems = decode(read.data, shown)
    if text is None:
        return {}, problems
    try:
        root, problems = parse(text, shown, max_events())
    except TooMany as found:
        return {}, [*found.findings, too_many(found)]
    if root is None:
        if not problems:
            problems.append(finding("OSC004", "file is empty; it should hold " + _expected(layout), shown, 1, 1))
        return {}, problems
    if not isinstance(root, Map):
        problems.append(
            finding(
                "OSC004",
                f"file holds {describe(root)}; it should hold {_expected(layout)}",
                shown,
                root.line,
                root.column,
            )
        )
        return {}, problems
    builder = Builder(shown)
    builder.findings.extend(problems)  # one count of findings per file, the parser's included
    records: dict[str, list[model.Record]] = {}
    try:
        _build(root, read, layout, builder, records)
    except TooMany as found:  # the records read so far are kept, for the rules
        return records, [*found.findings, too_many(found)]
    return records, builder.findings


def _build(
    root: Map, read: Read, layout: dict[str, kinds.Kind], builder: Builder, records: dict[str, list[model.Record]]
) -> None:
    from .schema import describe
    from .yamltree import Seq

    for key, (key_node, value) in root.entries.items():
        declared = layout.get(key)
        if declared is None:
            builder.report(
                "OSC102", f"unknown section '{key}' in {read.name}{did_you_mean(key, layout)}", key_node, None
            )
            continue
        if not isinstance(value, Seq):
            builder.report("OSC103", f"section '{key}' must be a list of records, not {describe(value)}", value, None)
            continue
        items = records.setdefault(declared.name, [])
        for item in value.items:
            record = builder.record(item, declared)
            if record is not None:
                items.append(record)
    for key, declared in layout.items():
        if key not in root.entries and declared.required_file:
            builder.report("OSC101", f"{read.name} is missing section '{key}'", root, None)


def _expected(layout: dict[str, kinds.Kind]) -> str:
    return "a mapping with " + " and ".join(f"'{key}:'" for key in layout)
