"""One fixture dataset per rule (tests/fixtures/rules/CODE): the rule fires, at the right place.

Each fixture directory holds the files that replace those of tests/fixtures/minimal (a valid
dataset); a file named NAME.absent removes NAME.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from outsourcing_cli.domain.findings import RULES, Severity
from outsourcing_cli.store.validate import validate

# code -> every finding (code, file, line, column) its fixture must produce: exactly these, no more
EXPECTED = {
    "OSC001": {("OSC001", "policies.yaml", 1, 1)},
    "OSC002": {("OSC002", "cities.yaml", 3, 15)},
    "OSC003": {("OSC003", "cities.yaml", 3, 1)},
    # no sources at all: every citation of 'src' is unknown too
    "OSC004": {
        ("OSC004", "sources.yaml", 1, 1),
        ("OSC204", "cities.yaml", 5, 15),
        ("OSC204", "cities.yaml", 11, 15),
        ("OSC204", "policies.yaml", 9, 19),
        ("OSC204", "policies.yaml", 12, 17),
        ("OSC204", "policies.yaml", 13, 15),
        ("OSC204", "policies.yaml", 18, 15),
        ("OSC204", "policies.yaml", 23, 15),
    },
    # an anchor, and an alias where a list of sources should be
    "OSC005": {
        ("OSC005", "cities.yaml", 5, 14),
        ("OSC005", "cities.yaml", 11, 14),
        ("OSC103", "cities.yaml", 11, 14),
        ("OSC301", "cities.yaml", 11, 14),
    },
    "OSC006": {("OSC006", "cities.yaml", 3, 11), ("OSC103", "cities.yaml", 3, 11)},
    "OSC007": {("OSC007", "cities.yaml", 3, 40)},
    "OSC008": {("OSC008", "cities.yaml", 4, 5)},
    "OSC101": {("OSC101", "cities.yaml", 2, 5)},
    "OSC102": {("OSC102", "cities.yaml", 4, 5)},
    "OSC103": {("OSC103", "cities.yaml", 3, 11)},
    "OSC104": {("OSC104", "policies.yaml", 5, 11)},
    "OSC105": {("OSC105", "policies.yaml", 11, 15)},
    # a malformed id is no id: the area that names it names an unknown city
    "OSC106": {("OSC106", "cities.yaml", 2, 9), ("OSC202", "cities.yaml", 9, 11)},
    # ESC sequences in a double-quoted name; a bidi override inside a plain one, at its column
    "OSC107": {("OSC107", "cities.yaml", 3, 11), ("OSC107", "cities.yaml", 8, 21)},
    "OSC108": {("OSC108", "policies.yaml", 4, 11)},
    # an unclosed quote: the parse error at the quote, then one line for the 7 references not checked
    "OSC109": {("OSC003", "sources.yaml", 3, 12), ("OSC109", "sources.yaml", 3, 12)},
    # a GeoNames id beyond 2^53-1, a latitude beyond 90 (a longitude of -180 is in range)
    "OSC110": {("OSC110", "cities.yaml", 5, 18), ("OSC110", "cities.yaml", 6, 15)},
    "OSC111": {("OSC111", "cities.yaml", 5, 15), ("OSC111", "cities.yaml", 6, 16)},
    "OSC112": {("OSC112", "policies.yaml", 5, 11)},
    # yes as a boolean, 0o3731 as a number, 0x7D6 as a year ("off" in quotes is text; no where text
    # is expected is OSC103, put it in quotes); the flag refused, the area's city holds no title
    "OSC113": {
        ("OSC113", "cities.yaml", 4, 31),
        ("OSC113", "cities.yaml", 5, 18),
        ("OSC103", "cities.yaml", 6, 15),
        ("OSC113", "policies.yaml", 5, 11),
        ("OSC401", "cities.yaml", 11, 11),
    },
    # a Cyrillic a in a city id, a zero-width space after a source id
    "OSC114": {("OSC114", "cities.yaml", 9, 11), ("OSC114", "cities.yaml", 11, 23)},
    "OSC201": {("OSC201", "cities.yaml", 6, 9)},
    "OSC202": {("OSC202", "cities.yaml", 9, 11)},
    "OSC203": {("OSC203", "policies.yaml", 8, 20)},
    "OSC204": {("OSC204", "cities.yaml", 5, 15)},
    # with designations in the data, an area in a city that holds no title is OSC401 too
    "OSC205": {("OSC205", "designations.yaml", 14, 14), ("OSC401", "cities.yaml", 9, 11)},
    "OSC206": {("OSC206", "designations.yaml", 16, 12)},
    "OSC209": {("OSC209", "conflicts.yaml", 12, 28)},
    "OSC301": {("OSC301", "policies.yaml", 23, 14)},
    "OSC302": {("OSC302", "policies.yaml", 11, 9)},
    "OSC303": {("OSC303", "sources.yaml", 7, 9)},
    # a placeholder title and no publisher; a bare-IP URL without an archived copy
    "OSC304": {("OSC304", "sources.yaml", 7, 9), ("OSC304", "sources.yaml", 10, 10)},
    # an excerpt from a source the record does not cite; an excerpt for a field it does not have
    "OSC305": {("OSC305", "cities.yaml", 6, 17), ("OSC305", "cities.yaml", 10, 16)},
    "OSC306": {("OSC306", "cities.yaml", 8, 18)},
    "OSC401": {("OSC401", "cities.yaml", 9, 11)},
    "OSC402": {("OSC402", "cities.yaml", 8, 31)},
    # a bound without its source; bounds out of order (both at the upper bound)
    "OSC403": {("OSC403", "designations.yaml", 20, 16)},
    "OSC404": {("OSC404", "designations.yaml", 20, 9)},
    "OSC405": {("OSC405", "designations.yaml", 17, 12), ("OSC401", "cities.yaml", 9, 11)},
    "OSC406": {("OSC406", "designations.yaml", 22, 19)},
    # a count above what the designations allow; a member that holds no title
    "OSC407": {("OSC407", "designations.yaml", 23, 12), ("OSC407", "designations.yaml", 25, 14)},
    # one claim only; follows a claim it does not have
    "OSC408": {("OSC408", "conflicts.yaml", 5, 7), ("OSC408", "conflicts.yaml", 7, 14)},
    # issue 18: a scope naming an unknown title and an unknown place (an area is a known place)
    "OSC409": {("OSC409", "provisions.yaml", 8, 16), ("OSC409", "provisions.yaml", 9, 28)},
    # an end (a month) before the start (a day)
    "OSC410": {("OSC410", "provisions.yaml", 11, 22)},
    # a loop of two (first supersedes second, which extends first); third only leads into it
    "OSC411": {("OSC411", "provisions.yaml", 8, 17), ("OSC411", "provisions.yaml", 16, 14)},
    # an acknowledgement without a reason acknowledges nothing: the finding stays
    "OSC501": {("OSC401", "cities.yaml", 9, 11), ("OSC501", "cities.yaml", 13, 9)},
    "OSC502": {("OSC502", "cities.yaml", 13, 9)},
    "OSC503": {("OSC503", "cities.yaml", 13, 15)},
}


def _found(report) -> set:
    return {(f.code, Path(f.file).name, f.line, f.column) for f in report.findings}


def make_dataset(code: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / "minimal", target)
    for item in (FIXTURES / "rules" / code).iterdir():
        if item.name.endswith(".absent"):
            (target / item.name.removesuffix(".absent")).unlink()
        else:
            shutil.copy(item, target / item.name)
    return target


def test_minimal_fixture_is_clean():
    report = validate(FIXTURES / "minimal")
    assert report.findings == ()


def test_every_rule_has_a_fixture_and_an_expectation():
    assert set(EXPECTED) == set(RULES) == {p.name for p in (FIXTURES / "rules").iterdir()}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_rule_fires_at_the_expected_place_and_nothing_else_fires(code, tmp_path):
    report = validate(make_dataset(code, tmp_path / "data"))
    assert _found(report) == EXPECTED[code], [str(f) for f in report.findings]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_check_command_reports_rule_with_editor_location_and_exit_code(code, tmp_path, run):
    data = make_dataset(code, tmp_path / "data")
    _, file, line, column = next(e for e in sorted(EXPECTED[code]) if e[0] == code)
    result = run("--data-dir", str(data), "check")
    severity = RULES[code].severity.value
    assert f"{file}:{line}:{column}: {severity} {code} " in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    is_error = RULES[code].severity is Severity.ERROR
    assert result.exit_code == (1 if is_error else 0)
    strict = run("--data-dir", str(data), "check", "--strict")
    assert strict.exit_code == 1
    findings = json.loads(run("--data-dir", str(data), "check", "--json").stdout)
    assert any(
        f["code"] == code and f["line"] == line and f["column"] == column and f["file"].endswith(file) for f in findings
    )
    # every other command refuses invalid data, and only invalid data, with exit 3
    listed = run("--data-dir", str(data), "cities", "list")
    assert listed.exit_code == (3 if is_error else 0)
    if is_error:
        assert f"Run `oscli --data-dir {data} check`" in listed.stderr and listed.stdout == ""


def test_rule_messages_suggest_the_closest_name(tmp_path):
    def messages(code):
        return [f.message for f in validate(make_dataset(code, tmp_path / code)).findings if f.code == code]

    assert "did you mean 'name_zh'?" in messages("OSC102")[0]
    assert "did you mean 'alpha'?" in messages("OSC202")[0]
    assert "did you mean 'moc'?" in messages("OSC203")[0]
    assert "did you mean 'src'?" in messages("OSC204")[0]
    assert "try 'alpha-city'" in messages("OSC106")[0]
    assert "spaces, not tabs" in messages("OSC003")[0]


def test_tag_never_runs_code(tmp_path, capfd):
    report = validate(make_dataset("OSC006", tmp_path / "data"))
    assert "pwned" not in capfd.readouterr().out
    assert any(f.code == "OSC006" for f in report.errors)


def test_check_rules_lists_every_rule(run):
    result = run("check", "--rules", "--json")
    rules = json.loads(result.stdout)
    assert [r["code"] for r in rules] == list(RULES)
    assert all(r["why"] and r["checks"] and r["severity"] in ("error", "warning") for r in rules)
    plain = run("check", "--rules")
    assert "OSC401\terror\tarea-outside-designated-city\t" in plain.stdout


def test_check_takes_the_formats_of_the_rest(run, tmp_path):
    import csv
    import io

    import yaml

    data = make_dataset("OSC202", tmp_path / "data")
    as_json = json.loads(run("--data-dir", str(data), "check", "--format", "json").stdout)
    assert as_json == json.loads(run("--data-dir", str(data), "check", "--json").stdout)
    assert [(f["code"], f["line"]) for f in as_json] == [("OSC202", 9)]
    rows = list(csv.DictReader(io.StringIO(run("--data-dir", str(data), "check", "--format", "csv").stdout[1:])))
    assert [(r["code"], r["line"], r["acknowledged"]) for r in rows] == [("OSC202", "9", "false")]
    assert yaml.safe_load(run("--data-dir", str(data), "check", "--format", "yaml").stdout) == as_json
    lines = run("--data-dir", str(data), "check", "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["OSC202"]
    assert run("check", "--format", "bibtex").exit_code == 2


def test_the_cjk_class_is_fold_is_cjk_on_every_code_point():
    from outsourcing_cli.domain.fold import is_cjk
    from outsourcing_cli.domain.rules.excerpts import CJK

    for code in range(0x110000):
        char = chr(code)
        assert bool(CJK.fullmatch(char)) == is_cjk(char), hex(code)


@pytest.mark.parametrize(
    "text, words, cjk",
    [
        ("", 0, 0),
        ("service outsourcing", 2, 0),
        ("苏州工业园区", 0, 6),
        ("建设 10 个服务外包基地城市", 1, 11),
        ("a苏b", 2, 1),
        ("x\u3000y\u00a0z", 3, 0),
        ("（2009）年", 1, 1),
    ],
)
def test_an_excerpt_s_length_in_words_and_characters(text, words, cjk):
    from outsourcing_cli.domain.rules.excerpts import _length

    assert _length(text) == (words, cjk)
