"""Opening a URL in the reader's web browser, as `gh browse` does: Python's webbrowser, which
honours $BROWSER (a command, or several separated by the path separator; '%s' stands for the
URL). Without $BROWSER and without a display (Linux and the BSDs over SSH, in a container), no
browser is started: a text browser would take over the terminal, so the caller prints the URL."""

from __future__ import annotations

import os
import sys


def has_display() -> bool:
    """Whether a graphical browser can show a page: always on macOS and Windows; elsewhere only
    with an X or Wayland display."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_url(url: str) -> bool:
    """Open ``url``; False when no browser was started (no display, or no browser found)."""
    if not os.environ.get("BROWSER") and not has_display():
        return False
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
