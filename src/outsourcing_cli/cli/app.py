"""The oscli command line: an adapter that parses, calls the domain, renders and picks the exit
code. Every `list` and `show` command is made from the registry of kinds (``kinds``).

Exit codes (the contract, also in the README):
  0 success
  1 no such record (the message suggests the closest ids); a filter value no record has;
    `search` found nothing; for `check`: errors were found; for `export`: the file exists
    (without --replace) or cannot be written; for `sources open`: the source has no URL
  2 usage error (unknown command, option or field; a bad value)
  3 the data files cannot be loaded or are invalid (the message gives the `oscli check` to run)
 70 internal error: a bug in oscli (set OSCLI_DEBUG=1 for the traceback)
 69 `mcp`: the optional MCP SDK is not installed (pip install 'oscli[mcp]')
 74 standard output cannot be written (a full disk, a closed descriptor)
130 interrupted (Ctrl-C)
"""

# (no "from __future__ import annotations": Typer would evaluate every annotation at start-up)

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core
import typer.main

from .. import __version__
from ..domain import kinds
from ..present import output
from .common import EXIT_BUG, EXIT_INTERRUPTED, EXIT_IOERR, EXIT_OK, State, _examples

if TYPE_CHECKING:  # the click Typer runs on (its own copy), named for the checker only
    from typer import _click as click

NARROW = 70  # below this many columns, help is drawn by click's plain formatter, which never truncates


