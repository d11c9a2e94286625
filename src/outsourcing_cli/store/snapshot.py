"""The wheel's snapshot: the shipped data validated and encoded at build time (``snapshot_body``,
sealed by hatch_build.py), and whether a run would use it (``snapshot_state``, for `--version
--verbose`). cache.py reads it instead of the YAML when the data directory is the packaged one and
every file still has the hash it was built from; its format is codec.py's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..domain.findings import Report
from .codec import MAX_ENTRY, SNAPSHOT_FORMAT, SNAPSHOT_LABEL, encode, file_hashes, opened
from .load import Read, read_files
from .paths import snapshot_path

_HERE = Path(__file__).resolve().parent.parent  # the package: data/ and data.snapshot sit in it


def snapshot_body(data_dir: Path, reads: list[Read], report: Report) -> bytes:
    """What the build hook seals into the wheel: ``report``, the validation of these reads."""
    hashes = file_hashes(reads)
    if hashes is None:
        raise ValueError("a data file could not be read")
    header = json.dumps({"format": SNAPSHOT_FORMAT, "files": hashes}, separators=(",", ":")).encode("utf-8")
    return header + b"\n" + encode(report, data_dir)


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
        header = json.loads(body[: body.index(b"\n")])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        return f"not used: cannot be read, or damaged ({type(err).__name__})"
    if header.get("files") != file_hashes(reads):
        return "not used: a data file differs from the one it was built from"
    return "used (every data file matches)"
