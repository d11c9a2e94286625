"""The registry of kinds: each kind of record, and each of its fields, declared once.

Like yamllint's table of rules, this is the one place that says what the fact base holds. For
each kind: its names (the singular used in JSON ``type``, in messages and by ``--type``; the
plural used as YAML section; the command), the data file it lives in, its fields and its
filters. For each field: its type, whether it is required, what it holds (for ``--fields help``
and the docs), its label on show pages and tables, its search weight and the kind it names.

Everything else is derived from here: the record classes, the schema checks, the JSON contract
(``views.to_dict``), table columns, lookups and relations (``query``), search weights, the
generic reference rule, the Typer ``list``/``show`` commands, completion, the synthetic data
generator and docs/cli.md. A new kind is an entry below, its data and its tests.

The machinery (what a field, a part and a kind are; lookups, layouts, reference walks) is in
``registry``, the parts (kinds of value inside records) in ``parts``; this module declares the
kinds and re-exports the machinery, so the rest of oscli imports ``kinds`` alone.
"""

from __future__ import annotations

from . import (
    dates,
    parts,  # noqa: F401 (declares the parts, which the kinds' fields name)
)
from .registry import (
    KIND_NAMES,
    KINDS,
    MAX_INT,
    PARTS,
    Field,
    Kind,
    PartSpec,
    aliases,
    citations,
    field,
    files,
    get,
    kind,
    label_of,
    names,
    references,
    required_files,
)

# The registry as the rest of oscli reads it (kinds.X): the machinery, exported from here so that
# whoever reads a kind has imported its declaration first (registry.py cannot import this module).
__all__ = [
    "KINDS",
    "KIND_NAMES",
    "MAX_INT",
    "PARTS",
    "Field",
    "Kind",
    "PartSpec",
    "aliases",
    "citations",
    "field",
    "files",
    "get",
    "kind",
    "label_of",
    "names",
    "references",
    "required_files",
]

# -- kinds --------------------------------------------------------------------------------------

_ID = field(
    "id",
    "id",
    required=True,
    label="ID",
    column=1,
    weight=0.95,
    description="the record's id (lower case, hyphens); `show` takes it",
)
_NOTE = field("note", weight=0.4, label="Note", section=True, description="a note on the record")
_ACKS = field(
    "acknowledgements",
    "list:acknowledgement",
    label="Known exceptions",
    description="check findings known and allowed: objects with rule, reason, sources",
)
_EVIDENCE = field(
    "evidence",
    "list:evidence",
    label="Evidence",
    description="the sources' words for its claims: objects with source, claim, excerpt, locator",
)
_SOURCES = field(
    "sources", "ids", required=True, ref="source", label="Sources", description="ids of the sources the record cites"
)
_SOURCE_RECORDS = field(
    "source_records",
    "objects",
    derived="source_records",
    label="Sources",
    shown="sources",
    description="the cited sources in full: objects as in `sources show --json`",
)
_CONFLICTS = field(
    "conflicts",
    "ids",
    derived="reverse:conflict.concerns",
    label="Sources disagree",
    shown="disagreements",
    description="ids of the recorded disagreements between sources that concern this record",
)
_COMMON_TAIL = (_NOTE, _ACKS, _EVIDENCE, _CONFLICTS, _SOURCES, _SOURCE_RECORDS)
_SUBJECT_TYPES = ("city", "area")


def _bounds(what: str) -> tuple[Field, ...]:
    """A date at the precision the source gives, and, where it is unknown, bounds with their sources."""
    return (
        field(
            "date",
            "date",
            label="Date",
            description=f"date of the {what} (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD), as precise as a source states it",
        ),
        field(
            "not_before",
            "date",
            label="Not before",
            description=f"where the date is unknown: the {what} was on or after this date",
        ),
        field(
            "not_before_source",
            "id",
            ref="source",
            label="Not before, per",
            description="the source that sets the lower bound",
        ),
        field(
            "not_after",
            "date",
            label="Not after",
            description=f"where the date is unknown: the {what} was on or before this date",
        ),
        field(
            "not_after_source",
            "id",
            ref="source",
            label="Not after, per",
            description="the source that sets the upper bound",
        ),
    )


