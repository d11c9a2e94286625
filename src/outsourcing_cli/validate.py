"""Load a data directory and run every rule: the whole of `oscli check` as a library call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import rules
from .findings import Finding, Severity
from .load import load
from .model import FactBase


@dataclass(frozen=True)
class Report:
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


def validate(data_dir: Path) -> Report:
    loaded = load(data_dir)
    return Report(loaded.base, tuple(rules.run(loaded.base, loaded.findings)))
