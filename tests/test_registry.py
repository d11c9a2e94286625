"""The registry of kinds is the one place a kind is declared: nothing else lists kinds by hand.

- README.md's tables of kinds are what the registry gives (tools/readme_tables.py writes them);
- a kind's file order, the values a conflict's concern may take and the safe defaults come from
  the registry;
- a kind declared in a new file, with data of its own, goes through the core of oscli.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_tool

from outsourcing_cli.domain import kinds

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_s_tables_of_kinds_are_the_registry_s():
    tool = load_tool("readme_tables")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {m.group(2) for m in tool.BLOCK.finditer(readme)} == {"kinds", "keys"}
    assert tool.refreshed(readme) == readme, (
        "README.md's tables of kinds are stale: run `python tools/readme_tables.py`"
    )


def test_a_new_kind_is_a_new_row_of_each_table():
    tool = load_tool("readme_tables")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extra = kinds.Kind(
        "gadget", "gadgets", "gadgets", "gadgets.yaml", (kinds.field("id", "id"),), object, help="Gadgets."
    )
    saved = dict(kinds.KINDS)
    try:
        kinds.KINDS["gadget"] = extra
        new = tool.refreshed(readme, counts={})
    finally:
        kinds.KINDS.clear()
        kinds.KINDS.update(saved)
    assert "| gadget | `oscli gadgets` | 0 | Gadgets. |" in new
    assert "| gadget | `id` |" in new
    assert "`gadgets.yaml` may be left out" in new
    assert "| search hit | `type`" in new  # the rows that are not kinds stay as written


def test_the_file_order_is_the_one_the_layout_always_had():
    assert list(kinds.files()) == [
        "sources.yaml",
        "cities.yaml",
        "designations.yaml",
        "policies.yaml",
        "conflicts.yaml",
        "provisions.yaml",
    ]
    assert kinds.required_files() == ["sources.yaml", "cities.yaml", "policies.yaml"]


def test_a_concern_may_name_every_kind():
    choices = kinds.PARTS["concern"].field("type").choices
    assert list(choices) == list(kinds.KINDS) and "provision" in choices and "gadget" not in choices


def test_the_defaults_of_a_kind_are_the_safe_ones():
    plain = kinds.Kind("gadget", "gadgets", "gadgets", "gadgets.yaml", (), object)
    assert plain.required_file is False and plain.missing == "OSC209" and plain.file_rank is None
    from outsourcing_cli.domain.findings import RULES

    assert RULES["OSC209"].name == "unknown-record"


# -- a kind in a new file goes through the core ---------------------------------------------------
#
# The new kind is declared in a child process, before oscli runs, by the few lines a contributor
# would add to kinds.py; then the real `python -m outsourcing_cli` runs (its lazy groups, its
# loader, its checks, its formats) on a copy of the data with the new file. A child process, not
# CliRunner in this one: the registry, and all that is worked out from it once (record classes,
# plans, search weights, the Typer commands), is module state, and a kind added here would leak
# into every test that runs after this one.

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import outsourcing_cli  # noqa: E402

_DECLARE = """
from outsourcing_cli.domain import kinds
kinds.kind(
    "gadget", "gadgets", "gadgets.yaml",
    kinds._ID,
    kinds.field("name", required=True, label="Name", column=2, weight=1.0, description="its name"),
    kinds.field("city", "id", ref="city", label="City", column=3, weight=0.8, description="the city it is in"),
    kinds.field("parent", "id", ref="gadget", label="Part of", description="the gadget it is part of"),
    *kinds._COMMON_TAIL,
    help="Gadgets: a kind declared by a test.", title="Gadgets", example="widget",
    examples=("oscli gadgets list",),
)
"""
_BOOT = (
    _DECLARE
    + """
import runpy, sys
sys.argv = ["oscli", *sys.argv[1:]]
runpy.run_module("outsourcing_cli", run_name="__main__", alter_sys=True)
"""
)
_GADGETS = """gadgets:
  - id: widget
    name: Widget Works
    city: dalian
    note: A gadget that only this test knows.
    sources: [oj-article]
  - id: sprocket
    name: Sprocket
    parent: {parent}
    sources: [oj-article]