_TITLES = field(
    "titles",
    "objects",
    derived="titles",
    label="Titles",
    column=6,
    flat=True,
    shown="titles",
    description="the titles it holds as of --as-of (else as of the newest data): objects with title, "
    "status (held or possibly held), since (the grant's date, or null) and designation",
)
_DESIGNATIONS = field(
    "designations",
    "ids",
    derived="designations",
    label="Designations",
    shown="history",
    description="ids of the designations that name it, in date order",
)
_PROVISIONS = field(
    "provisions",
    "objects",
    derived="provisions",
    label="Provisions in force",
    shown="provisions",
    description="the provisions in force for a company there as of --as-of (else as of the newest "
    "data): objects with provision, category, policy, status (held or possibly held), via "
    "(nationwide, place or title), title, area (the area it reaches the city through, or null), "
    "effective_from and effective_until",
)

kind(
    "city",
    "cities",
    "cities.yaml",
    _ID,
    field("name", required=True, label="Name", column=2, weight=1.0, description="name in English"),
    field(
        "name_zh",
        label="Chinese name",
        header="Chinese",
        column=3,
        weight=1.0,
        description="name in Chinese, as the official division-code list prints it",
    ),
    field(
        "aliases",
        "list:alias",
        label="Other names",
        weight=1.0,
        description="historical and romanised names (Canton, Amoy, Peking...), searched and looked up like "
        "the name: objects with name and sources",
    ),
    field(
        "province", label="Province", column=4, weight=0.8, description="the province-level division it is in (English)"
    ),
    field(
        "province_zh",
        label="Province (Chinese)",
        weight=0.8,
        description="the province-level division it is in, in Chinese as the official list prints it",
    ),
    field(
        "province_type",
        "choice",
        choices=("province", "municipality", "autonomous region"),
        label="Province-level division",
        description="what kind of province-level division: province, municipality or autonomous region",
    ),
    field(
        "division_code",
        label="Division code (GB/T 2260)",
        pattern=r"[1-8][0-9]{5}",
        description="the six-digit administrative-division code (GB/T 2260) of the city",
    ),
    field("geonames_id", "int", label="GeoNames id", description="the city's id in GeoNames (geonames.org)"),
    field(
        "latitude",
        "float",
        label="Latitude",
        minimum=-90,
        maximum=90,
        description="latitude in degrees north (GeoNames, WGS 84)",
    ),
    field(
        "longitude",
        "float",
        label="Longitude",
        minimum=-180,
        maximum=180,
        description="longitude in degrees east (GeoNames, WGS 84)",
    ),
    field(
        "primary_outsourcing_city",
        "bool",
        required=True,
        label="Primary outsourcing city (2007 article)",
        header="Primary",
        column=5,
        description="kept for compatibility: true if the 2007 article names it among the 11 primary "
        "outsourcing cities (rule OSC402 checks this against the designations)",
    ),
    field(
        "showcase_areas",
        "ids",
        derived="reverse:area.city",
        label="Showcase areas",
        description="ids of the showcase areas in the city",
    ),
    _DESIGNATIONS,
    _TITLES,
    _PROVISIONS,
    *_COMMON_TAIL,
    help="Cities: the base cities and model cities, and the showcase areas' host cities.",
    title="Cities",
    example="dalian",
    examples=(
        "oscli cities list",
        "oscli cities list --as-of 2009-06 --title model-city",
        "oscli cities list --province jiangsu --format csv",
        "oscli cities list --primary --sort name --fields id,name,name_zh",
        "oscli cities list --json | jq -r '.[] | select(.primary_outsourcing_city) | .name'",
    ),
    filters=("province", "primary", "title", "as_of"),
    footer="holders",
    missing="OSC202",
    required_file=True,
    file_rank=2,
)

