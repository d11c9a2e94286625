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

import inspect
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import typer.core
import typer.main

from .. import __version__
from ..domain import kinds, query
from ..present import output, views
from ..domain.names import plural, suggestion
from ..present.output import Format

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA, EXIT_BUG, EXIT_IOERR, EXIT_INTERRUPTED = 0, 1, 2, 3, 70, 74, 130
NARROW = 70  # below this many columns, help is drawn by click's plain formatter, which never truncates


class LazyGroup(typer.core.TyperGroup):
    """A group whose commands are built only when asked for: a run builds the one it uses, not
    all of them (Typer reads each function's signature and makes each option anew: start-up
    time). Subclasses name their commands (``names``) and build one (``build``)."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def build(self, name: str):
        raise NotImplementedError

    def list_commands(self, ctx) -> list[str]:
        return self.names()

    def get_command(self, ctx, name: str):
        if name not in self.commands and name in self.names():
            self.commands[name] = self.build(name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
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
    others (``search``, ``check``...), each from its own app (``_command_app``)."""

    def names(self) -> list[str]:
        return [*_KIND_COMMANDS, *_COMMANDS]

    def get_command(self, ctx, name: str):
        """A hidden alias (``policy``, the group's old name) runs the command it stands for."""
        return super().get_command(ctx, COMMAND_ALIASES.get(name, name))

    def build(self, name: str):
        if name in _KIND_COMMANDS:
            command = typer.main.get_command(_kind_app(_KIND_COMMANDS[name]))
            command.name, command.rich_help_panel = name, "Records"
            return command
        command = typer.main.get_command(_COMMANDS[name])
        if name in _PANELS:  # a group of commands (export): named and placed here
            command.name, command.rich_help_panel = name, _PANELS[name]
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        import shutil

        typer.core.HAS_RICH = output.styled() and shutil.get_terminal_size((80, 24)).columns >= NARROW
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # click saw a closed pipe
                output.silence_stdout()
                raise SystemExit(EXIT_OK) from None
            raise


# Names that still work but that help does not list: `policy` was the group's name until it became
# `policies`, like the eight other plural groups (the design card's `oscli policy show 11th-fyp`).
COMMAND_ALIASES = {"policy": "policies"}


class KindGroup(LazyGroup):
    """The `list` and `show` commands of one kind (``name`` is the kind's command)."""

    def names(self) -> list[str]:
        return ["list", "show", *_KIND_EXTRAS.get(self.name, {})]

    def build(self, name: str):
        declared = _KIND_COMMANDS[self.name]
        if name in _KIND_EXTRAS.get(self.name, {}):
            return typer.main.get_command(_KIND_EXTRAS[self.name][name])
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


# -- state: the data directory and its validated fact base ----------------------------------------


class State:
    def __init__(self, data_dir: Optional[Path]) -> None:
        self.data_dir = data_dir
        self._base = None

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

    def search_index(self):
        """The fact base's SearchIndex, kept in the cache next to it."""
        from ..store.cache import search_index

        return search_index(self.directory, self.base())

    def base(self):
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

    from ..store import cache
    from ..domain.textsafe import escaped  # (paths from the environment are shown, never obeyed)

    import yaml

    folder = cache.directory() if cache.enabled() else None
    parser = ("libyaml (C)" if cache.libyaml()
              else "pure Python, about 4x slower on a cold run: no libyaml (see `pip install --force-reinstall pyyaml`)")
    return (f"python {platform.python_version()}\n"
            f"pyyaml {yaml.__version__}; parser: {parser}\n"
            f"data: {escaped(str(data_dir))}\n"
            f"snapshot: {cache.snapshot_state(data_dir)}\n"
            f"cache: {escaped(str(folder)) if folder is not None else 'off'}\n")


def _data_date_note(data_dir: Path) -> str:
    """' (data to DATE)': the date the data end at (issue 18); what went wrong, never an exit."""
    from ..store.cache import validated
    from ..domain.currency import data_date

    try:
        report = validated(data_dir)
    except Exception:  # noqa: BLE001 - a version line is printed whatever the data
        return " (data: cannot be read; run `oscli check`)"
    if report.errors:
        return " (data: invalid; run `oscli check`)"
    date = data_date(report.base)
    return f" (data to {date})" if date else ""


def _past_the_data(base, as_of: Optional[str]) -> None:
    """On stderr: an --as-of past the data's date answers, and says where the data end (issue 18)."""
    from ..domain.currency import past_the_data

    note = past_the_data(base, as_of)
    if note:
        output.error(note)


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", envvar="OSCLI_DATA_DIR", exists=True, file_okay=False, dir_okay=True,
        help=f"Read the data from this directory ({', '.join(kinds.files())}) "
        "instead of the data shipped with oscli.", show_envvar=True,
        is_eager=True,  # read before an eager --version that follows it, which names the data's date
    )] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", callback=_version, is_eager=True,
                                          help="With --version: also how oscli reads its data (YAML parser, "
                                          "the wheel's snapshot, the cache).")] = False,
) -> None:
    ctx.obj = State(data_dir)