class LazyGroup(typer.core.TyperGroup):
    """A group whose commands are built only when asked for: a run builds the one it uses, not
    all of them (Typer reads each function's signature and makes each option anew: start-up
    time). Subclasses name their commands (``names``) and build one (``build``)."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def build(self, name: str) -> "click.Command":
        raise NotImplementedError

    def list_commands(self, ctx: "click.Context") -> list[str]:
        return self.names()

    def get_command(self, ctx: "click.Context", name: str) -> "Optional[click.Command]":
        if name not in self.commands and name in self.names():
            self.commands[name] = self.build(name)
        return super().get_command(ctx, name)

    def resolve_command(
        self, ctx: "click.Context", args: list[str]
    ) -> "tuple[Optional[str], Optional[click.Command], list[str]]":
        try:
            return super().resolve_command(ctx, args)
        except Exception:  # an unknown command: suggest among all of them, the lazy ones included
            for name in self.names():
                self.get_command(ctx, name)
            return super().resolve_command(ctx, args)


class OscliGroup(LazyGroup):
    """The root command: decides, per run, whether help and usage errors are drawn with Rich
    (a wide, styled terminal) or as plain text (a pipe, NO_COLOR, TERM=dumb, a narrow terminal).

    Its commands: those of each kind (``cities``, ``policies``...) from the registry, then the
    others (``search``, ``check``...), each from its own module (``_COMMANDS``)."""

    def names(self) -> list[str]:
        return [*_KIND_COMMANDS, *_COMMANDS]

    def get_command(self, ctx: "click.Context", name: str) -> "Optional[click.Command]":
        """A hidden alias (``policy``, the group's old name) runs the command it stands for."""
        return super().get_command(ctx, COMMAND_ALIASES.get(name, name))

    def build(self, name: str) -> "click.Command":
        if name in _KIND_COMMANDS:
            command = typer.main.get_command(_kind_app(_KIND_COMMANDS[name]))
            # typed as click's Command, it is Typer's (TyperGroup), which has rich_help_panel
            command.name, command.rich_help_panel = name, "Records"  # type: ignore[attr-defined]
            return command
        command = typer.main.get_command(_load(_COMMANDS[name]))
        if name in _PANELS:  # a group of commands (export): named and placed here
            # typed as click's Command, it is Typer's (TyperGroup), which has rich_help_panel
            command.name, command.rich_help_panel = name, _PANELS[name]  # type: ignore[attr-defined]
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        import shutil

        typer.core.HAS_RICH = output.styled() and shutil.get_terminal_size((80, 24)).columns >= NARROW
        for param in self.params:  # Typer's --install-completion and --show-completion, added after __init__
            if (
                param.name in ("install_completion", "show_completion")
                and param.callback is not None
                and param.callback.__name__ != "callback_in_the_shell"
            ):
                param.callback = _in_the_shell(param.callback)
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # click saw a closed pipe
                output.silence_stdout()
                raise SystemExit(EXIT_OK) from None
            raise


_ParamCallback = Callable[["click.Context", "click.Parameter", Any], Any]


def _in_the_shell(callback: _ParamCallback) -> _ParamCallback:
    """A completion option's callback told the shell, when a flag gives none: the shell among the
    parent processes, as Typer finds it, else $SHELL's. Typer looks only among the parents, and
    fails ("Shell  not supported.", exit 1) when oscli is not started from a shell: by cron, an
    editor's task, a Python script's subprocess (shellingham's own advice is to fall back on
    $SHELL)."""

    def callback_in_the_shell(ctx: "click.Context", param: "click.Parameter", value: Any) -> Any:
        if value is True and not ctx.resilient_parsing:
            from typer._completion_shared import _get_shell_name  # Typer's own look (typer is pinned <0.29)

            value = _get_shell_name() or Path(os.environ.get("SHELL", "")).name.lower() or value
        return callback(ctx, param, value)

    return callback_in_the_shell


# Names that still work but that help does not list: `policy` was the group's name until it became
# `policies`, like the eight other plural groups (the design card's `oscli policy show 11th-fyp`).
COMMAND_ALIASES = {"policy": "policies"}


class KindGroup(LazyGroup):
    """The `list` and `show` commands of one kind (``name`` is the kind's command)."""

    def names(self) -> list[str]:
        return ["list", "show", *_KIND_EXTRAS.get(self.kind_command, {})]

    @property
    def kind_command(self) -> str:
        """The kind's command: the group's name, given by OscliGroup.build before it is used."""
        return self.name or ""

    def build(self, name: str) -> "click.Command":
        declared = _KIND_COMMANDS[self.kind_command]
        if name in _KIND_EXTRAS.get(self.kind_command, {}):
            return typer.main.get_command(_load(_KIND_EXTRAS[self.kind_command][name]))
        from .records import _list_app, _show_app

        return typer.main.get_command(_list_app(declared) if name == "list" else _show_app(declared))


app = typer.Typer(
    name="oscli",
    cls=OscliGroup,
    help="An exact reference to China's state policy on offshore service outsourcing: the "
    "1,000-100-10 Project, its base cities, model cities, showcase areas and showcase bases with "
    "each designation dated, the policies and the statements behind them, each with its source.",
    epilog="Examples:\n\n  oscli cities list\n\n  oscli policies show 11th-fyp\n\n  oscli search suzhou\n\n"
    "  oscli check\n\n  oscli cities list --json | jq -r '.[].name'",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> bool:
    """--version, with --verbose in either order: both are eager, and each is seen by the other's
    callback only when it came first, so the one processed second prints."""
    seen = ctx.meta.setdefault("oscli.version", {})
    seen[param.name] = value
    if len(seen) < 2 or not seen.get("version"):
        return value
    from ..store.paths import resolve_data_dir

    data_dir = resolve_data_dir(ctx.params.get("data_dir") or os.environ.get("OSCLI_DATA_DIR"))
    with output.writing():
        sys.stdout.write(f"oscli {__version__}{_data_date_note(data_dir)}\n")
        if seen.get("verbose"):
            sys.stdout.write(_how_data_is_read(data_dir))
    raise typer.Exit()


def _how_data_is_read(data_dir: Path) -> str:
    """The lines --version --verbose adds: how this oscli reads its data (imports PyYAML to tell)."""
    import platform

    import yaml

    from ..domain.textsafe import escaped  # (paths from the environment are shown, never obeyed)
    from ..store import cache
    from ..store.snapshot import snapshot_state

    folder = cache.directory() if cache.enabled() else None
    parser = (
        "libyaml (C)"
        if cache.libyaml()
        else "pure Python, about 4x slower on a cold run: no libyaml (see `pip install --force-reinstall pyyaml`)"
    )
    return (
        f"python {platform.python_version()}\n"
        f"pyyaml {yaml.__version__}; parser: {parser}\n"
        f"data: {escaped(str(data_dir))}\n"
        f"snapshot: {snapshot_state(data_dir)}\n"
        f"cache: {escaped(str(folder)) if folder is not None else 'off'}\n"
    )


def _data_date_note(data_dir: Path) -> str:
    """' (data to DATE)': the date the data end at (issue 18); what went wrong, never an exit."""
    from ..domain.currency import data_date
    from ..store.cache import validated

    try:
        report = validated(data_dir)
    except Exception:
        return " (data: cannot be read; run `oscli check`)"
    if report.errors:
        return " (data: invalid; run `oscli check`)"
    date = data_date(report.base)
    return f" (data to {date})" if date else ""


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--data-dir",
            envvar="OSCLI_DATA_DIR",
            exists=True,
            file_okay=False,
            dir_okay=True,
            help=f"Read the data from this directory ({', '.join(kinds.files())}) "
            "instead of the data shipped with oscli.",
            show_envvar=True,
            is_eager=True,  # read before an eager --version that follows it, which names the data's date
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            callback=_version,
            is_eager=True,
            help="With --version: also how oscli reads its data (YAML parser, the wheel's snapshot, the cache).",
        ),
    ] = False,
) -> None:
    ctx.obj = State(data_dir)