kind(
    "area",
    "areas",
    "cities.yaml",
    _ID,
    field("name", label="Name", column=2, weight=1.0, description="name in English, where a source gives one"),
    field("name_zh", label="Chinese name", header="Chinese", column=3, weight=1.0, description="name in Chinese"),
    field(
        "city",
        "id",
        required=True,
        ref="city",
        label="City",
        column=4,
        weight=0.8,
        description="id of the city the area is in",
    ),
    field("level", label="Level", column=5, description="level of the designation (state)"),
    field("established", "date", label="Established", description="date established (ISO 8601)"),
    _DESIGNATIONS,
    _TITLES,
    _PROVISIONS,
    *_COMMON_TAIL,
    help="Showcase areas and showcase bases: parks designated within a city.",
    title="Showcase areas",
    example="suzhou-industrial-park",
    examples=("oscli areas list", "oscli areas list --city suzhou --format yaml", "oscli areas list --as-of 2007-06"),
    filters=("city", "title", "as_of"),
    footer="holders",
    label=("name", "name_zh"),
    missing="OSC205",
    required_file=True,
    file_rank=2,
)

kind(
    "title",
    "titles",
    "designations.yaml",
    _ID,
    field("name", required=True, label="Name", column=2, weight=1.0, description="the title in English"),
    field(
        "name_zh",
        required=True,
        label="Chinese name",
        header="Chinese",
        column=3,
        weight=1.0,
        description="the title in Chinese, as the sources print it",
    ),
    field(
        "subject_type",
        "choice",
        required=True,
        choices=_SUBJECT_TYPES,
        label="Granted to",
        column=4,
        description="what the title is granted to: city or area",
    ),
    *_COMMON_TAIL,
    help="The titles cities and areas are granted: base city, model city, showcase area, showcase base.",
    title="Titles",
    example="model-city",
    examples=("oscli titles list", "oscli titles show base-city --json"),
    missing="OSC206",
    vocabulary=True,
    file_rank=3,
)

kind(
    "designation",
    "designations",
    "designations.yaml",
    _ID,
    field(
        "subject",
        "id",
        required=True,
        ref="@subject_type",
        label="Subject",
        column=2,
        description="the id of the city or area that received (or lost) the title",
    ),
    field(
        "subject_type",
        "choice",
        required=True,
        choices=_SUBJECT_TYPES,
        label="Subject type",
        description="city or area",
    ),
    field(
        "title",
        "id",
        required=True,
        ref="title",
        label="Title",
        column=4,
        description="the id of the title (see `oscli titles list`)",
    ),
    field(
        "event",
        "choice",
        required=True,
        choices=("granted", "revoked"),
        label="Event",
        column=5,
        description="granted, or revoked (the title taken away)",
    ),
    *_bounds("event"),
    field(
        "when",
        "text",
        derived="when",
        label="When",
        column=3,
        on_page=False,
        description="the date in words: the date, or its bounds ('between 2007-01-09 and 2008-01-11')",
    ),
    field(
        "document",
        label="Document",
        weight=0.8,
        description="the number of the document that grants it, where a source states it",
    ),
    field(
        "granted_by",
        "ids",
        ref="agency",
        label="Granted by",
        description="ids of the agencies that granted it, as a source names them",
    ),
    field(
        "ordinal",
        label="Batch or ordinal",
        weight=0.6,
        description="the batch or ordinal, as the source states it (e.g. first batch, 13th)",
    ),
    *_COMMON_TAIL,
    help="Designations: each event in which a city or area received (or lost) a title, dated and cited.",
    title="Designations",
    example="dalian-base-city",
    examples=(
        "oscli designations list",
        "oscli designations list --title model-city --since 2016",
        "oscli designations list --city suzhou --json",
    ),
    filters=("city", "title", "since", "until", "include_undated"),
    label=(),
    describe=lambda r: f"{r.subject}: {r.title} {r.event} ({dates.when(r)})",
    heading=lambda r, name: (
        f"{name(r.subject_type or 'city', r.subject or '?')}: {name('title', r.title or '?')}, "
        f"{r.event} {dates.when(r)}"
    ),
    file_rank=3,
)