"""


def _oscli(data: Path, *args: str) -> subprocess.CompletedProcess:
    src = str(Path(outsourcing_cli.__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR", "COLUMNS")}
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-c", _BOOT, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def gadget_data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    (target / "gadgets.yaml").write_text(_GADGETS.format(parent="widget"), encoding="utf-8")
    return target


def test_a_kind_in_a_new_file_is_checked_listed_shown_and_searched(gadget_data):
    done = _oscli(gadget_data, "check")
    assert done.returncode == 0 and "0 errors" in done.stdout, done.stdout + done.stderr

    listed = _oscli(gadget_data, "gadgets", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    records = json.loads(listed.stdout)
    assert [r["id"] for r in records] == ["widget", "sprocket"]
    assert list(records[0])[:4] == ["id", "name", "city", "parent"] and records[0]["city"] == "dalian"
    assert records[0]["source_records"][0]["id"] == "oj-article"

    table = _oscli(gadget_data, "gadgets", "list")
    assert table.returncode == 0 and "Widget Works" in table.stdout and "dalian" in table.stdout

    shown = _oscli(gadget_data, "gadgets", "show", "widget")
    assert shown.returncode == 0, shown.stderr
    assert "Widget Works" in shown.stdout and "dalian (Dalian)" in shown.stdout and "Sources" in shown.stdout
    one = json.loads(_oscli(gadget_data, "gadgets", "show", "sprocket", "--json").stdout)
    assert one["id"] == "sprocket" and one["parent"] == "widget"

    found = _oscli(gadget_data, "search", "widget works", "--type", "gadget", "--json")
    assert found.returncode == 0, found.stderr
    assert {"type": "gadget", "id": "widget"}.items() <= json.loads(found.stdout)[0].items()

    helped = _oscli(gadget_data, "--help")
    assert "gadgets" in helped.stdout and "gadgets.yaml" in helped.stdout


def test_a_new_kind_s_file_may_be_left_out_and_its_unknown_records_are_osc209(gadget_data):
    (gadget_data / "gadgets.yaml").unlink()
    done = _oscli(gadget_data, "check")
    assert done.returncode == 0 and "0 errors" in done.stdout, done.stdout + done.stderr
    assert json.loads(_oscli(gadget_data, "gadgets", "list", "--json").stdout) == []

    (gadget_data / "gadgets.yaml").write_text(_GADGETS.format(parent="no-such-gadget"), encoding="utf-8")
    done = _oscli(gadget_data, "check", "--json")
    assert done.returncode == 1
    codes = {f["code"] for f in json.loads(done.stdout)}
    assert "OSC209" in codes and None not in codes


def test_a_conflict_may_concern_a_new_kind(gadget_data):
    text = (gadget_data / "conflicts.yaml").read_text(encoding="utf-8")
    assert "concerns:\n" in text
    text = text.replace("concerns:\n", "concerns:\n      - {type: gadget, id: widget}\n", 1)
    (gadget_data / "conflicts.yaml").write_text(text, encoding="utf-8")
    done = _oscli(gadget_data, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    shown = _oscli(gadget_data, "gadgets", "show", "widget", "--json")
    assert len(json.loads(shown.stdout)["conflicts"]) == 1


def test_every_presentation_hook_a_kind_names_is_drawn_by_the_present_layer():
    from outsourcing_cli.present import pages, views

    named = 0
    for declared in kinds.KINDS.values():
        assert declared.footer is None or declared.footer in views.FOOTERS, declared.name
        assert declared.context is None or declared.context in views.CONTEXTS, declared.name
        for spec in declared.fields:
            assert spec.shown is None or spec.shown in pages.SHOWN, (declared.name, spec.name)
            named += spec.shown is not None
    assert named and set(pages.SHOWN) == {f.shown for k in kinds.KINDS.values() for f in k.fields if f.shown}