# -- turning domain outcomes into messages and exit codes ------------------------------------------


@contextmanager
def _domain():
    """Run domain calls; their typed errors become a usage error (2) or a message and exit 1."""
    try:
        yield
    except (query.BadOption, output.UsageError) as err:
        raise typer.BadParameter(str(err), param_hint=f"'{err.option}'") from None
    except query.NotFound as missing:
        output.error(f"no {missing.word} '{missing.wanted}'{suggestion(missing.suggestions)} "
                     f"Run {missing.listing} to see them all.")
        raise typer.Exit(EXIT_NOT_FOUND) from None
    except query.Ambiguous as many:
        names = ", ".join(f"{r.id} ({kinds.label_of(r)})" for r in many.candidates)
        output.error(f"'{many.wanted}' names more than one {many.word}: {names}. Give the id.")
        raise typer.Exit(EXIT_NOT_FOUND) from None
    except query.UnknownValue as missing:
        output.error(f"no {missing.word} has {missing.option} '{missing.wanted}'"
                     f"{suggestion(missing.suggestions) or '.'}")
        raise typer.Exit(EXIT_NOT_FOUND) from None


def _emit(fmt: Format, payload) -> None:
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


def _chosen(kind: str, fmt: Optional[str], as_json: bool, fields: Optional[str],
            valid: Optional[list[str]] = None):
    """The format and fields asked for; `--fields help` prints the fields and exits."""
    if fields is not None and fields.strip() == "help":
        _field_help(kind)
    with _domain():
        return output.choose(fmt, as_json), query.choose_fields(kind, fields, valid)


# -- shared options -------------------------------------------------------------------------------


def _format_type(formats=output.RECORD_FORMATS, default_help: str = "table on a terminal, plain in a pipe"):
    """An option taking the formats of one command: a subset of the one list, output.Format."""
    choices = output.subset(formats)
    return Annotated[Optional[choices], typer.Option(
        "--format", "-f", case_sensitive=False, show_default=False,
        help=f"One of: {', '.join(f.value for f in formats)} (default: {default_help}).",
    )]


FormatOpt = _format_type()
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON: the short form of --format json.")]


def _data_dir_of(ctx) -> Optional[str]:
    root = ctx.find_root()
    given = root.params.get("data_dir") if root.params else None
    return str(given) if given else os.environ.get("OSCLI_DATA_DIR")


def _complete_ids(kind: str):
    def complete(ctx: typer.Context, incomplete: str):
        from ..store.cache import validated
        from ..store.paths import resolve_data_dir

        base = validated(resolve_data_dir(_data_dir_of(ctx))).base
        return [r.id for r in base.of(kind) if r.id and r.id.lower().startswith(incomplete.lower())]

    return complete


def _complete_fields(kind: str):
    def complete(incomplete: str):
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        names = views.VIEWS[kind].names if kind in views.VIEWS else kinds.get(kind).field_names
        return [prefix + f for f in names if f.startswith(last)] + (["help"] if not done else [])

    return complete


def _fields_type(kind: str):
    return Annotated[Optional[str], typer.Option(
        "--fields", metavar="A,B,C", autocompletion=_complete_fields(kind),
        help="Only these fields, in this order, in every format; a dotted name reaches into objects "
        "(titles.title). `--fields help` lists them.")]


def _examples(*lines: str) -> str:
    """A help epilog of real commands, one per line (Typer keeps lines split by blank lines)."""
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)


# -- list and show, for every kind in the registry ------------------------------------------------