def _kind_app(declared: kinds.Kind) -> typer.Typer:
    """The group of a kind's commands; KindGroup builds `list` or `show` when it is used."""
    command = declared.command
    group = typer.Typer(
        cls=KindGroup,
        add_completion=False,
        help=declared.help,
        epilog=_examples(
            declared.examples[0], f"oscli {command} show {declared.example}", f"oscli {command} list --json"
        ),
        no_args_is_help=True,
    )
    group.callback()(lambda: None)  # a group with no command of its own yet: Typer needs a callback
    return group


# -- the commands: where each is made, as "module:attribute" of this package ---------------------------
# (as pip's commands/__init__.py: a run imports the module of the command it uses, not the others)

_KIND_COMMANDS = {k.command: k for k in kinds.KINDS.values()}  # list and show: records.py's factories
_COMMANDS: dict[str, str] = {  # the other commands, in the order help lists them: each a Typer app
    "search": "search:search_app",
    "timeline": "timeline:timeline_app",
    "cite": "cite:cite_app",
    "check": "check:check_app",
    "schema": "check:schema_app",
    "export": "export:export_app",
    "mcp": "mcp:mcp_app",
}
_PANELS: dict[str, str] = {"export": "Publish"}  # the help panel of each group of commands among them
_KIND_EXTRAS: dict[str, dict[str, str]] = {"sources": {"open": "sources:sources_open_app"}}  # beyond list and show


def _load(target: str) -> typer.Typer:
    """The app "module:attribute" names; its module is imported now, when its command is built."""
    module, _, attribute = target.partition(":")
    name = f"{__package__}.{module}"
    __import__(name)  # (not importlib.import_module, which -X importtime, the start-up check, does not see)
    found: typer.Typer = getattr(sys.modules[name], attribute)
    return found


# -- the entry point --------------------------------------------------------------------------------


def main() -> None:
    """Run the app; never let a traceback reach the user."""
    import errno

    if sys.stdout is None:
        output.error("cannot write: standard output is closed")
        sys.exit(EXIT_IOERR)
    output.guard_stdout()
    try:
        try:
            app(prog_name="oscli")
        finally:
            with output.writing():
                pass  # the last flush: a failure here is the same as one while writing
            output.warn_unencodable()
    except output.PipeClosed:
        sys.exit(EXIT_OK)
    except output.OutputFailed as err:
        output.error(f"cannot write to standard output: {err}")
        sys.exit(EXIT_IOERR)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except OSError as err:
        if err.errno in (errno.EPIPE,):
            output.silence_stdout()
            sys.exit(EXIT_OK)
        if err.errno in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT):
            output.silence_stdout()
            output.error(f"cannot write to standard output: {err.strerror}")
            sys.exit(EXIT_IOERR)
        _bug(err)
    except Exception as err:
        _bug(err)


def _bug(err: BaseException) -> None:
    if os.environ.get("OSCLI_DEBUG"):
        raise err
    output.error(
        f"internal error: {type(err).__name__}: {err}. This is a bug in oscli; please "
        "report it with the command you ran (OSCLI_DEBUG=1 shows the traceback)."
    )
    sys.exit(EXIT_BUG)