kind(
    "total",
    "totals",
    "designations.yaml",
    _ID,
    field(
        "title", "id", required=True, ref="title", label="Title", column=2, description="the id of the title counted"
    ),
    field(
        "count",
        "int",
        required=True,
        label="Count",
        column=3,
        description="how many held the title, as the source states it",
    ),
    *_bounds("count"),
    field(
        "when",
        "text",
        derived="when",
        label="When",
        column=4,
        on_page=False,
        description="the date in words: the date, or its bounds",
    ),
    field(
        "unnamed",
        "int",
        label="Not named",
        description="how many of them no source found names (recorded as unknown, never guessed)",
    ),
    field(
        "members",
        "ids",
        ref="city",
        label="Members",
        description="ids of the cities the source names as holding the title, where it names them",
    ),
    field(
        "primary_list",
        "bool",
        label="The article's list",
        description="true for the total whose members are the cities marked primary_outsourcing_city "
        "(the 2007 article's list; rule OSC402)",
    ),
    *_COMMON_TAIL,
    help="Totals: how many held a title at a date, as a source states it; checked against the designations.",
    title="Totals",
    example="model-cities-2016",
    examples=("oscli totals list", "oscli totals list --title model-city --json"),
    filters=("title", "since", "until", "include_undated"),
    label=(),
    describe=lambda r: f"{r.count} {r.title} ({dates.when(r)})",
    heading=lambda r, name: f"{r.count} × {name('title', r.title or '?')} ({dates.when(r)})",
    file_rank=3,
)

kind(
    "conflict",
    "conflicts",
    "conflicts.yaml",
    _ID,
    field(
        "question", required=True, label="Question", column=2, weight=1.0, description="what the sources disagree on"
    ),
    field(
        "claims",
        "list:claim",
        required=True,
        label="Claims",
        weight=0.6,
        description="each side: objects with claim and sources",
    ),
    field(
        "follows",
        "int",
        label="The data follows claim",
        column=3,
        description="the number (1, 2...) of the claim the data follows; null when it follows none",
    ),
    field("reason", label="Why", weight=0.4, section=True, description="why the data follows that claim"),
    field(
        "concerns",
        "list:concern",
        label="Records concerned",
        description="the records the disagreement concerns: objects with type and id",
    ),
    *_COMMON_TAIL,
    help="Disagreements between sources: each claim with its sources, which one the data follows, and why.",
    title="Where sources disagree",
    example="export-target",
    examples=("oscli conflicts list", "oscli conflicts show export-target --json"),
    label=("question",),
    file_rank=5,
)

kind(
    "policy",
    "policies",
    "policies.yaml",
    _ID,
    field("title", required=True, label="Title", column=4, weight=1.0, description="title in English"),
    field("title_zh", label="Chinese title", weight=1.0, description="title in Chinese, as a source prints it"),
    field(
        "type",
        "choice",
        required=True,
        choices=("plan", "speech", "project", "circular", "notice", "reply", "opinion"),
        label="Type",
        column=3,
        description="kind of policy: plan, speech, project, circular, notice, reply or opinion (意见, 指导意见)",
    ),
    field(
        "date",
        "date",
        label="Date",
        on_page=False,  # its show page says `when`
        description="date (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    field(
        "when",
        "text",
        derived="when_or_number",
        label="Date",
        column=2,
        description="the date, or the year its document number carries, marked as such; null when neither",
    ),
    field("document_number", label="Document number", weight=0.8, description="official document number"),
    field(
        "year_from_number",
        "date",
        derived="year_from_number",
        label="Year (from its document number)",
        on_page=False,
        description="where it has no date: the year its document number carries ([2006] → 2006), which "
        "--since and --until use; null otherwise",
    ),
    field("speaker", label="Speaker", weight=0.8, description="who spoke"),
    field("occasion", label="Occasion", weight=0.6, description="where or when it was said"),
    field(
        "designations",
        "list:role",
        label="Agencies",
        weight=0.6,
        description="agencies and their roles: objects with role, agencies, sources",
    ),
    field(
        "quotes",
        "list:quote",
        label="Quoted statements",
        weight=0.6,
        description="official statements quoted word for word: objects with text, source, speaker, text_zh",
    ),
    field(
        "statements",
        "list:statement",
        label="What the sources say",
        weight=0.6,
        description="what the sources say of it: objects with topic, text, sources",
    ),
    field(
        "targets",
        "list:statement",
        label="Targets",
        weight=0.6,
        description="stated targets: objects with topic, text, sources",
    ),
    *_COMMON_TAIL,
    help="Policies: plans, speeches, the project and its circulars, with quoted statements.",
    title="Policies",
    example="11th-fyp",
    examples=(
        "oscli policies list",
        "oscli policies list --since 2007 --sort date",
        "oscli policies list --fields id,date,document_number --format csv",
    ),
    filters=("since", "until", "include_undated"),
    required_file=True,
    file_rank=4,
)

