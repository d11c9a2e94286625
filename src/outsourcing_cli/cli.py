"""The oscli command line: Typer commands that parse, call the domain, render, and exit.

Exit codes (the contract, also in the README):
  0 success
  1 no such record (the message suggests the closest ids); for `check`: errors were found
  2 usage error (unknown command or option, bad value)
  3 the data files cannot be loaded or are invalid (run `oscli check`)
 70 internal error: a bug in oscli (set OSCLI_DEBUG=1 for the traceback)
"""

# (no "from __future__ import annotations": Typer would evaluate every annotation at start-up)

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__, output, query, views
from .names import closest, did_you_mean

EXIT_OK, EXIT_NOT_FOUND, EXIT_DATA, EXIT_BUG = 0, 1, 3, 70  # 2 (usage) comes from Typer

app = typer.Typer(
    name="oscli",
    help="An exact reference to China's state policy on offshore service outsourcing: the "
    "1,000-100-10 Project, its primary outsourcing cities and showcase areas, and the policy "
    "statements behind them, each with its source.",
    epilog="Examples:\n\n  oscli cities list\n\n  oscli policy show 11th-fyp\n\n  oscli search suzhou\n\n"
    "  oscli check\n\n  oscli cities list --json | jq -r '.[].name'",
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
        from .paths import resolve_data_dir

        return resolve_data_dir(self.data_dir)

    def base(self):
        """The validated fact base; exits 3 with the first problem when the data is invalid."""
        if self._base is None:
            from .cache import validated

            data_dir = self.directory
            report = validated(data_dir)
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
            from .gcpause import freeze

            freeze()  # the base lives as long as the process
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


def _examples(*lines: str) -> str:
    """A help epilog of real commands, one per line (Typer keeps lines split by blank lines)."""
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)


JSON_OPTION = typer.Option(False, "--json", help="Print JSON: the short form of --format json.")
FORMAT_OPTION = typer.Option(
    None, "--format", "-f", case_sensitive=False, show_default=False,
    help="table (a terminal's default), plain (tab-separated; the default in a pipe), json, ndjson "
    "(one object per line), csv (UTF-8 with BOM; lists joined by '; ') or yaml.",
)


def _complete_ids(kind: str):
    def complete(ctx: typer.Context, incomplete: str):
        from .cache import validated
        from .paths import resolve_data_dir

        base = validated(resolve_data_dir(os.environ.get("OSCLI_DATA_DIR"))).base
        return [r.id for r in query.records(base, kind) if r.id and r.id.lower().startswith(incomplete.lower())]

    return complete


def _complete_fields(kind: str):
    def complete(incomplete: str):
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        return [prefix + f for f in views.FIELDS[kind] if f.startswith(last)] + (["help"] if not done else [])

    return complete


def _fields_option(kind: str):
    return typer.Option(
        None, "--fields", metavar="A,B,C", autocompletion=_complete_fields(kind),
        help="Only these fields, in this order, in every format. `--fields help` lists them.",
    )


def _hint(wanted: str, valid) -> str:
    """'; did you mean 'x'?' or a period: the end of a sentence naming something unknown."""
    return did_you_mean(wanted, valid) or "."


def _usage(message: str, option: str) -> None:
    raise typer.BadParameter(message, param_hint=f"'{option}'")


def _chosen_fields(kind: str, text: Optional[str]) -> Optional[list[str]]:
    """The fields named by --fields; `help` prints them all with what they hold, and exits 0."""
    if text is None:
        return None
    valid = views.FIELDS[kind]
    if text.strip() == "help":
        width = max(len(f) for f in valid)
        with output.writing():
            for name in valid:
                sys.stdout.write(f"{name.ljust(width)}  {views.DESCRIPTIONS[name]}\n")
        raise typer.Exit(EXIT_OK)
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    for name in chosen:
        if name not in valid:
            _usage(f"no field '{name}' in {kind}{_hint(name, valid)} Valid fields: {', '.join(valid)}.",
                   "--fields")
    if not chosen:
        _usage(f"name at least one field. Valid fields: {', '.join(valid)}.", "--fields")
    return chosen


def _format(fmt: Optional[output.Format], as_json: bool) -> output.Format:
    try:
        return output.choose(fmt, as_json)
    except ValueError as err:
        _usage(str(err), "--format")
        raise  # unreachable: _usage raises


