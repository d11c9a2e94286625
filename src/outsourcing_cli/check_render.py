"""Drawing `oscli check` results: one editor-friendly line per finding, a summary, or JSON."""

from __future__ import annotations

import sys

from .findings import RULES, Finding
from .output import Format, color
from .render import write_json
from .findings import Report


def finding_dict(f: Finding) -> dict:
    return {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "record": f.record,
        "acknowledged": f.acknowledged is not None,
        "reason": f.acknowledged,
    }


def finding_line(f: Finding) -> str:
    level = "acknowledged" if f.acknowledged is not None else f.severity.value
    return f"{f.file}:{f.line}:{f.column}: {level} {f.code} {f.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report, where: str) -> str:
    return (
        f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}, "
        f"{len(report.acknowledged)} acknowledged in {where}"
    )


def render_report(report: Report, how: Format, where: str) -> None:
    if how is Format.json:
        write_json([finding_dict(f) for f in report.findings])
        return
    lines: list[tuple[str, str]] = [(finding_line(f), f.severity.value) for f in report.active]
    if report.acknowledged:
        if lines:
            lines.append(("", ""))
        lines.append(("Acknowledged (not counted as errors):", "heading"))
        for f in report.acknowledged:
            lines.append((finding_line(f), "acknowledged"))
            lines.append((f"    reason: {f.acknowledged}", "reason"))
    lines.append((summary(report, where), "summary-bad" if report.errors else "summary-ok"))
    if how is Format.plain:
        sys.stdout.write("\n".join(text for text, _ in lines) + "\n")
        return
    from rich.text import Text

    from .rich_render import console

    styles = {"error": "red", "warning": "yellow", "acknowledged": "cyan", "reason": "dim",
              "heading": "bold", "summary-bad": "bold red", "summary-ok": "bold green"}
    con = console(color())
    for text, kind in lines:
        con.print(Text(text, style=styles.get(kind, "")), soft_wrap=True)


def render_rules(how: Format) -> None:
    rules = list(RULES.values())
    if how is Format.json:
        write_json([{"code": r.code, "severity": r.severity.value, "name": r.name, "checks": r.checks,
                     "why": r.why} for r in rules])
        return
    headers = ["Code", "Severity", "Name", "Checks", "Why"]
    rows = [[r.code, r.severity.value, r.name, r.checks, r.why] for r in rules]
    if how is Format.plain:
        from .render import plain_table

        plain_table(headers, rows)
        return
    from .rich_render import console, table

    table(console(color()), "Rules of oscli check", headers, rows)
