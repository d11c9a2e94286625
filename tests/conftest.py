from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from outsourcing_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"Result(exit_code={self.exit_code}, stdout={self.stdout[:400]!r}, stderr={self.stderr[:400]!r})"


@pytest.fixture
def run(monkeypatch):
    """Run the real Typer app in-process, as a user would type it; stdout and stderr apart."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        for name in ("NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR"):
            monkeypatch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        result = CliRunner().invoke(app, list(args), prog_name="oscli", catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private, writable copy of the shipped data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def oscli_executable() -> str:
    """The installed console script next to the running interpreter (CI installs the package)."""
    candidate = Path(sys.executable).parent / "oscli"
    found = str(candidate) if candidate.exists() else shutil.which("oscli")
    assert found, "the oscli console script is not installed; run: pip install -e '.[test]'"
    return found


@pytest.fixture
def oscli(tmp_path):
    """Run the installed console script in a subprocess, from a directory outside the checkout."""

    def call(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR")}
        full_env.update(env or {})
        return subprocess.run(
            [oscli_executable(), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=full_env,
            timeout=60,
            **kwargs,
        )

    return call


def load_tool(name: str):
    """One of tools/*.py, imported as a module (the tools are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flat(text: str) -> str:
    """An error message as one line: Typer draws usage errors in a box and wraps them."""
    return " ".join(text.replace("│", " ").replace("╭", " ").replace("╰", " ").replace("─", " ").split())


def pytest_configure(config):
    """Every test (and every oscli subprocess it starts) uses a private validated-data cache."""
    import tempfile

    os.environ["OSCLI_CACHE_DIR"] = tempfile.mkdtemp(prefix="oscli-test-cache-")
    os.environ.pop("OSCLI_NO_CACHE", None)
