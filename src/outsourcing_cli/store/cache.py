"""A cache of validated data that no one else can poison, keyed by the exact bytes it validated.

``validated(data_dir)`` returns the same Report as ``validate.validate(data_dir)``. On a hit it
skips importing the YAML parser, the schema and the rules, and skips parsing and checking.

What it trusts, and why that is safe (the README's Security section says the same):

- **Nothing another user could have written.** An entry is read only if the cache directory and
  the entry are owned by the current user, are not writable by group or others, and neither is a
  symlink. The directory is opened with ``O_NOFOLLOW | O_DIRECTORY`` and checked with ``fstat``
  on the open descriptor; entries are opened relative to it with ``O_NOFOLLOW`` and checked with
  ``fstat`` on the open file, so a path swapped after the check is never followed. Anything else
  is a miss, never an error (``OSCLI_DEBUG=1`` says why on stderr).
- **A format that cannot run code.** Entries are JSON; loading one builds only the model's own
  frozen values, field by field from the registry of kinds. (Pickle would run any code a
  planted entry names; see the README for the measured cost of the change.)
- **Never stale.** Each data file is read once (``load.read_files``), and the key is a BLAKE2b
  digest of exactly those bytes, which are then parsed (no data file is trusted by time stamp);
  plus every module of the package (found by listing it, not by a hand-kept list) by its size,
  modification time and inode, as Python judges its own bytecode; PyYAML's version, the Python
  version and the settings that change what is valid (``OSCLI_MAX_FILE_MIB``).
- **The key follows the data, not the directory.** Neither the working directory nor the data
  directory's path is in the key: an entry names each data file by its name in the data directory
  (findings, records' origins), and the path shown to the user is worked out when the entry is
  read, in the working directory of that run. A data directory warmed from one directory is warm
  from any other. (A finding whose message quotes a path, such as "already used at
  data/cities.yaml:3:5", ties its entry to the paths it was written with; seen from elsewhere it
  is a miss.)
- **Sealed.** Every entry (a report, a search index, the wheel's snapshot) is wrapped in one
  envelope (``seal``): a BLAKE2b digest of its name and body, checked before a byte of the body
  is decoded. A damaged entry (a bit flip, a bad sync, a disk error) is a miss: the YAML is read
  again and the entry rewritten. Any error while decoding an entry, a lazily decoded kind
  included, is a miss too, never an error.

**The wheel's snapshot.** A wheel carries the shipped data validated and encoded at build time
(``hatch_build.py``), sealed like an entry, with the BLAKE2b of each YAML file it came from
(``SNAPSHOT`` beside ``data/``). When the data directory is the packaged one and every file's
hash matches, the report is read from it: no PyYAML, no rules, no cache needed, even on the
first run after install. Any mismatch (an edited installed file) takes the usual way. An
editable install has no snapshot.

Entries are written to a temporary file and renamed into place. A run removes its own old
entries beyond ``KEEP``, and temporary files left by a killed run once they are ``STALE``
seconds old; it never touches a file whose name it did not make.

The bytes of an entry (the envelope, the JSON form of a report) are codec.py's; the wheel's
snapshot is read here, and written and reported on by snapshot.py (a build, `--version --verbose`).
What is left here (about 450 lines) is what a warm run runs, and so is not split further: one more
module would be one more import on every start-up.

Location: ``$OSCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/oscli`` (only if absolute, as the XDG spec
says), else ``~/.cache/oscli``; with no home directory the cache is off. ``OSCLI_NO_CACHE=1``
turns it off.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

try:  # the C module directly: importing hashlib loads OpenSSL (3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

import contextlib

from .. import LAYERS
from ..domain import model
from ..domain.findings import Report
from .codec import (
    FORMAT,
    MAGIC,
    MAX_ENTRY,
    SNAPSHOT_FORMAT,
    SNAPSHOT_LABEL,
    debug,
    decode,
    encode,
    file_hashes,
    read_sealed,
    seal_digest,
    unseal,
)
from .gcpause import paused
from .load import Read, max_bytes, read_files
from .paths import installed_data_dir, snapshot_path

if TYPE_CHECKING:
    from typing import TypeVar

    from ..domain.searchindex import SearchIndex

    _V = TypeVar("_V")  # a value kept in the cache: a Report, a SearchIndex

KEEP = 16
STALE = 600  # seconds after which a temporary file is a leftover of a killed run
SUFFIX = ".oscli.json"
ENTRY = re.compile(r"[0-9a-f]{64}(?:-search)?" + re.escape(SUFFIX))  # a report, or its search index
TEMPORARY = re.compile(r"\.tmp-oscli-[0-9a-f]+-[0-9a-z_]+")
_HERE = Path(__file__).resolve().parent.parent  # the package: data/ and data.snapshot sit in it
_UNSAFE_MODE = stat.S_IWGRP | stat.S_IWOTH


def directory() -> Path | None:
    """Where entries live; None when there is no place for them (no home directory)."""
    explicit = os.environ.get("OSCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is invalid and ignored
        return Path(xdg) / "oscli"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    if not str(home) or not home.is_absolute():
        return None
    return home / ".cache" / "oscli"


def enabled() -> bool:
    return not os.environ.get("OSCLI_NO_CACHE")


# -- the key ----------------------------------------------------------------------------------------

_CODE_DIGEST: str | None = None


def _code_digest() -> str:
    """A digest of every module of the package (its name, size, modification time and inode) and
    of PyYAML's version file, computed once.

    The modules are judged as Python judges its own bytecode (by size and time, not content): a
    code change that Python would run is a miss here too. Reading and hashing the 270 KB of source
    on every run cost about 1 ms of each start-up; a stat of each costs 0.15 ms. The data files,
    which may come from someone else, are still keyed by their exact bytes."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = blake2b(digest_size=32)
        modules: list[tuple[str, os.stat_result]] = []
        folders = [""]  # the package's own modules, then each layer's, and each package in a layer (rules/)
        folders += LAYERS
        while folders:
            folder = folders.pop()
            with os.scandir(_HERE / folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".py"):
                        modules.append((f"{folder}/{entry.name}", entry.stat()))
                    elif folder and entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                        folders.append(f"{folder}/{entry.name}")
        modules.sort()
        for name, info in modules:
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\n".encode())
        digest.update(_yaml_version())
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


