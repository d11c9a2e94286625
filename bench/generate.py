"""Write a synthetic fact base: the real records repeated N times, with every id and every
reference renamed per copy, so that each copy validates like the real data and exercises every
rule, lookup and relation at N times the size.

    python bench/generate.py 1000 /tmp/oscli-1000x

Copy 0 is the real data unchanged; copy k > 0 renames id X to X-kK and appends " K" to names
and titles, so that the vocabulary grows with the data as it would in real life. Which fields
name another record is read from the registry (``kinds``: every field declared with a ``ref``,
in records and in their parts), so that a new kind is scaled without a change here.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT / "src"))
from outsourcing_cli.domain import kinds  # noqa: E402  (the registry: which fields name which records)

NAMED = ("name", "title", "term", "question")  # free text that names a record; an id reference is never renamed so
# Flags that one record of the whole base defines (rule OSC402: one total is the 2007 article's list,
# and its members are the cities flagged primary): they stay with copy 0, copies are false.
ONCE_PER_BASE = ("primary_list", "primary_outsourcing_city")


def _rename_fields(values: dict, fields, k: int) -> None:
    """Rename, in place, every id reference among ``fields`` (declared with a ``ref`` in the
    registry, in the record and in its parts) and append " K" to the names."""
    suffix = f"-k{k}"
    for spec in fields:
        value = values.get(spec.name)
        if value is None:
            continue
        if spec.ref is not None:
            values[spec.name] = [v + suffix for v in value] if spec.type == "ids" else value + suffix
        elif spec.part is not None:
            for item in value:
                _rename_fields(item, kinds.PARTS[spec.part].fields, k)
        elif spec.type == "text" and spec.name in NAMED and isinstance(value, str):
            values[spec.name] = f"{value} {k}"


def _rename(record: dict, declared: kinds.Kind, k: int) -> dict:
    if k == 0:
        return record
    out = copy.deepcopy(record)
    out["id"] = record["id"] + f"-k{k}"
    _rename_fields(out, declared.data_fields, k)
    for flag in ONCE_PER_BASE:
        if out.get(flag) is True:
            out[flag] = False
    return out


def generate(times: int, target: Path) -> int:
    """Write every data file of the registry to ``target``; return the record count."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for name in kinds.files():
        source = DATA / name
        if not source.exists():
            continue
        real = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader, the C one when there is one)
        scaled = {
            section: [_rename(r, kinds.get(section), k) for k in range(times) for r in records]
            for section, records in real.items()
        }
        count += sum(len(records) for records in scaled.values())
        (target / name).write_text(
            yaml.dump(
                scaled,
                Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                allow_unicode=True,
                sort_keys=False,
                width=120,
            ),
            encoding="utf-8",
        )
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(generate(int(sys.argv[1]), Path(sys.argv[2])), "records")
