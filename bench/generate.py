"""Write a synthetic fact base: the real records repeated N times, with every id and every
reference renamed per copy, so that it validates like the real data (same findings, each
repeated N times) and exercises every rule, lookup and relation at N times the size.

    python bench/generate.py 1000 /tmp/oscli-1000x    # 31,000 records

Copy 0 is the real data unchanged; copy k > 0 renames id X to X-kK and appends " K" to names
and titles, so that the vocabulary grows with the data as it would in real life.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
NAMED = ("name", "title", "term")


def _rename(record: dict, k: int) -> dict:
    if k == 0:
        return record
    out = copy.deepcopy(record)
    suffix = f"-k{k}"
    out["id"] = record["id"] + suffix
    for field in NAMED:
        if isinstance(out.get(field), str):
            out[field] = f"{out[field]} {k}"
    if isinstance(out.get("city"), str):
        out["city"] += suffix
    if isinstance(out.get("sources"), list):
        out["sources"] = [s + suffix for s in out["sources"]]
    for part in ("statements", "targets", "designations", "acknowledgements"):
        for item in out.get(part) or ():
            item["sources"] = [s + suffix for s in item.get("sources") or ()]
            if part == "designations":
                item["agencies"] = [a + suffix for a in item["agencies"]]
    for quote in out.get("quotes") or ():
        if quote.get("source"):
            quote["source"] += suffix
    return out


def generate(times: int, target: Path) -> int:
    """Write sources.yaml, cities.yaml and policies.yaml to ``target``; return the record count."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for name in ("sources.yaml", "cities.yaml", "policies.yaml"):
        real = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        scaled = {section: [_rename(r, k) for k in range(times) for r in records]
                  for section, records in real.items()}
        count += sum(len(records) for records in scaled.values())
        (target / name).write_text(yaml.safe_dump(scaled, allow_unicode=True, sort_keys=False, width=120),
                                   encoding="utf-8")
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(generate(int(sys.argv[1]), Path(sys.argv[2])), "records")
