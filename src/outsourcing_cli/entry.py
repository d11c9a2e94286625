"""The console script's entry point: Ctrl-C at any moment, even while the command line's modules
are still being imported, ends oscli quietly with exit 130.

The handler ends the process at once (``os._exit``) instead of raising KeyboardInterrupt: raised
at an arbitrary point of start-up, KeyboardInterrupt lands where Python only prints it
("Exception ignored in" a callback of the import system) or wraps it in another error (3.11:
"Error calling __set_name__"); both printed a traceback in tests. Nothing is lost by not
unwinding: output cut short by Ctrl-C is not wanted, and a cache entry being written is a
temporary file that a later run removes (cache.STALE).

The cyclic garbage collector is off while the modules are imported (they make no garbage worth
collecting, only objects that live as long as the process), which are then frozen out of its
reach: importing Typer, Click and oscli took about 4 ms less (bench/run.py; see gcpause).
"""

import gc
import os
import signal


def _interrupted(signum: int, frame: object) -> None:  # pragma: no cover - exercised in a subprocess by the tests
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    gc.disable()
    from .cli.app import main as run

    gc.freeze()
    gc.enable()
    run()
