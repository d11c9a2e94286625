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
from hypothesis import given
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


def test_ctrl_c_during_start_up_exits_130_without_a_traceback(tmp_path):
    """SIGINT at several moments of start-up. The console script pip writes imports `re` before
    any of oscli's code runs, so the earliest moment tried is well after that preamble (measured
    as `python -c "import re, sys"`); the latest, near the end of the whole run."""
    python = str(Path(oscli_executable()).parent / "python")
    preamble = _median_seconds([python if os.path.exists(python) else sys.executable, "-c", "import re, sys"])
    whole = _median_seconds([oscli_executable(), "cities", "list"])
    listing = _oscli("cities", "list", cwd=tmp_path).stdout
    earliest, latest = 2 * preamble, max(2 * preamble, 0.9 * whole)
    outcomes = []
    for step in range(8):
        delay = earliest + (latest - earliest) * step / 7
        proc = subprocess.Popen([oscli_executable(), "cities", "list"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=_env())
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay, err)
        if proc.returncode == 130:
            assert err == ""
        else:  # the signal came after the work was done
            assert proc.returncode in (0, -signal.SIGINT) and out == listing, (delay, proc.returncode, err)
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
