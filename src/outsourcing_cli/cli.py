"""The oscli command line: Typer commands that parse, call the domain, render, and exit.

Exit codes (the contract, also in the README):
  0 success
  1 no such record (the message suggests the closest ids); for `check`: errors were found
  2 usage error (unknown command or option, bad value)
  3 the data files cannot be loaded or are invalid (run `oscli check`)
 70 internal error: a bug in oscli (set OSCLI_DEBUG=1 for the traceback)
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__, output, query, views
from .names import closest
from .output import Mode

EXIT_OK, EXIT_NOT_FOUND, EXIT_DATA, EXIT_BUG = 0, 1, 3, 70  # 2 (usage) comes from Typer

app = typer.Typer(
    name="oscli",
    help="An exact reference to China's state policy on offshore service outsourcing: the "
    "1,000-100-10 Project, its primary outsourcing cities and showcase areas, and the policy "
    "statements behind them, each with its source.",
    epilog="Examples:  oscli cities list  ·  oscli policy show 11th-fyp  ·  oscli check  ·  "
    "oscli cities list --json | jq '.[].name'",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    def __init__(self, data_dir: Optional[Path]) -> None:
        self.data_dir = data_dir
        self._base = None

    @property
    def directory(self) -> Path:
        from .load import resolve_data_dir

        return resolve_data_dir(self.data_dir)

    def base(self):
        """The validated fact base; exits 3 with the first problem when the data is invalid."""
        if self._base is None:
            from .validate import validate

            data_dir = self.directory
            report = validate(data_dir)
            if report.errors:
                first = report.errors[0]
                output.error(
                    f"the data in {data_dir} is invalid ({len(report.errors)} error"
                    f"{'s' if len(report.errors) != 1 else ''}); the first:\n"
                    f"  {first.file}:{first.line}:{first.column}: error {first.code} {first.message}\n"
                    f"Run `oscli check` for every problem and how to fix it."
                )
                raise typer.Exit(EXIT_DATA)
            self._base = report.base
        return self._base


def _version(value: bool) -> None:
    if value:
        print(f"oscli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Optional[Path] = typer.Option(
        None, "--data-dir", envvar="OSCLI_DATA_DIR", exists=True, file_okay=False, dir_okay=True,
        help="Read the data from this directory (sources.yaml, cities.yaml, policies.yaml) "
        "instead of the data shipped with oscli.", show_envvar=True,
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    ctx.obj = State(data_dir)


JSON_OPTION = typer.Option(False, "--json", help="Print JSON (an array for list, an object for show).")


def _complete_ids(kind: str):
    def complete(ctx: typer.Context, incomplete: str):
        from .load import load, resolve_data_dir

        base = load(resolve_data_dir(os.environ.get("OSCLI_DATA_DIR"))).base
        return [r.id for r in query.records(base, kind) if r.id and r.id.lower().startswith(incomplete.lower())]

    return complete


def _draw(as_json: bool, as_data, plain, rich) -> None:
    """Write JSON of ``as_data()``, or call ``plain()``, or ``rich(rich_render, console)``."""
    how = output.mode(as_json)
    with output.writing():
        if how is Mode.JSON:
            from .render import write_json

            write_json(as_data())
        elif how is Mode.PLAIN:
            plain()
        else:
            from . import rich_render

            rich(rich_render, rich_render.console(output.color()))


def _emit_list(ctx: typer.Context, kind: str, items, as_json: bool, title: str) -> None:
    from . import render

    base = ctx.obj.base()
    _draw(
        as_json,
        lambda: [views.to_dict(base, r) for r in items],
        lambda: render.plain_table(*views.rows(base, kind, items)),
        lambda rich_render, console: rich_render.table(console, title, *views.rows(base, kind, items)),
    )


def _not_found(word: str, wanted: str, suggestions: list[str], listing: str) -> None:
    """Exit 1 with the closest ids and the command that lists them all."""
    hint = (" Did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?") if suggestions else ""
    output.error(f"no {word} '{wanted}'.{hint} Run {listing} to see them all.")
    raise typer.Exit(EXIT_NOT_FOUND)


def _emit_show(ctx: typer.Context, kind: str, wanted: str, as_json: bool) -> None:
    base = ctx.obj.base()
    try:
        record = query.get(base, kind, wanted)
    except query.NotFound as missing:
        _not_found(missing.word, missing.wanted, missing.suggestions, f"`oscli {kind} list`")
    from . import render

    _draw(
        as_json,
        lambda: views.to_dict(base, record),
        lambda: render.plain_document(views.document(base, record)),
        lambda rich_render, console: rich_render.document(console, views.document(base, record)),
    )


_ENTITIES = {
    # command: (help, list title, example id)
    "cities": ("The primary outsourcing cities and the showcase areas' host cities.", "Cities", "dalian"),
    "areas": ("Outsourcing showcase areas.", "Outsourcing showcase areas", "suzhou-industrial-park"),
    "policy": ("Policies: plans, speeches, the project and its circulars, with quoted statements.",
               "Policies", "11th-fyp"),
    "agencies": ("The ministries that lead, select and fund.", "Agencies", "moc"),
    "terms": ("The terms the policy defines.", "Terms", "showcase-area"),
    "sources": ("The sources every fact is taken from.", "Sources", "oj-article"),
}


def _entity_app(kind: str) -> typer.Typer:
    help_text, title, example = _ENTITIES[kind]
    word = query.KINDS[kind][1]
    sub = typer.Typer(
        help=help_text,
        epilog=f"Examples:  oscli {kind} list  ·  oscli {kind} show {example}  ·  oscli {kind} list --json",
        no_args_is_help=True,
    )

    @sub.command(
        "list",
        help=f"List every {word}.",
        epilog=f"Examples:  oscli {kind} list  ·  oscli {kind} list --json  ·  oscli {kind} list | cut -f1",
    )
    def list_(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        _emit_list(ctx, kind, query.records(ctx.obj.base(), kind), as_json, title)

    @sub.command(
        "show",
        help=f"Show one {word} with its sources. IDs match case-insensitively.",
        epilog=f"Examples:  oscli {kind} show {example}  ·  oscli {kind} show {example.upper()} --json",
    )
    def show(
        ctx: typer.Context,
        record_id: str = typer.Argument(..., metavar="ID", help=f"The {word}'s id, e.g. {example}.",
                                        autocompletion=_complete_ids(kind)),
        as_json: bool = JSON_OPTION,
    ) -> None:
        _emit_show(ctx, kind, record_id, as_json)

    return sub


for _kind in _ENTITIES:
    app.add_typer(_entity_app(_kind), name=_kind)


class CitationFormat(str, Enum):
    text = "text"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


@app.command(
    "cite",
    epilog="Examples:  oscli cite 11th-fyp  ·  oscli cite npc-2007 --format bibtex  ·  "
    "oscli cite oj-article --format ris  ·  oscli cite --all --format bibtex > oscli.bib",
)
def cite(
    ctx: typer.Context,
    record_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="A policy or source id.",
                                              autocompletion=_complete_ids("policy")),
    fmt: CitationFormat = typer.Option(CitationFormat.text, "--format", "-f", help="Citation format."),
    every: bool = typer.Option(False, "--all", help="Cite every policy and source: a whole bibliography."),
) -> None:
    """Cite a policy or a source as text, BibTeX, CSL-JSON or RIS.

    A policy is cited as a document, with a note naming the source that quotes or describes it.
    Unknown values (an undated article, an untitled page) are left out, never guessed.
    """
    from . import citation

    base = ctx.obj.base()
    if every == (record_id is not None):
        raise typer.BadParameter("give one policy or source ID, or --all (not both)", param_hint="ID")
    if every:
        records = citation.citable(base)
    else:
        try:
            records = [query.get(base, "policy", record_id)]
        except query.NotFound:
            try:
                records = [query.get(base, "sources", record_id)]
            except query.NotFound:
                ids = [r.id for r in citation.citable(base)]
                _not_found("policy or source", record_id, closest(record_id, ids),
                           "`oscli policy list` or `oscli sources list`")
    text = citation.render([citation.reference(base, r) for r in records], fmt.value)
    with output.writing():
        sys.stdout.write(text)


@app.command(
    "check",
    epilog="Examples:  oscli check  ·  oscli check --json  ·  oscli --data-dir ./mydata check --strict  ·  "
    "oscli check --rules",
)
def check(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as a JSON array."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    rules: bool = typer.Option(False, "--rules", help="List every rule: code, severity, what it checks and why."),
) -> None:
    """Validate the data: YAML, schema, references, provenance and domain rules.

    Prints one line per finding as FILE:LINE:COLUMN: SEVERITY CODE MESSAGE, then a summary.
    Acknowledged findings are listed apart. Exits 0 when there are no errors, 1 when there are.
    """
    from .check_render import render_report, render_rules
    from .validate import validate

    how = output.mode(as_json)
    if rules:
        with output.writing():
            render_rules(how)
        return
    data_dir = ctx.obj.directory
    report = validate(data_dir)
    with output.writing():
        render_report(report, how, str(data_dir))
    failed = bool(report.errors) or (strict and bool(report.warnings))
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    """Console-script entry point: run the app; never let a traceback reach the user."""
    try:
        app(prog_name="oscli")
    except output.PipeClosed:
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence
        if os.environ.get("OSCLI_DEBUG"):
            raise
        output.error(f"internal error: {type(err).__name__}: {err}. This is a bug in oscli; please "
                     "report it with the command you ran (OSCLI_DEBUG=1 shows the traceback).")
        sys.exit(EXIT_BUG)
