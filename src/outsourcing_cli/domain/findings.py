"""Findings: what `oscli check` reports, and the catalogue of rules that produce them.

A finding is a plain value (like a yamllint "problem"): where, which rule, how bad, what.
The rule catalogue is the one place where codes, severities and rationales are defined.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from .frozen import Frozen
from .textsafe import escaped

if TYPE_CHECKING:
    from .model import FactBase


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Rule(Frozen):
    code: str
    severity: Severity
    name: str
    checks: str
    why: str


def _files_needed() -> str:
    """OSC001's reason, naming the data files as the registry of kinds lays them out."""
    from . import kinds

    required = kinds.required_files()
    optional = [name for name in kinds.files() if name not in required]
    return (
        f"every command needs {', '.join(required)}"
        + (f" (and reads {', '.join(optional)} when present)" if optional else "")
        + "; a missing file would silently mean no records"
    )


def _r(code: str, severity: str, name: str, checks: str, why: str) -> Rule:
    return Rule(code, Severity(severity), name, checks, why)


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        # -- files and YAML ----------------------------------------------------------
        _r("OSC001", "error", "file-missing", "a data file is missing or cannot be read", _files_needed()),
        _r(
            "OSC002",
            "error",
            "encoding",
            "a data file is not valid UTF-8",
            "names in Chinese must survive; a wrong encoding corrupts them",
        ),
        _r(
            "OSC003",
            "error",
            "yaml-syntax",
            "the file is not well-formed YAML (tabs, bad indentation, unclosed quotes)",
            "the parser's position points at the damage",
        ),
        _r(
            "OSC004",
            "error",
            "empty-file",
            "a data file is empty or holds no mapping",
            "an empty file would silently drop every record it should hold",
        ),
        _r(
            "OSC005",
            "error",
            "yaml-alias",
            "YAML anchors and aliases are used",
            'aliases can expand exponentially ("billion laughs") and hide copies of facts',
        ),
        _r(
            "OSC006",
            "error",
            "yaml-tag",
            "an explicit YAML tag (such as !!python/object) is used",
            "tags can build arbitrary objects; facts are plain text, numbers, booleans, lists and mappings",
        ),
        _r(
            "OSC007",
            "error",
            "too-large",
            "a file is too large or nested too deeply",
            "bounds the time and memory any input can take",
        ),
        _r(
            "OSC008",
            "error",
            "duplicate-key",
            "a mapping repeats a key",
            "YAML loaders silently keep the last value: the first is lost",
        ),
        # -- schema -------------------------------------------------------------------
        _r(
            "OSC101",
            "error",
            "missing-field",
            "a required field is missing",
            "the model cannot hold a record without it",
        ),
        _r(
            "OSC102",
            "error",
            "unknown-field",
            "a field is not part of the schema (with the closest known name)",
            "a misspelt field name is otherwise silently ignored",
        ),
        _r(
            "OSC103",
            "error",
            "wrong-type",
            "a value has the wrong type (a list where text is expected, a number for a name...)",
            "YAML turns yes, 1.0 or 2006-03-05 into booleans, numbers and dates; facts must be what they say",
        ),
        _r(
            "OSC104",
            "error",
            "bad-date",
            "a date is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
            "dates are sorted, filtered and cited; partial dates are allowed, guesses are not",
        ),
        _r("OSC105", "error", "empty-text", "a text field or quotation is empty", "an empty quotation cites nothing"),
        _r(
            "OSC106",
            "error",
            "bad-id",
            "an id is not lower-case letters, digits and hyphens",
            "ids are typed at the command line and used in scripts",
        ),
        _r(
            "OSC107",
            "error",
            "control-character",
            "text holds a control character (ESC, C1) or a bidirectional override (U+202E...)",
            "such characters would act on the reader's terminal (clear it, fake a link, reverse text) "
            "instead of being read",
        ),
        _r(
            "OSC108",
            "error",
            "not-in-vocabulary",
            "a value is not one of its field's documented values",
            "types, titles and events are a fixed vocabulary that filters and rules rely on",
        ),
        _r(
            "OSC109",
            "error",
            "not-checked",
            "findings that only follow from a file that could not be read or parsed are summarised, not listed",
            "one slip in one file would otherwise bury its cause under hundreds of unknown references",
        ),
        _r(
            "OSC110",
            "error",
            "number-out-of-range",
            "a number is outside its field's range (a coordinate beyond ±90/±180, a count below 0, a whole "
            "number above 2^53-1)",
            "a value no map, JSON reader or SQLite column can hold exactly is a typo, not a fact",
        ),
        _r(
            "OSC111",
            "error",
            "number-not-finite",
            "a number is NaN or infinite (.nan, .inf)",
            "JSON has no NaN or infinity; comparisons with NaN are always false",
        ),
        _r(
            "OSC112",
            "error",
            "year-out-of-range",
            "a date's year is outside 1000-9999",
            "a year like 0207 is a typo; dates are sorted and filtered as text of four digits",
        ),
        _r(
            "OSC113",
            "error",
            "yaml-1.1-form",
            "a value is written in a YAML 1.1 form that YAML 1.2 editors read differently: a number in another "
            "base (0x7D9, 0o3731, 03731), '_' or ':' in a number, yes/no/on/off for true/false "
            "(where text is expected, yes is OSC103: put it in quotes)",
            "oscli's parser (YAML 1.1) and the editor's (YAML 1.2) would read different facts from one file",
        ),
        _r(
            "OSC114",
            "error",
            "lookalike-in-id",
            "an id holds a character that looks like ASCII (Cyrillic а, a dash) or is invisible (zero-width space)",
            "such an id looks right and names nothing: `show` and every reference to it fail",
        ),
        # -- identity and references ---------------------------------------------------
        _r(
            "OSC201",
            "error",
            "duplicate-id",
            "two records of one kind share an id (ids compare case-insensitively)",
            "lookups are case-insensitive; one record would hide the other",
        ),
        _r(
            "OSC202",
            "error",
            "unknown-city",
            "a record names a city that does not exist",
            "every area and every designation must name a known city",
        ),
        _r(
            "OSC203",
            "error",
            "unknown-agency",
            "a record names an agency that does not exist",
            "every role and every grant must name a known agency",
        ),
        _r(
            "OSC204",
            "error",
            "unknown-source",
            "a record, quote or provision cites a source id that does not exist",
            "every fact must be traceable to a source record",
        ),
        _r(
            "OSC205",
            "error",
            "unknown-area",
            "a record names a showcase area that does not exist",
            "a designation's subject must exist",
        ),
        _r(
            "OSC206",
            "error",
            "unknown-title",
            "a designation or total names a title that is not in the vocabulary",
            "titles are one documented vocabulary (oscli titles list)",
        ),
        _r(
            "OSC209",
            "error",
            "unknown-record",
            "a record names a record of another kind that does not exist",
            "a disagreement must name the records it concerns",
        ),
        # -- provenance ----------------------------------------------------------------
        _r(
            "OSC301",
            "error",
            "no-source",
            "a record cites no source",
            "nothing is invented: every record names where its facts come from",
        ),
        _r(
            "OSC302",
            "error",
            "quote-without-source",
            "a quotation names no source",
            "official statements are quoted word for word with their citation",
        ),
        _r(
            "OSC303",
            "warning",
            "unused-source",
            "a source record is cited by no record",
            "an unused source usually means a lost reference",
        ),
        _r(
            "OSC304",
            "error",
            "incomplete-source",
            "a source lacks a title, a publisher, or a URL (or, for a document, its number); or its only URL "
            "is a bare IP address with no archived copy",
            "a reader must be able to find every source: a placeholder is not a source",
        ),
        _r(
            "OSC305",
            "error",
            "evidence-not-cited",
            "an excerpt names a source its record does not cite, or a claim the record does not have",
            "an excerpt supports a claim the record makes, from a source the record cites",
        ),
        _r(
            "OSC306",
            "error",
            "excerpt-too-long",
            "an excerpt is longer than 50 words (or 120 Chinese characters)",
            "an excerpt is evidence for one claim, not a copy of the source",
        ),
        # -- domain --------------------------------------------------------------------
        _r(
            "OSC401",
            "error",
            "area-outside-designated-city",
            "a showcase area or base was designated in a city that held no title then",
            "the 1,000-100-10 model defines a showcase area as an area in a primary outsourcing (base) city",
        ),
        _r(
            "OSC402",
            "error",
            "primary-flag-disagrees",
            "a city's primary_outsourcing_city disagrees with the base-city total that names its members",
            "the flag is derived knowledge kept for compatibility; the designations are the facts",
        ),
        _r(
            "OSC403",
            "error",
            "bad-date-bounds",
            "a date and its bounds are out of order, or a bound has no source",
            "an uncertain date is a period between two cited bounds, never a guess",
        ),
        _r(
            "OSC404",
            "error",
            "duplicate-event",
            "two designations record the same event",
            "one event counted twice would inflate every total",
        ),
        _r(
            "OSC405",
            "error",
            "revoked-before-held",
            "a title is revoked from a subject that never held it before",
            "only a title that was held can be lost",
        ),
        _r(
            "OSC406",
            "error",
            "title-for-other-subject",
            "a title is granted to the wrong kind of subject",
            "city titles go to cities, area titles to areas",
        ),
        _r(
            "OSC407",
            "error",
            "total-disagrees",
            "a source's count of title holders at its date disagrees with the designations (count or members)",
            "a total is a check on the designations: either the data misses events or the source counts "
            "differently, and the difference must be explained",
        ),
        _r(
            "OSC408",
            "error",
            "conflict-malformed",
            "a disagreement has fewer than two claims, or follows a claim it does not have",
            "a disagreement records each side and says which the data follows",
        ),
        # -- provisions (issue 18) ------------------------------------------------------
        _r(
            "OSC409",
            "error",
            "provision-scope-unknown",
            "a provision's scope names a title or a place (city or area) that does not exist",
            "a scope decides which companies a benefit reaches; an unknown name would reach no one, silently",
        ),
        _r(
            "OSC410",
            "error",
            "provision-ends-before-start",
            "a provision's effective_until is before its effective_from",
            "a benefit cannot end before it begins: one of the dates is misread",
        ),
        _r(
            "OSC411",
            "error",
            "provision-chain-cycle",
            "a provision's extends or supersedes links lead back to itself",
            "a chain runs from an earlier document to later ones; a loop has no first link",
        ),
        # -- acknowledgements -----------------------------------------------------------
        _r(
            "OSC501",
            "error",
            "acknowledgement-without-reason",
            "an acknowledgement lacks a reason or a source for it",
            "an exception to a rule must say why, citing a source",
        ),
        _r(
            "OSC502",
            "warning",
            "unused-acknowledgement",
            "an acknowledgement no longer matches any finding",
            "stale exceptions hide future problems; remove it",
        ),
        _r(
            "OSC503",
            "error",
            "unknown-rule",
            "an acknowledgement names a rule code that does not exist",
            "a misspelt code would acknowledge nothing",
        ),
    )
}


