"""Security and robustness (issue 11): each test plays one attack or fault against the installed
console script, in a subprocess, and asserts the safe outcome: the true fact, the exit code, the
message. The numbers in the section titles are the issue's cases.

Several tests change a file's owner to another uid and therefore need root (CI runs as root);
they are skipped otherwise, and only they.
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
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import flat, oscli_executable
from outsourcing_cli import cache, kinds, render, textsafe, validate
from outsourcing_cli.load import read_files
from outsourcing_cli.schema import ID_PATTERN
from outsourcing_cli.search import MAX_QUERY

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


def _oscli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60,
           **kwargs) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([oscli_executable(), *args], text=True, cwd=cwd, env=_env() if env is None else env,
                          timeout=timeout, **kwargs)


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
    return (unicodedata.bidirectional(char) in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
            or char in "\u061c\u200e\u200f\u2028\u2029")


@pytest.mark.parametrize("value, column, code", [
    ('"Xi\'an\\e[2J"', 11, 0x1B),
    ('"\\e]8;;https://evil.example/\\e\\\\Xi\'an\\e]8;;\\e\\\\"', 11, 0x1B),
    ('"Xi\'an\\x9b2J"', 11, 0x9B),
    ('"Xi\'an\\u202e"', 11, 0x202E),
    ("Xi'an \u202ekcatta", 17, 0x202E),  # raw in the file, in a plain scalar: its exact column
], ids=["csi", "osc8-hyperlink", "c1-csi", "bidi-escaped", "bidi-raw"])
def test_a_control_or_bidi_character_in_the_data_is_a_located_error(tmp_path, data_copy, value, column, code):
    line = _set_xian_name(data_copy, value)
    done = _oscli("--data-dir", str(data_copy), "check", cwd=tmp_path)
    assert done.returncode == 1
    assert (f"data/cities.yaml:{line}:{column}: error OSC107 'name' of city holds the control or "
            f"bidirectional character U+{code:04X}; remove it") in done.stdout.splitlines()


def _hostile_data(data: Path) -> None:
    """Every kind of terminal injection at once, and an unknown key holding ESC and U+202E in the
    first city, so that the first finding (the one every command but check shows) quotes it."""
    path = data / "cities.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    name: Dalian\n", '    name: Dalian\n    "na\\e[2Jme\\u202e": x\n', 1)
    text = text.replace("    name: Xi'an\n", '    name: "\\e]8;;https://evil.example/\\e\\\\Xi\'an\\e]8;;\\e\\\\\\e[2J"\n', 1)
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
    proc = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=env,
                            start_new_session=True)
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


@pytest.mark.parametrize("args, exit_code", [
    (["check"], 1),
    (["cities", "list"], 3),
    (["cities", "show", "xian"], 3),
    (["search", "xian"], 3),
])
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
    done = _oscli("--data-dir", str(data_copy), "check", "--format", fmt, cwd=tmp_path,
                  env=_env(FORCE_COLOR="1") if fmt == "table" else None)
    assert done.returncode == 1
    body = re.sub("\x1b\\[[0-9;]*m", "", done.stdout) if fmt == "table" else done.stdout
    assert not [c for c in body if _unsafe_char(c) and c not in "\r"], fmt
    assert "na\\x1b[2Jme\\u202e" in body.replace("\\\\", "\\")


_TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(
    list("\x1b\x9b\u202e\u2066\u200f\u2028\x07\x00\t\n\r\x7f\x85[]0123456789;m"))))


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


# -- 9. standard output that cannot be written; no home directory -----------------------------------

WRITING_COMMANDS = [["cities", "list"], ["cities", "list", "--json"], ["cities", "list", "--format", "csv"],
                    ["policy", "show", "11th-fyp", "--format", "table"], ["search", "suzhou"], ["check"],
                    ["cite", "11th-fyp"], ["--version"], ["--help"]]
_IDS = [" ".join(c) for c in WRITING_COMMANDS]


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=_IDS)
def test_a_full_disk_is_exit_74_and_one_line(tmp_path, args):
    with open("/dev/full", "w") as full:
        done = _oscli(*args, cwd=tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 74
    assert done.stderr.splitlines() == ["oscli: cannot write to standard output: No space left on device"]


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=_IDS)
def test_a_closed_standard_output_is_exit_74_and_one_line(tmp_path, args):
    done = subprocess.run(["sh", "-c", '"$@" >&-', "sh", oscli_executable(), *args], capture_output=True,
                          text=True, cwd=tmp_path, env=_env(), timeout=60)
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


@pytest.mark.skipif(not IS_ROOT or not shutil.which("setpriv"),
                    reason="running as a uid without a passwd entry needs root and setpriv (CI runs as root)")
def test_without_a_home_directory_the_cache_is_simply_off(tmp_path):
    """No HOME and no passwd entry for the uid (a container's arbitrary uid): Path.home() fails.
    The cache is off, and nothing is made in the working directory. (setpriv, not os.setuid in
    preexec_fn: the interpreter may live where only root may look, e.g. under /root/.pyenv.)"""
    uid = _uid_without_passwd_entry()
    work = Path(tempfile.mkdtemp(prefix="oscli-nohome-"))  # outside the test's 0700 tmp_path
    try:
        os.chown(work, uid, uid)
        env = _env(remove=("HOME", "OSCLI_CACHE_DIR", "XDG_CACHE_HOME"), OSCLI_DEBUG="1")
        done = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", oscli_executable(),
                               "cities", "show", "xian", "--json"], capture_output=True, text=True, cwd=work,
                              env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["name"] == XIAN
        assert done.stderr == "oscli: cache: off: no home directory to keep it in (set OSCLI_CACHE_DIR to choose one)\n"
        assert list(work.iterdir()) == []  # no '~' directory made in the working directory
    finally:
        shutil.rmtree(work)


# -- 10. closed pipes, Ctrl-C, a killed cache write ------------------------------------------------

PIPED_COMMANDS = [[k.command, verb, *([k.example] if verb == "show" else []), "--format", fmt]
                  for k in kinds.KINDS.values() for verb in ("list", "show")
                  for fmt in ("table", "plain", "json", "ndjson", "csv", "yaml")]
PIPED_COMMANDS += [["search", "suzhou", "--format", "table"], ["search", "suzhou"], ["check"],
                   ["check", "--format", "table"], ["check", "--rules", "--format", "table"], ["cite", "--all"],
                   ["--help"], ["cities", "list", "--help"], ["--version"]]


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
    failed = [(" ".join(args), done.returncode, done.stderr) for args, done in results
              if (done.returncode, done.stderr) != (0, "")]
    assert failed == []


@pytest.mark.parametrize("pipeline, first_line", [
    ("oscli cities list --format table | true", None),
    ("oscli --help | head -1", "Usage: oscli [OPTIONS] COMMAND [ARGS]..."),
    ("oscli cities list | head -1", "ID\tName\tChinese\tProvince\tPrimary"),
])
def test_a_reader_that_stops_early_ends_oscli_quietly(tmp_path, pipeline, first_line):
    script = pipeline.replace("oscli", shlex.quote(oscli_executable()), 1).replace(" |", ' 2>"$ERR" |', 1)
    done = subprocess.run(["bash", "-c", script + '; echo "status ${PIPESTATUS[0]}"'], capture_output=True,
                          text=True, cwd=tmp_path, env=_env(ERR=str(tmp_path / "err"), COLUMNS="120"), timeout=60)
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
        proc = subprocess.Popen([oscli_executable(), "cities", "list"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=_env())
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
