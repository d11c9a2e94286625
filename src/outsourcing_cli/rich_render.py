"""Drawing results with Rich for a terminal: tables, and a panel per record.

Every string from the data or from the command line goes into a ``Text`` (never parsed as Rich
markup, so ``[/i]`` or ``[link=…]`` in a query is shown as typed) after ``visible`` has escaped
its control characters.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .textsafe import visible
from .views import MISSING, Document

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
    return _Console(color_system="auto" if color else None, highlight=False,
                   force_terminal=terminal and color, no_color=not color, markup=False, emoji=False)


def _text(value: str, style: str | None = None) -> Text:
    return Text(visible(str(value)), style=style or "")


def _cell(value: str) -> Text:
    if value == MISSING:
        return Text(value, style="dim")
    text = _text(value)
    if getattr(value, "marks", ()) and text.plain == value:  # a search match, not shifted by escaping
        for start, end in value.marks:
            text.stylize("bold yellow", start, end)
    return text


def _unbreakable(cells: list[str]) -> bool:
    """A column of ids, codes, dates or yes/no: single short tokens that must never be split."""
    return all(" " not in c and len(c) <= 40 for c in cells)


def table(con: Console, title: str, headers: list[str], rows: list[list[str]], footer: str | None = None) -> bool:
    """Draw a table; False (and nothing drawn) when the console is too narrow to keep every id
    whole, so that the caller can fall back to the plain layout."""
    columns = list(zip(*rows)) if rows else [() for _ in headers]
    keep_whole = [index == 0 or _unbreakable([str(c) for c in column]) for index, column in enumerate(columns)]
    widths = []
    needed = 1
    for index, header in enumerate(headers):
        longest = max([cell_len(str(c)) for c in columns[index]] + [cell_len(header) if keep_whole[index] else 4])
        widths.append(longest)
        needed += _BORDER + (longest if keep_whole[index] else min(longest, 8))
    if needed > con.width:
        return False
    grid = Table(title=_text(title), title_justify="left", header_style="bold")
    for index, header in enumerate(headers):
        if keep_whole[index]:
            grid.add_column(_text(header), style="cyan" if index == 0 else None, no_wrap=True,
                            min_width=max(widths[index], 1))
        else:
            grid.add_column(_text(header), overflow="fold")
    for row in rows:
        grid.add_row(*[_cell(c) for c in row])
    con.print(grid)
    if footer:
        con.print(_text(footer, "dim"))
    return True


def document(con: Console, doc: Document) -> None:
    parts: list = [_text(doc.title, "bold")]
    if doc.fields:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for key, value in doc.fields:
            grid.add_row(_text(key), Text(value, style="dim") if value == MISSING else _text(value))
        parts.append(grid)
    for section in doc.sections:
        parts.append(Text(""))
        parts.append(_text(section.heading, "bold underline"))
        for item in section.items:
            if item.quote:
                line = Text.assemble(("\u201c", "bold"), (visible(item.text), "italic"), ("\u201d", "bold"))
            else:
                line = _text(item.text)
            if item.meta:
                line.append(("\n— " if item.quote else "\n") + visible(item.meta), style="dim")
            bullet = Table.grid(padding=(0, 1))
            bullet.add_column(width=1)
            bullet.add_column(overflow="fold")
            bullet.add_row("•", line)
            parts.append(bullet)
    title = Text.assemble((doc.kind + " ", "dim"), (visible(doc.id), "bold cyan"))
    con.print(Panel(Group(*parts), title=title, title_align="left"))


def chart(con: Console, series) -> None:
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