def _write(fmt: output.Format, kind: str, title: str, dicts: list[dict], fields: Optional[list[str]],
           single: bool = False, document=None) -> None:
    """Draw records (as their JSON-contract dicts) in the chosen format.

    ``single``: a show command (an object, not an array, in JSON and YAML). ``document``: a
    function giving the show page for table and plain output.
    """
    from . import render

    F = output.Format
    with output.writing():
        if fmt in (F.json, F.ndjson, F.yaml, F.csv):
            keys = fields or (views.flat_fields(kind) if fmt is F.csv else None)
            data = [views.project(d, keys) for d in dicts]
            if fmt is F.csv:
                render.write_csv(keys, data)
            elif fmt is F.ndjson:
                render.write_ndjson(data)
            elif fmt is F.json:
                render.write_json(data[0] if single else data)
            else:
                render.write_yaml(data[0] if single else data)
            return
        page = document() if single and document is not None else None
        if page is None:
            headers, cells = views.rows(kind, dicts, fields)
        if fmt is F.plain:
            if page is not None:
                render.plain_document(page)
            else:
                render.plain_table(headers, cells)
            return
        from . import rich_render

        console = rich_render.console(output.color(), terminal=output.terminal())
        if page is not None:
            rich_render.document(console, page)
        else:
            rich_render.table(console, title, headers, cells)


def _suggest(suggestions: list[str]) -> str:
    """' Did you mean 'a' or 'b'?' (with a leading space), or '' when nothing is close."""
    return (" Did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?") if suggestions else ""


def _not_found(word: str, wanted: str, suggestions: list[str], listing: str) -> None:
    """Exit 1 with the closest ids and the command that lists them all."""
    output.error(f"no {word} '{wanted}'.{_suggest(suggestions)} Run {listing} to see them all.")
    raise typer.Exit(EXIT_NOT_FOUND)


def _list(ctx: typer.Context, kind: str, items, fmt, as_json, fields, sort: Optional[str], reverse: bool) -> None:
    chosen_format, chosen = _format(fmt, as_json), _chosen_fields(kind, fields)
    base = ctx.obj.base()
    valid = query.sortable_fields(kind)
    if sort is not None and sort not in valid:
        _usage(f"cannot sort {kind} by '{sort}'{_hint(sort, valid)} Sortable fields: {', '.join(valid)}.",
               "--sort")
    items = query.sort_records(items, sort, reverse)
    _write(chosen_format, kind, _ENTITIES[kind][1], [views.to_dict(base, r) for r in items], chosen)


def _filtered(kind: str, call):
    """Run a query filter; a value that no record has exits 1 with the closest values."""
    try:
        return call()
    except query.UnknownValue as missing:
        output.error(f"no {query.KINDS[kind][1]} has {missing.option} '{missing.wanted}'.{_suggest(missing.suggestions)} "
                     f"Known: {', '.join(missing.known)}.")
        raise typer.Exit(EXIT_NOT_FOUND)


def _emit_show(ctx: typer.Context, kind: str, wanted: str, fmt, as_json: bool, fields) -> None:
    chosen_format, chosen = _format(fmt, as_json), _chosen_fields(kind, fields)
    base = ctx.obj.base()
    try:
        record = query.get(base, kind, wanted)
    except query.NotFound as missing:
        _not_found(missing.word, missing.wanted, missing.suggestions, f"`oscli {kind} list`")
    data = views.to_dict(base, record)
    page = ((lambda: views.fields_document(record, data, chosen)) if chosen
            else (lambda: views.document(base, record)))
    _write(chosen_format, kind, _ENTITIES[kind][1], [data], chosen, single=True, document=page)