def _yaml_version() -> bytes:
    """PyYAML's __init__.py (it holds __version__), found without importing PyYAML."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return b"no yaml"
    return Path(spec.origin).read_bytes()


def key(data_dir: Path, reads: list[Read]) -> str:
    """The name of the entry for these reads. (``data_dir`` is not in it: the entry holds nothing
    that depends on where the data is, or on where it is seen from.)"""
    digest = blake2b(digest_size=32)

    def part(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)

    part("format", str(FORMAT).encode())
    part("python", sys.version.encode())
    part("code", _code_digest().encode())
    part("max-bytes", str(max_bytes()).encode())  # the node limit follows it (load.max_events)
    for read in reads:
        if read.data is not None:
            part(read.name, read.data)
        else:  # not readable: the finding (its code and message) is what validation reports
            assert read.problem is not None  # (a Read holds its data or the finding why not)
            part(read.name + "!", f"{read.problem.code} {read.problem.message}".encode())
    return digest.hexdigest()


# -- a trusted directory and trusted entries --------------------------------------------------------


def _trusted(info: os.stat_result, what: str) -> bool:
    if info.st_uid != os.geteuid():
        debug(f"not used: {what} belongs to uid {info.st_uid}, not to this user ({os.geteuid()})")
        return False
    if info.st_mode & _UNSAFE_MODE:
        debug(f"not used: {what} is writable by group or others (mode {stat.filemode(info.st_mode)})")
        return False
    return True


def _open_directory(folder: Path, create: bool) -> int | None:
    """A descriptor of the cache directory if it can be trusted; None otherwise."""
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            debug(f"not used: cannot create {folder}: {err.strerror}")
            return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        debug(f"not used: {folder}: {err.strerror} (a symlink is never followed)")
        return None
    if not _trusted(os.fstat(fd), f"the directory {folder}"):
        os.close(fd)
        return None
    return fd


def _read_entry(folder_fd: int, name: str) -> tuple[bytes, bytes] | None:
    """A trusted entry's envelope and body (``read_sealed``); None when there is none to trust."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    except OSError as err:
        debug(f"not used: entry {name}: {err.strerror} (a symlink is never followed)")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY or not _trusted(info, f"entry {name}"):
            return None
        return read_sealed(fd)
    finally:
        os.close(fd)