class Finding(Frozen):
    code: str
    message: str
    file: str
    line: int
    column: int
    record: str | None = None
    severity: Severity = Severity.ERROR
    acknowledged: str | None = None  # the acknowledgement's reason, when acknowledged

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


# The most findings one file gives; the next one stops reading it. A 16 MiB file of 2.8 million bad
# lines made as many findings: 22 s and 2 GiB for `check` (docs/measurements/cache-format.md).
MAX_PER_FILE = 1000


class TooMany(Exception):
    """A file gave more than MAX_PER_FILE findings; ``findings`` holds them, ``next`` the one too many."""

    def __init__(self, findings: list[Finding], next: Finding) -> None:
        super().__init__(f"more than {MAX_PER_FILE} findings")
        self.findings, self.next = list(findings), next


class Capped(list[Finding]):
    """The findings of one file: adding one beyond MAX_PER_FILE raises TooMany."""

    def append(self, item: Finding) -> None:
        if len(self) >= MAX_PER_FILE:
            raise TooMany(self, item)
        super().append(item)


def too_many(found: TooMany) -> Finding:
    """The finding that ends a file's list: where reading stopped."""
    return finding(
        "OSC007",
        f"more than {MAX_PER_FILE:,} problems in this file; the rest is not checked (fix these first)",
        found.next.file,
        found.next.line,
        found.next.column,
    )


def finding(code: str, message: str, file: str, line: int, column: int, record: str | None = None) -> Finding:
    """A finding with the severity its rule defines. The message and the record id may quote a data
    file (an unknown key, an id as written): their control and bidi characters are escaped here,
    once, so that no format (CSV and YAML included) can carry them to a terminal."""
    return Finding(
        code, escaped(message), file, line, column, None if record is None else escaped(record), RULES[code].severity
    )


class Report(Frozen):
    """The findings of every rule on a data directory, and the fact base it read."""

    base: FactBase
    findings: tuple[Finding, ...]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.acknowledged is None]

    @property
    def acknowledged(self) -> list[Finding]:
        return [f for f in self.findings if f.acknowledged is not None]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.active if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.active if f.severity is Severity.WARNING]
