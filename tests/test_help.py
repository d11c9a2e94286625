"""Help, examples, the generated CLI reference, did-you-mean and shell completion."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess

import pytest
import typer.main
from conftest import DATA, ROOT, flat, load_tool, oscli_executable

from outsourcing_cli.cli.app import app
from outsourcing_cli.domain import kinds


def _commands(command=None, path=("oscli",)):
    command = command or typer.main.get_command(app)
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command, info_name=path[-1])
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), (*path, name))


COMMANDS = list(_commands())
EXAMPLES = [(path, line.strip()) for path, command in COMMANDS for line in (command.epilog or "").split("\n\n")[1:]]


def test_every_command_has_examples():
    for path, command in COMMANDS:
        assert (command.epilog or "").startswith("Examples:"), " ".join(path)
        lines = [line.strip() for line in command.epilog.split("\n\n")[1:]]
        assert len(lines) >= 2 and all(line.startswith("oscli ") for line in lines), " ".join(path)


def test_only_the_root_offers_completion_and_every_command_is_listed():
    """Shell completion is installed once, for oscli; each command is listed once, in help order,
    the kinds' from the registry first (commands are built lazily, so this walks them all)."""
    for path, command in COMMANDS:
        names = {opt for param in command.params for opt in param.opts}
        assert ("--install-completion" in names) == (path == ("oscli",)), " ".join(path)
    top = [path[1] for path, _ in COMMANDS if len(path) == 2]
    assert top == [k.command for k in kinds.KINDS.values()] + [
        "search",
        "timeline",
        "cite",
        "check",
        "schema",
        "export",
        "mcp",
    ]


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_help_ends_with_real_examples(run, path):
    result = run(*path[1:], "--help")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    command = dict(COMMANDS)[path]
    last_example = command.epilog.split("\n\n")[-1].strip()
    assert "Examples:" in lines
    assert " ".join(lines[lines.index("Examples:") + 1 :]).startswith("oscli ")
    assert " ".join(lines[-2:]).endswith(last_example.split()[-1])


