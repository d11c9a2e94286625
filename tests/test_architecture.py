"""The shape of the package: its layers, its imports, its map.

The package is in layers, each a folder, lowest first (``outsourcing_cli.LAYERS``): a module may
import from its own layer and from the layers before it, never from one after it, and no group of
modules may import each other in a circle. Every import counts: at module level, inside a
function (where a circle used to hide) and under ``TYPE_CHECKING``. Each layer also has the
outside packages it may use: the domain knows nothing of Typer, Rich, YAML or the MCP SDK.

``python tests/test_architecture.py`` prints the layers, their modules and what each imports.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import outsourcing_cli
from outsourcing_cli import LAYERS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(outsourcing_cli.__file__).resolve().parent
NAME = "outsourcing_cli"

# the package's root modules: its __init__ (the version and LAYERS, imported by all) sits below
# every layer; the console script's entry point and `python -m` sit above them all
BELOW = {NAME}
ABOVE = {f"{NAME}.entry", f"{NAME}.__main__"}

# outside packages each layer may import (the standard library is free to all); a layer may also
# use what the layers before it may
OUTSIDE = {
    "domain": {"opencc", "pypinyin"},  # folding traditional Chinese, ordering by pinyin (lazily)
    "store": {"yaml"},
    "present": {"rich"},
    "export": {"sqlite3"},
    "serve": {"mcp", "pydantic", "anyio", "typing_extensions"},  # the MCP SDK and what its API takes
    "cli": {"typer", "click"},
}
_STDLIB = set(sys.stdlib_module_names)


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([NAME, *parts])] = path
    return found


def _is_package(name: str, known: dict[str, Path]) -> bool:
    return known[name].name == "__init__.py"


def imports(name: str, known: dict[str, Path]) -> tuple[set[str], set[str]]:
    """The package's modules ``name`` imports, and the outside top-level packages it imports."""
    tree = ast.parse(known[name].read_text(encoding="utf-8"))
    here = name if _is_package(name, known) else name.rpartition(".")[0]
    inside, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == NAME or alias.name.startswith(NAME + "."):
                    inside.add(alias.name)
                else:
                    outside.add(alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
                if base != NAME and not base.startswith(NAME + "."):
                    outside.add(base.partition(".")[0])
                    continue
            else:
                anchor = here.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:  # `from . import kinds` names a module; `from .x import y` a name
                sub = f"{base}.{alias.name}"
                inside.add(sub if sub in known else base)
    return {m for m in inside if m in known and m != name}, outside - _STDLIB - {"__future__"}


def layer_of(name: str) -> str:
    if name in BELOW:
        return "(package)"
    if name in ABOVE:
        return "(entry)"
    return name.split(".")[1]


def rank(name: str) -> int:
    if name in BELOW:
        return -1
    if name in ABOVE:
        return len(LAYERS)
    return LAYERS.index(layer_of(name))


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, known)[0] for name in known}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def report() -> str:
    """The layers, lowest first, each module with the package's modules it imports."""
    edges = graph()
    lines = []
    for layer in ["(package)", *LAYERS, "(entry)"]:
        members = sorted(m for m in edges if layer_of(m) == layer)
        lines.append(f"{layer}: {len(members)} modules")
        for member in members:
            used = ", ".join(sorted(m.removeprefix(NAME + ".") for m in edges[member])) or "-"
            lines.append(f"  {member.removeprefix(NAME + '.') or NAME} <- {used}")
    return "\n".join(lines)


def test_every_module_is_in_a_layer():
    strays = [m for m in modules() if m not in BELOW | ABOVE and layer_of(m) not in LAYERS]
    assert not strays, f"modules outside every layer folder {LAYERS}: {strays}"
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and any(p.glob("*.py")))
    assert folders == sorted(LAYERS), "every folder of modules in the package is a layer named in LAYERS"


def test_no_import_climbs_a_layer():
    print(report())
    edges = graph()
    climbs = [
        f"{m} ({layer_of(m)}) imports {t} ({layer_of(t)})"
        for m, targets in sorted(edges.items())
        for t in sorted(targets)
        if rank(t) > rank(m)
    ]
    assert not climbs, "a lower layer imports a higher one:\n" + "\n".join(climbs)


def test_no_import_circle():
    found = circles(graph())
    assert not found, "modules that import each other in a circle:\n" + "\n".join(" <-> ".join(g) for g in found)


def test_each_layer_imports_only_its_outside_packages():
    known = modules()
    wrong = []
    for name in known:
        layer = layer_of(name)
        if layer not in LAYERS:
            continue
        allowed = set().union(*(OUTSIDE[x] for x in LAYERS[: LAYERS.index(layer) + 1]))
        wrong += [f"{name} ({layer}) imports {package}" for package in sorted(imports(name, known)[1] - allowed)]
    assert not wrong, "\n".join(wrong)


# -- the checks themselves: each catches what it claims to ------------------------------------------


def test_the_circle_finder_finds_a_circle_and_only_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set(), "c": {"b"}}) == []


def test_relative_and_function_level_imports_are_read(tmp_path):
    known = modules()
    name = f"{NAME}.domain.history"
    inside, _ = imports(name, known)
    assert f"{NAME}.domain.index" in inside and f"{NAME}.domain.dates" in inside
    cli = f"{NAME}.cli.app"
    inside, outside = imports(cli, known)
    assert "typer" in outside and any(m.startswith(f"{NAME}.store.") for m in inside)  # imported in functions
    assert rank(f"{NAME}.domain.kinds") < rank(f"{NAME}.store.load") < rank(f"{NAME}.cli.app") < rank(f"{NAME}.entry")


# -- ARCHITECTURE.md names only what exists ----------------------------------------------------------

_PATH = re.compile(r"`((?:src/|tests/|tools/|bench/|data/|docs/|\.ci/)[^`\s]*|[a-z_]+/[a-z_./]*\.py)`")


def test_architecture_md_names_paths_that_exist():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = _PATH.findall(text)
    assert len(named) >= 30, named  # the code map is there
    missing = []
    for path in named:
        candidates = [ROOT / path, PACKAGE / path]
        if not any(c.exists() for c in candidates):
            missing.append(path)
    assert not missing, f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_architecture_md_lists_every_layer_in_order():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    positions = [text.find(f"`{layer}/`") for layer in LAYERS]
    assert -1 not in positions, [layer for layer, at in zip(LAYERS, positions, strict=True) if at == -1]
    assert positions == sorted(positions), "ARCHITECTURE.md lists the layers lowest first, as LAYERS does"


if __name__ == "__main__":  # pragma: no cover
    print(report())
    found = circles(graph())
    print("circles:", found or "none")
    sys.exit(pytest.main([__file__, "-q"]))
