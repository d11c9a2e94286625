"""Keep the README's examples true: every ```text block that starts with `$ oscli ...` shows what
that command prints now.

    python tools/readme_examples.py           # rewrite the blocks in README.md
    python tools/readme_examples.py --check   # exit 1 if a block is stale (tests do this too)

Each command runs in a pipe (plain output), with the packaged data and no colour, as a reader who
copies it would see it; a command's stderr is not shown.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```text\n\$ (oscli [^\n]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    words = shlex.split(command)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "OSCLI_DATA_DIR", "COLUMNS")}
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "outsourcing_cli", *words[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    return done.stdout


def refreshed(text: str) -> str:
    return BLOCK.sub(lambda m: f"```text\n$ {m.group(1)}\n{run(m.group(1)).rstrip()}\n```", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a block differs from the command's output")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = refreshed(text)
    if args.check:
        if new != text:
            sys.exit("README.md has stale examples: run `python tools/readme_examples.py`")
        return
    README.write_text(new, encoding="utf-8")
    print(f"refreshed {len(BLOCK.findall(text))} examples in README.md")


if __name__ == "__main__":
    main()
