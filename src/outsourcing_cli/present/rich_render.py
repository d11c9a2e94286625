"""Drawing results with Rich for a terminal: tables, and a panel per record.

Every string from the data or from the command line goes into a ``Text`` (never parsed as Rich
markup, so ``[/i]`` or ``[link=…]`` in a query is shown as typed) after ``visible`` has escaped
its control characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..domain.textsafe import visible
from .pages import Document
from .views import MISSING

if TYPE_CHECKING:
    import re

    from .pages import Section

    Chart = list[tuple[str, list[tuple[int, int, int]]]]  # (title name, [(year, held, possibly held)])

_BORDER = 3  # a column's share of the box: a rule and two spaces of padding


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich's own handler exits 1; a reader that closed the pipe early is a normal end (exit 0,
        quietly), as for every other format: raise for ``output.writing`` to handle."""
        self.quiet = True
        raise BrokenPipeError


def console(color: bool, terminal: bool = True) -> Console:
    """A console for tables and panels: colour only if ``color``; boxes without any escape codes
    when not on a terminal (`--format table` in a pipe) or when colour is off."""
    return _Console(
        color_system="auto" if color else None,
        highlight=False,
        force_terminal=terminal and color,
        no_color=not color,
        markup=False,
        emoji=False,
    )


def _text(value: str, style: str | None = None) -> Text:
    return Text(visible(str(value)), style=style or "")


def _cell(value: str) -> Text:
    if value == MISSING:
        return Text(value, style="dim")
    text = _text(value)
    marks = getattr(value, "marks", ())  # a views.Marked: a search match
    if marks and text.plain == value:  # not shifted by escaping
        for start, end in marks:
            text.stylize("bold yellow", start, end)
    return text


def _unbreakable(cells: list[str]) -> bool:
    """A column of ids, codes, dates or yes/no: single short tokens that must never be split."""
    return all(" " not in c and len(c) <= 40 for c in cells)


def table(con: Console, title: str, headers: list[str], rows: list[list[str]], footer: str | None = None) -> bool:
    """Draw a table; False (and nothing drawn) when the console is too narrow to keep every id
    and every word whole, so that the caller can fall back to records (``records``)."""
    columns = list(zip(*rows, strict=False)) if rows else [() for _ in headers]
    keep_whole = [index == 0 or _unbreakable([str(c) for c in column]) for index, column in enumerate(columns)]
    widths = []
    needed = 1
    for index, header in enumerate(headers):
        longest = max([cell_len(str(c)) for c in columns[index]] + [cell_len(header) if keep_whole[index] else 4])
        word = max([_longest(str(c)) for c in columns[index]] + [_longest(header)])
        widths.append(longest if keep_whole[index] else word)
        needed += _BORDER + (longest if keep_whole[index] else max(word, min(longest, 8)))
    if needed > con.width:
        return False
    grid = Table(title=_text(title), title_justify="left", header_style="bold")
    for index, header in enumerate(headers):
        if keep_whole[index]:
            grid.add_column(
                _text(header), style="cyan" if index == 0 else None, no_wrap=True, min_width=max(widths[index], 1)
            )
        else:  # wraps at words; as wide as its longest word, so that no word is cut
            grid.add_column(_text(header), overflow="fold", min_width=max(widths[index], 1))
    for row in rows:
        grid.add_row(*[_cell(c) for c in row])
    con.print(grid)
    if footer:
        con.print(_text(footer, "dim"))
    return True


# -- words kept whole -------------------------------------------------------------------------------

STACK_BELOW = 60  # below this many columns a show page stacks each label over its value
_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_TOKEN: re.Pattern[str] | None = None


def _tokens(text: str) -> list[str]:
    """Whitespace, one Han (or other wide) character, or a run of anything else: the units a line
    may break between. Chinese may break between any two characters; a Latin word never."""
    global _TOKEN
    if _TOKEN is None:
        import re

        _TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
    return _TOKEN.findall(text)


def _longest(text: str) -> int:
    return max((cell_len(t) for t in _tokens(text) if not t.isspace()), default=0)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells, broken only between words (or Han characters). A word
    longer than the width (a long URL) gets a line of its own, whole: the terminal folds it
    without a newline inside it, so that it can still be copied or clicked."""
    lines: list[str] = []
    line, space = "", False
    for piece in _tokens(text):
        if piece.isspace():
            space = True
            continue
        joined = line + (" " if space and line else "") + piece
        if not line or cell_len(joined) <= width:
            line = joined
        else:
            lines.append(line)
            line = piece
        space = False
    if line or not lines:
        lines.append(line)
    return lines


def _lines(con: Console, text: str, indent: int, style: str = "", first: str | None = None) -> None:
    """Print ``text`` wrapped at words, indented; ``first`` replaces the first line's indent."""
    shown = visible(text)
    marks = getattr(text, "marks", ()) if shown == text else ()  # a search match, not shifted by escaping
    at = 0
    for number, line in enumerate(wrap(shown, max(con.width - indent, 10))):
        lead = first if (first is not None and number == 0) else " " * indent
        piece = Text(line, style=style)
        start = shown.find(line, at) if marks else -1  # lines are whole words of the text, in order
        if start >= 0:
            for low, high in marks:
                low, high = max(low, start) - start, min(high, start + len(line)) - start
                if low < high:
                    piece.stylize("bold yellow", low, high)
            at = start + len(line)
        con.print(Text(lead) + piece, soft_wrap=True)


