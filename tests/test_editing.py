"""Issue 19: `check` names the real cause of a slip, in plain words, first, everywhere.

The user stories are replayed on a copy of the shipped data; the plain words for each kind of
syntax slip are pinned on fixtures (tests/fixtures/syntax/CASE replaces minimal's cities.yaml).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from outsourcing_cli.store.lookalike import first_problem, suggestion


def _replace_line(path: Path, old: str, new: str, after: str | None = None) -> int:
    """Replace the first line equal to ``old`` (following a line equal to ``after``, if given);
    return its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if line == old and (after is None or lines[index - 1] == after):
            lines[index] = new
            path.write_text("\n".join(lines), encoding="utf-8")
            return index + 1
    raise AssertionError(f"no line {old!r} in {path}")


def _first_lines(result) -> list[str]:
    return result.stdout.splitlines()


# -- the user stories --------------------------------------------------------------------------------


def test_indentation_slip_in_designations_is_the_first_finding_at_its_line(data_copy, run):
    line = _replace_line(
        data_copy / "designations.yaml",
        "    title: base-city",
        "      title: base-city",
        after="    subject_type: city",
    )
    result = run("--data-dir", str(data_copy), "check")
    assert result.exit_code == 1
    first = _first_lines(result)[0]
    assert first.startswith(
        f"{data_copy}/designations.yaml:{line}:7: error OSC003 this line is indented 2 more "
        "spaces than the line above (its siblings start at column 5)"
    )
    assert "YAML says: mapping values are not allowed" in first
    findings = json.loads(run("--data-dir", str(data_copy), "check", "--json").stdout)
    # the cause, then one line for the references into designations.yaml, one for the sources
    # that look uncited without it: nothing in conflicts.yaml is listed
    assert [(f["code"], Path(f["file"]).name, f["line"]) for f in findings if not f["acknowledged"]] == [
        ("OSC003", "designations.yaml", line),
        ("OSC109", "designations.yaml", line),
        ("OSC109", "designations.yaml", line),
    ]
    assert re.fullmatch(
        r"\d+ references into designations.yaml not checked: it could not be parsed", findings[1]["message"]
    )
    assert re.fullmatch(
        r"\d+ sources not checked for being cited \(OSC303\): designations.yaml could not be parsed",
        findings[2]["message"],
    )
    # every other command's exit-3 message names the same first finding
    listed = run("--data-dir", str(data_copy), "cities", "list")
    assert listed.exit_code == 3
    assert f"designations.yaml:{line}:7: error OSC003 this line is indented 2 more spaces" in listed.stderr
    assert "(3 errors)" in listed.stderr


def test_unclosed_quote_in_sources_is_found_where_the_quote_opens(data_copy, run):
    line = _replace_line(
        data_copy / "sources.yaml",
        "    title: State-level policies and regional-level policies in China",
        '    title: "State-level policies and regional-level policies in China',
    )
    result = run("--data-dir", str(data_copy), "check")
    assert result.exit_code == 1
    lines = _first_lines(result)
    assert lines[0].startswith(
        f'{data_copy}/sources.yaml:{line}:12: error OSC003 the quote (") opened here is not closed on this line'
    )
    assert re.fullmatch(
        rf"{re.escape(str(data_copy))}/sources.yaml:{line}:12: error OSC109 \d[\d,]* references "
        r"into sources.yaml not checked: it could not be parsed",
        lines[1],
    )
    assert lines[-1].startswith("2 errors, 0 warnings")
    findings = json.loads(run("--data-dir", str(data_copy), "check", "--json").stdout)
    assert [f["code"] for f in findings if not f["acknowledged"]] == ["OSC003", "OSC109"]
    assert int(findings[1]["message"].split()[0].replace(",", "")) > 500  # each one was a finding before
    for command in (["policy", "show", "11th-fyp"], ["search", "dalian"], ["cite", "oj-article"], ["timeline"]):
        refused = run("--data-dir", str(data_copy), *command)
        assert refused.exit_code == 3
        assert f"sources.yaml:{line}:12: error OSC003 the quote" in refused.stderr.splitlines()[1]


