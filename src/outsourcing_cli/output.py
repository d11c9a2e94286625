"""Choosing how to draw (JSON, plain text or Rich) and writing to stdout/stderr safely.

Rich is on a terminal (or when FORCE_COLOR is set); colour is off when NO_COLOR is set; plain
tab-separated text when piped. A reader that closes the pipe early ends the program quietly.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum


class Format(str, Enum):
    """What `--format` accepts. table is Rich (boxes; colour only on a terminal); plain is
    tab-separated text; the rest are data formats for scripts."""

    table = "table"
    plain = "plain"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    yaml = "yaml"


def _env(name: str) -> bool:
    return bool(os.environ.get(name))


def terminal() -> bool:
    return _env("FORCE_COLOR") or sys.stdout.isatty()


def choose(fmt: Format | None, json_flag: bool) -> Format:
    """The format asked for; without one, a table on a terminal and plain text in a pipe."""
    if json_flag:
        if fmt not in (None, Format.json):
            raise ValueError(f"--json and --format {fmt.value} contradict each other; give one")
        return Format.json
    if fmt is not None:
        return fmt
    return Format.table if terminal() else Format.plain


def color() -> bool:
    """Colour only on a terminal (or FORCE_COLOR), and never when NO_COLOR is set."""
    return terminal() and not _env("NO_COLOR")


class PipeClosed(Exception):
    """The reader of stdout went away; the command should stop quietly."""


@contextmanager
def writing():
    """Write to stdout; if the reader has closed the pipe, silence stdout and raise PipeClosed."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise PipeClosed from None


def error(message: str) -> None:
    """A message for the user on stderr, prefixed with the program name."""
    sys.stderr.write(f"oscli: {message}\n")