def _parameter(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _filter_parameter(spec: query.Filter) -> inspect.Parameter:
    if spec.type == "flag":
        return _parameter(spec.name, Annotated[bool, typer.Option(spec.option, help=spec.help)], False)
    if spec.type == "bool":
        return _parameter(spec.name, Annotated[Optional[bool], typer.Option(
            spec.option, help=spec.help, show_default=False)], None)
    return _parameter(spec.name, Annotated[Optional[str], typer.Option(
        spec.option, help=spec.help, metavar=spec.metavar,
        autocompletion=_complete_ids(spec.complete) if spec.complete else None)], None)


def _command(function, parameters: list[inspect.Parameter]):
    """``function(ctx, **values)`` with a signature Typer reads as these parameters."""
    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    function.__signature__ = inspect.Signature([context, *parameters])
    function.__annotations__ = {p.name: p.annotation for p in [context, *parameters]}
    return function


def _list_command(declared: kinds.Kind):
    def list_records(ctx: typer.Context, **values: Any) -> None:
        fmt, fields = _chosen(declared.name, values.pop("fmt"), values.pop("as_json"), values.pop("fields"))
        sort, reverse, limit, count = values.pop("sort"), values.pop("reverse"), values.pop("limit"), values.pop("count_by")
        with _domain():
            for name in declared.filters:  # dates are checked before the data is read
                if query.FILTERS[name].type == "date":
                    query.check_date(query.FILTERS[name].option, values.get(name))
            if sort is not None:
                query.sort_records(declared.name, [], sort)
            if count is not None:
                query.count_by(declared.name, [], count)
            base = ctx.obj.base()
            items = query.sort_records(declared.name, query.select(base, declared.name, values), sort, reverse)
        from ..present.render import Payload

        as_of = values.get("as_of")
        _past_the_data(base, as_of)
        dicts = views.in_context(base, declared.name, items, [views.to_dict(base, r, as_of) for r in items], values)
        notes = [views.undated_note(base, declared.name, values), views.list_footer(base, declared.name, values, dicts)]
        if count is not None:
            dicts = query.count_by(declared.name, dicts, count)
        shown = dicts[:limit] if limit else dicts
        if len(shown) < len(dicts):
            notes.append(f"showing {len(shown)} of {len(dicts)}; --limit 0 shows all.")
        footer = " ".join(n for n in notes if n) or None
        if count is not None:
            payload = Payload("count", f"{declared.title} by {count}", shown, fields and [f for f in fields],
                              flat_fields=[count, "count"], footer=footer if fmt is Format.table else None)
        else:
            payload = Payload(declared.name, declared.title, shown, fields, flat_fields=declared.flat_fields,
                              footer=footer if fmt is Format.table else None)
        _emit(fmt, payload)
        if footer and fmt is not Format.table:  # the data stays clean for scripts; the note goes to stderr
            output.error(f"note: {footer}")

    sortable = declared.sortable
    field_names = declared.field_names
    parameters = [_filter_parameter(query.FILTERS[name]) for name in declared.filters] + [
        _parameter("sort", Annotated[Optional[str], typer.Option(
            "--sort", metavar="FIELD", help="Sort by this field (text ignores case; records without a value "
            "come last).", autocompletion=lambda incomplete: [f for f in sortable if f.startswith(incomplete)])],
            None),
        _parameter("reverse", Annotated[bool, typer.Option("--reverse", help="Reverse the order.")], False),
        _parameter("limit", Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most this many "
                                                        "(0: all).")], 0),
        _parameter("count_by", Annotated[Optional[str], typer.Option(
            "--count-by", metavar="FIELD", help="Count the records by the values of FIELD instead of listing "
            "them (a list counts each item), most frequent first.",
            autocompletion=lambda incomplete: [f for f in field_names if f.startswith(incomplete)])], None),
        _parameter("fmt", FormatOpt, None),
        _parameter("as_json", JsonOpt, False),
        _parameter("fields", _fields_type(declared.name), None),
    ]
    return _command(list_records, parameters)


def _show_command(declared: kinds.Kind):
    def show(ctx: typer.Context, **values: Any) -> None:
        fmt, fields = _chosen(declared.name, values["fmt"], values["as_json"], values["fields"])
        as_of = values.get("as_of")
        with _domain():
            query.check_date("--as-of", as_of)
        base = ctx.obj.base()
        with _domain():
            record = query.get(base, declared.name, values["record_id"])
        _past_the_data(base, as_of)
        data = views.to_dict(base, record, as_of)
        page = ((lambda: views.fields_document(record, data, fields)) if fields
                else (lambda: views.document(base, record, as_of)))
        from ..present.render import Payload

        _emit(fmt, Payload(declared.name, declared.title, [data], fields, single=True, page=page,
                           flat_fields=declared.flat_fields))

    parameters = [
        inspect.Parameter("record_id", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, typer.Argument(
            metavar="ID", help=f"The {declared.name}'s id or name, e.g. {declared.example}.",
            autocompletion=_complete_ids(declared.name))]),
        *([_filter_parameter(query.FILTERS["as_of"].replace(
            help="Give the titles it held at the end of DATE (2009 means by 31 December 2009).", name="as_of"))]
          if "as_of" in declared.filters else []),
        _parameter("fmt", FormatOpt, None),
        _parameter("as_json", JsonOpt, False),
        _parameter("fields", _fields_type(declared.name), None),
    ]
    return _command(show, parameters)


def _kind_app(declared: kinds.Kind) -> typer.Typer:
    """The group of a kind's commands; KindGroup builds `list` or `show` when it is used."""
    command = declared.command
    group = typer.Typer(
        cls=KindGroup,
        add_completion=False,
        help=declared.help,
        epilog=_examples(declared.examples[0], f"oscli {command} show {declared.example}",
                         f"oscli {command} list --json"),
        no_args_is_help=True,
    )
    group.callback()(lambda: None)  # a group with no command of its own yet: Typer needs a callback
    return group


def _list_app(declared: kinds.Kind) -> typer.Typer:
    single = typer.Typer(add_completion=False)
    single.command("list", help=f"List every {declared.name}, or those the filters select.",
                   epilog=_examples(*declared.examples))(_list_command(declared))
    return single


