"""Drawing results with Rich for a terminal: tables, and a panel per record."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .views import MISSING, Document


def console(color: bool, terminal: bool = True, stderr: bool = False) -> Console:
    """A console for tables and panels: colour only if ``color``; boxes without any escape
    codes when not on a terminal (`--format table` in a pipe)."""
    return Console(color_system="auto" if color else None, stderr=stderr, highlight=False,
                   force_terminal=terminal, no_color=not color)


def _cell(value: str) -> Text:
    if value == MISSING:
        return Text(value, style="dim")
    text = Text(value)
    for start, end in getattr(value, "marks", ()):  # a search match
        text.stylize("bold yellow", start, end)
    return text


def table(con: Console, title: str, headers: list[str], rows: list[list[str]]) -> None:
    grid = Table(title=title, title_justify="left", header_style="bold")
    for index, header in enumerate(headers):
        grid.add_column(header, style="cyan" if index == 0 else None, overflow="fold")
    for row in rows:
        grid.add_row(*[_cell(c) for c in row])
    con.print(grid)


def document(con: Console, doc: Document) -> None:
    parts: list = [Text(doc.title, style="bold")]
    if doc.fields:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for key, value in doc.fields:
            grid.add_row(key, Text(value, style="dim") if value == MISSING else Text(value))
        parts.append(grid)
    for section in doc.sections:
        parts.append(Text(""))
        parts.append(Text(section.heading, style="bold underline"))
        for item in section.items:
            if item.quote:
                line = Text.assemble(("\u201c", "bold"), (item.text, "italic"), ("\u201d", "bold"))
            else:
                line = Text(item.text)
            if item.meta:
                line.append(("\n— " if item.quote else "\n") + item.meta, style="dim")
            bullet = Table.grid(padding=(0, 1))
            bullet.add_column(width=1)
            bullet.add_column(overflow="fold")
            bullet.add_row("•", line)
            parts.append(bullet)
    title = Text.assemble((doc.kind + " ", "dim"), (doc.id, "bold cyan"))
    con.print(Panel(Group(*parts), title=title, title_align="left"))
