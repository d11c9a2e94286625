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
from pathlib import Path
from typing import Any, Callable, Optional

try:  # the C module directly: importing hashlib loads OpenSSL (3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

from ..domain import kinds, model
from .. import LAYERS
from ..domain.findings import Finding, Report, Severity
from .gcpause import freeze_if_frozen, paused
from .load import Read, max_bytes, read_files
from .paths import display_path

FORMAT = 4
KEEP = 16
STALE = 600  # seconds after which a temporary file is a leftover of a killed run
MAX_ENTRY = 1 << 30
SUFFIX = ".oscli.json"
ENTRY = re.compile(r"[0-9a-f]{64}(?:-search)?" + re.escape(SUFFIX))  # a report, or its search index
TEMPORARY = re.compile(r"\.tmp-oscli-[0-9a-f]+-[0-9a-z_]+")
SNAPSHOT = "data.snapshot"  # in the installed package, beside data/ (written by hatch_build.py)
SNAPSHOT_LABEL = "snapshot"
_HERE = Path(__file__).resolve().parent.parent  # the package: data/ and data.snapshot sit in it
_UNSAFE_MODE = stat.S_IWGRP | stat.S_IWOTH


def _debug(message: str) -> None:
    if os.environ.get("OSCLI_DEBUG"):
        try:
            sys.stderr.write(f"oscli: cache: {message}\n")
        except (OSError, ValueError, AttributeError):
            pass


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
        modules = []
        for layer in ("", *LAYERS):  # the package's own modules, then each layer's
            with os.scandir(_HERE / layer) as entries:
                modules += [(f"{layer}/{entry.name}", entry.stat()) for entry in entries if entry.name.endswith(".py")]
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
            part(read.name + "!", f"{read.problem.code} {read.problem.message}".encode())
    return digest.hexdigest()


# -- a trusted directory and trusted entries --------------------------------------------------------


def _trusted(info: os.stat_result, what: str) -> bool:
    if info.st_uid != os.geteuid():
        _debug(f"not used: {what} belongs to uid {info.st_uid}, not to this user ({os.geteuid()})")
        return False
    if info.st_mode & _UNSAFE_MODE:
        _debug(f"not used: {what} is writable by group or others (mode {stat.filemode(info.st_mode)})")
        return False
    return True


def _open_directory(folder: Path, create: bool) -> int | None:
    """A descriptor of the cache directory if it can be trusted; None otherwise."""
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            _debug(f"not used: cannot create {folder}: {err.strerror}")
            return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        _debug(f"not used: {folder}: {err.strerror} (a symlink is never followed)")
        return None
    if not _trusted(os.fstat(fd), f"the directory {folder}"):
        os.close(fd)
        return None
    return fd


