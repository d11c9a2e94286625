"""Closest-name suggestions, shared by the schema, the rules and the lookups."""

from __future__ import annotations

import difflib
from typing import Iterable


def closest(wanted: str, names: Iterable[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Up to n names close to ``wanted`` (case-insensitive), then names that start with it."""
    lowered = {name.lower(): name for name in names}
    needle = wanted.lower()
    close = difflib.get_close_matches(needle, list(lowered), n=n, cutoff=cutoff)
    starts = [key for key in lowered if needle and key.startswith(needle) and key not in close]
    return [lowered[key] for key in (close + starts)[:n]]


def did_you_mean(wanted: str, names: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the single closest name, or '' when none is close."""
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