_ENTITIES = {
    # command: (help, list title, example id, list examples)
    "cities": ("The primary outsourcing cities and the showcase areas' host cities.", "Cities", "dalian",
               ["oscli cities list", "oscli cities list --province jiangsu --format csv",
                "oscli cities list --primary --sort name --fields id,name,name_zh",
                "oscli cities list --json | jq -r '.[] | select(.primary_outsourcing_city) | .name'"]),
    "areas": ("Outsourcing showcase areas.", "Outsourcing showcase areas", "suzhou-industrial-park",
              ["oscli areas list", "oscli areas list --city suzhou --format yaml"]),
    "policy": ("Policies: plans, speeches, the project and its circulars, with quoted statements.",
               "Policies", "11th-fyp",
               ["oscli policy list", "oscli policy list --since 2007 --sort date",
                "oscli policy list --fields id,date,document_number --format csv"]),
    "agencies": ("The ministries that lead, select and fund.", "Agencies", "moc",
                 ["oscli agencies list", "oscli agencies list --sort abbr --format ndjson"]),
    "terms": ("The terms the policy defines.", "Terms", "showcase-area",
              ["oscli terms list", "oscli terms list --fields term,definition --format yaml"]),
    "sources": ("The sources every fact is taken from.", "Sources", "oj-article",
                ["oscli sources list", "oscli sources list --sort date --reverse --json"]),
}

SORT_HELP = "Sort by this field (text ignores case; records without a value come last)."


def _entity_app(kind: str) -> typer.Typer:
    help_text, title, example, list_examples = _ENTITIES[kind]
    word = query.KINDS[kind][1]
    sub = typer.Typer(
        help=help_text,
        epilog=_examples(list_examples[0], f"oscli {kind} show {example}", f"oscli {kind} list --json"),
        no_args_is_help=True,
    )
    sort_option = typer.Option(None, "--sort", metavar="FIELD", help=SORT_HELP,
                               autocompletion=lambda incomplete: [f for f in query.sortable_fields(kind)
                                                                  if f.startswith(incomplete)])
    reverse_option = typer.Option(False, "--reverse", help="Reverse the order.")
    list_help = f"List every {word}, or those the filters select."
    list_epilog = _examples(*list_examples)

    if kind == "cities":
        @sub.command("list", help=list_help, epilog=list_epilog)
        def list_cities(
            ctx: typer.Context,
            province: Optional[str] = typer.Option(None, "--province", help="Only cities in this province "
                                                   "(English name, any case)."),
            primary: Optional[bool] = typer.Option(None, "--primary/--no-primary", show_default=False,
                                                   help="Only primary outsourcing cities, or only the others."),
            sort: Optional[str] = sort_option, reverse: bool = reverse_option,
            fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
            fields: Optional[str] = _fields_option(kind),
        ) -> None:
            base = ctx.obj.base()
            items = base.cities
            if province is not None:
                items = _filtered(kind, lambda: query.by_province(base, items, province))
            if primary is not None:
                items = query.by_primary(items, primary)
            _list(ctx, kind, items, fmt, as_json, fields, sort, reverse)
    elif kind == "areas":
        @sub.command("list", help=list_help, epilog=list_epilog)
        def list_areas(
            ctx: typer.Context,
            city: Optional[str] = typer.Option(None, "--city", help="Only areas in this city (id or name).",
                                               autocompletion=_complete_ids("cities")),
            sort: Optional[str] = sort_option, reverse: bool = reverse_option,
            fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
            fields: Optional[str] = _fields_option(kind),
        ) -> None:
            base = ctx.obj.base()
            items = base.areas
            if city is not None:
                items = _filtered(kind, lambda: query.by_city(base, items, city))
            _list(ctx, kind, items, fmt, as_json, fields, sort, reverse)
    elif kind == "policy":
        def _date(value: Optional[str]) -> Optional[str]:
            if value is not None and not query.is_date_prefix(value):
                raise typer.BadParameter(f"'{value}' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD")
            return value

        @sub.command("list", help=list_help, epilog=list_epilog)
        def list_policies(
            ctx: typer.Context,
            since: Optional[str] = typer.Option(None, "--since", metavar="DATE", callback=_date,
                                                help="Only policies dated in or after DATE (YYYY[-MM[-DD]])."),
            until: Optional[str] = typer.Option(None, "--until", metavar="DATE", callback=_date,
                                                help="Only policies dated in or before DATE (YYYY[-MM[-DD]])."),
            sort: Optional[str] = sort_option, reverse: bool = reverse_option,
            fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
            fields: Optional[str] = _fields_option(kind),
        ) -> None:
            items = ctx.obj.base().policies
            if since is not None or until is not None:
                items = query.by_date(items, since, until)
            _list(ctx, kind, items, fmt, as_json, fields, sort, reverse)
    else:
        @sub.command("list", help=list_help, epilog=list_epilog)
        def list_all(
            ctx: typer.Context,
            sort: Optional[str] = sort_option, reverse: bool = reverse_option,
            fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
            fields: Optional[str] = _fields_option(kind),
        ) -> None:
            _list(ctx, kind, query.records(ctx.obj.base(), kind), fmt, as_json, fields, sort, reverse)

    @sub.command(
        "show",
        help=f"Show one {word} with its sources. IDs match case-insensitively.",
        epilog=_examples(f"oscli {kind} show {example}", f"oscli {kind} show {example.upper()} --json",
                         f"oscli {kind} show {example} --fields id,{'cited_by' if kind == 'sources' else 'sources'} --format csv"),
    )
    def show(
        ctx: typer.Context,
        record_id: str = typer.Argument(..., metavar="ID", help=f"The {word}'s id, e.g. {example}.",
                                        autocompletion=_complete_ids(kind)),
        fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
        fields: Optional[str] = _fields_option(kind),
    ) -> None:
        _emit_show(ctx, kind, record_id, fmt, as_json, fields)

    return sub


