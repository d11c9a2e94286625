"""Drawing `oscli check` results: one editor-friendly line per finding and a summary on a
terminal or in a pipe; the findings as data (JSON, NDJSON, CSV, YAML) for scripts."""

from __future__ import annotations

import sys

from . import render
from .findings import RULES, Finding, Report
from .names import plural
from .output import Format, color
from .textsafe import visible

FINDING_FIELDS = ["code", "severity", "message", "file", "line", "column", "record", "acknowledged", "reason"]
RULE_FIELDS = ["code", "severity", "name", "checks", "why"]


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


def rule_dict(code: str) -> dict:
    r = RULES[code]
    return {"code": r.code, "severity": r.severity.value, "name": r.name, "checks": r.checks, "why": r.why}


def finding_line(f: Finding) -> str:
    level = "acknowledged" if f.acknowledged is not None else f.severity.value
    return visible(f"{f.file}:{f.line}:{f.column}: {level} {f.code} {f.message}", keep_newlines=False)


def summary(report: Report, where: str) -> str:
    return (f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}, "
            f"{len(report.acknowledged)} acknowledged in {visible(where)}")


def render_report(report: Report, how: Format, where: str) -> None:
    if how not in (Format.table, Format.plain):
        render.write(how, render.Payload("finding", "Findings", [finding_dict(f) for f in report.findings],
                                         flat_fields=FINDING_FIELDS))
        return
    lines: list[tuple[str, str]] = [(finding_line(f), f.severity.value) for f in report.active]
    if report.acknowledged:
        if lines:
            lines.append(("", ""))
        lines.append(("Acknowledged (not counted as errors):", "heading"))
        for f in report.acknowledged:
            lines.append((finding_line(f), "acknowledged"))
            lines.append((f"    reason: {visible(f.acknowledged, keep_newlines=False)}", "reason"))
    lines.append((summary(report, where), "summary-bad" if report.errors else "summary-ok"))
    if how is Format.plain or not color():
        sys.stdout.write("\n".join(text for text, _ in lines) + "\n")
        return
    from rich.text import Text

    from .rich_render import console

    styles = {"error": "red", "warning": "yellow", "acknowledged": "cyan", "reason": "dim",
              "heading": "bold", "summary-bad": "bold red", "summary-ok": "bold green"}
    con = console(True)
    for text, kind in lines:
        con.print(Text(text, style=styles.get(kind, "")), soft_wrap=True)


def render_rules(how: Format) -> None:
    rules = [rule_dict(code) for code in RULES]
    if how not in (Format.table, Format.plain):
        render.write(how, render.Payload("rule", "Rules", rules, flat_fields=RULE_FIELDS))
        return
    headers = ["Code", "Severity", "Name", "Checks", "Why"]
    rows = [[r[k] for k in RULE_FIELDS] for r in rules]
    if how is Format.plain:
        render.plain_table(headers, rows)
        return
    from .rich_render import console, table

    if not table(console(color(), terminal=True), "Rules of oscli check", headers, rows):
        render.plain_table(headers, rows)
