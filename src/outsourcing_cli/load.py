"""Read a data directory into a FactBase, collecting located findings on the way.

Nothing here raises for bad data: every problem becomes a finding, and whatever could be read
is still returned so that the rules can look at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import model
from .findings import Finding, finding
from .gcpause import paused
from .names import did_you_mean
from .paths import display_path
from .schema import FILES, Builder, describe
from .yamltree import MAX_BYTES, Map, Seq, decode, parse

@dataclass(frozen=True)
class Loaded:
    base: model.FactBase
    findings: tuple[Finding, ...]


def load(data_dir: Path) -> Loaded:
    """Every record of a data directory, and every problem found on the way (with the garbage
    collector paused: see gcpause)."""
    with paused():
        return _load(data_dir)


def _load(data_dir: Path) -> Loaded:
    collections: dict[str, list[model.Record]] = {}
    findings: list[Finding] = []
    for file_name, layout in FILES.items():
        path = data_dir / file_name
        shown = display_path(path)
        records, problems = _load_file(path, shown, layout)
        findings.extend(problems)
        for key, items in records.items():
            collections.setdefault(key, []).extend(items)
    base = model.FactBase(**{key: tuple(collections.get(key, ())) for key in model.FactBase.fields()})
    return Loaded(base, tuple(findings))


def _load_file(path: Path, shown: str, layout: dict[str, str]):
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refuse before reading: memory stays bounded
            return {}, [finding("OSC007", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}", shown, 1, 1)]
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, [finding("OSC001", f"file is missing; every data directory holds {', '.join(FILES)}", shown, 1, 1)]
    except OSError as err:
        return {}, [finding("OSC001", f"cannot read the file: {err.strerror or err}", shown, 1, 1)]
    text, problems = decode(data, shown)
    if text is None:
        return {}, problems
    root, problems = parse(text, shown)
    if root is None:
        if not problems:
            problems.append(finding("OSC004", "file is empty; it should hold " + _expected(layout), shown, 1, 1))
        return {}, problems
    if not isinstance(root, Map):
        problems.append(
            finding("OSC004", f"file holds {describe(root)}; it should hold {_expected(layout)}", shown, root.line, root.column)
        )
        return {}, problems
    builder = Builder(shown)
    records: dict[str, list[model.Record]] = {}
    for key, (key_node, value) in root.entries.items():
        if key not in layout:
            builder.report("OSC102", f"unknown section '{key}' in {path.name}{did_you_mean(key, layout)}", key_node, None)
            continue
        if not isinstance(value, Seq):
            builder.report("OSC103", f"section '{key}' must be a list of records, not {describe(value)}", value, None)
            continue
        items = records.setdefault(key, [])
        for item in value.items:
            record = builder.record(item, layout[key])
            if record is not None:
                items.append(record)
    for key in layout:
        if key not in root.entries:
            builder.report("OSC101", f"{path.name} is missing section '{key}'", root, None)
    return records, problems + builder.findings


def _expected(layout: dict[str, str]) -> str:
    return "a mapping with " + " and ".join(f"'{key}:'" for key in layout)