for _kind in _ENTITIES:
    app.add_typer(_entity_app(_kind), name=_kind, rich_help_panel="Records")


@app.command(
    "search",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli search suzhou", "oscli search \"Xian\"", "oscli search 1000-100-10 --json",
                     "oscli search outsorcing --type policy --limit 3", "oscli search 苏州"),
)
def search_command(
    ctx: typer.Context,
    text: str = typer.Argument(..., metavar="TEXT", help="Words to look for, in English or Chinese."),
    types: Optional[list[str]] = typer.Option(
        None, "--type", "-t", metavar="KIND",
        help="Only records of this kind: " + ", ".join(query.KINDS) + ". Repeat for several.",
        autocompletion=lambda incomplete: [k for k in query.KINDS if k.startswith(incomplete)],
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="Show at most this many (0: all)."),
    fmt: Optional[output.Format] = FORMAT_OPTION, as_json: bool = JSON_OPTION,
    fields: Optional[str] = _fields_option("search"),
) -> None:
    """Search every record: names in English and Chinese, titles, quotes, statements, definitions.

    Results are ranked (best first) and each shows the field that matched. Case, spaces and
    punctuation do not matter ("Xian" finds Xi'an, "1000-100-10" finds "1,000-100-10"), and a
    small typo is forgiven. Exits 1 when nothing matches.
    """
    from .search import compact, search, snippet

    chosen_format, chosen = _format(fmt, as_json), _chosen_fields("search", fields)
    if not compact(text):
        _usage("give at least one letter or digit to search for", "TEXT")
    for kind in types or ():
        if kind not in query.KINDS:
            _usage(f"no kind '{kind}'{_hint(kind, query.KINDS)} Kinds: {', '.join(query.KINDS)}.", "--type")
    hits = search(ctx.obj.base(), text, set(types) if types else None)
    shown = hits[:limit] if limit else hits
    dicts = []
    for hit in shown:
        cut, start, end = snippet(hit)
        dicts.append({"type": hit.kind, "id": hit.id, "field": hit.field,
                      "snippet": views.Marked(cut, [(start, end)]), "score": hit.score})
    _write(chosen_format, "search", f"Search: {text}", dicts, chosen)
    if not hits:
        output.error(f"nothing matches '{text}'. Try fewer or shorter words, or `oscli <kind> list`.")
        raise typer.Exit(EXIT_NOT_FOUND)
    if len(shown) < len(hits) and chosen_format in (output.Format.table, output.Format.plain):
        output.error(f"showing {len(shown)} of {len(hits)} matches; --limit 0 shows all.")


class CitationFormat(str, Enum):
    text = "text"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


@app.command(
    "cite",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli cite 11th-fyp", "oscli cite npc-2007 --format bibtex", "oscli cite oj-article --format ris",
                     "oscli cite --all --format bibtex > oscli.bib"),
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
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli check", "oscli check --json", "oscli --data-dir ./mydata check --strict",
                     "oscli check --rules"),
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
    from .cache import validated
    from .check_render import render_report, render_rules

    how = output.choose(None, as_json)
    if rules:
        with output.writing():
            render_rules(how)
        return
    data_dir = ctx.obj.directory
    report = validated(data_dir)
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
