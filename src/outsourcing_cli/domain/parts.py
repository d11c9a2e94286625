"""The parts: kinds of value inside records (a quotation, a statement, a source's evidence, a
provision's scope, what a conflict concerns), each declared once with its fields. ``kinds``
imports this module before it declares the kinds, whose ``list:PART`` and ``part:PART`` fields
name these.
"""

from __future__ import annotations

from .registry import KIND_NAMES, field, part

_SOURCES_OF_PART = field("sources", "ids", required=True, ref="source", description="ids of its sources")

part(
    "acknowledgement",
    "Acknowledgement",
    "reason",
    field("rule", "text", required=True, description="the rule code the finding has"),
    field("reason", description="why the finding is true to the sources"),
    field("sources", "ids", ref="source", description="ids of the sources the reason rests on"),
)
part(
    "evidence",
    "Evidence",
    "excerpt",
    field("source", "id", required=True, ref="source", description="the source's id"),
    field("claim", description="the field or part it supports (e.g. name_zh, targets[3]); none: the record"),
    field("excerpt", required=True, description="the source's words, verbatim, in its language"),
    field("locator", description="where in the source: paragraph, page, article"),
)
part(
    "quote",
    "Quote",
    "text",
    field("text", required=True, description="the words, verbatim"),
    field("source", "id", ref="source", description="the source that prints them"),
    field("speaker", description="who said them"),
    field("text_zh", description="the Chinese original of the words, verbatim, where a source prints it"),
    field("text_zh_source", "id", ref="source", description="the source that prints the Chinese original"),
)
part(
    "statement",
    "Statement",
    "text",
    field("topic", description="what it is about"),
    field("text", required=True, description="what the source says"),
    _SOURCES_OF_PART,
)
part(
    "role",
    "Role",
    "role",
    field("role", required=True, description="what the agencies do"),
    field("agencies", "ids", required=True, ref="agency", description="ids of the agencies"),
    _SOURCES_OF_PART,
)
part(
    "claim",
    "Claim",
    "claim",
    field("claim", required=True, description="what one side says, in its sources' words or closely"),
    _SOURCES_OF_PART,
)
part(
    "alias",
    "Alias",
    "name",
    field("name", required=True, description="the name as the source prints it"),
    field(
        "sources",
        "ids",
        required=True,
        ref="source",
        description="ids of the sources that give the name (each with an evidence excerpt)",
    ),
)
part(
    "scope",
    "Scope",
    "nationwide",
    field("nationwide", "bool", required=True, description="true if it reaches every city"),
    field(
        "titles",
        "ids",
        description="ids of the titles whose holders it reaches, as of the date asked "
        "(base-city, model-city, showcase-area, showcase-base); rule OSC409 checks them",
    ),
    field(
        "places",
        "ids",
        description="ids of the cities or areas it names; an area's provision reaches its "
        "city, marked with the area; rule OSC409 checks them",
    ),
)
part(
    "concern",
    "Concern",
    "id",
    field("type", "choice", required=True, choices=KIND_NAMES, description="the kind of the record concerned"),
    field("id", "id", required=True, ref="@type", description="the id of the record concerned"),
)
