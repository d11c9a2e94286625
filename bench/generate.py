"""Write a synthetic fact base: the real records repeated N times, with every id and every
reference renamed per copy, so that each copy validates like the real data and exercises every
rule, lookup and relation at N times the size.

    python bench/generate.py 1000 /tmp/oscli-1000x

Copy 0 is the real data unchanged; copy k > 0 renames id X to X-kK, appends " K" to names and
titles (so that the vocabulary grows with the data as it would in real life), and renames every
reference to match. Which fields are references comes from the registry of kinds (each field's
``ref``, in records and in their parts), so a new kind is copied right with no change here. Only
copy 0 holds the article's list (``primary_list``), so the copies' cities are not marked
``primary_outsourcing_city``.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from outsourcing_cli import kinds  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
NAMED = ("name", "title", "term", "question")


def _renamed(value, suffix: str):
    if isinstance(value, list):
        return [v + suffix for v in value]
    return value + suffix if isinstance(value, str) else value


def _rename_fields(item: dict, fields, suffix: str) -> None:
    for spec in fields:
        if spec.name not in item or item[spec.name] is None:
            continue
        if spec.ref is not None:
            item[spec.name] = _renamed(item[spec.name], suffix)
        elif spec.part is not None:
            for part in item[spec.name] or ():
                _rename_fields(part, kinds.PARTS[spec.part].fields, suffix)


def _copy(record: dict, declared: kinds.Kind, k: int) -> dict:
    if k == 0:
        return record
    out = copy.deepcopy(record)
    suffix = f"-k{k}"
    out["id"] = record["id"] + suffix
    for field in NAMED:
        spec = declared.field(field)
        if spec is not None and spec.ref is None and isinstance(out.get(field), str):
            out[field] = f"{out[field]} {k}"
    _rename_fields(out, declared.data_fields, suffix)
    if declared.name == "total":
        out.pop("primary_list", None)
    if declared.name == "city":
        out["primary_outsourcing_city"] = False
    return out


def generate(times: int, target: Path) -> int:
    """Write every data file to ``target``; return the record count."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, sections in kinds.files().items():
        path = DATA / name
        if not path.exists():
            continue
        real = yaml.safe_load(path.read_text(encoding="utf-8"))
        scaled = {section: [_copy(r, sections[section], k) for k in range(times) for r in records]
                  for section, records in real.items()}
        count += sum(len(records) for records in scaled.values())
        (target / name).write_text(yaml.safe_dump(scaled, allow_unicode=True, sort_keys=False, width=120),
                                   encoding="utf-8")
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(generate(int(sys.argv[1]), Path(sys.argv[2])), "records")
