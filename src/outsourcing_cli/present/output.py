"""The formats oscli writes, how the default is chosen, and writing to stdout and stderr safely.

Rich is used on a terminal (or when FORCE_COLOR is set); colour and every other escape code are
off when NO_COLOR is set or TERM is dumb; plain tab-separated text when piped. A reader that
closes the pipe early ends the program quietly (exit 0); a stdout that cannot be written
(a full disk, a closed descriptor) is one line on stderr and exit 74.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, cast

from ..domain.textsafe import visible

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TypedDict

    class _Narrow(TypedDict):
        json: bool  # a JSON format was chosen: what stdout cannot encode is written as escapes
        replaced: int  # characters written as '?'
        encoding: str | None  # stdout's encoding, when it cannot encode every character


class Format(str, Enum):
    """Every format oscli writes: the one list. Each command takes the subset that makes sense
    for it (RECORD_FORMATS, CITATION_FORMATS)."""

    table = "table"  # Rich tables and panels (boxes; colour only on a terminal)
    plain = "plain"  # tab-separated rows; `field  value` lines for one record
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    tsv = "tsv"  # tab-separated values for scripts: field names, values flattened as in CSV
    yaml = "yaml"
    text = "text"  # a citation as a line of text
    bibtex = "bibtex"
    biblatex = "biblatex"
    csl_json = "csl-json"
    ris = "ris"
    github = "github"  # GitHub Actions workflow commands: annotations on the changed lines (check)
    sarif = "sarif"  # SARIF 2.1.0, what code-scanning tools read (check)


RECORD_FORMATS = (Format.table, Format.plain, Format.json, Format.ndjson, Format.csv, Format.tsv, Format.yaml)
CITATION_FORMATS = (Format.text, Format.bibtex, Format.biblatex, Format.csl_json, Format.ris, Format.json)
CHECK_FORMATS = (*RECORD_FORMATS, Format.github, Format.sarif)
HUMAN = (Format.table, Format.plain, Format.text)
_SUBSETS: dict[tuple[Format, ...], type[Enum]] = {}


def subset(formats: Iterable[Format]) -> type[Enum]:
    """An Enum of some of the formats (what one command's --format accepts), for Typer's choices."""
    key = tuple(formats)
    if key not in _SUBSETS:
        # Enum's functional form makes a class; mypy reads a call with computed members as an instance
        _SUBSETS[key] = cast("type[Enum]", Enum("Formats", {f.name: f.value for f in key}, type=str))
    return _SUBSETS[key]


def _env(name: str) -> bool:
    return bool(os.environ.get(name))


def terminal() -> bool:
    return _env("FORCE_COLOR") or sys.stdout.isatty()


def styled() -> bool:
    """Whether escape codes (colour, bold) may be written: a terminal that is not dumb, and no NO_COLOR."""
    return terminal() and not _env("NO_COLOR") and os.environ.get("TERM") != "dumb"


def color() -> bool:
    """Colour only on a terminal (or FORCE_COLOR), and never with NO_COLOR or TERM=dumb."""
    return styled()


class UsageError(ValueError):
    """An option value this command cannot take (exit 2)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


def choose(
    fmt: str | Format | None,
    json_flag: bool,
    allowed: tuple[Format, ...] = RECORD_FORMATS,
    default: Format | None = None,
) -> Format:
    """The format asked for; without one, a table on a terminal and plain text in a pipe."""
    if fmt is not None and not isinstance(fmt, Format):
        fmt = Format(getattr(fmt, "value", fmt))
    if json_flag:
        if fmt not in (None, Format.json):
            raise UsageError("--format", f"--json and --format {fmt.value} contradict each other; give one")
        fmt = Format.json
    if fmt is not None:
        if fmt not in allowed:
            raise UsageError(
                "--format",
                f"'{fmt.value}' is not a format of this command; give one of: " + ", ".join(f.value for f in allowed),
            )
        return _chosen(fmt)
    if default is not None:
        return _chosen(default)
    return Format.table if terminal() else Format.plain


# -- a standard output that cannot encode every character (PYTHONIOENCODING=ascii, a Latin-1 locale) --
# JSON is written with \uXXXX escapes for what the encoding lacks (outside its strings JSON is
# ASCII, so it stays valid and means the same); any other text gets '?' for each such character,
# and one warning on stderr at the end. Never an error: the data is right, the encoding is narrow.

JSON_FORMATS = (Format.json, Format.ndjson, Format.csl_json)
_NARROW: _Narrow = {"json": False, "replaced": 0, "encoding": None}


def _chosen(fmt: Format) -> Format:
    if fmt in JSON_FORMATS:
        json_escapes()
    return fmt


def json_escapes() -> None:
    """What stdout cannot encode is written as JSON escapes from now on (a JSON format was chosen)."""
    _NARROW["json"] = True


def unicode_stdout() -> bool:
    """Whether stdout can encode every character (UTF-8, UTF-16, GB 18030...)."""
    return _NARROW["encoding"] is None


def _unencodable(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):  # registered for stdout, which only encodes
        raise err
    chars = err.object[err.start : err.end]
    if _NARROW["json"]:
        escaped = []
        for char in chars:
            code = ord(char)
            if code > 0xFFFF:  # a surrogate pair, as JSON writes a character beyond the BMP
                code -= 0x10000
                escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                escaped.append(f"\\u{code:04x}")
        return "".join(escaped), err.end
    _NARROW["replaced"] += len(chars)
    return "?" * len(chars), err.end


def guard_stdout() -> None:
    """If stdout's encoding cannot write every character, write what it lacks as escapes or '?'
    (see above) instead of failing."""
    import codecs

    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return
    if name.startswith("utf") or name == "gb18030" or not hasattr(stream, "reconfigure"):
        return
    codecs.register_error("oscli-unencodable", _unencodable)
    try:
        stream.reconfigure(errors="oscli-unencodable")
    except (ValueError, OSError):
        return
    _NARROW["encoding"] = name


def warn_unencodable() -> None:
    """One warning on stderr when characters were written as '?'."""
    if _NARROW["replaced"]:
        error(
            f"warning: standard output's encoding ({_NARROW['encoding']}) cannot write "
            f"{_NARROW['replaced']} character(s); each was written as '?'. For every character, set "
            "PYTHONIOENCODING=utf-8 (or a UTF-8 locale), or use --json, which escapes them."
        )
        _NARROW["replaced"] = 0


class PipeClosed(Exception):
    """The reader of stdout went away; the command should stop quietly."""


class OutputFailed(Exception):
    """Standard output cannot be written (a full disk, a closed descriptor): exit 74."""


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that nothing (not even the interpreter's last flush) fails again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def writing() -> Iterator[None]:
    """Write to stdout; a closed pipe raises PipeClosed, any other failure OutputFailed."""
    if sys.stdout is None:
        raise OutputFailed("standard output is closed")
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise PipeClosed from None
    except OSError as err:
        silence_stdout()
        raise OutputFailed(err.strerror or str(err)) from None


def error(message: str) -> None:
    """A message for the user on stderr, prefixed with the program name; control characters from
    data or from what was typed are shown escaped, never sent raw to the terminal."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"oscli: {visible(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