# -- reading and writing --------------------------------------------------------------------------


def _write(folder_fd: int, name: str, make: Callable[[], bytes]) -> None:
    """Write the entry ``name``: the body ``make()`` returns, sealed for that name."""
    temporary = f".tmp-oscli-{os.getpid():x}-{os.urandom(6).hex()}"
    try:
        with paused():
            body = make()
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder_fd
        )
        try:
            for data in (MAGIC + seal_digest(name, body), body):  # the envelope, without copying the body
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)  # a reader never sees half
    except OSError as err:  # a read-only or full disk only costs speed
        debug(f"not written: {err.strerror}")
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        return
    _prune(folder_fd)


def _prune(folder_fd: int) -> None:
    """Keep the KEEP newest entries; remove temporary files older than STALE seconds. Only names
    that oscli makes are ever removed."""
    import time

    entries = []
    now = time.time()
    try:
        names = os.listdir(folder_fd)
    except OSError:
        return
    for name in names:
        is_entry = ENTRY.fullmatch(name) is not None
        if not is_entry and TEMPORARY.fullmatch(name) is None:
            continue
        try:
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            continue
        if is_entry:
            entries.append((info.st_mtime, name))
        elif now - info.st_mtime > STALE:
            _unlink(folder_fd, name)
    for _, name in sorted(entries, reverse=True)[KEEP:]:
        _unlink(folder_fd, name)


def _unlink(folder_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder_fd)


_KEY_OF: dict[Path, Callable[[], str]] = {}  # per data directory read in this run: its entries' key


def _kept(
    name_of: Callable[[], str], read: Callable[[bytes], _V], make: Callable[[], _V], write: Callable[[_V], bytes]
) -> _V:
    """A value kept in the cache under ``name_of()``: read from its entry when there is a trusted,
    sealed, usable one; else made, and written when the cache is on. Without a cache it is only
    made (and the name, a digest of the data, is never computed)."""
    folder = directory() if enabled() else None
    if folder is None and enabled():
        debug("off: no home directory to keep it in (set OSCLI_CACHE_DIR to choose one)")
    folder_fd = _open_directory(folder, create=True) if folder is not None else None
    if folder_fd is None:
        return make()
    try:
        name = name_of()
        found = _read_entry(folder_fd, name)
        if found is not None:
            try:
                body = unseal(*found, name)
                with paused():
                    return read(body)
            except Exception as err:
                debug(f"entry {name} not used ({type(err).__name__}: {err}); reading the YAML again")
        value = make()
        _write(folder_fd, name, lambda: write(value))
        return value
    finally:
        os.close(folder_fd)


def _store(name: str, make: Callable[[], bytes]) -> None:
    """Write the entry ``name`` again (one whose kinds could not all be decoded)."""
    folder = directory() if enabled() else None
    folder_fd = _open_directory(folder, create=True) if folder is not None else None
    if folder_fd is not None:
        try:
            _write(folder_fd, name, make)
        finally:
            os.close(folder_fd)


def validated(data_dir: Path) -> Report:
    """The validation report of ``data_dir``: from the wheel's snapshot when it is the packaged data,
    unchanged; else from the cache when these exact bytes were seen before; else validated afresh.
    (The validator, with the YAML parser, the schema and the rules, is imported only then.)"""
    data_dir = Path(data_dir)
    reads = read_files(data_dir)

    @functools.cache
    def name_of() -> str:
        return key(data_dir, reads) + SUFFIX

    _KEY_OF[data_dir] = lambda: name_of()[: -len(SUFFIX)]

    @functools.cache  # at most once a run, for a miss or for a damaged entry's kinds
    def afresh() -> Report:
        from .validate import validate

        report = validate(data_dir, reads)
        _say_if_no_libyaml()
        return report

    @functools.cache
    def repaired() -> Report:  # a kind of an entry could not be decoded: validate, and write it again
        report = afresh()
        _store(name_of(), lambda: encode(report, data_dir))
        return report

    snapshot = _from_snapshot(data_dir, reads, afresh)
    if snapshot is not None:
        return snapshot
    return _kept(
        name_of, lambda body: decode(body, data_dir, fallback=repaired), afresh, lambda report: encode(report, data_dir)
    )


