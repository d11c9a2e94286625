"""`oscli cite`: any record, one claim of it, every policy and source, or the fact base itself, as
text, BibTeX, biblatex, CSL-JSON or RIS.

Keeps real annotations (no ``from __future__ import annotations``): Typer evaluates them to
make the options.
"""

import sys
from typing import TYPE_CHECKING, Annotated, Optional, Union

import typer

from .. import __version__
from ..domain import kinds, names, query
from ..domain.names import Ambiguous
from ..present import output
from ..present.output import Format
from .common import EXIT_NOT_FOUND, _completion_base, _domain, _examples, _format_type

if TYPE_CHECKING:
    from ..domain.model import FactBase, Record
    from .common import FormatChoice

    CiteFormatOpt = Optional[FormatChoice]  # the --format option Typer reads, as the checker sees it
else:
    CiteFormatOpt = _format_type(output.CITATION_FORMATS, "text")


def _complete_any_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of every kind (or of the kind --type names), for `cite ID`."""
    base = _completion_base(ctx)
    wanted = ctx.params.get("kind")
    try:
        chosen = [kinds.get(wanted).name] if wanted else list(kinds.KINDS)
    except KeyError:
        chosen = list(kinds.KINDS)
    ids = [r.id for name in chosen for r in base.of(name) if r.id and r.id.lower().startswith(incomplete.lower())]
    return list(dict.fromkeys(ids))


def _complete_claims(ctx: typer.Context, incomplete: str) -> list[str]:
    base = _completion_base(ctx)
    try:
        # while the value of --claim is typed, click leaves the ID it has not parsed in ctx.args
        wanted = ctx.params.get("record_id") or next(iter(ctx.args), "")
        record = query.find_any(base, wanted, ctx.params.get("kind"))
    except (names.QueryError, KeyError):
        return []
    from ..domain.claims import claims

    return [c for c in claims(record) if c.startswith(incomplete)]


cite_app = typer.Typer(add_completion=False)  # one command; cli/app.py builds it only in a run that uses it


@cite_app.command(
    "cite",
    rich_help_panel="Find, cite and check",
    epilog=_examples(
        "oscli cite 11th-fyp",
        "oscli cite npc-2007 --format bibtex",
        "oscli cite oj-article --format ris",
        "oscli cite dalian",
        "oscli cite 1000-100-10 --claim 'targets[3]'",
        "oscli cite dalian --claim name_zh --format json",
        "oscli cite --all --format bibtex > oscli.bib",
        "oscli cite --all --format biblatex > oscli.bib",
        "oscli cite --dataset --format biblatex",
    ),
)
def cite(
    ctx: typer.Context,
    record_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[ID]",
            help="The id or name of any record: a policy, a source, a city, an area, an agency, a term...",
            autocompletion=_complete_any_id,
        ),
    ] = None,
    fmt: CiteFormatOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="CSL-JSON: the short form of --format csl-json.")] = False,
    kind: Annotated[
        Optional[str],
        typer.Option(
            "--type",
            "-t",
            metavar="KIND",
            help="The kind of record ID names, when it names records of several kinds: "
            + ", ".join(kinds.names())
            + ".",
            autocompletion=lambda incomplete: [k for k in kinds.aliases() if k.startswith(incomplete)],
        ),
    ] = None,
    claim: Annotated[
        Optional[str],
        typer.Option(
            "--claim",
            metavar="FIELD",
            help="Cite one claim of the record: a field (name_zh) or a part (targets[3], statements[0]): its "
            "sources with the excerpt, locator, URL and access date; a footnote in text, an object in json.",
            autocompletion=_complete_claims,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Cite every policy and source: a whole bibliography.")] = False,
    dataset: Annotated[
        bool,
        typer.Option(
            "--dataset",
            help="Cite the fact base itself: oscli's version and the date of the newest dated fact in the data.",
        ),
    ] = False,
) -> None:
    """Cite any record as text, BibTeX, biblatex, CSL-JSON or RIS.

    A policy or a source is cited as a document (a policy with a note naming the source that
    quotes or describes it). Any other record (a city, an area, an agency, a term) is cited by
    what supports it: each of its sources as a full citation, with a note saying which of the
    record's claims that source supports; a city or an area also by the sources of its
    designations, each labelled with what it supports ("model city, 2009"). --claim cites one
    claim. Unknown values (an undated article, an untitled page) are left out, never guessed.
    """
    from ..domain.claims import citable
    from ..present import citation

    with _domain():
        asked: Union[str, Format, None] = fmt
        if as_json:
            if fmt is not None and output.Format(fmt.value) not in (Format.csl_json, Format.json):
                raise output.UsageError("--format", f"--json and --format {fmt.value} contradict each other; give one")
            asked = Format.csl_json
        chosen = output.choose(asked, False, output.CITATION_FORMATS, default=Format.text)
        if kind is not None:
            kind = next(iter(query.kinds_for_types([kind]) or ()))  # (None only when no type is given)
    if dataset and (every or record_id is not None or claim is not None or kind is not None):
        raise typer.BadParameter(
            "--dataset cites the fact base itself: give no ID, --all, --claim or --type with it",
            param_hint="'--dataset'",
        )
    if dataset:
        text = citation.render([citation.dataset_reference(ctx.obj.base(), __version__)], chosen.value)
        with output.writing():
            sys.stdout.write(text)
        return
    if every and record_id is not None:
        raise typer.BadParameter("give an ID or --all, not both", param_hint="ID")
    if not every and record_id is None:
        raise typer.BadParameter(
            "give the ID of a record to cite, or --all for every policy and source", param_hint="ID"
        )
    if every and (claim is not None or kind is not None):
        raise typer.BadParameter(
            "--claim and --type cite one record; --all cites every policy and source", param_hint="'--all'"
        )
    base = ctx.obj.base()
    if record_id is None:  # --all (the checks above leave one of the two)
        text = citation.render([citation.reference(base, r) for r in citable(base)], chosen.value)
    else:
        with _domain():
            try:
                record = query.find_any(base, record_id, kind)
            except Ambiguous as many:
                if kind is not None:
                    raise
                names = ", ".join(f"{r.kind} {r.id} ({kinds.label_of(r)})" for r in many.candidates)
                output.error(
                    f"'{many.wanted}' names more than one record: {names}. "
                    f"Choose one with --type KIND (e.g. --type {many.candidates[0].kind})."
                )
                raise typer.Exit(EXIT_NOT_FOUND) from None
        text = _citation_text(base, record, claim, chosen)
    with output.writing():
        sys.stdout.write(text)


def _citation_text(base: "FactBase", record: "Record", claim: Optional[str], chosen: Format) -> str:
    """One record cited: a document as itself, anything else by its sources; or one claim."""
    from ..domain.claims import CITABLE
    from ..domain.claims import claim as claim_of
    from ..domain.textsafe import visible
    from ..present import citation
    from ..present.claims import claim_dict
    from ..present.render import json_text

    if claim is not None:
        if record.kind == "source":
            raise typer.BadParameter(
                f"a source is cited as itself: drop --claim, or cite a claim of a record "
                f"that cites it (`oscli sources show {record.id}` lists those records)",
                param_hint="'--claim'",
            )
        with _domain():
            found = claim_of(record, claim)
        if chosen is Format.json:
            return json_text(claim_dict(base, record, found)) + "\n"
        if chosen is Format.text:
            return visible(citation.footnote(base, record, found))
        return citation.render(citation.claim_references(base, record, found), chosen.value)
    refs = citation.references(base, record)
    text = citation.render(refs, chosen.value)
    if chosen is Format.text:
        return visible(text if record.kind in CITABLE else citation.heading(record, len(refs)) + text)
    return text
