"""Time `oscli export` on the shipped data and on synthetic bases N times its size, and report the
file sizes: is the export linear in the data?

For each base: the records are parsed once (bench/generate.py writes the N-times bases; the rules
are not run: the copies validate like the real data), then `export.sqlite` and `export.geojson`
run in this process, several rounds, reporting the best and the median. The shipped data is also
exported by whole `oscli export sqlite` processes, start-up and the (warm) cache included.

The 1,000-times base has files of up to 68 MB, above the loader's safety limits for data it is
given (16 MiB a file, 4 million YAML nodes); this script lifts them in its own process only.

    python bench/export.py                   # the shipped data, 10x and 100x
    python bench/export.py --sizes 1,1000    # the shipped data and 1000x (155,000 records)
    python bench/export.py --quick           # 1x and 10x, one round: proves that the script works (CI)
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DATA, generate  # noqa: E402

from outsourcing_cli.domain import kinds  # noqa: E402
from outsourcing_cli.export.geojson import geojson, geojson_text  # noqa: E402
from outsourcing_cli.export.sqlite import sqlite  # noqa: E402
from outsourcing_cli.store import load, yamltree  # noqa: E402
from outsourcing_cli.store.gcpause import paused  # noqa: E402


def parse(folder: Path):
    """The fact base in ``folder``, parsed without the size limits and without the rules."""
    yamltree.MAX_EVENTS = 10**9
    reads = []
    for name in kinds.files():
        path = folder / name
        if path.exists():
            reads.append(load.Read(name, path.read_bytes()))
    with paused():
        loaded = load.load(folder, reads)
    assert not [f for f in loaded.findings if f.severity.value == "error"], loaded.findings[:3]
    gc.freeze()  # as the CLI does with the base it has loaded
    return loaded.base


def timed(rounds: int, work) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def whole_process(rounds: int, folder: Path) -> float:
    oscli = Path(sys.executable).parent / "oscli"
    target = folder / "process.db"
    subprocess.run([str(oscli), "export", "sqlite", str(target), "--replace"], check=True, capture_output=True)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([str(oscli), "export", "sqlite", str(target), "--replace"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="1,10,100", help="the scale factors (default 1,10,100; 1 is the shipped data)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1x and 10x, one round")
    args = parser.parse_args()
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    rounds = 1 if args.quick else args.rounds
    print(
        f"{'base':>6} {'records':>8} {'rows':>10} {'parse s':>8} {'sqlite best s':>14} {'median s':>9} "
        f"{'per 1k records':>15} {'MB':>8} {'geojson s':>10}"
    )
    with tempfile.TemporaryDirectory(prefix="oscli-bench-export-") as tmp:
        for size in sizes:
            folder = DATA if size == 1 else Path(tmp) / f"{size}x"
            if size != 1:
                generate(size, folder)
            started = time.perf_counter()
            base = parse(folder)
            parsed = time.perf_counter() - started
            records = sum(len(base.of(k)) for k in kinds.KINDS)
            target = Path(tmp) / f"{size}x.db"
            best, median, summary = timed(rounds, lambda: sqlite(base, target, replace=True))
            geo_best, _, _ = timed(rounds, lambda: geojson_text(geojson(base)))
            print(
                f"{str(size) + 'x':>6} {records:>8,} {sum(summary.tables.values()):>10,} {parsed:>8.2f} "
                f"{best:>14.3f} {median:>9.3f} {best / records * 1000:>15.3f} {summary.size / 1e6:>8.1f} "
                f"{geo_best:>10.3f}",
                flush=True,
            )
            target.unlink()
            base = None  # free it before the next, larger base is parsed
        env_cache = os.environ.setdefault("OSCLI_CACHE_DIR", str(Path(tmp) / "cache"))
        print(
            f"\n`oscli export sqlite` on the shipped data, whole process (warm cache in {env_cache}): "
            f"median {whole_process(3 if args.quick else 11, Path(tmp)) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
