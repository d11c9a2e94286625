"""The bytes of a cache entry and of the wheel's snapshot: the sealed envelope (``seal``, ``unseal``)
around a body, and the JSON form of a validation report (``encode``, ``decode``). Reads no
directory and trusts no file: cache.py decides what to open (see its docstring).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # the C module directly: importing hashlib loads OpenSSL (3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

import contextlib

from ..domain import kinds, model
from ..domain.findings import Finding, Report, Severity
from .gcpause import freeze_if_frozen, paused
from .load import Read
from .paths import display_path

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..domain.registry import Field

FORMAT = 4
MAX_ENTRY = 1 << 30


def debug(message: str) -> None:
    """With ``OSCLI_DEBUG=1``: why an entry or the snapshot was not used, on stderr (never an error)."""
    if os.environ.get("OSCLI_DEBUG"):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(f"oscli: cache: {message}\n")


def read_sealed(fd: int) -> tuple[bytes, bytes]:
    """The envelope (its first ``SEAL`` bytes) and the body of an open file, read apart so that the
    body, which may be hundreds of megabytes, is never copied again to cut the envelope off."""
    head = b""
    while len(head) < SEAL:
        chunk = os.read(fd, SEAL - len(head))
        if not chunk:
            return head, b""
        head += chunk
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 22)
        if not chunk:
            break
        chunks.append(chunk)
    return head, b"".join(chunks)


# -- the envelope -----------------------------------------------------------------------------------
#
# Every entry (a report, a search index) and the wheel's snapshot is MAGIC, then a BLAKE2b digest
# of its label (the entry's name) and its body, then the body, whatever its writer made of it. The
# digest is checked before a byte of the body is decoded: a damaged entry is a miss, never a fact.
# It is not a secret (who can write the cache directory can write a digest too): the ownership
# checks above keep others out; the digest keeps out damage and an entry under another's name.

MAGIC = b"oscli\x00\x01\n"
SEAL = len(MAGIC) + 32


def seal_digest(label: str, body: bytes) -> bytes:
    digest = blake2b(digest_size=32, person=b"oscli-seal")
    digest.update(label.encode("utf-8") + b"\0")
    digest.update(body)
    return digest.digest()


def seal(body: bytes, label: str) -> bytes:
    """``body`` in its envelope, for the entry named ``label``."""
    return MAGIC + seal_digest(label, body) + body


def unseal(head: bytes, body: bytes, label: str) -> bytes:
    """The body of a sealed entry (``head`` is its first ``SEAL`` bytes), if its digest matches the
    label and the body; else ValueError."""
    if head[: len(MAGIC)] != MAGIC or len(head) != SEAL:
        raise ValueError("not a sealed entry, or one of another format")
    if head[len(MAGIC) :] != seal_digest(label, body):
        raise ValueError("its digest does not match its contents (the entry is damaged)")
    return body


def opened(raw: bytes, label: str) -> bytes:
    """The body of a whole sealed entry as read from a file (a copy: for tests and tools)."""
    return unseal(raw[:SEAL], raw[SEAL:], label)


# -- JSON form of a report ----------------------------------------------------------------------------
#
# An entry's body is a header line and a body. The header (JSON) holds the format, the data files'
# names, the findings and, for each kind, where its records are in the body. The body holds each
# kind's records as one JSON array, a record as an array of its data fields in the registry's order
# (then its origin and its packed spans), a part likewise. Arrays, not objects: json.loads took
# 1.6 ms for objects that repeat every key and 0.6 ms for arrays (the shipped data). Kinds are
# decoded only when a command first reads them: `policy show` never decodes the cities or
# designations. A file (of a finding, of a record's origin) is its number in the header's list of
# names; it is shown as a path relative to this run's working directory when decoded.


def _row(fields: Iterable[Field], item: model.Record | model.Part) -> list[Any]:
    row = []
    for spec in fields:
        value = getattr(item, spec.name)
        if spec.part is not None:
            value = [_row(kinds.PARTS[spec.part].fields, p) for p in value]
        elif spec.one is not None:
            value = None if value is None else _row(kinds.PARTS[spec.one].fields, value)
        elif spec.is_list:
            value = list(value)
        row.append(value)
    return row


def _shown(data_dir: Path, names: list[str]) -> list[str]:
    """Each data file's path as findings show it in this run (load.py's ``display_path``)."""
    return [display_path(Path(data_dir) / name) for name in names]


def encode(report: Report, data_dir: Path) -> bytes:
    """The body of an entry for ``report``, the validation of ``data_dir`` in this working directory."""
    names = list(kinds.files())
    shown = _shown(data_dir, names)
    number = {path: i for i, path in enumerate(shown)}
    segments, places, at = [], {}, 0
    for name, declared in kinds.KINDS.items():
        rows = [
            [
                *_row(declared.data_fields, record),
                [number.get(record.origin.file, record.origin.file), record.origin.line, record.origin.column],
                model.pack_spans(record.spans),
            ]
            for record in report.base.of(name)
        ]
        segment = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        places[name] = [at, at + len(segment)]
        at += len(segment)
        segments.append(segment)
    findings = [
        [f.code, f.message, number.get(f.file, f.file), f.line, f.column, f.record, f.severity.value, f.acknowledged]
        for f in report.findings
    ]
    # a message that quotes a path ("already used at data/cities.yaml:3:5") holds it as seen from
    # here: such an entry keeps the paths it was written with, and is used only where they are the same
    messages = "\0".join(f.message for f in report.findings)  # (one scan per path: 60,000 findings at 100x)
    tied = any(path in messages for path in shown)
    header = json.dumps(
        {"format": FORMAT, "files": names, "shown": shown if tied else None, "kinds": places, "findings": findings},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    return header + b"\n" + b"".join(segments)  # (compact JSON holds no raw newline)


# per kind: its record class, field names, (index, part) of lists of parts, indexes of other lists
_KIND_PLANS = {
    name: (
        declared.model.trusted,
        [f.name for f in declared.data_fields],
        [(i, f.part) for i, f in enumerate(declared.data_fields) if f.part is not None],
        [i for i, f in enumerate(declared.data_fields) if f.is_list and f.part is None],
        [(i, f.one) for i, f in enumerate(declared.data_fields) if f.one is not None],
    )
    for name, declared in kinds.KINDS.items()
}
_PART_PLANS = {
    name: (spec.model.trusted, [f.name for f in spec.fields], [i for i, f in enumerate(spec.fields) if f.is_list])
    for name, spec in kinds.PARTS.items()
}


def _file(shown: list[str], file: object) -> str:
    """A file as stored (its number in the list of names, or a path as it was) as shown now."""
    if type(file) is int:
        if file < 0:
            raise ValueError("an entry of another shape")
        return shown[file]
    if type(file) is not str:
        raise ValueError("an entry of another shape")
    return file


def _decode_kind(name: str, segment: bytes, shown: list[str]) -> tuple[model.Record, ...]:
    """One kind's records from its JSON array; any shape that is not exactly ours raises."""
    make, names, parts, lists, ones = _KIND_PLANS[name]
    width = len(names) + 2
    records = []
    for row in json.loads(segment):
        if len(row) != width:
            raise ValueError("an entry of another shape")
        for index, part in parts:
            make_part, part_names, part_lists = _PART_PLANS[part]
            items = []
            for item in row[index]:
                if len(item) != len(part_names):
                    raise ValueError("an entry of another shape")
                for list_index in part_lists:
                    item[list_index] = tuple(item[list_index])
                items.append(make_part(dict(zip(part_names, item, strict=False))))
            row[index] = tuple(items)
        for index in lists:
            row[index] = tuple(row[index])
        for index, part in ones:
            if row[index] is not None:
                make_part, part_names, part_lists = _PART_PLANS[part]
                if len(row[index]) != len(part_names):
                    raise ValueError("an entry of another shape")
                for list_index in part_lists:
                    row[index][list_index] = tuple(row[index][list_index])
                row[index] = make_part(dict(zip(part_names, row[index], strict=False)))
        values = dict(zip(names, row, strict=False))  # (the row's last two: origin and spans)
        file, line, column = row[-2]
        values["origin"] = model.Origin(_file(shown, file), line, column)
        values["spans"] = model.PackedSpans(row[-1])  # unpacked only if a rule asks
        records.append(make(values))
    return tuple(records)


