"""Issue 19: editors and CI as users of `oscli check`.

- `oscli schema` validates the shipped data with a real JSON Schema validator (jsonschema), and
  refuses the same edits `check` refuses (the mutation table); what it cannot express is pinned.
- `check --format github` follows GitHub's workflow-command syntax; `check --format sarif` is
  valid against OASIS's SARIF 2.1.0 schema (tests/fixtures/sarif-schema-2.1.0.json).
- `check PATH...`, its exit code when the reader stops early, and the pre-commit hook run by the
  real `pre-commit try-repo`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DATA, FIXTURES, ROOT, oscli_executable

from outsourcing_cli.domain.findings import RULES


class _Yaml11NoDates(yaml.SafeLoader):
    """YAML as oscli reads it, but dates stay text (a JSON Schema has no date type)."""


_Yaml11NoDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml11NoDates)


@pytest.fixture(scope="module")
def schema():
    done = subprocess.run([oscli_executable(), "schema"], capture_output=True, text=True, check=True, timeout=60)
    found = json.loads(done.stdout)
    jsonschema.Draft7Validator.check_schema(found)
    return found


def _schema_errors(schema, path: Path) -> list[str]:
    return [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(_load(path))]


# -- the schema --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_shipped_data_validates_against_the_schema(schema, name):
    assert _schema_errors(schema, DATA / name) == []


def test_schema_is_derived_from_the_registry(schema):
    from outsourcing_cli.domain import kinds

    assert set(schema["properties"]) == {k.plural for k in kinds.KINDS.values()}
    assert schema["additionalProperties"] is False
    for declared in kinds.KINDS.values():
        record = schema["definitions"][declared.name]
        assert record["additionalProperties"] is False
        assert set(record["properties"]) == {f.name for f in declared.data_fields}
        assert record.get("required", []) == [f.name for f in declared.data_fields if f.required]
    source_type = schema["definitions"]["source"]["properties"]["type"]
    assert source_type["enum"] == list(kinds.get("source").field("type").choices)
    assert schema["definitions"]["city"]["properties"]["id"]["pattern"] == r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
    title_ref = schema["definitions"]["designation"]["properties"]["title"]
    assert title_ref["enum"] == ["base-city", "model-city", "showcase-area", "showcase-base"]  # the data's titles


# Each edit to tests/fixtures/minimal: (file, old text, new text, the code check gives). The
# schema must refuse each one too.
MUTATIONS = {
    "wrong type": ("cities.yaml", "primary_outsourcing_city: true", 'primary_outsourcing_city: "true"', "OSC103"),
    "unknown field": ("cities.yaml", "    name: Alpha\n", "    name: Alpha\n    nmae: Alpha\n", "OSC102"),
    "missing field": ("cities.yaml", "    name: Alpha\n", "", "OSC101"),
    "bad id": ("cities.yaml", "  - id: alpha\n", "  - id: Alpha City\n", "OSC106"),
    "look-alike in id": ("policies.yaml", "  - id: plan\n", "  - id: pl\u0430n\n", "OSC114"),
    "bad date": ("policies.yaml", "date: 2006-03", "date: 2006-13", "OSC104"),
    "year before 1000": ("policies.yaml", "date: 2006-03", "date: 0206-03", "OSC112"),
    "not in vocabulary": ("policies.yaml", "type: plan", "type: plann", "OSC108"),
    "empty text": ("cities.yaml", "    name: Alpha\n", '    name: " "\n', "OSC105"),
    "latitude out of range": ("cities.yaml", "    name: Alpha\n", "    name: Alpha\n    latitude: 91\n", "OSC110"),
    "count below zero": ("cities.yaml", "    name: Alpha\n", "    name: Alpha\n    geonames_id: -1\n", "OSC110"),
    "list where text is expected": ("cities.yaml", "    name: Alpha\n", "    name: [Alpha]\n", "OSC103"),
    "not a URL": ("sources.yaml", "url: https://example.org/a", "url: example.org/a", "OSC103"),
    "unknown section": ("cities.yaml", "areas:\n", "area:\n", "OSC102"),
}

# What a JSON Schema cannot say, and `check` does (the README lists these).
BEYOND_THE_SCHEMA = {
    "reference to another file": ("cities.yaml", "city: alpha", "city: beta", "OSC202"),
    "a date not in the calendar": ("policies.yaml", "date: 2006-03", "date: 2006-02-30", "OSC104"),
    "NaN": ("cities.yaml", "    name: Alpha\n", "    name: Alpha\n    latitude: .nan\n", "OSC111"),
    "a year in hexadecimal": ("policies.yaml", "date: 2006-03", "date: 0x7D6", "OSC113"),
    "a source nobody cites": (
        "sources.yaml",
        "sources:\n",
        "sources:\n  - id: spare\n    title: T\n    type: book\n    publisher: P\n    url: https://example.org/b\n",
        "OSC303",
    ),
}


def _mutated(tmp_path: Path, file: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    text = (data / file).read_text(encoding="utf-8")
    assert old in text
    (data / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def _check_codes(run, data: Path) -> set[str]:
    return {f["code"] for f in json.loads(run("--data-dir", str(data), "check", "--json").stdout)}


def test_minimal_fixture_passes_both(schema, run):
    assert _check_codes(run, FIXTURES / "minimal") == set()
    for path in (FIXTURES / "minimal").glob("*.yaml"):
        assert _schema_errors(schema, path) == []


@pytest.mark.parametrize("edit", sorted(MUTATIONS))
def test_schema_and_check_refuse_the_same_edits(edit, schema, run, tmp_path):
    file, old, new, code = MUTATIONS[edit]
    data = _mutated(tmp_path, file, old, new)
    assert code in _check_codes(run, data)
    assert _schema_errors(schema, data / file), f"the schema accepts: {edit}"


@pytest.mark.parametrize("edit", sorted(BEYOND_THE_SCHEMA))
def test_what_only_check_refuses(edit, schema, run, tmp_path):
    file, old, new, code = BEYOND_THE_SCHEMA[edit]
    data = _mutated(tmp_path, file, old, new)
    assert code in _check_codes(run, data)
    assert _schema_errors(schema, data / file) == []  # if the schema learns it, move the edit to MUTATIONS


# -- github and SARIF ------------------------------------------------------------------------------------

# GitHub's syntax: ::error file={name},line={line},col={col},title={title}::{message}, where a
# property value escapes %, CR, LF, ':' and ',' and the message escapes %, CR and LF.
WORKFLOW_COMMAND = re.compile(
    r"::(error|warning|notice) ((?:file|line|col|title)=[^,:\r\n]*"
    r"(?:,(?:file|line|col|title)=[^,:\r\n]*)*)::([^\r\n]*)"
)


def _broken_dataset(tmp_path: Path) -> Path:
    """The unclosed quote of rule OSC109's fixture, plus an unknown field whose name holds '%', ',' and ':'."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    shutil.copy(FIXTURES / "rules" / "OSC109" / "sources.yaml", data / "sources.yaml")
    text = (data / "cities.yaml").read_text(encoding="utf-8")
    (data / "cities.yaml").write_text(
        text.replace("    name: Alpha\n", '    name: Alpha\n    "100%, a: b": x\n'), encoding="utf-8"
    )
    return data


