"""Issue 19: no command crashes on data, and none on data that `check` passes.

Hypothesis generates records from `oscli schema` itself (the JSON Schema derived from the registry
of kinds, so a new kind is generated without a change here), adds them to the minimal fixture, and
runs every command on the result: `check` says yes or no (exit 0 or 1); on data it passes, every
other command answers (exit 0, or 1 for a search that finds nothing); on data it refuses, every
other command exits 3. No run may end in a traceback or exit 70.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from outsourcing_cli.cli.app import app
from outsourcing_cli.domain import kinds
from outsourcing_cli.store.dataschema import json_schema

# the ids of the minimal fixture, and a title: references drawn from them resolve
IDS = {
    "source": ["src"],
    "city": ["alpha"],
    "area": ["alpha-park"],
    "agency": ["moc"],
    "policy": ["plan"],
    "term": ["term"],
    "title": ["base-city"],
}
TITLES = "titles:\n  - id: base-city\n    name: Base city\n    name_zh: 基地城市\n    subject_type: city\n    sources: [src]\n"
SCHEMA = json_schema(IDS)


def _strategy(node: dict, wild: bool = False) -> st.SearchStrategy:
    """Values valid against one node of the schema (the subset of JSON Schema dataschema writes)."""
    if "$ref" in node:
        return st.deferred(lambda: _strategy(SCHEMA["definitions"][node["$ref"].rsplit("/", 1)[1]], wild))
    if "anyOf" in node:
        return st.one_of([_strategy(option, wild) for option in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node["type"]
    if kind == "string":
        pattern = node.get("pattern")
        if pattern is None:
            return st.text()
        if pattern.startswith("^") and pattern.endswith("$"):
            return st.from_regex(pattern[1:-1], fullmatch=True)
        # "\S", "^https?://": anything around it; any character in wild data, printable text in the
        # rest, so that much of the data passes check and reaches every command
        return st.from_regex(pattern) if wild else st.from_regex(pattern, alphabet=_PRINTABLE)
    if kind == "integer":
        return st.integers(node.get("minimum"), node.get("maximum"))
    if kind == "number":
        return st.floats(node.get("minimum"), node.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(_strategy(node["items"], wild), min_size=node.get("minItems", 0), max_size=2)
    if kind == "object":
        required = set(node.get("required", ()))
        properties = node["properties"]
        # a required list is mostly not empty (the schema allows it; check refuses a record citing no source)
        return st.fixed_dictionaries(
            {name: _strategy(_at_least_one(properties[name]), wild) for name in properties if name in required},
            optional={name: _strategy(properties[name], wild) for name in properties if name not in required},
        )
    raise AssertionError(f"no strategy for {node}")


_PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))


def _at_least_one(node: dict) -> dict:
    return {**node, "minItems": 1} if node.get("type") == "array" else node


@st.composite
def datasets(draw) -> tuple[str, dict]:
    """A kind and one record of it, from the schema."""
    declared = draw(st.sampled_from(list(kinds.KINDS.values())))
    wild = draw(st.sampled_from([False, False, False, True]))
    record = draw(_strategy({"$ref": f"#/definitions/{declared.name}"}, wild))
    return declared.name, record


def _write(target: Path, kind: str, record: dict) -> None:
    """The minimal fixture, a title, and the record at the end of its kind's section."""
    shutil.copytree(FIXTURES / "minimal", target)
    (target / "designations.yaml").write_text(TITLES, encoding="utf-8")
    declared = kinds.KINDS[kind]
    path = target / declared.file
    content = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    content.setdefault(declared.plural, []).append(record)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


RUNNER = CliRunner()


def _run(data: Path, *args: str):
    result = RUNNER.invoke(app, ["--data-dir", str(data), *args], prog_name="oscli", catch_exceptions=False)
    assert result.exit_code != 70, (args, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr, args
    return result


def _every_command(generated) -> bool:
    """Run every command on the minimal fixture plus the generated record; whether check passed it."""
    kind, record = generated
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        _write(data, kind, record)
        checked = _run(data, "check", "--json")
        assert checked.exit_code in (0, 1)
        json.loads(checked.stdout)
        passed = checked.exit_code == 0
        expected = {0, 1} if passed else {3}
        commands = [
            ["timeline"],
            ["cite", "--all"],
            ["search", "--", str(record.get("id") or "alpha")],
            ["export", "geojson"],
            ["export", "sqlite", str(Path(folder) / "out.db"), "--replace"],
        ]
        for declared in kinds.KINDS.values():
            commands.append([declared.command, "list", "--json"])
            commands.append([declared.command, "list", "--format", "csv"])
        record_id = record.get("id")
        if isinstance(record_id, str):
            commands.append([kinds.KINDS[kind].command, "show", "--json", "--", record_id])
            commands.append([kinds.KINDS[kind].command, "show", "--", record_id])
            commands.append(["cite", "--type", kind, "--", record_id])
        for command in commands:
            result = _run(data, *command)
            assert result.exit_code in expected, (command, result.exit_code, result.stderr)
            if passed and "--json" in command:
                json.loads(result.stdout)
            if passed and command == ["export", "geojson"]:
                json.loads(result.stdout)
        assert _run(data, "schema").exit_code == 0
        for how in ("github", "sarif", "plain"):
            assert _run(data, "check", "--format", how).exit_code == checked.exit_code
        return passed


def test_every_command_on_records_generated_from_the_schema():
    outcomes: list[bool] = []

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(datasets())
    def every_command(generated) -> None:
        outcomes.append(_every_command(generated))

    every_command()
    # worth something only if some generated data passes check (and so reaches every command
    # with data it accepts), and some does not
    assert outcomes.count(True) >= 3 and outcomes.count(False) >= 1, outcomes