def _show_app(declared: kinds.Kind) -> typer.Typer:
    command, other = declared.command, "cited_by" if declared.name == "source" else "sources"
    single = typer.Typer(add_completion=False)
    single.command("show", help=f"Show one {declared.name} with its sources. IDs match case-insensitively; "
                                "names in English or Chinese work too.",
                   epilog=_examples(f"oscli {command} show {declared.example}",
                                    f"oscli {command} show {declared.example.upper()} --json",
                                    f"oscli {command} show {declared.example} --fields id,{other} --format csv"),
                   )(_show_command(declared))
    return single


_KIND_COMMANDS = {k.command: k for k in kinds.KINDS.values()}
_COMMANDS: dict[str, typer.Typer] = {}  # the other commands, in the order help lists them
_PANELS: dict[str, str] = {}  # the help panel of each group of commands among them


def _command_app(name: str, **settings: Any):
    """Declare a command other than a kind's: like ``@app.command(name)``, but in an app of its own
    that OscliGroup turns into a command only in a run that uses it."""
    single = typer.Typer(add_completion=False)
    _COMMANDS[name] = single
    return single.command(name, **settings)


_KIND_EXTRAS: dict[str, dict[str, typer.Typer]] = {}  # a kind's commands beyond list and show


# -- sources open: a source's page in the browser ----------------------------------------------------

_sources_open_app = typer.Typer(add_completion=False)
_KIND_EXTRAS["sources"] = {"open": _sources_open_app}


@_sources_open_app.command(
    "open",
    epilog=_examples("oscli sources open oj-article --no-browser", "oscli sources open geonames --archived -n"),
)
def sources_open(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The source's id or title, e.g. oj-article.",
                                             autocompletion=_complete_ids("source"))],
    archived: Annotated[bool, typer.Option("--archived", help="Open the archived copy, where there is one.")] = False,
    no_browser: Annotated[bool, typer.Option("--no-browser", "-n", help="Print the URL instead of opening "
                                             "it (as gh browse -n does).")] = False,
) -> None:
    """Open a source's page in the web browser, as `gh browse` does: its URL, or its archived copy
    (--archived, or when the source has no URL of its own).

    The browser is Python's webbrowser: $BROWSER if set (e.g. BROWSER=w3m), else the system's.
    Where there is no display (no $DISPLAY or $WAYLAND_DISPLAY on Linux, e.g. over SSH) or no
    browser, or with --no-browser, the URL is printed instead, for you to open or pipe.
    """
    base = ctx.obj.base()
    with _domain():
        source = query.get(base, "source", record_id)
    url = (source.archive_url or source.url) if archived else (source.url or source.archive_url)
    if not url:
        output.error(f"source {source.id} has no URL and no archived copy; `oscli sources show {source.id}` "
                     "says where it is found.")
        raise typer.Exit(EXIT_NOT_FOUND)
    if archived and not source.archive_url:
        output.error(f"note: source {source.id} has no archived copy; its URL instead.")
    from ..present.browse import open_url

    if no_browser or not open_url(url):  # no display or no browser: the URL, for the reader to open
        with output.writing():
            sys.stdout.write(url + "\n")
        return
    output.error(f"opening {url} in your browser")


# -- search, cite, check ----------------------------------------------------------------------------


@_command_app(
    "search",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli search suzhou", "oscli search \"Xian\"", "oscli search 1000-100-10 --json",
                     "oscli search Shenzen", "oscli search 2009 --type designation --exact", "oscli search 苏州"),
)
def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for, in English or Chinese.")],
    types: Annotated[Optional[list[str]], typer.Option(
        "--type", "-t", metavar="KIND",
        help="Only records of this kind: " + ", ".join(kinds.names()) + " (or the command names: "
        + ", ".join(k.command for k in kinds.KINDS.values()) + "). Repeat for several.",
        autocompletion=lambda incomplete: [k for k in kinds.aliases() if k.startswith(incomplete)],
    )] = None,
    exact: Annotated[bool, typer.Option("--exact", help="No close spellings: only exact, prefix and word "
                                                        "matches.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most this many (0: all).")] = 20,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: _fields_type("search") = None,
) -> None:
    """Search every record: names in English and Chinese, titles, quotes, statements, definitions.

    Results are ranked, exact evidence first, and each shows the field that matched and how
    (exact, prefix, word). Case, spaces and punctuation do not matter ("Xian" finds Xi'an,
    "1000-100-10" finds "1,000-100-10"); numbers match only whole ("2009" finds 2009年, never
    20091). Only when nothing matches so does a close spelling count ("Shenzen"), and the hits are
    then labelled as close matches (--exact turns this off). Exits 1 when nothing matches.
    """
    from ..domain.fold import compact
    from ..present.render import Payload
    from ..domain.search import FUZZY, MAX_QUERY, search, snippet

    chosen_format, chosen = _chosen("search", fmt, as_json, fields, views.SEARCH_FIELDS)
    if not compact(text):
        raise typer.BadParameter("give at least one letter or digit to search for", param_hint="'TEXT'")
    if len(text) > MAX_QUERY:
        raise typer.BadParameter(f"the text is {len(text):,} characters; search takes at most {MAX_QUERY}",
                                 param_hint="'TEXT'")
    with _domain():
        wanted = query.kinds_for_types(types)
    hits = search(ctx.obj.base(), text, wanted, exact_only=exact, index=ctx.obj.search_index())
    shown = hits[:limit] if limit else hits
    close = bool(hits) and hits[0].match == FUZZY
    dicts = []
    for hit in shown:
        cut, start, end = snippet(hit)
        dicts.append(views.search_dict(hit, views.Marked(cut, [(start, end)])))
    title = (f"No exact match for '{text}'; close matches:" if close else f"Search: {text}")
    if not hits:  # no header, no row on stdout (JSON and YAML still write their empty list); exit 1
        if chosen_format in (Format.json, Format.yaml):
            _emit(chosen_format, Payload("search", title, [], chosen, flat_fields=views.SEARCH_FIELDS))
        output.error(f"nothing matches '{text}'" + ("" if exact else ", exactly or closely")
                     + ". Try fewer or other words, or `oscli <command> list`.")
        raise typer.Exit(EXIT_NOT_FOUND)
    if close and chosen_format in output.HUMAN:
        output.error(f"no exact match for '{text}'; close matches:")
    _emit(chosen_format, Payload("search", title, dicts, chosen, flat_fields=views.SEARCH_FIELDS))
    if len(shown) < len(hits) and chosen_format in output.HUMAN:
        output.error(f"showing {len(shown)} of {len(hits)} matches; --limit 0 shows all.")


