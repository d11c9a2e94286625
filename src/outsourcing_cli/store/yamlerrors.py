"""A YAML syntax error in plain words: where the problem really is (the quote left open, the
bracket never closed, the key indented one space off) and what to do, next to what PyYAML says.
Imported only when a data file does not parse.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from typing import Protocol

    class _Mark(Protocol):  # what is read of a position (yamltree's parser events carry them)
        line: int  # 0-based
        column: int

    class _Event(Protocol):  # what is read of the last event the parser gave before the error
        start_mark: _Mark
        end_mark: _Mark


_KEY_LINE = re.compile(r"\s*(?:- +)?[^\s#'\"][^:#]*:(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """The 0-based column where a line's content starts, after any '- ' of a list item."""
    at = _indent(line)
    while line[at : at + 2] in ("- ", "-") and at < len(line):
        at += 1
        while at < len(line) and line[at] == " ":
            at += 1
    return at


def _spaces(count: int, how: str) -> str:
    return f"{count} {how} space{'s' if count != 1 else ''}"


def explain(err: yaml.MarkedYAMLError, text: str, last: _Event | None) -> tuple[int, int, str | None]:
    """(line, column, plain words) for a syntax error: where the problem starts, which is not
    always where the parser stopped, and what it is, for the slips people make (indentation, tabs,
    an unclosed quote or bracket, a missing colon). Plain words are None when the slip is not one
    of those: the parser's own text is then all there is."""
    problem, context = err.problem or "", err.context or ""
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    start = err.context_mark
    if "quoted scalar" in context and start is not None:  # the text ends inside the quotes
        quote = _char_at(lines, start)
        return (
            start.line + 1,
            start.column + 1,
            f"the quote ({quote}) opened here is never closed; close it on this line",
        )
    if (
        isinstance(last, yaml.ScalarEvent)
        and last.style in ("'", '"')
        and last.end_mark.line > last.start_mark.line
        and any(_KEY_LINE.match(other) for other in lines[last.start_mark.line + 1 : last.end_mark.line + 1])
    ):
        opened = last.start_mark
        return (
            opened.line + 1,
            opened.column + 1,
            f"the quote ({last.style}) opened here is not closed on this line, so YAML reads the lines "
            f"below as part of the text, up to line {last.end_mark.line + 1}; close it on this line",
        )
    if "flow" in context and start is not None:
        bracket = _char_at(lines, start)
        closing = {"[": "]", "{": "}"}.get(bracket, "the closing bracket")
        return (
            start.line + 1,
            start.column + 1,
            f"the '{bracket}' opened here is not closed; close it with '{closing}' on this line",
        )
    if "tab" in problem or "'\\t'" in problem or "\t" in here[: max(column, _indent(here) + 1)]:
        tab = here.find("\t")
        where = column if tab < 0 else tab + 1
        if tab >= 0 and not here[:tab].strip():
            return line, where, "this line is indented with a tab: indent with spaces, not tabs"
        return line, where, "a tab here is not allowed outside quotes: use spaces, not tabs"
    if "simple key" in context and start is not None:
        words = (lines[start.line] if start.line < len(lines) else "")[start.column :].split(None, 1)
        fixed = f"{words[0]}: {words[1].strip()}" if len(words) == 2 else f"{''.join(words)}: value"
        return (start.line + 1, start.column + 1, f"this line has no ':' after its key; write it as '{fixed}'")
    if any(
        words in problem
        for words in (
            "mapping values are not allowed",
            "expected '-' indicator",
            "expected <block end>",
            "did not find expected key",
        )
    ):
        previous = next(
            (lines[i] for i in range(line - 2, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
            None,
        )
        if previous is None:
            return line, column, None
        own, siblings = _indent(here), _key_column(previous)
        if previous.rstrip().endswith(":") and own > siblings:  # a nested block: not a slip
            return line, column, None
        if own != siblings:
            more = own > siblings
            return (
                line,
                own + 1,
                f"this line is indented {_spaces(abs(own - siblings), 'more' if more else 'fewer')} than the "
                f"line above (its siblings start at column {siblings + 1}); align it with them",
            )
        if "mapping values" in problem:
            return line, column, "a ': ' inside a value that is not quoted; put the value in quotes"
    return line, column, None


def _char_at(lines: list[str], mark: _Mark) -> str:
    row = lines[mark.line] if mark.line < len(lines) else ""
    return row[mark.column] if mark.column < len(row) else "?"
