"""Keep the README's tables of kinds true: they are written from the registry of kinds.

    python tools/readme_tables.py           # rewrite the tables in README.md
    python tools/readme_tables.py --check   # exit 1 if a table is stale (tests do this too)

Each generated block sits between ``<!-- registry:NAME -->`` and ``<!-- /registry:NAME -->``:

- ``kinds``: one row per kind (name, command, how many records the shipped data holds, its help),
  then the files of a data directory and the kinds each holds;
- ``keys``: the JSON keys of each kind (its fields, in declaration order). The rows of that table
  that are not kinds (search hits, timeline events, findings) are kept as written.

A new kind is a new row of each, with nothing to write by hand.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- registry:(\w+) -->\n)(.*?)(<!-- /registry:\2 -->)", re.S)


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def kinds_block(counts: dict[str, int] | None = None) -> str:
    """The table of kinds and the layout of a data directory; ``counts``: records per kind (by
    default, those of the data shipped with oscli)."""
    from outsourcing_cli.domain import kinds

    if counts is None:
        counts = _shipped_counts()
    lines = ["| kind | command | records | what |", "|---|---|---|---|"]
    lines += [
        f"| {declared.name} | `oscli {declared.command}` | {counts.get(declared.name, 0)} | "
        f"{declared.help.replace('|', chr(92) + '|')} |"
        for declared in kinds.KINDS.values()
    ]
    layout = kinds.files()
    required = set(kinds.required_files())

    def shown(name: str) -> str:
        sections = list(layout[name])
        return f"`{name}`" + ("" if sections == [name.removesuffix(".yaml")] else f" ({', '.join(sections)})")

    held = [shown(name) for name in layout if name in required]
    optional = [shown(name) for name in layout if name not in required]
    text = f"A data directory holds {_words(held)}"
    if optional:
        text += f"; {_words(optional)} may be left out"
    return "\n".join(lines) + "\n\n" + text + ". `oscli titles list`, `oscli conflicts list` and the like list them.\n"


def keys_block(current: str) -> str:
    """The JSON keys of each kind, then the rows of ``current`` that are not kinds, as written."""
    from outsourcing_cli.domain import kinds

    lines = ["| record | keys |", "|---|---|"]
    lines += [
        f"| {declared.name} | {', '.join(f'`{f.name}`' for f in declared.fields)} |"
        for declared in kinds.KINDS.values()
    ]
    for line in current.splitlines():
        first = line.split("|")[1].strip() if line.startswith("|") else None
        if first and first not in kinds.KINDS and first != "record" and not first.startswith("---"):
            lines.append(line)
    return "\n".join(lines) + "\n"


def _shipped_counts() -> dict[str, int]:
    from outsourcing_cli.domain import kinds
    from outsourcing_cli.store import load, paths

    base = load.load(paths.packaged_data_dir()).base
    return {name: len(base.of(name)) for name in kinds.KINDS}


def refreshed(text: str, counts: dict[str, int] | None = None) -> str:
    def write(match: re.Match) -> str:
        name, current = match.group(2), match.group(3)
        body = kinds_block(counts) if name == "kinds" else keys_block(current) if name == "keys" else current
        return f"{match.group(1)}\n{body}\n{match.group(4)}"

    return BLOCK.sub(write, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md's tables are stale")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = refreshed(text)
    if args.check:
        if new != text:
            sys.exit("README.md's tables of kinds are stale: run `python tools/readme_tables.py`")
        return
    README.write_text(new, encoding="utf-8")
    print(f"refreshed {len(BLOCK.findall(text))} tables in README.md")


if __name__ == "__main__":
    main()
