"""Where the data is, and how a path is shown to the user. Light: imported on every start-up."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent  # the package
SNAPSHOT = "data.snapshot"  # the wheel's snapshot of the shipped data, beside data/ (snapshot.py, hatch_build.py)


def installed_data_dir() -> Path:
    """data/ inside the installed package: the data the wheel's snapshot was made from."""
    return _HERE / "data"


def packaged_data_dir() -> Path:
    """The data shipped with oscli: inside the installed package, or data/ of a source checkout."""
    inside = installed_data_dir()
    if inside.is_dir():
        return inside
    return _HERE.parent.parent / "data"


def snapshot_path() -> Path:
    """Where an installed wheel keeps its snapshot; an editable install or a checkout has none."""
    return _HERE / SNAPSHOT


def resolve_data_dir(given: Path | str | None) -> Path:
    """The data directory a command reads: the one given (--data-dir, OSCLI_DATA_DIR), else the packaged one."""
    return Path(given) if given else packaged_data_dir()


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel
