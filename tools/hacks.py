"""Does each start-up hack still pay? Times whole oscli processes with the package as it is and
with one hack taken out, side by side in interleaved rounds (as bench/run.py does), and prints
each median and its difference from the package as it is.

Each variant is a copy of ``src/`` with one change applied by exact text replacement (a stale
replacement is an error, never a silent no-op), byte-compiled as pip would. The data is the
packaged data; the cache is warm for the warm commands and off (``OSCLI_NO_CACHE=1``) for the cold
ones. Not in CI: it needs an idle machine.

    python tools/hacks.py                 # 31 rounds
    python tools/hacks.py --rounds 5      # a quick look
    python tools/hacks.py --only "no lazy groups"
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "src/outsourcing_cli"

# name -> [(file under src/outsourcing_cli, text, replacement)]
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    # the collector off while the modules import, and what they made frozen out of its reach
    "no gc pause at import": [
        ("entry.py", "    gc.disable()\n", ""),
        ("entry.py", "    gc.freeze()\n    gc.enable()\n", ""),
    ],
    # the collector paused while loading or decoding records, and the loaded base frozen
    "no gc pause in load": [
        ("store/gcpause.py", "    was_enabled = gc.isenabled()\n    gc.disable()\n", "    was_enabled = False\n"),
        ("store/gcpause.py", "    _FROZE = True\n    gc.freeze()\n", "    _FROZE = False\n"),
    ],
    # every command built at start-up, as a plain Typer app would (no lazy groups)
    "no lazy groups": [
        (
            "cli/app.py",
            '    def list_commands(self, ctx: "click.Context") -> list[str]:\n        return self.names()\n',
            '    def list_commands(self, ctx: "click.Context") -> list[str]:\n        return self.names()\n\n'
            "    def _eager(self):\n        for name in self.names():\n            command = self.get_command(None, name)\n"
            "            if isinstance(command, LazyGroup):\n                command._eager()\n",
        ),
        ("cli/app.py", "        typer.core.HAS_RICH = ", "        self._eager()\n        typer.core.HAS_RICH = "),
    ],
}

COMMANDS = {
    "cities list --json (warm)": (["cities", "list", "--json"], False),
    "search suzhou (warm)": (["search", "suzhou"], False),
    "check (warm)": (["check"], False),
    "check (cold: parse and validate)": (["check"], True),
}


def variant_tree(where: Path, changes: list[tuple[str, str, str]]) -> Path:
    src = where / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    for name, old, new in changes:
        path = src / "outsourcing_cli" / name
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise SystemExit(f"stale variant: {name} holds {text.count(old)} copies of {old!r}")
        path.write_text(text.replace(old, new), encoding="utf-8")
    compileall.compile_dir(str(src), quiet=1)
    return src


def run_once(src: Path, argv: list[str], cold: bool, cache: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "OSCLI_CACHE_DIR": str(cache), "OSCLI_DATA_DIR": str(ROOT / "data")}
    if cold:
        env["OSCLI_NO_CACHE"] = "1"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "outsourcing_cli", *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed with {src}: exit {done.returncode}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--only", action="append", choices=sorted(VARIANTS), help="only this variant (repeatable)")
    args = parser.parse_args()
    variants = {name: VARIANTS[name] for name in (args.only or VARIANTS)}
    with tempfile.TemporaryDirectory(prefix="oscli-hacks-") as tmp:
        trees = {"as it is": variant_tree(Path(tmp) / "as-it-is", [])}
        for n, (name, changes) in enumerate(variants.items()):
            trees[name] = variant_tree(Path(tmp) / f"v{n}", changes)
        caches = {name: Path(tmp) / f"cache-{n}" for n, name in enumerate(trees)}
        for name, src in trees.items():  # warm each variant's cache (its code digest differs)
            for argv, cold in COMMANDS.values():
                run_once(src, argv, cold, caches[name])
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for label, (argv, cold) in COMMANDS.items():
                for name, src in trees.items():
                    times.setdefault((label, name), []).append(run_once(src, argv, cold, caches[name]))
        print(
            f"median ms over {args.rounds} interleaved rounds, {os.cpu_count()} cpus; "
            f"difference from the package as it is"
        )
        for label in COMMANDS:
            base = statistics.median(times[(label, "as it is")])
            print(f"{label}: as it is {base:.1f}")
            for name in variants:
                m = statistics.median(times[(label, name)])
                print(f"    {name:<28} {m:7.1f}  {m - base:+6.1f}")


if __name__ == "__main__":
    main()
