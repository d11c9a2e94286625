"""The command line is one module per command (issue 23): a run imports the module of the command
it uses and no other command's (cli/app.py's table names each as "module:attribute")."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_LOADED = """
import json, sys
sys.argv = ["oscli", *sys.argv[1:]]
from outsourcing_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("outsourcing_cli.cli"))), file=sys.stderr)
"""

SHARED = ["outsourcing_cli.cli", "outsourcing_cli.cli.app", "outsourcing_cli.cli.common"]


def _cli_modules(*args: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OSCLI_DATA_DIR", "OSCLI_DEBUG")}
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, env=env, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "args, module",
    [
        (["cities", "list", "--json"], "records"),
        (["policy", "show", "11th-fyp"], "records"),
        (["search", "suzhou"], "search"),
        (["timeline", "--json"], "timeline"),
        (["cite", "11th-fyp"], "cite"),
        (["check", "--json"], "check"),
        (["schema"], "check"),
        (["export", "geojson"], "export"),
        (["sources", "open", "oj-article", "--no-browser"], "sources"),
    ],
)
def test_a_run_imports_only_the_module_of_its_command(args, module):
    assert _cli_modules(*args) == sorted([*SHARED, f"outsourcing_cli.cli.{module}"])