def test_a_missing_file_is_first_and_its_references_summarised(data_copy, run):
    (data_copy / "sources.yaml").unlink()
    findings = json.loads(run("--data-dir", str(data_copy), "check", "--json").stdout)
    assert findings[0]["code"] == "OSC001" and findings[0]["file"].endswith("sources.yaml")
    assert re.fullmatch(
        r"\d[\d,]* references into sources.yaml not checked: it could not be read", findings[1]["message"]
    )
    assert {f["code"] for f in findings if not f["acknowledged"]} == {"OSC001", "OSC109"}


# -- plain words, one fixture per slip ------------------------------------------------------------------

SYNTAX = {
    "indent-more": (
        4,
        7,
        "this line is indented 2 more spaces than the line above (its siblings start at column 5)",
        "mapping values are not allowed",
    ),
    "indent-fewer": (
        4,
        4,
        "this line is indented 1 fewer space than the line above (its siblings start at column 5)",
        "did not find expected '-' indicator",
    ),
    "tab": (3, 1, "this line is indented with a tab: indent with spaces, not tabs", "tab"),
    "quote-never-closed": (10, 12, 'the quote (") opened here is never closed', "found unexpected end of stream"),
    "quote-runs-on": (
        3,
        11,
        'the quote (") opened here is not closed on this line, so YAML reads the lines below as '
        "part of the text, up to line 8",
        "did not find expected key",
    ),
    "bracket": (
        5,
        14,
        "the '[' opened here is not closed; close it with ']' on this line",
        "did not find expected ',' or ']'",
    ),
    "colon": (3, 5, "this line has no ':' after its key; write it as 'name: Alpha'", "could not find expected ':'"),
}


def test_every_syntax_fixture_has_an_expectation():
    assert set(SYNTAX) == {p.name for p in (FIXTURES / "syntax").iterdir()}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_syntax_slip_in_plain_words_then_the_parsers_text(case, tmp_path, run):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    shutil.copy(FIXTURES / "syntax" / case / "cities.yaml", data / "cities.yaml")
    line, column, plain, parser = SYNTAX[case]
    result = run("--data-dir", str(data), "check")
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{data}/cities.yaml:{line}:{column}: error OSC003 {plain}"), first
    said = first.split("; YAML says: ", 1)[1]
    assert parser in said  # PyYAML's own words follow, for searching the web
    assert result.exit_code == 1


# -- look-alikes --------------------------------------------------------------------------------------


def test_lookalikes_are_named_and_the_ascii_id_suggested():
    assert first_problem("dalian") is None
    assert first_problem("d\u0430lian") == (1, "U+0430 (CYRILLIC SMALL LETTER A), which looks like 'a'", "a")
    assert first_problem("model\u2013city")[1] == "U+2013 (EN DASH), which looks like '-'"
    assert first_problem("base\u200bcity")[1] == "the invisible character U+200B (ZERO WIDTH SPACE)"
    assert first_problem("\uff44alian")[2] == "d"  # fullwidth, by NFKC
    assert suggestion("m\u043edel\u2011c\u0456ty\ufeff") == "model-city"
    assert first_problem("大连") is None  # not a look-alike: OSC106 says ids are ASCII


def test_show_with_a_lookalike_id_fails_and_check_says_why(data_copy, run):
    path = data_copy / "designations.yaml"
    line = _replace_line(path, "    subject: dalian", "    subject: d\u0430lian")
    findings = json.loads(run("--data-dir", str(data_copy), "check", "--json").stdout)
    assert [(f["code"], f["line"], f["column"]) for f in findings if f["code"] == "OSC114"] == [("OSC114", line, 15)]
    assert "type 'dalian'" in next(f["message"] for f in findings if f["code"] == "OSC114")
