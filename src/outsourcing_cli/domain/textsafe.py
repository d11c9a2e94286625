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
    """Whether ``text`` holds a character of ``which``, looked for in its UTF-8 (see _utf8_pattern)."""
    return _utf8_pattern(which).search(text.encode("utf-8", "surrogatepass")) is not None


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The index and character of the first control or bidi character in ``text``, if any."""
    if not _holds("text", text):
        return None
    found = _pattern("text").search(text)
    assert found is not None  # _holds found one in its UTF-8, and both patterns hold the same characters
    return found.start(), found.group()


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


def _characters(ranges: str) -> list[str]:
    """The characters a regular-expression class body of single characters and ranges holds."""
    found, index = [], 0
    while index < len(ranges):
        if index + 2 < len(ranges) and ranges[index + 1] == "-":
            found += [chr(code) for code in range(ord(ranges[index]), ord(ranges[index + 2]) + 1)]
            index += 3
        else:
            found.append(ranges[index])
            index += 1
    return found


@cache
def _utf8_pattern(which: str) -> re.Pattern[bytes]:
    """The characters of ``which`` as UTF-8 byte sequences, one class of last bytes per leading
    bytes (``[\\x00-\\x08...]|\\xc2[\\x80-\\x9f]|\\xe2\\x80[...]|...``). UTF-8 never starts a
    character inside another, so a match is always one whole character. Why: a str class with
    characters beyond Latin-1 takes 0.4 ms to compile (every check of a data value needs one) and
    scans 100 KB of mostly-Chinese JSON in 0.5 ms; this compiles in 0.15 ms and scans the UTF-8 in
    0.3 ms (the encoding costs 0.06 ms)."""
    by_lead: dict[bytes, list[int]] = {}
    for char in _characters(_C0[which] + _BEYOND_C0):
        encoded = char.encode("utf-8")
        by_lead.setdefault(encoded[:-1], []).append(encoded[-1])
    return re.compile(
        b"|".join(
            re.escape(lead) + b"[" + b"".join(re.escape(bytes([last])) for last in lasts) + b"]"
            for lead, lasts in by_lead.items()
        )
    )
