"""Time whole oscli processes side by side with a baseline of the same interpreter.

Each round runs the baseline (`python -c "import typer"`) and then every command once, in
turn, so that machine noise falls on all of them alike. Prints the median wall time of each and
its ratio to the baseline's median.

    python bench/run.py              # 21 rounds
    python bench/run.py --rounds 5   # quicker
    python bench/run.py --quick      # 3 rounds: proves the script works (used by CI)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [
    ["cities", "list", "--json"],
    ["cities", "list"],
    ["policy", "show", "11th-fyp"],
    ["check"],
]


def oscli_command() -> list[str]:
    script = Path(sys.executable).parent / "oscli"
    if script.exists():
        return [str(script)]
    found = shutil.which("oscli")
    if not found:
        sys.exit("bench: the oscli console script is not installed in this environment")
    return [found]


def time_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0,):
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="3 rounds, to prove that the script works")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    oscli = oscli_command()
    cases = [("python -c 'import typer' (baseline)", [sys.executable, "-c", "import typer"])]
    cases += [("oscli " + " ".join(c) + (" (piped)" if "--json" not in c else ""), oscli + c) for c in COMMANDS]
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    for label, argv in cases:  # warm the page cache and .pyc files
        time_once(argv, env)
    for _ in range(rounds):
        for label, argv in cases:
            times[label].append(time_once(argv, env))
    base = statistics.median(times[cases[0][0]])
    width = max(len(label) for label, _ in cases)
    print(f"{'command'.ljust(width)}  median ms  ratio   ({rounds} interleaved rounds, {os.cpu_count()} cpus)")
    for label, _ in cases:
        median = statistics.median(times[label])
        print(f"{label.ljust(width)}  {median * 1000:9.1f}  {median / base:5.2f}x")


if __name__ == "__main__":
    main()
