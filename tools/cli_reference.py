"""Generate docs/cli.md, the CLI reference, from the Typer app itself.

    python tools/cli_reference.py           # rewrite docs/cli.md
    python tools/cli_reference.py --check   # exit 1 if docs/cli.md is stale (tests do this too)

Everything comes from the code: command names, help, arguments, options (with their choices,
defaults and environment variables) and the examples in each command's epilog.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import typer
import typer.main

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "cli.md"


def _choices(param) -> str:
    choices = getattr(param.type, "choices", None)
    if not choices:
        return ""
    return " | ".join(getattr(c, "value", c) for c in choices)


def _option_row(param) -> str:
    names = ", ".join(param.opts + param.secondary_opts)
    value = "" if param.is_flag else _choices(param) or param.metavar or param.type.name.upper()
    default = param.default
    shown_default = "" if default in (None, False, ()) or param.is_flag else f"`{getattr(default, 'value', default)}`"
    env = f" (env: `{param.envvar}`)" if getattr(param, "envvar", None) else ""
    text = (param.help or "").replace("|", "\\|") + env
    value = f"`{value}`".replace("|", "\\|") if value else ""
    return f"| `{names}` | {value} | {shown_default} | {text} |"


def _section(command, path: list[str], lines: list[str]) -> None:
    ctx = typer.Context(command, info_name=path[-1])
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option"]
    usage = " ".join(path + ["[OPTIONS]"] + [p.make_metavar(ctx) for p in arguments])
    is_group = hasattr(command, "commands")
    if is_group:
        usage += " COMMAND [ARGS]..."
    lines += [f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    lines += ["```", usage, "```", ""]
    if arguments:
        lines += ["| Argument | Help |", "|---|---|"]
        lines += [f"| `{p.make_metavar(ctx)}` | {getattr(p, 'help', '') or ''} |" for p in arguments]
        lines.append("")
    if options:
        lines += ["| Option | Value | Default | Help |", "|---|---|---|---|"]
        lines += [_option_row(p) for p in options if p.name != "help"]
        lines.append("")
    if command.epilog:
        examples = [line.strip() for line in command.epilog.split("\n\n")[1:]]
        lines += ["Examples:", "", "```sh", *examples, "```", ""]
    if is_group:
        for name in command.list_commands(ctx):  # in the order of --help
            _section(command.get_command(ctx, name), [*path, name], lines)


def generate() -> str:
    from outsourcing_cli.cli.app import app

    root = typer.main.get_command(app)
    lines = [
        "# oscli command reference",
        "",
        "Generated from the code by `python tools/cli_reference.py`; a test fails when this file "
        "is stale. Exit codes and the JSON contract are in the README.",
        "",
    ]
    _section(root, ["oscli"], lines)
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md differs from the code")
    args = parser.parse_args()
    text = generate()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            sys.exit("docs/cli.md is stale: run `python tools/cli_reference.py`")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
