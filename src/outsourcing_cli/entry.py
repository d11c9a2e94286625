"""The console script's entry point: Ctrl-C at any moment, even while the command line's modules
are still being imported, ends oscli quietly with exit 130 instead of a traceback."""

import signal
import sys


def _interrupted(signum, frame):  # pragma: no cover - exercised in a subprocess by the tests
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
