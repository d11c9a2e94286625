"""Load a data directory and run every rule: the whole of `oscli check` as a library call."""

from __future__ import annotations

from pathlib import Path

from ..domain import rules
from ..domain.findings import Report
from .load import Read, load

__all__ = ["Report", "validate"]


def validate(data_dir: Path, reads: list[Read] | None = None) -> Report:
    """Every finding of ``data_dir`` (from ``reads`` when its files were already read once)."""
    loaded = load(data_dir, reads)
    return Report(loaded.base, tuple(rules.run(loaded.base, loaded.findings, loaded.broken)))
