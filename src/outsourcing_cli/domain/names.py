"""Closest-name suggestions: one helper, one sentence form, one cutoff, for every message that
names something unknown (a field, an id, a rule, a province, a kind...); and the errors of a
lookup that carry them (``NotFound``, ``BadOption``...: query, claims and facets raise
them, the CLI turns them into exit codes).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Record

CUTOFF = 0.6
MOST = 3


def closest(wanted: str, names: Iterable[str], n: int = MOST) -> list[str]:
    """Up to ``n`` names close to ``wanted`` (case-insensitive), then names that start with it;
    never more than ``n``, so that a suggestion never lists everything."""
    lowered = {name.lower(): name for name in names}
    needle = wanted.strip().lower()
    close = difflib.get_close_matches(needle, list(lowered), n=n, cutoff=CUTOFF)
    starts = [key for key in lowered if needle and key.startswith(needle) and key not in close]
    return [lowered[key] for key in (close + starts)[:n]]


def did_you_mean(wanted: str, names: Iterable[str]) -> str:
    """'; did you mean 'a' or 'b'?' for the closest names, or '' when none is close: the end of a
    sentence that names something unknown."""
    return suggestion(closest(wanted, names))


def suggestion(candidates: list[str]) -> str:
    return ("; did you mean " + " or ".join(f"'{c}'" for c in candidates) + "?") if candidates else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '3 cities' (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


# -- errors ---------------------------------------------------------------------------------------


class QueryError(LookupError):
    exit_code = 1


class NotFound(QueryError):
    """No record of a kind has this id or name."""

    def __init__(self, word: str, wanted: str, suggestions: list[str], listing: str) -> None:
        super().__init__(f"no {word} '{wanted}'")
        self.word, self.wanted, self.suggestions, self.listing = word, wanted, suggestions, listing


class Ambiguous(QueryError):
    """A name that several records share."""

    def __init__(self, word: str, wanted: str, candidates: list[Record]) -> None:
        super().__init__(f"'{wanted}' names more than one {word}")
        self.word, self.wanted, self.candidates = word, wanted, candidates


class UnknownValue(QueryError):
    """A filter names a value that no record has (a misspelt province, an unknown city)."""

    def __init__(self, word: str, option: str, wanted: str, known: Iterable[str]) -> None:
        super().__init__(f"no {word} has {option} '{wanted}'")
        self.word, self.option, self.wanted = word, option, wanted
        self.suggestions = closest(wanted, known)


class BadOption(QueryError):
    """An option value that is not one of those it takes: a usage error."""

    exit_code = 2

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option, self.message = option, message