def _complete_any_id(ctx: typer.Context, incomplete: str):
    """Ids of every kind (or of the kind --type names), for `cite ID`."""
    from ..store.cache import validated
    from ..store.paths import resolve_data_dir

    base = validated(resolve_data_dir(_data_dir_of(ctx))).base
    wanted = ctx.params.get("kind")
    try:
        names = [kinds.get(wanted).name] if wanted else list(kinds.KINDS)
    except KeyError:
        names = list(kinds.KINDS)
    ids = [r.id for name in names for r in base.of(name) if r.id and r.id.lower().startswith(incomplete.lower())]
    return list(dict.fromkeys(ids))


def _complete_claims(ctx: typer.Context, incomplete: str):
    from ..store.cache import validated
    from ..store.paths import resolve_data_dir

    base = validated(resolve_data_dir(_data_dir_of(ctx))).base
    try:
        # while the value of --claim is typed, click leaves the ID it has not parsed in ctx.args
        wanted = ctx.params.get("record_id") or next(iter(ctx.args), "")
        record = query.find_any(base, wanted, ctx.params.get("kind"))
    except (query.QueryError, KeyError):
        return []
    return [c for c in query.claims(record) if c.startswith(incomplete)]


@_command_app(
    "timeline",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli timeline", "oscli timeline --title model-city --since 2016",
                     "oscli timeline --city suzhou --json", "oscli timeline --until 2008 --format csv",
                     "oscli timeline --provision tase-eit-model-cities-2009"),
)
def timeline(
    ctx: typer.Context,
    city: Annotated[Optional[str], typer.Option("--city", help=query.FILTERS["city"].help,
                                                autocompletion=_complete_ids("city"))] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TITLE", help="Only events of this title "
                                                 "(base-city, model-city, showcase-area, showcase-base).",
                                                 autocompletion=_complete_ids("title"))] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help=query.FILTERS["since"].help)] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help=query.FILTERS["until"].help)] = None,
    provision: Annotated[Optional[str], typer.Option(
        "--provision", metavar="ID", help="Instead: the spread of this provision's chain (pilot, model cities, "
        "nationwide): each link, when it was in force and how many cities it reached.",
        autocompletion=_complete_ids("provision"))] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: _fields_type("timeline") = None,
) -> None:
    """Every designation in date order, and how many held each title, year by year.

    An event whose day is unknown is placed by its bounds and marked (its "When" says "between",
    "by" or "not before"). On a terminal a chart follows: a bar per year for each title, solid for
    the cities that held it at the end of the year, light for those that possibly did.
    """
    from ..present.render import Payload

    if provision is not None:  # issue 18: a provision's spread
        if city or title or since or until:
            raise typer.BadParameter("--provision shows one chain; drop --city, --title, --since and --until",
                                     param_hint="'--provision'")
        chosen_format, chosen = _chosen("spread", fmt, as_json, fields, views.VIEWS["spread"].names)
        base = ctx.obj.base()
        with _domain():
            record = query.get(base, "provision", provision)
        _emit(chosen_format, Payload("spread", f"The spread of {record.id} and its chain",
                                     views.spread_dicts(base, record), chosen, flat_fields=views.VIEWS["spread"].names))
        return
    chosen_format, chosen = _chosen("timeline", fmt, as_json, fields, views.VIEWS["timeline"].names)
    with _domain():
        query.check_date("--since", since)
        query.check_date("--until", until)
    base = ctx.obj.base()
    with _domain():
        events = query.sort_records("designation", query.select(
            base, "designation", {"city": city, "title": title, "since": since, "until": until}), None)
    dicts = [views.timeline_dict(base, e) for e in events]
    titles = list(dict.fromkeys(e.title for e in events if e.title))
    chart = views.yearly_chart(base, titles, since, until) if chosen_format is Format.table else None
    note = views.undated_note(base, "designation", {"city": city, "title": title, "since": since, "until": until},
                              hint=False)
    _emit(chosen_format, Payload("timeline", "Designations, in date order", dicts, chosen,
                                 flat_fields=views.VIEWS["timeline"].names, chart=chart))
    if note:
        output.error(f"note: {note}")


