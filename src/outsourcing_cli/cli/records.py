"""The `list` and `show` commands of every kind, made from the registry of kinds (``kinds``): each
kind's filters become options. cli/app.py's KindGroup builds the one a run uses.

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..domain import filters, kinds, query
from ..present import output, views
from ..present.output import Format
from .common import FormatOpt, JsonOpt, _chosen, _complete_ids, _domain, _emit, _examples, _fields_type

if TYPE_CHECKING:
    from ..domain.model import FactBase


def _past_the_data(base: "FactBase", as_of: Optional[str]) -> None:
    """On stderr: an --as-of past the data's date answers, and says where the data end (issue 18)."""
    from ..domain.currency import past_the_data

    note = past_the_data(base, as_of)
    if note:
        output.error(note)


# -- list and show, for every kind in the registry ------------------------------------------------


def _parameter(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _filter_parameter(spec: filters.Filter) -> inspect.Parameter:
    if spec.type == "flag":
        return _parameter(spec.name, Annotated[bool, typer.Option(spec.option, help=spec.help)], False)
    if spec.type == "bool":
        return _parameter(
            spec.name, Annotated[Optional[bool], typer.Option(spec.option, help=spec.help, show_default=False)], None
        )
    return _parameter(
        spec.name,
        Annotated[
            Optional[str],
            typer.Option(
                spec.option,
                help=spec.help,
                metavar=spec.metavar,
                autocompletion=_complete_ids(spec.complete) if spec.complete else None,
            ),
        ],
        None,
    )


def _command(function: Callable[..., None], parameters: list[inspect.Parameter]) -> Callable[..., None]:
    """``function(ctx, **values)`` with a signature Typer reads as these parameters."""
    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    # inspect.signature (Typer) reads __signature__ where a function has one (PEP 362); typeshed does not declare it
    function.__signature__ = inspect.Signature([context, *parameters])  # type: ignore[attr-defined]
    function.__annotations__ = {p.name: p.annotation for p in [context, *parameters]}
    return function


def _list_command(declared: kinds.Kind) -> Callable[..., None]:
    def list_records(ctx: typer.Context, **values: Any) -> None:
        fmt, fields = _chosen(declared.name, values.pop("fmt"), values.pop("as_json"), values.pop("fields"))
        sort, reverse, limit, count = (
            values.pop("sort"),
            values.pop("reverse"),
            values.pop("limit"),
            values.pop("count_by"),
        )
        with _domain():
            for name in declared.filters:  # dates are checked before the data is read
                if filters.FILTERS[name].type == "date":
                    query.check_date(filters.FILTERS[name].option, values.get(name))
            if sort is not None:
                query.sort_records(declared.name, [], sort)
            if count is not None:
                from ..domain.facets import count_by  # only a run that counts

                count_by(declared.name, [], count)
            base = ctx.obj.base()
            items = query.sort_records(declared.name, filters.select(base, declared.name, values), sort, reverse)
        from ..present.render import Payload

        as_of = values.get("as_of")
        _past_the_data(base, as_of)
        dicts = views.in_context(base, declared.name, items, [views.to_dict(base, r, as_of) for r in items], values)
        notes = [views.undated_note(base, declared.name, values), views.list_footer(base, declared.name, values, dicts)]
        if count is not None:
            dicts = count_by(declared.name, dicts, count)
        shown = dicts[:limit] if limit else dicts
        if len(shown) < len(dicts):
            notes.append(f"showing {len(shown)} of {len(dicts)}; --limit 0 shows all.")
        footer = " ".join(n for n in notes if n) or None
        if count is not None:
            payload = Payload(
                "count",
                f"{declared.title} by {count}",
                shown,
                fields and list(fields),
                flat_fields=[count, "count"],
                footer=footer if fmt is Format.table else None,
            )
        else:
            payload = Payload(
                declared.name,
                declared.title,
                shown,
                fields,
                flat_fields=declared.flat_fields,
                footer=footer if fmt is Format.table else None,
            )
        _emit(fmt, payload)
        if footer and fmt is not Format.table:  # the data stays clean for scripts; the note goes to stderr
            output.error(f"note: {footer}")

    sortable = declared.sortable
    field_names = declared.field_names
    parameters = [_filter_parameter(filters.FILTERS[name]) for name in declared.filters] + [
        _parameter(
            "sort",
            Annotated[
                Optional[str],
                typer.Option(
                    "--sort",
                    metavar="FIELD",
                    help="Sort by this field (text ignores case; records without a value come last).",
                    autocompletion=lambda incomplete: [f for f in sortable if f.startswith(incomplete)],
                ),
            ],
            None,
        ),
        _parameter("reverse", Annotated[bool, typer.Option("--reverse", help="Reverse the order.")], False),
        _parameter(
            "limit", Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most this many (0: all).")], 0
        ),
        _parameter(
            "count_by",
            Annotated[
                Optional[str],
                typer.Option(
                    "--count-by",
                    metavar="FIELD",
                    help="Count the records by the values of FIELD instead of listing "
                    "them (a list counts each item), most frequent first.",
                    autocompletion=lambda incomplete: [f for f in field_names if f.startswith(incomplete)],
                ),
            ],
            None,
        ),
        _parameter("fmt", FormatOpt, None),
        _parameter("as_json", JsonOpt, False),
        _parameter("fields", _fields_type(declared.name), None),
    ]
    return _command(list_records, parameters)


def _show_command(declared: kinds.Kind) -> Callable[..., None]:
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
        from ..present import pages  # the show page, drawn only for a human format

        page = (
            (lambda: pages.fields_document(record, data, fields))
            if fields
            else (lambda: pages.document(base, record, as_of))
        )
        from ..present.render import Payload

        _emit(
            fmt,
            Payload(
                declared.name, declared.title, [data], fields, single=True, page=page, flat_fields=declared.flat_fields
            ),
        )

    parameters = [
        inspect.Parameter(
            "record_id",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                str,
                typer.Argument(
                    metavar="ID",
                    help=f"The {declared.name}'s id or name, e.g. {declared.example}.",
                    autocompletion=_complete_ids(declared.name),
                ),
            ],
        ),
        *(
            [
                _filter_parameter(
                    filters.FILTERS["as_of"].replace(
                        help="Give the titles it held at the end of DATE (2009 means by 31 December 2009).",
                        name="as_of",
                    )
                )
            ]
            if "as_of" in declared.filters
            else []
        ),
        _parameter("fmt", FormatOpt, None),
        _parameter("as_json", JsonOpt, False),
        _parameter("fields", _fields_type(declared.name), None),
    ]
    return _command(show, parameters)


def _list_app(declared: kinds.Kind) -> typer.Typer:
    single = typer.Typer(add_completion=False)
    single.command(
        "list", help=f"List every {declared.name}, or those the filters select.", epilog=_examples(*declared.examples)
    )(_list_command(declared))
    return single


def _show_app(declared: kinds.Kind) -> typer.Typer:
    command, other = declared.command, "cited_by" if declared.name == "source" else "sources"
    single = typer.Typer(add_completion=False)
    single.command(
        "show",
        help=f"Show one {declared.name} with its sources. IDs match case-insensitively; "
        "names in English or Chinese work too.",
        epilog=_examples(
            f"oscli {command} show {declared.example}",
            f"oscli {command} show {declared.example.upper()} --json",
            f"oscli {command} show {declared.example} --fields id,{other} --format csv",
        ),
    )(_show_command(declared))
    return single