@pytest.mark.parametrize("path, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_example_runs(run, tmp_path, monkeypatch, path, example):
    """Each example in the help works as printed (the part before a pipe or redirection)."""
    shutil.copytree(DATA, tmp_path / "mydata")
    monkeypatch.chdir(tmp_path)
    words = shlex.split(example)
    for stop in ("|", ">"):
        if stop in words:
            words = words[: words.index(stop)]
    assert words[0] == "oscli"
    result = run(*words[1:])
    assert result.exit_code == 0, (example, result)
    assert result.stdout.strip()


def test_cli_reference_is_up_to_date():
    generated = load_tool("cli_reference").generate()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == generated, (
        "docs/cli.md is stale: run `python tools/cli_reference.py`"
    )
    for path, _ in COMMANDS:  # every command and every example is in it
        assert f"`{' '.join(path)}`" in generated
    for _, example in EXAMPLES:
        assert example in generated


@pytest.mark.parametrize(
    "typed, expected",
    [
        (("citys", "list"), "Did you mean 'cities'"),
        (("cities", "lst"), "Did you mean 'list'"),
        (("policy", "shwo", "11th-fyp"), "Did you mean 'show'"),
        (("search",), "Missing argument 'TEXT'"),
        (("cities", "list", "--provnce", "x"), "--province"),
    ],
)
def test_unknown_subcommands_and_options_suggest(run, typed, expected):
    result = run(*typed)
    assert result.exit_code == 2
    assert expected in flat(result.stderr)


def _misspelt(record_id: str) -> str:
    """The id with two different neighbouring letters swapped: a typo, not a spelling oscli accepts."""
    for i in range(1, len(record_id)):
        a, b = record_id[i - 1], record_id[i]
        if a.isalpha() and b.isalpha() and a != b:
            return record_id[: i - 1] + b + a + record_id[i + 1 :]
    raise AssertionError(record_id)


@pytest.mark.parametrize("kind", kinds.names())
def test_unknown_ids_suggest_for_every_kind(run, kind):
    """For every kind in the registry: a typo of its first record's id exits 1, names the kind, and
    suggests that id and the command that lists them all."""
    declared = kinds.get(kind)
    first = json.loads(run(declared.command, "list", "--json").stdout)[0]["id"]
    typed = _misspelt(first)
    result = run(declared.command, "show", typed)
    assert result.exit_code == 1
    assert f"oscli: no {declared.name} '{typed}'; did you mean " in result.stderr
    assert f"'{first}'" in result.stderr and f"`oscli {declared.command} list`" in result.stderr


def _complete(*words: str, env_extra: dict | None = None) -> list[str]:
    """Ask the installed oscli for bash completions, as the script from --install-completion does."""
    env = {k: v for k, v in os.environ.items() if k not in ("OSCLI_DATA_DIR",)}
    env.update(
        {"_OSCLI_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(("oscli", *words)), "COMP_CWORD": str(len(words))},
        **(env_extra or {}),
    )
    done = subprocess.run([oscli_executable()], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_of_commands_options_ids_and_fields():
    assert sorted(_complete("ci")) == ["cite", "cities"]
    assert _complete("cities", "l") == ["list"]
    assert _complete("cities", "list", "--pr") == ["--province", "--primary"]
    assert _complete("cities", "show", "s") == ["shanghai", "shenzhen", "suzhou", "shenyang"]
    assert _complete("policy", "show", "11") == ["11th-fyp"]
    assert _complete("cities", "list", "--fields", "id,name_") == ["id,name_zh"]
    assert _complete("cities", "list", "--sort", "prov") == ["province", "province_zh", "province_type"]


def test_completion_reads_the_chosen_data(data_copy):
    text = (data_copy / "cities.yaml").read_text(encoding="utf-8").replace("id: dalian", "id: dalian-city")
    (data_copy / "cities.yaml").write_text(text, encoding="utf-8")
    assert _complete("cities", "show", "dal", env_extra={"OSCLI_DATA_DIR": str(data_copy)}) == ["dalian-city"]


def test_show_completion_prints_a_script():
    done = subprocess.run(
        [oscli_executable(), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env={**os.environ, "SHELL": "/bin/bash"},
        timeout=60,
    )
    assert done.returncode == 0
    assert "_OSCLI_COMPLETE=complete_bash" in done.stdout and "complete " in done.stdout


def test_show_completion_reads_SHELL_when_no_parent_process_is_a_shell(run, monkeypatch):
    """Started by no shell (cron, an editor's task, a script's subprocess), --show-completion takes
    $SHELL's shell; Typer looked only among the parent processes ("Shell  not supported.", exit 1)."""
    import shellingham

    def no_shell_among_the_parents(*args, **kwargs):
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", no_shell_among_the_parents)
    bash = run("--show-completion", env={"SHELL": "/bin/bash"})
    assert bash.exit_code == 0 and "_OSCLI_COMPLETE=complete_bash" in bash.stdout
    zsh = run("--show-completion", env={"SHELL": "/usr/bin/zsh"})
    assert zsh.exit_code == 0 and "#compdef oscli" in zsh.stdout


# -- the README tells the truth --------------------------------------------------------------------


def test_readme_examples_show_what_the_commands_print():
    """Every ```text block that starts with `$ oscli ...` is that command's real output."""
    tool = load_tool("readme_examples")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = tool.BLOCK.findall(readme)
    assert len(blocks) >= 12
    assert tool.refreshed(readme) == readme, "README.md has stale examples: run `python tools/readme_examples.py`"


def test_readme_lists_every_rule_and_every_kind_s_keys():
    from outsourcing_cli.domain import kinds
    from outsourcing_cli.domain.findings import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| {rule.code} | {rule.severity.value} | {rule.name} | {rule.checks} |" in readme, rule.code
    for declared in kinds.KINDS.values():
        keys = ", ".join(f"`{f.name}`" for f in declared.fields)
        assert f"| {declared.name} | {keys} |" in readme, declared.name


def test_the_readme_recipe_for_an_own_copy_of_the_data_works(tmp_path):
    """cp -r "$(python -c 'import outsourcing_cli.store.paths as p; print(p.packaged_data_dir())')" mydata"""
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = "import outsourcing_cli.store.paths as p; print(p.packaged_data_dir())"
    assert f"cp -r \"$(python -c '{code}')\" mydata" in readme
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    shutil.copytree(where.stdout.strip(), tmp_path / "mydata")
    done = subprocess.run(
        [oscli_executable(), "--data-dir", "mydata", "check"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0 and "0 errors" in done.stdout


def test_completion_honours_the_data_dir_option(data_copy):
    text = (data_copy / "cities.yaml").read_text(encoding="utf-8").replace("id: dalian\n", "id: dalian-port\n")
    (data_copy / "cities.yaml").write_text(text, encoding="utf-8")
    assert _complete("--data-dir", str(data_copy), "cities", "show", "dal") == ["dalian-port"]
    assert _complete("cities", "show", "dal") == ["dalian"]