@_command_app(
    "cite",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli cite 11th-fyp", "oscli cite npc-2007 --format bibtex", "oscli cite oj-article --format ris",
                     "oscli cite dalian", "oscli cite 1000-100-10 --claim 'targets[3]'",
                     "oscli cite dalian --claim name_zh --format json",
                     "oscli cite --all --format bibtex > oscli.bib",
                     "oscli cite --all --format biblatex > oscli.bib",
                     "oscli cite --dataset --format biblatex"),
)
def cite(
    ctx: typer.Context,
    record_id: Annotated[Optional[str], typer.Argument(
        metavar="[ID]", help="The id or name of any record: a policy, a source, a city, an area, an agency, a term...",
        autocompletion=_complete_any_id)] = None,
    fmt: _format_type(output.CITATION_FORMATS, "text") = None,
    as_json: Annotated[bool, typer.Option("--json", help="CSL-JSON: the short form of --format csl-json.")] = False,
    kind: Annotated[Optional[str], typer.Option(
        "--type", "-t", metavar="KIND",
        help="The kind of record ID names, when it names records of several kinds: " + ", ".join(kinds.names()) + ".",
        autocompletion=lambda incomplete: [k for k in kinds.aliases() if k.startswith(incomplete)])] = None,
    claim: Annotated[Optional[str], typer.Option(
        "--claim", metavar="FIELD",
        help="Cite one claim of the record: a field (name_zh) or a part (targets[3], statements[0]): its "
        "sources with the excerpt, locator, URL and access date; a footnote in text, an object in json.",
        autocompletion=_complete_claims)] = None,
    every: Annotated[bool, typer.Option("--all", help="Cite every policy and source: a whole bibliography.")] = False,
    dataset: Annotated[bool, typer.Option("--dataset", help="Cite the fact base itself: oscli's version and the "
                                          "date of the newest dated fact in the data.")] = False,
) -> None:
    """Cite any record as text, BibTeX, biblatex, CSL-JSON or RIS.

    A policy or a source is cited as a document (a policy with a note naming the source that
    quotes or describes it). Any other record (a city, an area, an agency, a term) is cited by
    what supports it: each of its sources as a full citation, with a note saying which of the
    record's claims that source supports; a city or an area also by the sources of its
    designations, each labelled with what it supports ("model city, 2009"). --claim cites one
    claim. Unknown values (an undated article, an untitled page) are left out, never guessed.
    """
    from ..present import citation

    with _domain():
        if as_json:
            if fmt is not None and output.Format(fmt.value) not in (Format.csl_json, Format.json):
                raise output.UsageError("--format", f"--json and --format {fmt.value} contradict each other; give one")
            fmt = Format.csl_json
        chosen = output.choose(fmt, False, output.CITATION_FORMATS, default=Format.text)
        if kind is not None:
            kind = next(iter(query.kinds_for_types([kind])))
    if dataset and (every or record_id is not None or claim is not None or kind is not None):
        raise typer.BadParameter("--dataset cites the fact base itself: give no ID, --all, --claim or --type with it",
                                 param_hint="'--dataset'")
    if dataset:
        text = citation.render([citation.dataset_reference(ctx.obj.base(), __version__)], chosen.value)
        with output.writing():
            sys.stdout.write(text)
        return
    if every and record_id is not None:
        raise typer.BadParameter("give an ID or --all, not both", param_hint="ID")
    if not every and record_id is None:
        raise typer.BadParameter("give the ID of a record to cite, or --all for every policy and source",
                                 param_hint="ID")
    if every and (claim is not None or kind is not None):
        raise typer.BadParameter("--claim and --type cite one record; --all cites every policy and source",
                                 param_hint="'--all'")
    base = ctx.obj.base()
    if every:
        text = citation.render([citation.reference(base, r) for r in query.citable(base)], chosen.value)
    else:
        with _domain():
            try:
                record = query.find_any(base, record_id, kind)
            except query.Ambiguous as many:
                if kind is not None:
                    raise
                names = ", ".join(f"{r.kind} {r.id} ({kinds.label_of(r)})" for r in many.candidates)
                output.error(f"'{many.wanted}' names more than one record: {names}. "
                             f"Choose one with --type KIND (e.g. --type {many.candidates[0].kind}).")
                raise typer.Exit(EXIT_NOT_FOUND) from None
        text = _citation_text(base, record, claim, chosen)
    with output.writing():
        sys.stdout.write(text)


