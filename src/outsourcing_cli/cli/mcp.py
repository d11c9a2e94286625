"""`oscli mcp`: the fact base for AI assistants, a Model Context Protocol server on stdio
(serve/mcp.py; the SDK is imported only when the command runs).

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from ..present import output
from .common import _examples

# -- mcp: the fact base for AI assistants, over the Model Context Protocol ----------------------------

EXIT_UNAVAILABLE = 69  # an optional part is not installed (sysexits' EX_UNAVAILABLE): `mcp` without its SDK


class McpClient(str, Enum):
    claude = "claude"
    vscode = "vscode"


mcp_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@mcp_app.command(
    "mcp",
    rich_help_panel="Publish",
    epilog=_examples("oscli mcp --config claude", "oscli --data-dir ./mydata mcp --config vscode"),
)
def mcp_command(
    ctx: typer.Context,
    config: Annotated[
        Optional[McpClient],
        typer.Option(
            "--config",
            case_sensitive=False,
            show_default=False,
            help="Print the JSON that registers this server in a client (claude: claude_desktop_config.json; "
            "vscode: .vscode/mcp.json), with the full path of this oscli and the --data-dir given, and exit.",
        ),
    ] = None,
) -> None:
    """Serve the fact base to AI assistants as a Model Context Protocol server on stdio.

    Tools: search, show, list, cite, timeline and provisions, each returning the sources and evidence of the
    facts it states; resources: every record as oscli://KIND/ID and the data model. Register it
    in Claude Desktop, VS Code or any MCP client as the command `oscli mcp` (see the README).
    Needs the optional MCP SDK: pip install 'oscli[mcp]'. Logs go to stderr; stdout carries only
    protocol messages.
    """
    try:
        from ..serve.mcp import client_config, serve  # imports the SDK (about a second): only here
    except ImportError as err:
        if (err.name or "").partition(".")[0] not in ("mcp", "pydantic", "typing_extensions"):
            raise
        output.error(f"`oscli mcp` needs the MCP SDK, an optional extra: pip install 'oscli[mcp]' ({err})")
        raise typer.Exit(EXIT_UNAVAILABLE) from None
    if config is not None:
        with output.writing():
            sys.stdout.write(client_config(config.value, ctx.obj.data_dir))
        return
    base = ctx.obj.base()  # invalid data: exit 3 before serving, as every command

    serve(base, ctx.obj.search_index)
