"""The console script's entry point: Ctrl-C at any moment, even while the command line's modules
are still being imported, ends oscli quietly with exit 130 instead of a traceback.

The cyclic garbage collector is off while the modules are imported (they make no garbage worth
collecting, only objects that live as long as the process), which are then frozen out of its
reach: importing Typer, Click and oscli took about 4 ms less (bench/run.py; see gcpause)."""

import gc
import signal
import sys


def _interrupted(signum, frame):  # pragma: no cover - exercised in a subprocess by the tests
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    gc.freeze()
    gc.enable()
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
