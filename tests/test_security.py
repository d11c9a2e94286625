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
