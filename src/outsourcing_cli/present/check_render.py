"""Drawing `oscli check` results: one editor-friendly line per finding and a summary on a
terminal or in a pipe; the findings as data (JSON, NDJSON, CSV, YAML) for scripts."""

from __future__ import annotations

import sys
from typing import Any

from ..domain.findings import RULES, Finding, Report
from ..domain.names import plural
from ..domain.textsafe import visible
from . import render
from .output import Format, color

FINDING_FIELDS = ["code", "severity", "message", "file", "line", "column", "record", "acknowledged", "reason"]
RULE_FIELDS = ["code", "severity", "name", "checks", "why"]


def finding_dict(f: Finding) -> dict[str, Any]:
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


def rule_dict(code: str) -> dict[str, Any]:
    r = RULES[code]
    return {"code": r.code, "severity": r.severity.value, "name": r.name, "checks": r.checks, "why": r.why}


def finding_line(f: Finding) -> str:
    level = "acknowledged" if f.acknowledged is not None else f.severity.value
    return visible(f"{f.file}:{f.line}:{f.column}: {level} {f.code} {f.message}", keep_newlines=False)


def summary(report: Report, where: str) -> str:
    return (
        f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}, "
        f"{len(report.acknowledged)} acknowledged in {visible(where)}"
    )


def render_report(report: Report, how: Format, where: str) -> None:
    if how in _CI_FORMATS:
        sys.stdout.write(_CI_FORMATS[how](report))
        return
    if how not in (Format.table, Format.plain):
        render.write(
            how,
            render.Payload(
                "finding", "Findings", [finding_dict(f) for f in report.findings], flat_fields=FINDING_FIELDS
            ),
        )
        return
    lines: list[tuple[str, str]] = [(finding_line(f), f.severity.value) for f in report.active]
    if report.acknowledged:
        if lines:
            lines.append(("", ""))
        lines.append(("Acknowledged (not counted as errors):", "heading"))
        for f in report.acknowledged:
            lines.append((finding_line(f), "acknowledged"))
            reason = f.acknowledged or ""  # never None here: these are the acknowledged findings
            lines.append((f"    reason: {visible(reason, keep_newlines=False)}", "reason"))
    lines.append((summary(report, where), "summary-bad" if report.errors else "summary-ok"))
    if how is Format.plain or not color():
        sys.stdout.write("\n".join(text for text, _ in lines) + "\n")
        return
    from rich.text import Text

    from .rich_render import console

    styles = {
        "error": "red",
        "warning": "yellow",
        "acknowledged": "cyan",
        "reason": "dim",
        "heading": "bold",
        "summary-bad": "bold red",
        "summary-ok": "bold green",
    }
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


# -- CI formats -------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (GitHub's toolkit, escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',' (GitHub's toolkit, escapeProperty)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions workflow commands, one per finding that counts: ``::error file=F,line=L,col=C,
    title=CODE name::message``; GitHub shows them as annotations on those lines. Acknowledged
    findings are left out (they are not problems); the summary is a ``::notice``."""
    lines = []
    for f in report.active:
        rule = RULES[f.code]
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", f.file.replace("\\", "/")),
                ("line", f.line),
                ("col", f.column),
                ("title", f"{f.code} {rule.name}"),
            )
        )
        lines.append(f"::{f.severity.value} {props}::{_escape_data(visible(f.message, keep_newlines=False))}")
    lines.append(f"::notice title=oscli check::{_escape_data(summary(report, 'the data'))}")
    return "\n".join(lines) + "\n"


def _uri(path: str) -> str:
    from pathlib import Path
    from urllib.parse import quote

    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"))


def sarif_log(report: Report) -> dict[str, Any]:
    """The findings as a SARIF 2.1.0 log: every rule in ``tool.driver.rules``, one result per finding
    (an acknowledged one with its reason as an in-source suppression)."""
    from .. import __version__

    codes = list(RULES)
    rules = [
        {
            "id": code,
            "name": RULES[code].name,
            "shortDescription": {"text": RULES[code].checks},
            "fullDescription": {"text": RULES[code].why},
            "defaultConfiguration": {"level": RULES[code].severity.value},
        }
        for code in codes
    ]
    results = []
    for f in report.findings:
        result = {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": f.severity.value,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    }
                }
            ],
        }
        if f.record is not None:
            result["properties"] = {"record": f.record}
        if f.acknowledged is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": f.acknowledged}]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "oscli", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif(report: Report) -> str:
    import json

    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


_CI_FORMATS = {Format.github: github, Format.sarif: sarif}