def _citation_text(base, record, claim: Optional[str], chosen: Format) -> str:
    """One record cited: a document as itself, anything else by its sources; or one claim."""
    from ..present import citation
    from ..present.render import json_text
    from ..domain.textsafe import visible

    if claim is not None:
        if record.kind == "source":
            raise typer.BadParameter(f"a source is cited as itself: drop --claim, or cite a claim of a record "
                                     f"that cites it (`oscli sources show {record.id}` lists those records)",
                                     param_hint="'--claim'")
        with _domain():
            found = query.claim(record, claim)
        if chosen is Format.json:
            return json_text(views.claim_dict(base, record, found)) + "\n"
        if chosen is Format.text:
            return visible(citation.footnote(base, record, found))
        return citation.render(citation.claim_references(base, record, found), chosen.value)
    refs = citation.references(base, record)
    text = citation.render(refs, chosen.value)
    if chosen is Format.text:
        return visible(text if record.kind in query.CITABLE else citation.heading(record, len(refs)) + text)
    return text


@_command_app(
    "check",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli check", "oscli check --json", "oscli --data-dir ./mydata check --strict",
                     "oscli check mydata/sources.yaml mydata/cities.yaml", "oscli check --format github",
                     "oscli check --format sarif > oscli.sarif", "oscli check --rules"),
)
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(
        metavar="[PATH]...", show_default=False,
        help="Data directories, or data files (each checks the directory that holds it, with the other "
        "files). Default: --data-dir, else the data shipped with oscli. Other files are skipped: "
        "pre-commit may pass every YAML file.")] = None,
    fmt: _format_type(output.CHECK_FORMATS) = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as a JSON array.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    rules: Annotated[bool, typer.Option("--rules", help="List every rule: code, severity, what it checks "
                                                        "and why.")] = False,
) -> None:
    """Validate the data: YAML, schema, references, provenance and domain rules.

    Prints one line per finding as FILE:LINE:COLUMN: SEVERITY CODE MESSAGE, then a summary; a file
    that cannot be parsed comes first, at the line where the problem starts. Acknowledged findings
    are listed apart. --format github writes GitHub Actions annotations, --format sarif SARIF 2.1.0.
    Exits 0 when there are no errors, 1 when there are (also when the reader of the output stops
    early).
    """
    from ..store.cache import validated
    from ..present.check_render import render_report, render_rules
    from ..domain.findings import Report

    with _domain():
        how = output.choose(fmt, as_json, output.CHECK_FORMATS)
    if rules:
        if how in (Format.github, Format.sarif):
            raise typer.BadParameter(f"--rules lists the rules as a table or data, not as {how.value}",
                                     param_hint="'--format'")
        with output.writing():
            render_rules(how)
        return
    directories = _check_directories(ctx, paths)
    if not directories:
        raise typer.Exit(0)
    reports = [validated(d) for d in directories]
    report = reports[0] if len(reports) == 1 else Report(
        reports[0].base, tuple(f for r in reports for f in r.findings))
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
        output.error(f"nothing to check: none of the {len(skipped)} files given is a data file "
                     f"({', '.join(sorted(known))})")
    return directories


@_command_app(
    "schema",
    rich_help_panel="Find, cite and check",
    epilog=_examples("oscli schema > oscli.schema.json",
                     "oscli --data-dir mydata schema > mydata/oscli.schema.json"),
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
    vocabularies = {k.name: sorted({r.id for r in base.of(k.name) if r.id})
                    for k in kinds.KINDS.values() if k.vocabulary}
    with output.writing():
        sys.stdout.write(json.dumps(json_schema(vocabularies), indent=2, ensure_ascii=False) + "\n")


# -- export: the fact base as a SQLite database (for Datasette) and as GeoJSON -----------------------

export_app = typer.Typer(
    help="Publish the fact base: a SQLite database for Datasette (with its metadata), a GeoJSON map.",
    epilog=_examples("oscli export sqlite oscli.db --metadata metadata.json",
                     "oscli export geojson --as-of 2016 --title model-city > model-cities.geojson"),
    no_args_is_help=True,
    add_completion=False,
)
_COMMANDS["export"], _PANELS["export"] = export_app, "Publish"  # built only when used, as the others

EXIT_EXPORT = 1  # the file exists (without --replace) or cannot be written
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="Overwrite files that exist (else exit 1).")]


@contextmanager
def _exporting():
    """A file that exists (without --replace) or cannot be written: a message and exit 1."""
    from ..export import ExportError

    with _domain():
        try:
            yield
        except ExportError as err:
            output.error(str(err))
            raise typer.Exit(EXIT_EXPORT) from None


