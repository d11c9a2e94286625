"""Choosing how to draw (JSON, plain text or Rich) and writing to stdout/stderr safely.

Rich is on a terminal (or when FORCE_COLOR is set); colour is off when NO_COLOR is set; plain
tab-separated text when piped. A reader that closes the pipe early ends the program quietly.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum


class Mode(str, Enum):
    JSON = "json"
    PLAIN = "plain"
    RICH = "rich"


def _env(name: str) -> bool:
    return bool(os.environ.get(name))


def mode(json_flag: bool) -> Mode:
    if json_flag:
        return Mode.JSON
    if _env("FORCE_COLOR") or sys.stdout.isatty():
        return Mode.RICH
    return Mode.PLAIN


def color() -> bool:
    return not _env("NO_COLOR")


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
