"""Rules on excerpts (a record's evidence): from a source the record cites, for a claim it has, short."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import kinds
from ..findings import Finding
from ..kinds import citations
from ..model import FactBase, Record
from ..names import did_you_mean
from .common import _at

if TYPE_CHECKING:
    from ..registry import Kind


_PART_PATH = re.compile(r"([a-z_]+)\[(\d+)\]")
# The CJK ideographs U+3400-U+9FFF and U+F900-U+FAFF (fold.is_cjk); a test compares the two on
# every code point. (A pattern over the UTF-8 bytes used to stand in for this class, which once
# took 2-3 ms to compile; measured again with tools/hacks.py it saved nothing: 41 rounds, a cold
# `check` 0.8 ms faster with this class, within the noise.)
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _length(text: str) -> tuple[int, int]:
    """(words, CJK characters) of a text: a word is a run of characters that are neither spaces
    nor CJK; each CJK character counts alone."""
    return len(CJK.sub(" ", text).split()), len(CJK.findall(text))


def evidence(base: FactBase) -> Iterator[Finding]:
    """OSC305, OSC306: an excerpt comes from a source its record cites, for a claim the record has,
    and is short."""
    for record in base.records():
        declared = kinds.KINDS[record.kind]
        cited = {source.lower() for _, source in citations(record) if not _.startswith("evidence.")}
        if record.kind == "source" and record.id:
            cited.add(record.id.lower())
        for index, item in enumerate(record.evidence):
            path = f"evidence.{index}"
            if item.source and item.source.lower() not in cited:
                yield _at(
                    record,
                    f"{path}.source",
                    "OSC305",
                    f"excerpt {index + 1} of {record.kind} '{record.id}' is from '{item.source}', which the "
                    "record does not cite; add it to the record's (or the claim's) sources",
                )
            if item.claim and not _has_claim(record, declared, item.claim):
                yield _at(
                    record,
                    f"{path}.claim",
                    "OSC305",
                    f"excerpt {index + 1} of {record.kind} '{record.id}' supports '{item.claim}', which the "
                    f"record does not have{did_you_mean(item.claim, declared.field_names)}",
                )
            if item.excerpt:
                words, cjk = _length(item.excerpt)
                if cjk > 120 or words > 50:
                    yield _at(
                        record,
                        f"{path}.excerpt",
                        "OSC306",
                        f"excerpt {index + 1} of {record.kind} '{record.id}' is {words} words and {cjk} Chinese "
                        "characters long; an excerpt is at most 50 words or 120 characters",
                    )


def _has_claim(record: Record, declared: Kind, claim: str) -> bool:
    part = _PART_PATH.fullmatch(claim)
    if part:
        spec = declared.field(part.group(1))
        return (
            spec is not None
            and (spec.part is not None or spec.type == "texts")
            and int(part.group(2)) < len(getattr(record, spec.name))
        )  # a part, or one text of a list (a condition)
    spec = declared.field(claim)
    return spec is not None and spec.derived is None