def decode(raw: bytes, data_dir: Path, fallback: Callable[[], Report] | None = None, start: int = 0) -> Report:
    """A report from an entry's body (from ``start`` in ``raw``), with paths shown as seen from this
    run's working directory. The header is read now, and any header that is not exactly ours
    raises (a miss); each kind is decoded when first read. Should a kind then fail to decode, its
    records come from ``fallback`` (validating the data afresh), never an error."""
    newline = raw.index(b"\n", start)
    header = json.loads(raw[start:newline])
    if header["format"] != FORMAT:
        raise ValueError("another format")
    shown = _shown(data_dir, header["files"])
    if header["shown"] is not None and header["shown"] != shown:
        raise ValueError("its findings quote paths as seen from another working directory")
    body = newline + 1  # where the body starts: segments are cut from raw only when decoded
    places = header["kinds"]
    if list(places) != list(kinds.KINDS) or max(end for _, end in places.values()) != len(raw) - body:
        raise ValueError("another set of kinds, or a cut entry")
    findings = tuple(
        Finding(code, message, _file(shown, file), line, column, record, Severity(severity), acknowledged)
        for code, message, file, line, column, record, severity, acknowledged in header["findings"]
    )
    later = {
        name: _later(name, raw, body + first, body + last, shown, fallback) for name, (first, last) in places.items()
    }
    return Report(model.FactBase({}, later), findings)


def _later(
    name: str, raw: bytes, start: int, end: int, shown: list[str], fallback: Callable[[], Report] | None
) -> Callable[[], tuple[model.Record, ...]]:
    def make() -> tuple[model.Record, ...]:
        try:
            with paused():
                records = _decode_kind(name, raw[start:end], shown)
            freeze_if_frozen()  # like the rest of the base, when the process froze it (see gcpause)
            return records
        except Exception as err:
            if fallback is None:
                raise
            debug(f"the {name} records of an entry could not be decoded ({type(err).__name__}); validating afresh")
            return fallback().base.of(name)

    return make


SNAPSHOT_LABEL = "snapshot"
# -- the wheel's snapshot -----------------------------------------------------------------------------
#
# A sealed entry (label SNAPSHOT_LABEL) whose body is a header line, {"format", "files": {name:
# BLAKE2b of its bytes}}, then a report entry's body (``encode``), read by the same ``decode``.
# (Written by snapshot.py at build time, read by cache.py.)

SNAPSHOT_FORMAT = 1


def file_hashes(reads: list[Read]) -> dict[str, str] | None:
    hashes: dict[str, str] = {}
    for read in reads:
        if read.data is None:  # (a file that could not be read)
            return None
        hashes[read.name] = blake2b(read.data, digest_size=32).hexdigest()
    return hashes
