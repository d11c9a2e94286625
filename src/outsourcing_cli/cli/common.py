"""What every oscli command shares: the run's State (the data directory and its validated fact
base), the exit codes, domain errors turned into messages and exit codes (``_domain``), writing a
payload (``_emit``), the format and fields asked for, and the shared option types and completions.

Imported by every run (the root callback makes the State): imports at module level only what a
typical run (`oscli cities list --json`) needs. Keeps real annotations (no ``from __future__ import
annotations``): Typer evaluates them to make the options.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..domain import kinds, query
from ..domain.names import Ambiguous, BadOption, NotFound, UnknownValue, plural, suggestion
from ..present import output, views
from ..present.output import Format

if TYPE_CHECKING:  # for the checker only (string annotations): not loaded by a typical run
    from enum import Enum

    from ..domain.model import FactBase
    from ..domain.searchindex import SearchIndex
    from ..present.render import Payload

# the exit codes; the contract is cli/app.py's docstring (and the README)
EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA, EXIT_BUG, EXIT_IOERR, EXIT_INTERRUPTED = 0, 1, 2, 3, 70, 74, 130


# -- state: the data directory and its validated fact base ----------------------------------------


class State:
    def __init__(self, data_dir: Optional[Path]) -> None:
        self.data_dir = data_dir
        self._base: Optional[FactBase] = None

    @property
    def directory(self) -> Path:
        from ..store.paths import resolve_data_dir

        return resolve_data_dir(self.data_dir)

    def check_command(self) -> str:
        """The exact `oscli check` that reports every problem of the data this run read."""
        if self.data_dir is None:
            return "oscli check"
        import shlex  # only when the data is invalid

        return f"oscli --data-dir {shlex.quote(str(self.data_dir))} check"

    def search_index(self) -> "SearchIndex":
        """The fact base's SearchIndex, kept in the cache next to it."""
        from ..store.cache import search_index

        found: SearchIndex = search_index(self.directory, self.base())
        return found

    def base(self) -> "FactBase":
        """The validated fact base; exits 3 with the first problem when the data is invalid."""
        if self._base is None:
            from ..store.cache import validated

            data_dir = self.directory
            report = validated(data_dir)
            if report.errors:
                first = report.errors[0]
                output.error(
                    f"the data in {data_dir} is invalid ({plural(len(report.errors), 'error')}); the first:\n"
                    f"  {first.file}:{first.line}:{first.column}: error {first.code} {first.message}\n"
                    f"Run `{self.check_command()}` for every problem and how to fix it."
                )
                raise typer.Exit(EXIT_DATA)
            self._base = report.base
            from ..store.gcpause import freeze

            freeze()  # the base lives as long as the process
        return self._base


# -- turning domain outcomes into messages and exit codes ------------------------------------------


@contextmanager
def _domain() -> Iterator[None]:
    """Run domain calls; their typed errors become a usage error (2) or a message and exit 1."""
    try:
        yield
    except (BadOption, output.UsageError) as err:
        raise typer.BadParameter(str(err), param_hint=f"'{err.option}'") from None
    except NotFound as missing:
        output.error(
            f"no {missing.word} '{missing.wanted}'{suggestion(missing.suggestions)} "
            f"Run {missing.listing} to see them all."
        )
        raise typer.Exit(EXIT_NOT_FOUND) from None
    except Ambiguous as many:
        names = ", ".join(f"{r.id} ({kinds.label_of(r)})" for r in many.candidates)
        output.error(f"'{many.wanted}' names more than one {many.word}: {names}. Give the id.")
        raise typer.Exit(EXIT_NOT_FOUND) from None
    except UnknownValue as missing:
        output.error(
            f"no {missing.word} has {missing.option} '{missing.wanted}'{suggestion(missing.suggestions) or '.'}"
        )
        raise typer.Exit(EXIT_NOT_FOUND) from None


def _emit(fmt: Format, payload: "Payload") -> None:
    from ..present import render

    with output.writing():
        render.write(fmt, payload)


def _field_help(kind: str) -> None:
    rows = views.field_help(kind)
    width = max(len(name) for name, _ in rows)
    with output.writing():
        for name, text in rows:
            sys.stdout.write(f"{name.ljust(width)}  {text}\n")
    raise typer.Exit(EXIT_OK)


def _chosen(
    kind: str, fmt: Optional[str], as_json: bool, fields: Optional[str], valid: Optional[list[str]] = None
) -> tuple[Format, Optional[list[str]]]:
    """The format and fields asked for; `--fields help` prints the fields and exits."""
    if fields is not None and fields.strip() == "help":
        _field_help(kind)
    with _domain():
        return output.choose(fmt, as_json), query.choose_fields(kind, fields, valid)


# -- shared options -------------------------------------------------------------------------------


def _format_type(
    formats: tuple[Format, ...] = output.RECORD_FORMATS, default_help: str = "table on a terminal, plain in a pipe"
) -> Any:
    """An option taking the formats of one command: a subset of the one list, output.Format. An
    annotation made at run time, which the checker reads as ``Optional[FormatChoice]``."""
    choices = output.subset(formats)
    return Annotated[
        Optional[choices],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help=f"One of: {', '.join(f.value for f in formats)} (default: {default_help}).",
        ),
    ]


if TYPE_CHECKING:

    class FormatChoice(str, Enum):
        """What a --format option gives: a member of an ``output.subset`` Enum (made with type=str)."""

    FormatOpt = Optional[FormatChoice]
else:
    FormatOpt = _format_type()
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON: the short form of --format json.")]


def _completion_base(ctx: typer.Context) -> "FactBase":
    """The fact base a completion offers values from: the --data-dir (or OSCLI_DATA_DIR) typed so
    far, else the packaged data. (Completion runs before the root callback makes the State.)"""
    from ..store.cache import validated
    from ..store.paths import resolve_data_dir

    root = ctx.find_root()
    given = root.params.get("data_dir") if root.params else None
    return validated(resolve_data_dir(str(given) if given else os.environ.get("OSCLI_DATA_DIR"))).base


def _complete_ids(kind: str) -> Callable[[typer.Context, str], list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        base = _completion_base(ctx)
        return [r.id for r in base.of(kind) if r.id and r.id.lower().startswith(incomplete.lower())]

    return complete


def _complete_fields(kind: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        names = views.VIEWS[kind].names if kind in views.VIEWS else kinds.get(kind).field_names
        return [prefix + f for f in names if f.startswith(last)] + (["help"] if not done else [])

    return complete


def _fields_type(kind: str) -> Any:
    """The --fields option of one kind: an annotation made at run time, ``Optional[str]`` to the checker
    (a command module names it under TYPE_CHECKING)."""
    return Annotated[
        Optional[str],
        typer.Option(
            "--fields",
            metavar="A,B,C",
            autocompletion=_complete_fields(kind),
            help="Only these fields, in this order, in every format; a dotted name reaches into objects "
            "(titles.title). `--fields help` lists them.",
        ),
    ]


def _examples(*lines: str) -> str:
    """A help epilog of real commands, one per line (Typer keeps lines split by blank lines)."""
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)