def test_github_format_is_workflow_commands(tmp_path, run):
    data = _broken_dataset(tmp_path)
    result = run("--data-dir", str(data), "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = [WORKFLOW_COMMAND.fullmatch(line) for line in lines]
    assert all(parsed), lines
    first = dict(pair.split("=", 1) for pair in parsed[0].group(2).split(","))
    assert parsed[0].group(1) == "error"
    assert first == {
        "file": f"{data}/sources.yaml".replace(":", "%3A"),
        "line": "3",
        "col": "12",
        "title": "OSC003 yaml-syntax",
    }
    odd = next(m for m in parsed if "OSC102" in m.group(2))
    assert "'100%25, a: b'" in odd.group(3)  # % escaped in the message; ',' and ':' kept there
    assert parsed[-1].group(1) == "notice" and "3 errors" in parsed[-1].group(3)


def test_sarif_is_valid_against_the_official_schema(tmp_path, run):
    official = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert official["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    for data in (_broken_dataset(tmp_path), DATA):  # errors; acknowledged findings
        result = run("--data-dir", str(data), "check", "--format", "sarif")
        log = json.loads(result.stdout)
        jsonschema.Draft4Validator(official).validate(log)
        run_ = log["runs"][0]
        rules = run_["tool"]["driver"]["rules"]
        assert [r["id"] for r in rules] == list(RULES)
        for item in run_["results"]:
            assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
            assert item["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    shipped = json.loads(run("check", "--format", "sarif").stdout)["runs"][0]["results"]
    assert shipped and all(r["suppressions"][0]["kind"] == "inSource" for r in shipped)  # the acknowledged ones
    broken = json.loads(
        run("--data-dir", str(_broken_dataset(tmp_path / "again")), "check", "--format", "sarif").stdout
    )["runs"][0]["results"]
    assert [r["ruleId"] for r in broken][:2] == ["OSC003", "OSC109"]


# -- check PATH..., and its exit code when the reader stops early -----------------------------------------


def test_check_takes_files_or_directories(tmp_path, run):
    data = _broken_dataset(tmp_path)
    by_file = run("check", str(data / "cities.yaml"), str(data / "sources.yaml"), str(ROOT / "pyproject.toml"))
    by_dir = run("check", str(data))
    assert by_file.exit_code == by_dir.exit_code == 1
    assert by_file.stdout == by_dir.stdout
    clean = run("check", str(FIXTURES / "minimal" / "cities.yaml"))
    assert clean.exit_code == 0 and clean.stdout.startswith("0 errors")
    nothing = run("check", str(ROOT / "pyproject.toml"))
    assert nothing.exit_code == 0 and "nothing to check" in nothing.stderr
    missing = run("check", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2


def _many_findings(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for path in data.glob("*.yaml"):  # every record's sources under a misspelt name: two findings each
        path.write_text(
            path.read_text(encoding="utf-8").replace("\n    sources: [", "\n    sourcez: ["), encoding="utf-8"
        )
    return data


def test_check_exit_code_survives_a_reader_that_stops_early(tmp_path):
    data = _many_findings(tmp_path)
    env = {**os.environ, "OSCLI_DATA_DIR": str(data)}
    full = subprocess.run([oscli_executable(), "check", "--format", "csv"], capture_output=True, env=env, timeout=60)
    assert full.returncode == 1 and len(full.stdout) > 100_000  # more than a pipe holds (64 KiB on Linux)
    piped = subprocess.run(
        ["bash", "-c", f"'{oscli_executable()}' check --format csv | head -1; exit ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert piped.stdout.lstrip("\ufeff").startswith("code,severity,message,file")
    assert piped.returncode == 1, piped.stderr
    assert piped.stderr == ""  # quietly: a closed pipe is not an error
    # a reader that is gone before anything is written
    process = subprocess.Popen([oscli_executable(), "check"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()
    assert process.wait(timeout=60) == 1
    clean = subprocess.run(
        ["bash", "-c", f"'{oscli_executable()}' check | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}"],
        env={**os.environ, "OSCLI_DATA_DIR": str(DATA)},
        timeout=60,
    )
    assert clean.returncode == 0


# -- the pre-commit hook ---------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=oscli tests",
            "-c",
            "user.email=tests@oscli.invalid",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_pre_commit_hook_passes_good_data_and_stops_a_bad_edit(tmp_path):
    """The real pre-commit installs the hook from a repository holding this project (built from
    its files, so that uncommitted work is what is tested) and runs it on a repository holding a
    copy of the data."""
    hooks = tmp_path / "oscli-repo"
    hooks.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "hatch_build.py"):
        shutil.copy(ROOT / name, hooks / name)
    for folder in ("src", "data"):
        shutil.copytree(ROOT / folder, hooks / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    _git(hooks, "commit", "-q", "-m", "oscli")
    facts = tmp_path / "facts"
    shutil.copytree(DATA, facts / "data")
    (facts / "notes.yaml").write_text("not: data\n", encoding="utf-8")  # any other YAML file is skipped
    _git(facts, "init", "-q")
    _git(facts, "add", ".")
    _git(facts, "commit", "-q", "-m", "facts")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_NO_INPUT": "1"}
    env.pop("OSCLI_DATA_DIR", None)

    def try_repo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(hooks), "oscli-check", *args],
            cwd=facts,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    good = try_repo("--all-files")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"oscli check\.+Passed", good.stdout)
    path = facts / "data" / "designations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    subject_type: city\n    title: base-city\n", "    subject_type: city\n      title: base-city\n", 1
        ),
        encoding="utf-8",
    )
    bad = try_repo("--files", "data/designations.yaml", "notes.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"oscli check\.+Failed", bad.stdout)
    assert re.search(r"data/designations\.yaml:\d+:7: error OSC003 this line is indented 2 more spaces", bad.stdout)
