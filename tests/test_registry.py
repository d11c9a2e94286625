"""The registry of kinds is the one place a kind is declared: nothing else lists kinds by hand.

- README.md's tables of kinds are what the registry gives (tools/readme_tables.py writes them);
- a kind's file order, the values a conflict's concern may take and the safe defaults come from
  the registry;
- a kind declared in a new file, with data of its own, goes through the core of oscli.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from outsourcing_cli.domain import kinds

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_s_tables_of_kinds_are_the_registry_s():
    tool = _tool("readme_tables")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {m.group(2) for m in tool.BLOCK.finditer(readme)} == {"kinds", "keys"}
    assert tool.refreshed(readme) == readme, "README.md's tables of kinds are stale: run `python tools/readme_tables.py`"


def test_a_new_kind_is_a_new_row_of_each_table():
    tool = _tool("readme_tables")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extra = kinds.Kind("gadget", "gadgets", "gadgets", "gadgets.yaml", (kinds.field("id", "id"),), object, help="Gadgets.")
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
    assert list(kinds.files()) == ["sources.yaml", "cities.yaml", "designations.yaml", "policies.yaml",
                                   "conflicts.yaml", "provisions.yaml"]
    assert kinds.required_files() == ["sources.yaml", "cities.yaml", "policies.yaml"]


def test_a_concern_may_name_every_kind():
    choices = kinds.PARTS["concern"].field("type").choices
    assert list(choices) == list(kinds.KINDS) and "provision" in choices and "gadget" not in choices


def test_the_defaults_of_a_kind_are_the_safe_ones():
    plain = kinds.Kind("gadget", "gadgets", "gadgets", "gadgets.yaml", (), object)
    assert plain.required_file is False and plain.missing == "OSC209" and plain.file_rank is None
    from outsourcing_cli.domain.findings import RULES

    assert RULES["OSC209"].name == "unknown-record"
