"""The wheel's snapshot: the shipped data validated and encoded at build time (``snapshot_body``,
sealed by hatch_build.py), read instead of the YAML when the data directory is the packaged one
and every file still has the hash it was built from (see cache.py).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Callable

try:  # the C module directly: importing hashlib loads OpenSSL (3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

from ..domain.findings import Report
from .codec import MAX_ENTRY, _debug, _read_sealed, decode, encode, opened, unseal
from .gcpause import paused
from .load import Read, read_files
from .paths import snapshot_path

SNAPSHOT_LABEL = "snapshot"
_HERE = Path(__file__).resolve().parent.parent  # the package: data/ and data.snapshot sit in it


# -- the wheel's snapshot -----------------------------------------------------------------------------
#
# A sealed entry (label SNAPSHOT_LABEL) whose body is a header line, {"format", "files": {name:
# BLAKE2b of its bytes}}, then a report entry's body (``encode``), read by the same ``decode``.

SNAPSHOT_FORMAT = 1


def _file_hashes(reads: list[Read]) -> dict[str, str] | None:
    if any(read.data is None for read in reads):
        return None
    return {read.name: blake2b(read.data, digest_size=32).hexdigest() for read in reads}


def snapshot_body(data_dir: Path, reads: list[Read], report: Report) -> bytes:
    """What the build hook seals into the wheel: ``report``, the validation of these reads."""
    hashes = _file_hashes(reads)
    if hashes is None:
        raise ValueError("a data file could not be read")
    header = json.dumps({"format": SNAPSHOT_FORMAT, "files": hashes}, separators=(",", ":")).encode("utf-8")
    return header + b"\n" + encode(report, data_dir)


def from_snapshot(data_dir: Path, reads: list[Read], fallback: Callable[[], Report]) -> Report | None:
    """The report kept in the wheel, if ``data_dir`` is the packaged data and every file is the one
    it was made from; else None (an editable install has no snapshot)."""
    where = snapshot_path()
    try:
        fd = os.open(where, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not os.path.samefile(data_dir, _HERE / "data") or not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        head, body = _read_sealed(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        body = unseal(head, body, SNAPSHOT_LABEL)
        newline = body.index(b"\n")
        header = json.loads(body[:newline])
        if header["format"] != SNAPSHOT_FORMAT:
            raise ValueError("another format")
        if header["files"] != _file_hashes(reads):
            _debug("the wheel's snapshot not used: a data file is not the one it was built from")
            return None
        with paused():
            return decode(body, data_dir, fallback=fallback, start=newline + 1)
    except Exception as err:  # noqa: BLE001 - a damaged snapshot costs only speed
        _debug(f"the wheel's snapshot not used ({type(err).__name__}: {err})")
        return None


def snapshot_state(data_dir: Path) -> str:
    """For `oscli --version --verbose`: whether this run would read the wheel's snapshot, and why not."""
    if not snapshot_path().exists():
        return "none (an editable install, or a wheel built without it)"
    try:
        if not os.path.samefile(data_dir, _HERE / "data"):
            return "not used: the data directory is not the packaged one"
    except OSError:
        return "not used: the data directory cannot be read"
    reads = read_files(data_dir)
    try:
        with open(snapshot_path(), "rb") as file:
            raw = file.read(MAX_ENTRY)
        body = opened(raw, SNAPSHOT_LABEL)
        header = json.loads(body[:body.index(b"\n")])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        return f"not used: cannot be read, or damaged ({type(err).__name__})"
    if header.get("files") != _file_hashes(reads):
        return "not used: a data file differs from the one it was built from"
    return "used (every data file matches)"