kind(
    "agency",
    "agencies",
    "policies.yaml",
    _ID,
    field("abbr", required=True, label="Abbreviation", header="Abbr", column=2, weight=1.0, description="abbreviation"),
    field("name", required=True, label="Name", column=3, weight=1.0, description="name in English"),
    field("name_zh", label="Chinese name", header="Chinese", column=4, weight=1.0, description="name in Chinese"),
    *_COMMON_TAIL,
    help="The ministries that lead, select, grant and fund.",
    title="Agencies",
    example="moc",
    examples=("oscli agencies list", "oscli agencies list --sort abbr --format ndjson"),
    missing="OSC203",
    required_file=True,
    file_rank=4,
)

kind(
    "term",
    "terms",
    "policies.yaml",
    _ID,
    field("term", required=True, label="Term", column=2, weight=1.0, description="the term as the policy uses it"),
    field(
        "definition",
        required=True,
        label="Definition",
        column=3,
        weight=0.6,
        section=True,
        description="the definition, in the source's words",
    ),
    *_COMMON_TAIL,
    help="The terms the policy defines.",
    title="Terms",
    example="showcase-area",
    examples=("oscli terms list", "oscli terms list --fields term,definition --format yaml"),
    required_file=True,
    file_rank=4,
)

# -- provisions (issue 18) ------------------------------------------------------------------------