@export_app.command(
    "sqlite",
    epilog=_examples("oscli export sqlite oscli.db", "oscli export sqlite oscli.db --metadata metadata.json",
                     "oscli export sqlite oscli.db --metadata metadata.yml --replace"),
)
def export_sqlite(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The database to write, e.g. oscli.db.",
                                         dir_okay=False)],
    metadata: Annotated[Optional[Path], typer.Option(
        "--metadata", metavar="FILE", dir_okay=False,
        help="Also write Datasette metadata: JSON, or YAML if FILE ends in .yml or .yaml.")] = None,
    replace: ReplaceOpt = False,
) -> None:
    """Write the fact base as a SQLite database: a table per kind, join and part tables, citations,
    full-text search and views of the titles held year by year.

    Then browse it: datasette oscli.db -m metadata.json. Prints each file written (path, then what it
    holds). The file is written whole or not at all.
    """
    from ..export.sqlite import sqlite

    if str(file) == "-":  # a database is not a stream: `-` would be a file named '-'
        raise typer.BadParameter("a SQLite database cannot be written to standard output; give a file name, "
                                 "e.g. oscli.db", param_hint="'FILE'")
    base = ctx.obj.base()
    with _exporting():
        summary = sqlite(base, file, replace=replace, metadata=metadata)
    with output.writing():
        sys.stdout.write(f"{summary.path}\tSQLite database: {summary.records:,} records, "
                         f"{sum(summary.tables.values()):,} rows in {len(summary.tables)} tables, "
                         f"{len(summary.views)} views\n")
        if summary.metadata:
            sys.stdout.write(f"{summary.metadata}\tDatasette metadata\n")
    import shlex

    output.error(f"browse it: datasette {shlex.quote(summary.path)}"
                 + (f" -m {shlex.quote(summary.metadata)}" if summary.metadata else ""))


@export_app.command(
    "geojson",
    epilog=_examples("oscli export geojson", "oscli export geojson --as-of 2016 --title model-city",
                     "oscli export geojson cities.geojson --replace"),
)
def export_geojson(
    ctx: typer.Context,
    file: Annotated[Optional[Path], typer.Argument(
        metavar="[FILE]", dir_okay=False, help="The file to write; standard output when left out or '-'.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help=query.FILTERS["as_of"].help)] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TITLE", help=query.FILTERS["title"].help,
                                                 autocompletion=_complete_ids("title"))] = None,
    replace: ReplaceOpt = False,
) -> None:
    """Write the cities as a GeoJSON FeatureCollection (RFC 7946): a point per city at
    [longitude, latitude], with its names, codes, the titles held at --as-of, its first
    designation and its sources.

    --as-of and --title select cities as `oscli cities list` does.
    """
    from ..export.files import write_text
    from ..export.geojson import geojson, geojson_text

    with _domain():
        query.check_date("--as-of", as_of)
    base = ctx.obj.base()
    with _exporting():
        collection = geojson(base, as_of, title)
        text = geojson_text(collection)
        if file is None or str(file) == "-":
            output.json_escapes()
            with output.writing():
                sys.stdout.write(text)
            return
        write_text(file, text, replace=replace)
    with output.writing():
        sys.stdout.write(f"{file}\tGeoJSON: {plural(len(collection['features']), 'city', 'cities')}\n")


# -- mcp: the fact base for AI assistants, over the Model Context Protocol ----------------------------

EXIT_UNAVAILABLE = 69  # an optional part is not installed (sysexits' EX_UNAVAILABLE): `mcp` without its SDK


class McpClient(str, Enum):
    claude = "claude"
    vscode = "vscode"


@_command_app(
    "mcp",
    rich_help_panel="Publish",
    epilog=_examples("oscli mcp --config claude", "oscli --data-dir ./mydata mcp --config vscode"),
)
def mcp_command(
    ctx: typer.Context,
    config: Annotated[Optional[McpClient], typer.Option(
        "--config", case_sensitive=False, show_default=False,
        help="Print the JSON that registers this server in a client (claude: claude_desktop_config.json; "
        "vscode: .vscode/mcp.json), with the full path of this oscli and the --data-dir given, and exit.")] = None,
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
        if not (err.name or "").partition(".")[0] in ("mcp", "pydantic", "typing_extensions"):
            raise
        output.error(f"`oscli mcp` needs the MCP SDK, an optional extra: pip install 'oscli[mcp]' ({err})")
        raise typer.Exit(EXIT_UNAVAILABLE) from None
    if config is not None:
        with output.writing():
            sys.stdout.write(client_config(config.value, ctx.obj.data_dir))
        return
    base = ctx.obj.base()  # invalid data: exit 3 before serving, as every command

    serve(base, ctx.obj.search_index)


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
    except Exception as err:  # noqa: BLE001 - the last line of defence
        _bug(err)


def _bug(err: BaseException) -> None:
    if os.environ.get("OSCLI_DEBUG"):
        raise err
    output.error(f"internal error: {type(err).__name__}: {err}. This is a bug in oscli; please "
                 "report it with the command you ran (OSCLI_DEBUG=1 shows the traceback).")
    sys.exit(EXIT_BUG)
