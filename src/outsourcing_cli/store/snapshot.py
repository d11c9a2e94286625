"""The wheel's snapshot: the shipped data validated and encoded at build time (``snapshot_body``,
sealed by hatch_build.py), and whether a run would use it (``snapshot_state``, for `--version
--verbose`). cache.py reads it instead of the YAML when the data directory is the packaged one and
every file still has the hash it was built from; its format is codec.py's.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..domain.findings import Report
from .cache import read_snapshot
from .codec import SNAPSHOT_FORMAT, encode, file_hashes
from .load import Read, read_files


def snapshot_body(data_dir: Path, reads: list[Read], report: Report) -> bytes:
    """What the build hook seals into the wheel: ``report``, the validation of these reads."""
    hashes = file_hashes(reads)
    if hashes is None:
        raise ValueError("a data file could not be read")
    header = json.dumps({"format": SNAPSHOT_FORMAT, "files": hashes}, separators=(",", ":")).encode("utf-8")
    return header + b"\n" + encode(report, data_dir)


def snapshot_state(data_dir: Path) -> str:
    """For `oscli --version --verbose`: whether this run would read the wheel's snapshot, and why not."""
    why, _, _ = read_snapshot(data_dir, read_files(data_dir))
    return why or "used (every data file matches)"
