"""A cache of validated data, keyed by the content of everything that could change the result.

``validated(data_dir)`` returns the same Report as ``validate.validate(data_dir)``. On a hit it
skips importing the YAML parser, the schema and the rules, and skips parsing and checking
(about 25 ms of start-up on the shipped data; see bench/run.py). It is never stale, because
the key is a BLAKE2b (256-bit) digest of:

- the bytes of each data file (a missing file counts as missing), so any edit is a miss;
- the source code of every module that loads and validates (an upgrade or a local change to
  oscli is a miss), the Python version (pickle format) and this cache's format number;
- the data directory's absolute path and the working directory, because findings and records
  carry file paths as the user sees them.

Nothing is trusted by time stamp. A cache that cannot be read or written is simply not used:
the command validates as if there were no cache. Entries are pickles in a directory only the
user can read (0700); at most ``KEEP`` of them are kept.

Location: ``$OSCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/oscli``, else ``~/.cache/oscli``.
``OSCLI_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

try:  # the C modules directly: importing hashlib loads OpenSSL (3 ms), pickle.py another 1 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b
try:
    from _pickle import dump, load
except ImportError:  # pragma: no cover
    from pickle import dump, load

from .findings import Report
from .gcpause import paused

FORMAT = 1
KEEP = 16
DATA_FILES = ("sources.yaml", "cities.yaml", "policies.yaml")
# Modules whose code decides what a data directory validates to.
CODE = ("cache.py", "findings.py", "frozen.py", "gcpause.py", "load.py", "model.py", "names.py", "rules.py", "schema.py",
        "validate.py", "yamltree.py")
_HERE = Path(__file__).resolve().parent


def directory() -> Path:
    explicit = os.environ.get("OSCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "oscli"


def enabled() -> bool:
    return not os.environ.get("OSCLI_NO_CACHE")


def key(data_dir: Path) -> str:
    digest = blake2b(digest_size=32)

    def part(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)

    part("format", str(FORMAT).encode())
    part("python", sys.version.encode())
    for name in CODE:
        part(name, (_HERE / name).read_bytes())
    part("dir", str(Path(data_dir).resolve()).encode())
    part("cwd", os.getcwd().encode())
    for name in DATA_FILES:
        path = Path(data_dir) / name
        try:
            part(name, path.read_bytes())
        except OSError as err:  # missing or unreadable: validation reports it; the key records it
            part(name + "!", type(err).__name__.encode())
    return digest.hexdigest()


def _read(path: Path) -> Report | None:
    try:
        with open(path, "rb") as handle, paused():
            value = load(handle)
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: a miss
        return None
    return value if isinstance(value, Report) else None


def _write(folder: Path, name: str, report: Report) -> None:
    import tempfile

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out, paused():
            dump(report, out, protocol=5)
        os.replace(temporary, folder / name)  # atomic: a reader never sees half a file
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs speed


def validated(data_dir: Path) -> Report:
    """The validation report of ``data_dir``, from the cache when its content was seen before."""
    name = None
    if enabled():
        try:
            name = key(data_dir) + ".pickle"
        except OSError:
            name = None
        if name is not None:
            folder = directory()
            report = _read(folder / name)
            if report is not None:
                return report
    from .validate import validate

    report = validate(data_dir)
    if name is not None:
        _write(folder, name, report)
    return report