def search_index(data_dir: Path, base: model.FactBase) -> SearchIndex:
    """The SearchIndex of ``base``, the data ``validated(data_dir)`` returned: from the cache, kept
    next to the report under the same key, else built (and kept when the cache is on). Building it
    is most of the time a search takes on a large base (9 s of 10 at 1,000 times the data)."""
    from ..domain.searchindex import SearchIndex

    key_of = _KEY_OF.get(Path(data_dir))
    if key_of is None:  # not read by validated(): nothing to key it by
        return SearchIndex.build(base)
    return _kept(
        lambda: f"{key_of()}-search{SUFFIX}",
        SearchIndex.from_bytes,
        lambda: SearchIndex.build(base),
        SearchIndex.to_bytes,
    )


# -- the wheel's snapshot (snapshot.py writes it; its format is codec.py's) ------------------------


SNAPSHOT_NONE = "none (an editable install, or a wheel built without it)"
SNAPSHOT_DIFFERS = "not used: a data file differs from the one it was built from"


def read_snapshot(data_dir: Path, reads: list[Read]) -> tuple[str, bytes, int]:
    """The wheel's snapshot, read and checked once for both its readers (``validated``, and
    ``--version --verbose``): ``("", body, start)`` if ``data_dir`` is the packaged data and every
    file is the one it was made from (the report's encoding starts at ``start``); else why not,
    in words (an editable install has none)."""
    try:
        fd = os.open(snapshot_path(), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return SNAPSHOT_NONE, b"", 0
    except OSError as err:
        return f"not used: cannot be read, or damaged ({type(err).__name__})", b"", 0
    try:
        try:
            packaged = os.path.samefile(data_dir, installed_data_dir())
        except OSError:
            return "not used: the data directory cannot be read", b"", 0
        if not packaged:
            return "not used: the data directory is not the packaged one", b"", 0
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not used: cannot be read, or damaged (not a regular file)", b"", 0
        head, body = read_sealed(fd)
    except OSError as err:
        return f"not used: cannot be read, or damaged ({type(err).__name__})", b"", 0
    finally:
        os.close(fd)
    try:
        body = unseal(head, body, SNAPSHOT_LABEL)
        newline = body.index(b"\n")
        header = json.loads(body[:newline])
        if header["format"] != SNAPSHOT_FORMAT:
            raise ValueError("another format")
        files = header["files"]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        return f"not used: cannot be read, or damaged ({type(err).__name__}: {err})", b"", 0
    if files != file_hashes(reads):
        return SNAPSHOT_DIFFERS, b"", 0
    return "", body, newline + 1


def _from_snapshot(data_dir: Path, reads: list[Read], fallback: Callable[[], Report]) -> Report | None:
    """The report kept in the wheel, if ``read_snapshot`` finds it usable; else None."""
    why, body, start = read_snapshot(data_dir, reads)
    if why:
        if why == SNAPSHOT_DIFFERS:
            debug("the wheel's snapshot not used: a data file is not the one it was built from")
        elif why != SNAPSHOT_NONE:
            debug(f"the wheel's snapshot {why}")
        return None
    try:
        with paused():
            return decode(body, data_dir, fallback=fallback, start=start)
    except Exception as err:
        debug(f"the wheel's snapshot not used ({type(err).__name__}: {err})")
        return None


# -- libyaml ----------------------------------------------------------------------------------------


def libyaml() -> bool:
    """Whether PyYAML has libyaml's C parser (imports PyYAML)."""
    from .yamltree import LIBYAML

    return LIBYAML


def _say_if_no_libyaml() -> None:
    """Once a run, after parsing with PyYAML's pure-Python parser: yamltree.py says so (if it parsed)."""
    if "outsourcing_cli.store.yamltree" in sys.modules:
        from .yamltree import say_if_no_libyaml

        say_if_no_libyaml()