def _read_entry(folder_fd: int, name: str) -> tuple[bytes, bytes] | None:
    """A trusted entry's envelope and body (``_read_sealed``); None when there is none to trust."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    except OSError as err:
        _debug(f"not used: entry {name}: {err.strerror} (a symlink is never followed)")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY or not _trusted(info, f"entry {name}"):
            return None
        return _read_sealed(fd)
    finally:
        os.close(fd)


def _read_sealed(fd: int) -> tuple[bytes, bytes]:
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


def _digest(label: str, body: bytes) -> bytes:
    digest = blake2b(digest_size=32, person=b"oscli-seal")
    digest.update(label.encode("utf-8") + b"\0")
    digest.update(body)
    return digest.digest()


def seal(body: bytes, label: str) -> bytes:
    """``body`` in its envelope, for the entry named ``label``."""
    return MAGIC + _digest(label, body) + body


def unseal(head: bytes, body: bytes, label: str) -> bytes:
    """The body of a sealed entry (``head`` is its first ``SEAL`` bytes), if its digest matches the
    label and the body; else ValueError."""
    if head[:len(MAGIC)] != MAGIC or len(head) != SEAL:
        raise ValueError("not a sealed entry, or one of another format")
    if head[len(MAGIC):] != _digest(label, body):
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


def _row(fields, item) -> list:
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
        rows = [[*_row(declared.data_fields, record),
                 [number.get(record.origin.file, record.origin.file), record.origin.line, record.origin.column],
                 model.pack_spans(record.spans)] for record in report.base.of(name)]
        segment = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        places[name] = [at, at + len(segment)]
        at += len(segment)
        segments.append(segment)
    findings = [[f.code, f.message, number.get(f.file, f.file), f.line, f.column, f.record, f.severity.value,
                 f.acknowledged] for f in report.findings]
    # a message that quotes a path ("already used at data/cities.yaml:3:5") holds it as seen from
    # here: such an entry keeps the paths it was written with, and is used only where they are the same
    messages = "\0".join(f.message for f in report.findings)  # (one scan per path: 60,000 findings at 100x)
    tied = any(path in messages for path in shown)
    header = json.dumps({"format": FORMAT, "files": names, "shown": shown if tied else None, "kinds": places,
                         "findings": findings}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return header + b"\n" + b"".join(segments)  # (compact JSON holds no raw newline)


# per kind: its record class, field names, (index, part) of lists of parts, indexes of other lists
_KIND_PLANS = {name: (declared.model.trusted, [f.name for f in declared.data_fields],
                      [(i, f.part) for i, f in enumerate(declared.data_fields) if f.part is not None],
                      [i for i, f in enumerate(declared.data_fields) if f.is_list and f.part is None],
                      [(i, f.one) for i, f in enumerate(declared.data_fields) if f.one is not None])
               for name, declared in kinds.KINDS.items()}
_PART_PLANS = {name: (spec.model.trusted, [f.name for f in spec.fields], [i for i, f in enumerate(spec.fields) if f.is_list])
               for name, spec in kinds.PARTS.items()}


def _file(shown: list[str], file) -> str:
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
                items.append(make_part(dict(zip(part_names, item))))
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
                row[index] = make_part(dict(zip(part_names, row[index])))
        values = dict(zip(names, row))
        file, line, column = row[-2]
        values["origin"] = model.Origin(_file(shown, file), line, column)
        values["spans"] = model.PackedSpans(row[-1])  # unpacked only if a rule asks
        records.append(make(values))
    return tuple(records)


def decode(raw: bytes, data_dir: Path, fallback: Optional[Callable[[], Report]] = None, start: int = 0) -> Report:
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
    findings = tuple(Finding(code, message, _file(shown, file), line, column, record, Severity(severity), acknowledged)
                     for code, message, file, line, column, record, severity, acknowledged in header["findings"])
    later = {name: _later(name, raw, body + first, body + last, shown, fallback)
             for name, (first, last) in places.items()}
    return Report(model.FactBase({}, later), findings)


def _later(name: str, raw: bytes, start: int, end: int, shown: list[str],
           fallback: Optional[Callable[[], Report]]):
    def make() -> tuple[model.Record, ...]:
        try:
            with paused():
                records = _decode_kind(name, raw[start:end], shown)
            freeze_if_frozen()  # like the rest of the base, when the process froze it (see gcpause)
            return records
        except Exception as err:  # noqa: BLE001 - a damaged entry costs only speed
            if fallback is None:
                raise
            _debug(f"the {name} records of an entry could not be decoded ({type(err).__name__}); validating afresh")
            return fallback().base.of(name)

    return make


# -- reading and writing --------------------------------------------------------------------------


def _write(folder_fd: int, name: str, make: Callable[[], bytes]) -> None:
    """Write the entry ``name``: the body ``make()`` returns, sealed for that name."""
    temporary = f".tmp-oscli-{os.getpid():x}-{os.urandom(6).hex()}"
    try:
        with paused():
            body = make()
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                     dir_fd=folder_fd)
        try:
            for data in (MAGIC + _digest(name, body), body):  # the envelope, without copying the body
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)  # a reader never sees half
    except OSError as err:  # a read-only or full disk only costs speed
        _debug(f"not written: {err.strerror}")
        try:
            os.unlink(temporary, dir_fd=folder_fd)
        except OSError:
            pass
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
    try:
        os.unlink(name, dir_fd=folder_fd)
    except OSError:
        pass


_KEY_OF: dict[Path, Callable[[], str]] = {}  # per data directory read in this run: its entries' key


def _kept(name_of: Callable[[], str], read: Callable[[bytes], Any], make: Callable[[], Any],
          write: Callable[[Any], bytes]):
    """A value kept in the cache under ``name_of()``: read from its entry when there is a trusted,
    sealed, usable one; else made, and written when the cache is on. Without a cache it is only
    made (and the name, a digest of the data, is never computed)."""
    folder = directory() if enabled() else None
    if folder is None and enabled():
        _debug("off: no home directory to keep it in (set OSCLI_CACHE_DIR to choose one)")
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
            except Exception as err:  # noqa: BLE001 - damaged, cut, from another version: a miss
                _debug(f"entry {name} not used ({type(err).__name__}: {err}); reading the YAML again")
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

    _KEY_OF[data_dir] = lambda: name_of()[:-len(SUFFIX)]

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
    return _kept(name_of, lambda body: decode(body, data_dir, fallback=repaired), afresh,
                 lambda report: encode(report, data_dir))


def search_index(data_dir: Path, base: model.FactBase):
    """The SearchIndex of ``base``, the data ``validated(data_dir)`` returned: from the cache, kept
    next to the report under the same key, else built (and kept when the cache is on). Building it
    is most of the time a search takes on a large base (9 s of 10 at 1,000 times the data)."""
    from ..domain.searchindex import SearchIndex

    key_of = _KEY_OF.get(Path(data_dir))
    if key_of is None:  # not read by validated(): nothing to key it by
        return SearchIndex.build(base)
    return _kept(lambda: f"{key_of()}-search{SUFFIX}", SearchIndex.from_bytes, lambda: SearchIndex.build(base),
                 SearchIndex.to_bytes)


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


def snapshot_path() -> Path:
    return _HERE / SNAPSHOT


def _from_snapshot(data_dir: Path, reads: list[Read], fallback: Callable[[], Report]) -> Report | None:
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


# -- libyaml ----------------------------------------------------------------------------------------

_SAID_NO_LIBYAML = False


def libyaml() -> bool:
    """Whether PyYAML has libyaml's C parser (imports PyYAML)."""
    from .yamltree import LIBYAML

    return LIBYAML


def _say_if_no_libyaml() -> None:
    """Once a run, after parsing with PyYAML's pure-Python parser: say so, and how to get libyaml."""
    global _SAID_NO_LIBYAML
    if _SAID_NO_LIBYAML or "outsourcing_cli.store.yamltree" not in sys.modules or libyaml():
        return
    _SAID_NO_LIBYAML = True
    try:
        sys.stderr.write(NO_LIBYAML + "\n")
    except (OSError, ValueError, AttributeError):
        pass


NO_LIBYAML = ("oscli: note: PyYAML is installed without libyaml (its C parser): reading the data takes about 4 "
              "times longer. Install a PyYAML wheel that includes it (`pip install --force-reinstall pyyaml`), "
              "or build it against libyaml (Debian: `apt install libyaml-dev`, then `pip install "
              "--force-reinstall --no-binary pyyaml pyyaml`).")