def _fits_panel(con: Console, doc: Document) -> bool:
    """Whether a boxed page keeps every word of its rows whole: wide enough, no word wider than its column."""
    if con.width < STACK_BELOW:
        return False
    inner = con.width - 4  # the panel's borders and padding
    label = max((cell_len(visible(k)) for k, _ in doc.fields), default=0)
    return not (any(_longest(visible(v)) > inner - label - 4 for _, v in doc.fields) or _longest(doc.title) > inner)


def _fits_box(con: Console, section: Section) -> bool:
    """Whether every word of a section fits beside a bullet in the box (a long URL may not)."""
    width = con.width - 4 - 3 - 2  # borders and padding, the bullet, the quotation marks
    return all(
        _longest(visible(text)) <= width
        for item in section.items
        for text in (item.text, item.meta, item.original)
        if text
    )


def stacked(con: Console, doc: Document) -> None:
    """A show page for a narrow terminal: each label on its own line, its value under it."""
    con.print(Text.assemble((doc.kind + " ", "dim"), (visible(doc.id), "bold cyan")), soft_wrap=True)
    _lines(con, doc.title, 0, "bold")
    for key, value in doc.fields:
        con.print()
        _lines(con, key, 0, "bold")
        _lines(con, value, 2, "dim" if value == MISSING else "")
    _sections(con, doc.sections)


def _sections(con: Console, sections: list[Section]) -> None:
    """Sections unboxed: a bullet per item, wrapped at words."""
    for section in sections:
        con.print()
        _lines(con, section.heading, 0, "bold underline")
        for item in section.items:
            text = f"\u201c{item.text}\u201d" if item.quote else item.text
            _lines(con, text, 4, "italic" if item.quote else "", first="  • ")
            if item.original:
                _lines(con, f"\u300c{item.original}\u300d", 4)
            if item.meta:
                _lines(con, ("— " if item.quote else "") + item.meta, 4, "dim")


def records(con: Console, title: str, headers: list[str], rows: list[list[str]], footer: str | None = None) -> None:
    """A table too wide for the terminal, as records: one field a line, a blank line between
    records; values wrap at words, never inside one."""
    _lines(con, title, 0, "bold")
    width = max((cell_len(h) for h in headers), default=0)
    for row in rows:
        con.print()
        for number, (header, value) in enumerate(zip(headers, row, strict=False)):
            shown = visible(str(value))
            style = "cyan" if number == 0 else ("dim" if shown == MISSING else "")
            if width + 2 + cell_len(shown) <= con.width:
                cell = _cell(value) if number else Text(shown, style=style)
                con.print(Text.assemble((header.ljust(width) + "  ", "bold"), cell), soft_wrap=True)
            else:
                _lines(con, header, 0, "bold")
                _lines(con, value, 2, style)
    if footer:
        con.print()
        _lines(con, footer, 0, "dim")


def document(con: Console, doc: Document) -> None:
    if not _fits_panel(con, doc):
        stacked(con, doc)
        return
    boxed = [section for section in doc.sections if _fits_box(con, section)]
    after = [section for section in doc.sections if section not in boxed]  # a word too long for the box
    parts: list[Any] = [_text(doc.title, "bold")]
    if doc.fields:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for key, value in doc.fields:
            grid.add_row(_text(key), Text(value, style="dim") if value == MISSING else _text(value))
        parts.append(grid)
    for section in boxed:
        parts.append(Text(""))
        parts.append(_text(section.heading, "bold underline"))
        for item in section.items:
            if item.quote:
                line = Text.assemble(("\u201c", "bold"), (visible(item.text), "italic"), ("\u201d", "bold"))
            else:
                line = _text(item.text)
            if item.original:
                line.append("\n\u300c" + visible(item.original) + "\u300d")
            if item.meta:
                line.append(("\n— " if item.quote else "\n") + visible(item.meta), style="dim")
            bullet = Table.grid(padding=(0, 1))
            bullet.add_column(width=1)
            bullet.add_column(overflow="fold")
            bullet.add_row("•", line)
            parts.append(bullet)
    title = Text.assemble((doc.kind + " ", "dim"), (visible(doc.id), "bold cyan"))
    con.print(Panel(Group(*parts), title=title, title_align="left"))
    _sections(con, after)


def chart(con: Console, series: Chart) -> None:
    """A bar per year for each title: '█' for each holder at the end of the year, '░' for each
    possible one; the counts after the bar."""
    for name, rows in series:
        con.print(_text(f"{name}: holders at the end of each year", "bold"))
        grid = Table(show_header=False, box=None, padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="crop")
        grid.add_column(no_wrap=True, style="dim")
        for year, held, possibly in rows:
            bar = Text("█" * held, style="green") + Text("░" * possibly, style="yellow")
            count = f"{held}" + (f" (+{possibly} possibly)" if possibly else "")
            grid.add_row(str(year), bar, count)
        con.print(grid)
