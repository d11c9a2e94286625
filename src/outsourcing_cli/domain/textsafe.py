"""Text that cannot take over a terminal: control and bidirectional-override characters found,
and shown escaped and visible.

Data may come from someone else (``--data-dir``). A value holding ESC sequences (``\\e[2J``, OSC 8
hyperlinks), C1 controls (U+009B is a one-character CSI) or bidi overrides (U+202E reverses the
text that follows) would act on the reader's terminal instead of being read. ``oscli check``
reports them (OSC107); every human-readable output passes text through ``visible``; JSON escapes
them (``json_safe``).

Tab and newline are the only controls text may hold.
"""

from __future__ import annotations

import re
from functools import cache

# DEL and the C1 controls; the bidirectional formatting characters (embeddings, overrides,
# isolates, marks) and the line and paragraph separators.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"


_C0 = {"text": "\x00-\x08\x0b-\x1f", "line": "\x00-\x1f", "json": ""}  # text keeps tab and newline


@cache
def _pattern(which: str) -> re.Pattern[str]:
    """Compiled on first use, and used only once ``_holds`` has found something to escape."""
    return re.compile(f"[{_C0[which]}{_BEYOND_C0}]")


def _holds(which: str, text: str) -> bool:
    """Whether ``text`` holds a character of ``which``. (A pattern over the text's UTF-8 bytes used
    to stand in for the str class, whose characters beyond Latin-1 once took 0.4 ms to compile;
    measured again with tools/hacks.py, the str class is as fast or faster: 41 rounds, a cold
    `check` 3.6 ms faster, warm runs within 1 ms.)"""
    return _pattern(which).search(text) is not None


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The index and character of the first control or bidi character in ``text``, if any."""
    found = _pattern("text").search(text)
    return (found.start(), found.group()) if found is not None else None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_newlines: bool = True) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``, ``\\u202e``)."""
    which = "text" if keep_newlines else "line"
    if not _holds(which, text):
        return text
    pattern = _pattern(which)
    if keep_newlines:
        return pattern.sub(_escape, text)
    return pattern.sub(lambda m: " " if m.group() in "\t\n" else _escape(m), text)


def escaped(text: str) -> str:
    """``text`` on one line with every unsafe character escaped, tab and newline included: for
    messages that quote what a data file holds (an unknown key), so that every format, CSV
    included, shows it as text."""
    return _pattern("line").sub(_escape, text) if _holds("line", text) else text


def json_safe(encoded: str) -> str:
    """JSON text (``ensure_ascii=False``, which already escapes C0) with C1, DEL and bidi
    characters escaped as ``\\uXXXX``; outside strings JSON has only ASCII, so this stays valid."""
    if not _holds("json", encoded):
        return encoded
    return _pattern("json").sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
