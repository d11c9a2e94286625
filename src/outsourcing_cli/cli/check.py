"""`oscli check` (validate the data: YAML, schema, references, provenance, domain rules) and
`oscli schema` (the JSON Schema every data file validates against).

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..domain import kinds
from ..present import output
from ..present.output import Format
from .common import _domain, _examples, _format_type

# -- check and schema --------------------------------------------------------------------------------

if TYPE_CHECKING:  # the --format option Typer reads, as the checker sees it
    from .common import FormatChoice

    CheckFormatOpt = Optional[FormatChoice]
else:
    CheckFormatOpt = _format_type(output.CHECK_FORMATS)

check_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@check_app.command(
    "check",
    rich_help_panel="Find, cite and check",
    epilog=_examples(
        "oscli check",
        "oscli check --json",
        "oscli --data-dir ./mydata check --strict",
        "oscli check mydata/sources.yaml mydata/cities.yaml",
        "oscli check --format github",
        "oscli check --format sarif > oscli.sarif",
        "oscli check --rules",
    ),
)
def check(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            metavar="[PATH]...",
            show_default=False,
            help="Data directories, or data files (each checks the directory that holds it, with the other "
            "files). Default: --data-dir, else the data shipped with oscli. Other files are skipped: "
            "pre-commit may pass every YAML file.",
        ),
    ] = None,
    fmt: CheckFormatOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as a JSON array.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    rules: Annotated[
        bool, typer.Option("--rules", help="List every rule: code, severity, what it checks and why.")
    ] = False,
) -> None:
    """Validate the data: YAML, schema, references, provenance and domain rules.

    Prints one line per finding as FILE:LINE:COLUMN: SEVERITY CODE MESSAGE, then a summary; a file
    that cannot be parsed comes first, at the line where the problem starts. Acknowledged findings
    are listed apart. --format github writes GitHub Actions annotations, --format sarif SARIF 2.1.0.
    Exits 0 when there are no errors, 1 when there are (also when the reader of the output stops
    early).
    """
    from ..domain.findings import Report
    from ..present.check_render import render_report, render_rules
    from ..store.cache import validated

    with _domain():
        how = output.choose(fmt, as_json, output.CHECK_FORMATS)
    if rules:
        if how in (Format.github, Format.sarif):
            raise typer.BadParameter(
                f"--rules lists the rules as a table or data, not as {how.value}", param_hint="'--format'"
            )
        with output.writing():
            render_rules(how)
        return
    directories = _check_directories(ctx, paths)
    if not directories:
        raise typer.Exit(0)
    reports = [validated(d) for d in directories]
    report = reports[0] if len(reports) == 1 else Report(reports[0].base, tuple(f for r in reports for f in r.findings))
    failed = bool(report.errors) or (strict and bool(report.warnings))
    try:
        with output.writing():
            render_report(report, how, ", ".join(str(d) for d in directories))
    except output.PipeClosed:  # the reader stopped early (| head -1): the verdict still holds
        raise typer.Exit(1 if failed else 0) from None
    raise typer.Exit(1 if failed else 0)


def _check_directories(ctx: typer.Context, paths: Optional[list[Path]]) -> list[Path]:
    """The data directories `check PATH...` names: each directory given, and the directory of each
    data file given (a file named as a kind's file). Other files are skipped, with a note when
    nothing is left; a path that does not exist is a usage error."""
    if not paths:
        return [ctx.obj.directory]
    known = set(kinds.files())
    directories: list[Path] = []
    skipped = []
    for path in paths:
        if path.is_dir():
            found = path
        elif path.exists() or path.is_symlink():
            if path.name not in known:
                skipped.append(path)
                continue
            found = path.parent
        else:
            raise typer.BadParameter(f"'{path}' does not exist", param_hint="PATH")
        if found.resolve() not in [d.resolve() for d in directories]:
            directories.append(found)
    if not directories:
        output.error(
            f"nothing to check: none of the {len(skipped)} files given is a data file ({', '.join(sorted(known))})"
        )
    return directories


schema_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@schema_app.command(
    "schema",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli schema > oscli.schema.json", "oscli --data-dir mydata schema > mydata/oscli.schema.json"),
)
def schema_command(ctx: typer.Context) -> None:
    """Print a JSON Schema (draft-07) that every data file validates against.

    Derived from the registry of kinds: sections, fields and their types, required fields, id
    patterns, the vocabularies (the titles of the data at hand among them) and no unknown field.
    Editors using yaml-language-server check and complete a data file with it as it is typed; see
    the README ("Keeping your own fact base"). References between files, calendar dates and the
    domain rules are `oscli check`'s.
    """
    import json

    from ..store.cache import validated
    from ..store.dataschema import json_schema

    base = validated(ctx.obj.directory).base  # the titles, even from data with errors elsewhere
    vocabularies = {
        k.name: sorted({r.id for r in base.of(k.name) if r.id}) for k in kinds.KINDS.values() if k.vocabulary
    }
    with output.writing():
        sys.stdout.write(json.dumps(json_schema(vocabularies), indent=2, ensure_ascii=False) + "\n")
