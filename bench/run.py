"""Time whole oscli processes side by side with a baseline of the same interpreter; and time
them, with peak memory, on synthetic fact bases 10, 100 and 1,000 times the real one.

Start-up: each round runs the baseline (`python -c "import typer"`) and then every command
once, in turn, so that machine noise falls on all of them alike. Prints each median wall time
and its ratio to the baseline's median. The validated-data cache is warm (one run beforehand),
as it is for anyone who runs oscli twice; `--cold` turns it off (OSCLI_NO_CACHE=1).

Scale: bench/generate.py writes each base; `check`, `cities list --json` and `search suzhou`
run on it cold (no cache: parse and validate every time) and warm (cache hit), reporting the
median wall time and the peak resident memory of the process.

The package is byte-compiled first, as `pip install` does; an editable install under
PYTHONDONTWRITEBYTECODE would otherwise recompile oscli's modules on every run.

    python bench/run.py               # start-up, 21 rounds
    python bench/run.py --scale       # and the 10x, 100x, 1000x bases
    python bench/run.py --quick       # 3 rounds and the 10x base: proves the script works (CI)
    python bench/run.py --budget      # issue 22's budgets in one interleaved run (below)

Budget (``--budget``): one interleaved run of the baseline; the three budgeted commands warm
(the cache on and filled: on the packaged data the wheel's snapshot answers), on the first run
after install (``OSCLI_NO_CACHE=1``: nothing but the snapshot), and on a user's copy of the data
warmed from one working directory and run from another (against the same copy run where it was
warmed); and the peers a user might pick instead, on the database `oscli export sqlite` writes:
`sqlite-utils rows oscli.db cities` and `sqlite-utils query` (when sqlite-utils is installed).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

COMMANDS = [
    ["cities", "list", "--json"],
    ["cities", "list"],
    ["policy", "show", "11th-fyp"],
    ["search", "suzhou"],
    ["cities", "list", "--as-of", "2009", "--json"],
    ["timeline"],
    ["check"],
]
SCALE_COMMANDS = [["check"], ["cities", "list", "--json"], ["search", "suzhou"]]


def oscli_command() -> list[str]:
    script = Path(sys.executable).parent / "oscli"
    if script.exists():
        return [str(script)]
    found = shutil.which("oscli")
    if not found:
        sys.exit("bench: the oscli console script is not installed in this environment")
    return [found]


def run_once(argv: list[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    stderr = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {proc.returncode}: {stderr.decode()[:500]}")
    return elapsed, usage.ru_maxrss


def startup(oscli: list[str], env: dict[str, str], rounds: int) -> None:
    cases = [("python -c 'import typer' (baseline)", [sys.executable, "-c", "import typer"])]
    cases += [("oscli " + " ".join(c) + (" (piped)" if "--json" not in c else ""), oscli + c) for c in COMMANDS]
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _label, argv in cases:  # warm the page cache, the .pyc files and the data cache
        run_once(argv, env)
    for _ in range(rounds):
        for label, argv in cases:
            times[label].append(run_once(argv, env)[0])
    base = statistics.median(times[cases[0][0]])
    width = max(len(label) for label, _ in cases)
    print(f"{'command'.ljust(width)}  median ms  ratio   ({rounds} interleaved rounds, {os.cpu_count()} cpus)")
    for label, _ in cases:
        median = statistics.median(times[label])
        print(f"{label.ljust(width)}  {median * 1000:9.1f}  {median / base:5.2f}x")


BUDGET = [["cities", "list", "--json"], ["policy", "show", "11th-fyp"], ["cities", "list", "--as-of", "2009", "--json"]]


def budget(oscli: list[str], env: dict[str, str], rounds: int) -> None:
    import outsourcing_cli.store.paths

    with tempfile.TemporaryDirectory(prefix="oscli-budget-") as tmp:
        root = Path(tmp)
        warmed, elsewhere = root / "warmed-here", root / "elsewhere" / "deeper"
        for folder in (warmed, elsewhere):
            folder.mkdir(parents=True)
        mine = root / "mydata"
        shutil.copytree(outsourcing_cli.store.paths.packaged_data_dir(), mine)
        cached = {**env, "OSCLI_CACHE_DIR": str(root / "cache")}
        cases = [("python -c 'import typer' (baseline)", [sys.executable, "-c", "import typer"], env, None)]
        for command in BUDGET:
            words = " ".join(command)
            cases += [
                (f"warm: oscli {words}", oscli + command, cached, str(warmed)),
                (f"first run, no cache: oscli {words}", oscli + command, {**env, "OSCLI_NO_CACHE": "1"}, None),
                (
                    f"own data, warm, where warmed: oscli {words}",
                    oscli + command,
                    {**cached, "OSCLI_DATA_DIR": str(mine)},
                    str(warmed),
                ),
                (
                    f"own data, warm, from a new directory: oscli {words}",
                    oscli + command,
                    {**cached, "OSCLI_DATA_DIR": str(mine)},
                    str(elsewhere),
                ),
            ]
        peer = Path(sys.executable).parent / "sqlite-utils"
        if peer.exists() or shutil.which("sqlite-utils"):
            peer_argv = [str(peer) if peer.exists() else shutil.which("sqlite-utils")]
            database = str(root / "oscli.db")
            run_once([*oscli, "export", "sqlite", database], env)
            cases += [
                ("sqlite-utils rows oscli.db cities", [*peer_argv, "rows", database, "cities"], env, None),
                (
                    "sqlite-utils query oscli.db 'select * from cities'",
                    [*peer_argv, "query", database, "select * from cities"],
                    env,
                    None,
                ),
            ]
        else:
            print("(sqlite-utils is not installed here: the peers are left out)")
        for label, argv, case_env, cwd in cases:  # fill the caches where they are warmed, and the page cache
            if "new directory" not in label:
                run_once(argv, case_env, cwd)
        times: dict[str, list[float]] = {label: [] for label, *_ in cases}
        for _ in range(rounds):
            for label, argv, case_env, cwd in cases:
                times[label].append(run_once(argv, case_env, cwd)[0])
        base = statistics.median(times[cases[0][0]])
        width = max(len(label) for label, *_ in cases)
        print(f"{'command'.ljust(width)}  median ms  ratio   ({rounds} interleaved rounds, {os.cpu_count()} cpus)")
        for label, *_ in cases:
            median = statistics.median(times[label])
            print(f"{label.ljust(width)}  {median * 1000:9.1f}  {median / base:5.2f}x")


def scale(oscli: list[str], env: dict[str, str], sizes: list[int], rounds: int) -> None:
    print(
        f"\n{'base':>6} {'records':>8}  {'command':<24} {'cold ms':>9} {'cold MiB':>9} {'warm ms':>9} {'warm MiB':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="oscli-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"{size}x"
            count = generate(size, folder)
            data_env = {
                **env,
                "OSCLI_DATA_DIR": str(folder),
                "OSCLI_CACHE_DIR": str(Path(tmp) / "cache"),
                "OSCLI_MAX_FILE_MIB": "1024",
            }  # the 1000x files are over the 16 MiB default
            cold_env = {**data_env, "OSCLI_NO_CACHE": "1"}
            for command in SCALE_COMMANDS:
                cold = [run_once(oscli + command, cold_env) for _ in range(rounds)]
                run_once(oscli + command, data_env)  # fill the cache
                warm = [run_once(oscli + command, data_env) for _ in range(rounds)]
                print(
                    f"{str(size) + 'x':>6} {count:>8}  {' '.join(command):<24}"
                    f" {statistics.median(t for t, _ in cold) * 1000:9.0f} {max(m for _, m in cold) / 1024:9.1f}"
                    f" {statistics.median(t for t, _ in warm) * 1000:9.0f} {max(m for _, m in warm) / 1024:9.1f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--scale", action="store_true", help="also time the 10x, 100x and 1000x bases")
    parser.add_argument("--sizes", default="10,100,1000", help="the scale factors (default 10,100,1000)")
    parser.add_argument("--cold", action="store_true", help="start-up without the validated-data cache")
    parser.add_argument("--quick", action="store_true", help="3 rounds and the 10x base, to prove that it works")
    parser.add_argument(
        "--budget", action="store_true", help="issue 22's budgets: warm, first run, own data elsewhere, peers"
    )
    args = parser.parse_args()
    import outsourcing_cli

    compileall.compile_dir(str(Path(outsourcing_cli.__file__).parent), quiet=1)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "OSCLI_DATA_DIR")}
    if args.cold:
        env["OSCLI_NO_CACHE"] = "1"
    oscli = oscli_command()
    if args.budget:
        budget(oscli, env, 3 if args.quick else args.rounds)
        return
    startup(oscli, env, 3 if args.quick else args.rounds)
    if args.quick:
        scale(oscli, env, [10], 1)
    elif args.scale:
        scale(oscli, env, [int(s) for s in args.sizes.split(",")], 3)


if __name__ == "__main__":
    main()
