"""Closest-name suggestions: one helper, one sentence form, one cutoff, for every message that
names something unknown (a field, an id, a rule, a province, a kind...).
"""

from __future__ import annotations

import difflib
from typing import Iterable

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