kind(
    "provision",
    "provisions",
    "provisions.yaml",
    _ID,
    field(
        "policy",
        "id",
        required=True,
        ref="policy",
        label="Granted by",
        column=3,
        weight=0.6,
        description="the id of the policy record (the document) that grants it",
    ),
    field(
        "benefit",
        required=True,
        label="Benefit",
        column=5,
        weight=1.0,
        description="what it gives, in English, close to the document's words",
    ),
    field(
        "benefit_zh",
        label="Benefit (Chinese)",
        weight=1.0,
        description="what it gives, in the document's words, verbatim; null where not seen",
    ),
    field(
        "category",
        "choice",
        required=True,
        choices=("tax", "fund", "labour", "procedure", "training", "other"),
        label="Category",
        column=2,
        description="tax, fund, labour, procedure, training or other",
    ),
    field(
        "beneficiary",
        label="Beneficiary",
        weight=0.8,
        description="who receives it (e.g. technologically advanced service enterprises)",
    ),
    field(
        "beneficiary_zh",
        label="Beneficiary (Chinese)",
        weight=0.8,
        description="who receives it, in the document's words, verbatim; null where not seen",
    ),
    field("value", "number", label="Value", description="its amount, where it has one (15 for 15 %); else null"),
    field(
        "unit",
        "choice",
        choices=("percent", "percent-of-wages", "yuan-per-person", "yuan"),
        label="Unit",
        description="the unit of value: percent, percent-of-wages, yuan-per-person or yuan; null without a value",
    ),
    field(
        "conditions",
        "texts",
        label="Conditions",
        weight=0.4,
        description="the conditions it sets, in English, in the source's terms (a list of text)",
    ),
    field(
        "scope",
        "part:scope",
        required=True,
        label="Scope",
        description="where it reaches: an object with nationwide (true or false), titles (title ids, read as "
        "of the date asked) and places (city or area ids)",
    ),
    field(
        "effective_from",
        "date",
        label="In force from",
        description="the first day in force (YYYY[-MM[-DD]]), as precise as a source states it; null if none does",
    ),
    field(
        "effective_until",
        "date",
        label="In force until",
        description="the last day in force, inclusive; null if no source states an end",
    ),
    field(
        "extends", "ids", ref="provision", label="Extends", description="ids of the provisions it continues or widens"
    ),
    field("supersedes", "ids", ref="provision", label="Supersedes", description="ids of the provisions it replaces"),
    field(
        "status",
        "text",
        derived="provision_status",
        label="Status",
        column=4,
        description="whether it is in force at --as-of (else as of the newest data): held (in force), possibly "
        "held (a partial date or, with --city or --area, a title only possibly held), or null",
    ),
    field(
        "chain",
        "ids",
        derived="provision_chain",
        label="Chain",
        shown="chain",
        description="ids of the provisions its extends and supersedes links join it to, itself included, in date order",
    ),
    *_COMMON_TAIL,
    help="Provisions: each benefit a document grants (a tax rate, a fund, a working-hours regime), where "
    "and when it reached.",
    title="Provisions",
    example="tase-eit-model-cities-2009",
    examples=(
        "oscli provisions list",
        "oscli provisions list --as-of 2012-06 --city suzhou",
        "oscli provisions list --category tax --json",
    ),
    filters=("category", "city", "area", "as_of"),
    context="reach",
    label=("benefit",),
)

kind(
    "source",
    "sources",
    "sources.yaml",
    _ID,
    field("title", required=True, label="Title", column=5, weight=1.0, description="title as printed"),
    field(
        "type",
        "choice",
        required=True,
        label="Type",
        column=2,
        choices=("article", "news", "web-page", "legal-text", "report", "dataset", "book"),
        description="kind of source: article, news, web-page, legal-text, report, dataset or book",
    ),
    field("author", label="Author", weight=0.8, description="author, as printed"),
    field("publisher", label="Publisher", column=3, weight=0.8, description="publisher or website, as printed"),
    field(
        "reposted_from",
        label="Reposted from",
        weight=0.8,
        description="the original outlet, where the page reprints another's article",
    ),
    field("date", "date", label="Date", column=4, description="date of publication (ISO 8601)"),
    field("document_number", label="Document number", weight=0.8, description="the official number of a document"),
    field("url", "url", label="URL", description="address"),
    field("archive_url", "url", label="Archived copy", description="an archived copy of the page"),
    field(
        "stored_copy",
        label="Stored copy",
        description="where a copy of its text is kept in oscli's repository; the tests check every excerpt "
        "from it character for character (others are shown 'as recorded on' the day they were read)",
    ),
    field("accessed", "date", label="Accessed", description="date the page was read"),
    field(
        "language",
        "choice",
        choices=("en", "zh", "zh-Hant", "ja"),
        label="Language",
        description="language (ISO 639-1; zh-Hant for traditional characters)",
    ),
    _NOTE,
    _ACKS,
    _EVIDENCE,
    _CONFLICTS,
    field(
        "cited_by",
        "objects",
        derived="cited_by",
        label="Cited by",
        shown="cited_by",
        description="the records that cite this source: objects with type and id",
    ),
    help="The sources every fact is taken from.",
    title="Sources",
    example="oj-article",
    examples=("oscli sources list", "oscli sources list --sort date --reverse --json"),
    label=("title",),
    missing="OSC204",
    required_file=True,
    file_rank=1,
)
