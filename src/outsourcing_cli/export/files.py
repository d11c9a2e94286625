"""Files are written through a temporary file in the same directory, then put in place: a failed or
interrupted export leaves no half-written file, and an existing file is replaced only when asked,
and only if it is a regular file.

A file is written whole to a temporary file beside it (``.NAME.oscli-XXXXXXXX.tmp``), then put in
place: without ``replace`` by a hard link, which fails if anything has taken the name meanwhile
(the other file wins, and the export fails), with ``replace`` by ``os.replace``, over a regular
file only. The temporary file is removed on any failure, on SIGINT, SIGTERM and SIGHUP; one left
by SIGKILL is removed by the next export into that directory once no process holds its lock and
it is ``STALE`` seconds old.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ExportError

if TYPE_CHECKING:
    from types import FrameType, TracebackType
    from typing import Literal

STALE = 60  # seconds after which an unlocked temporary file is a leftover of a killed export
TEMPORARY = re.compile(r"\..+\.oscli-[0-9a-z_]{8}\.tmp")  # (mkstemp's random part: 8 of [a-z0-9_])
_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_LIVE: dict[str, int] = {}  # the temporary files this process is writing -> the descriptor holding their lock


def _kind_of(path: Path) -> str | None:
    """What ``path`` names, following symbolic links: None (nothing), "file", or what it is instead."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return "file"  # (a loop, no permission: the write will say what is wrong)
    if stat.S_ISREG(mode):
        return "file"
    return (
        "a directory"
        if stat.S_ISDIR(mode)
        else "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )


def _check_target(path: Path, replace: bool) -> None:
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name")
    if os.path.lexists(path) and not replace:
        raise ExportError(f"{path} exists; give --replace to overwrite it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: no directory {path.parent}")
    _check_replaceable(path)


def _check_replaceable(path: Path) -> None:
    """Only a regular file (or nothing) is replaced: never a FIFO, a device, a directory, nor a
    symbolic link to one (``/dev/stdout``)."""
    kind = _kind_of(path)
    if kind not in (None, "file"):
        link = " (a symbolic link to it)" if os.path.islink(path) else ""
        raise ExportError(
            f"{path} is {kind}{link}, not a regular file: --replace replaces only a regular file; give a file name"
        )


def _target(path: Path, replace: bool) -> Path:
    """Where the file goes: with ``replace``, a symbolic link's target (the link stays a link)."""
    return Path(os.path.realpath(path)) if replace and os.path.islink(path) else path


class _atomic:
    """A temporary file beside ``path`` that is put in place on success (replacing a regular file
    only with ``replace``; else only if nothing has the name then) and removed on any failure or
    signal."""

    def __init__(self, path: Path, replace: bool = True) -> None:
        self.path, self.replace = _target(path, replace), replace

    def __enter__(self) -> str:
        import signal
        import tempfile

        directory = self.path.parent or Path(".")
        sweep(directory)
        _handle_signals()
        blocked = {getattr(signal, name) for name in _SIGNALS}
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # created and registered, or neither
        try:
            try:
                handle, self.temporary = tempfile.mkstemp(
                    dir=directory, prefix=f".{self.path.name}.oscli-", suffix=".tmp"
                )
            except OSError as err:
                raise ExportError(f"cannot write {self.path}: {err.strerror}") from None
            _lock(handle)
            _LIVE[self.temporary] = handle
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # as a new file would be, not mkstemp's 0600
        return self.temporary

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> Literal[False]:
        if kind is None:
            try:
                _put_in_place(self.temporary, self.path, self.replace)
                return False
            except OSError as err:
                raise ExportError(f"cannot write {self.path}: {err.strerror}") from None
            finally:
                _forget(self.temporary)
        _forget(self.temporary)
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(f"cannot write {self.path}: {error.strerror or error}") from None
        return False


def _put_in_place(temporary: str, path: Path, replace: bool) -> None:
    """``temporary`` becomes ``path``: with ``replace`` over a regular file or nothing; without it
    only if nothing has the name (a hard link fails if it has: no window between a check and the
    write). Raises ExportError, or OSError."""
    if replace:
        _check_replaceable(path)  # again: it may have changed while the export ran
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise ExportError(f"{path} exists (it appeared while exporting); give --replace to overwrite it") from None
    except OSError as err:
        import errno

        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV):
            raise
        _rename_noreplace(temporary, path)  # a file system without hard links (FAT, some FUSE)


def _rename_noreplace(temporary: str, path: Path) -> None:
    """renameat2(RENAME_NOREPLACE) (Linux 3.15, glibc 2.28): the other primitive that never replaces."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise ExportError(
            f"cannot write {path}: the file system makes no hard links, and this system cannot rename without replacing"
        ) from None
    at_fdcwd, noreplace = -100, 1
    if renameat2(at_fdcwd, os.fsencode(temporary), at_fdcwd, os.fsencode(str(path)), noreplace) != 0:
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise ExportError(f"{path} exists (it appeared while exporting); give --replace to overwrite it")
        raise OSError(code, os.strerror(code))


def _lock(handle: int) -> None:
    """Hold an advisory lock on the temporary file while this process lives: a sweep by another
    export leaves it alone."""
    import fcntl

    with contextlib.suppress(OSError):  # (a file system without locks: the age alone protects it)
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _forget(temporary: str) -> None:
    """Remove the temporary file (if it is still there) and stop tracking it."""
    _remove(temporary)
    handle = _LIVE.pop(temporary, None)
    if handle is not None:
        with contextlib.suppress(OSError):
            os.close(handle)
    _restore_signals()


_PREVIOUS: dict[int, Any] = {}  # the handlers _handle_signals replaced, put back when no file is being written


def _handle_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP remove the temporary files being written, then end the process
    as the signal would (exit 128 + its number: 130 for Ctrl-C). (Python lets only the main thread
    set a handler: in another, the temporary file is removed on failure only.)"""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for name in _SIGNALS:
        number = getattr(signal, name)
        if signal.getsignal(number) is not _on_signal:
            _PREVIOUS[number] = signal.signal(number, _on_signal)


def _restore_signals() -> None:
    """The handlers as they were before the first file, once no file is being written."""
    import signal
    import threading

    if _LIVE or threading.current_thread() is not threading.main_thread():
        return
    while _PREVIOUS:
        number, handler = _PREVIOUS.popitem()
        signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _on_signal(
    number: int, frame: FrameType | None
) -> None:  # pragma: no cover - exercised in a subprocess by the tests
    for temporary in list(_LIVE):
        _remove(temporary)
    os._exit(128 + number)


def sweep(directory: Path, now: float | None = None) -> list[str]:
    """Remove the temporary files a killed export left in ``directory``: named as an export names
    them, ``STALE`` seconds old or more, and locked by no process. The names removed."""
    import fcntl
    import time

    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        names = [n for n in os.listdir(directory) if TEMPORARY.fullmatch(n)]
    except OSError:
        return removed
    for name in names:
        path = os.path.join(directory, name)
        if path in _LIVE:
            continue
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            import stat

            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live export holds it
            if os.path.samestat(info, os.lstat(path)):
                os.unlink(path)
                removed.append(name)
        except OSError:
            continue
        finally:
            os.close(handle)
    return removed


def _remove(path: str) -> None:
    for leftover in (path, path + "-journal"):
        try:
            os.unlink(leftover)
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _sync(path: str) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_text(path: Path, text: str, replace: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file; refuse to overwrite unless asked."""
    _check_target(path, replace)
    with _atomic(path, replace) as temporary, open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
