"""Hatchling build hook: validate the shipped data, and put its compiled snapshot in the wheel.

When a wheel is built (not an editable install, not the sdist), the data in data/ is validated
with oscli's own validator, from src/ (the build fails on any error, with every error listed);
the report is then encoded as a cache entry is (``snapshot.snapshot_body``: the BLAKE2b of each YAML
file, then the report), sealed like one, and written into the wheel as
``outsourcing_cli/data.snapshot``, beside ``outsourcing_cli/data/``. At run time oscli reads it
instead of parsing and checking the YAML when the data directory is the packaged one and every
file still has the hash it was built from (see the cache module).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SnapshotHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads data/ of the checkout, which may change at any time
        started = time.perf_counter()
        root = Path(self.root)
        with _oscli_from(root / "src") as (codec, load, paths, snapshot, validate):
            data_dir = root / "data"
            reads = load.read_files(data_dir)
            report = validate.validate(data_dir, reads)
            if report.errors:
                listed = "\n".join(f"  {f.file}:{f.line}:{f.column}: error {f.code} {f.message}" for f in report.errors)
                raise RuntimeError(
                    f"oscli: the shipped data has {len(report.errors)} error(s); no wheel is built "
                    f"until `oscli --data-dir data check` passes:\n{listed}"
                )
            sealed = codec.seal(snapshot.snapshot_body(data_dir, reads, report), codec.SNAPSHOT_LABEL)
            target = f"outsourcing_cli/{paths.SNAPSHOT}"
        self._folder = tempfile.mkdtemp(prefix="oscli-snapshot-")
        path = Path(self._folder) / "data.snapshot"
        path.write_bytes(sealed)
        build_data["force_include"][str(path)] = target
        self.app.display_info(
            f"oscli: validated data/ and wrote {target} ({len(sealed):,} bytes) in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


class _oscli_from:
    """oscli's codec, load, paths, snapshot and validate modules imported from ``src`` (never an installed
    copy, which a build without isolation could see), and forgotten afterwards."""

    def __init__(self, src: Path) -> None:
        self.src = str(src)

    @staticmethod
    def _ours() -> dict:
        return {
            name: module
            for name, module in sys.modules.items()
            if name == "outsourcing_cli" or name.startswith("outsourcing_cli.")
        }

    def __enter__(self):
        self.saved = self._ours()
        for name in self.saved:
            del sys.modules[name]
        sys.path.insert(0, self.src)
        from outsourcing_cli.store import codec, load, paths, snapshot, validate

        if not Path(snapshot.__file__).resolve().is_relative_to(Path(self.src).resolve()):
            raise RuntimeError(f"oscli: the build hook imported {snapshot.__file__}, not the one in {self.src}")
        return codec, load, paths, snapshot, validate

    def __exit__(self, *exc) -> None:
        sys.path.remove(self.src)
        for name in self._ours():
            del sys.modules[name]
        sys.modules.update(self.saved)
